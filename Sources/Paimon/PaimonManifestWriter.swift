import Avro

/// Encodes manifests and manifest lists as Paimon writes them (Avro, `ManifestEntry` and `ManifestFileMeta` of
/// version 2, the field names and types Paimon Java 1.x and pypaimon 2.1 read), compressed with
/// `manifest.compression` (zstd by default).
package enum PaimonManifestWriter {
    /// The bytes of a manifest holding `entries`.
    package static func manifest(_ entries: [PaimonManifestEntry], compression: String) throws(PaimonError) -> [UInt8] {
        try encode(entries.map(record), schema: entrySchema, compression: compression)
    }

    /// The bytes of a manifest list holding `files`.
    package static func manifestList(_ files: [PaimonManifestFile], compression: String) throws(PaimonError) -> [UInt8] {
        try encode(files.map(record), schema: fileMetaSchema, compression: compression)
    }

    private static func encode(_ records: [AvroValue], schema text: String, compression: String) throws(PaimonError) -> [UInt8] {
        do {
            let schema = try AvroSchema(parsing: text)
            let codec = try AvroCodec(icebergName: compression)
            var writer = try AvroFileWriter(schema: schema, options: .init(codec: codec))
            for record in records { try writer.append(record) }
            return try writer.finish()
        } catch {
            throw .invalidFile("manifest", "cannot be encoded: \(error)")
        }
    }

    // MARK: - Records

    private static func optional(_ value: AvroValue?) -> AvroValue { value.map { .union(1, $0) } ?? .union(0, .null) }
    private static func int(_ value: Int) -> AvroValue { .int(Int32(truncatingIfNeeded: value)) }
    private static func strings(_ values: [String]) -> AvroValue { .array(values.map { .string($0) }) }

    private static func stats(_ stats: PaimonSimpleStats) -> AvroValue {
        .record([
            .bytes(stats.minValues), .bytes(stats.maxValues),
            optional(stats.nullCounts.map { counts in .array(counts.map { optional($0.map { .long($0) }) }) }),
        ])
    }

    private static func record(_ entry: PaimonManifestEntry) -> AvroValue {
        let file = entry.file
        return .record([
            .int(2), .int(Int32(entry.kind.rawValue)), .bytes(entry.partition), int(entry.bucket), int(entry.totalBuckets),
            .record([
                .string(file.fileName), .long(file.fileSize), .long(file.rowCount), .bytes(file.minKey), .bytes(file.maxKey),
                stats(file.keyStats), stats(file.valueStats), .long(file.minSequenceNumber), .long(file.maxSequenceNumber),
                .long(file.schemaId), int(file.level), strings(file.extraFiles),
                optional(file.creationTimeMs.map { .long($0) }), optional(file.deleteRowCount.map { .long($0) }),
                optional(file.embeddedIndex.map { .bytes($0) }), optional(file.fileSource.map { int($0) }),
                optional(file.valueStatsCols.map(strings)), optional(file.externalPath.map { .string($0) }),
                optional(file.firstRowId.map { .long($0) }), optional(file.writeCols.map(strings)),
            ]),
        ])
    }

    private static func record(_ meta: PaimonManifestFile) -> AvroValue {
        .record([
            .int(2), .string(meta.fileName), .long(meta.fileSize), .long(meta.numAddedFiles), .long(meta.numDeletedFiles),
            stats(meta.partitionStats), .long(meta.schemaId),
            optional(meta.minBucket.map(int)), optional(meta.maxBucket.map(int)), optional(meta.minLevel.map(int)),
            optional(meta.maxLevel.map(int)), optional(meta.minRowId.map { .long($0) }), optional(meta.maxRowId.map { .long($0) }),
            optional(meta.totalBuckets.map(int)), optional(meta.extraFiles.map(strings)),
        ])
    }

    // MARK: - Schemas

    private static func statsSchema(_ name: String) -> String {
        """
        {"type": "record", "name": "\(name)", "fields": [
          {"name": "_MIN_VALUES", "type": "bytes"}, {"name": "_MAX_VALUES", "type": "bytes"},
          {"name": "_NULL_COUNTS", "type": ["null", {"type": "array", "items": ["null", "long"]}], "default": null}]}
        """
    }

    private static let stringArray = #"{"type": "array", "items": "string"}"#

    static let entrySchema = """
        {"type": "record", "name": "ManifestEntry", "fields": [
          {"name": "_VERSION", "type": "int"}, {"name": "_KIND", "type": "int"}, {"name": "_PARTITION", "type": "bytes"},
          {"name": "_BUCKET", "type": "int"}, {"name": "_TOTAL_BUCKETS", "type": "int"},
          {"name": "_FILE", "type": {"type": "record", "name": "DataFileMeta", "fields": [
            {"name": "_FILE_NAME", "type": "string"}, {"name": "_FILE_SIZE", "type": "long"},
            {"name": "_ROW_COUNT", "type": "long"}, {"name": "_MIN_KEY", "type": "bytes"}, {"name": "_MAX_KEY", "type": "bytes"},
            {"name": "_KEY_STATS", "type": \(statsSchema("record_KEY_STATS"))},
            {"name": "_VALUE_STATS", "type": \(statsSchema("record_VALUE_STATS"))},
            {"name": "_MIN_SEQUENCE_NUMBER", "type": "long"}, {"name": "_MAX_SEQUENCE_NUMBER", "type": "long"},
            {"name": "_SCHEMA_ID", "type": "long"}, {"name": "_LEVEL", "type": "int"},
            {"name": "_EXTRA_FILES", "type": \(stringArray)},
            {"name": "_CREATION_TIME", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
            {"name": "_DELETE_ROW_COUNT", "type": ["null", "long"], "default": null},
            {"name": "_EMBEDDED_FILE_INDEX", "type": ["null", "bytes"], "default": null},
            {"name": "_FILE_SOURCE", "type": ["null", "int"], "default": null},
            {"name": "_VALUE_STATS_COLS", "type": ["null", \(stringArray)], "default": null},
            {"name": "_EXTERNAL_PATH", "type": ["null", "string"], "default": null},
            {"name": "_FIRST_ROW_ID", "type": ["null", "long"], "default": null},
            {"name": "_WRITE_COLS", "type": ["null", \(stringArray)], "default": null}]}}]}
        """

    static let fileMetaSchema = """
        {"type": "record", "name": "ManifestFileMeta", "fields": [
          {"name": "_VERSION", "type": "int"}, {"name": "_FILE_NAME", "type": "string"}, {"name": "_FILE_SIZE", "type": "long"},
          {"name": "_NUM_ADDED_FILES", "type": "long"}, {"name": "_NUM_DELETED_FILES", "type": "long"},
          {"name": "_PARTITION_STATS", "type": \(statsSchema("record_PARTITION_STATS"))}, {"name": "_SCHEMA_ID", "type": "long"},
          {"name": "_MIN_BUCKET", "type": ["null", "int"], "default": null},
          {"name": "_MAX_BUCKET", "type": ["null", "int"], "default": null},
          {"name": "_MIN_LEVEL", "type": ["null", "int"], "default": null},
          {"name": "_MAX_LEVEL", "type": ["null", "int"], "default": null},
          {"name": "_MIN_ROW_ID", "type": ["null", "long"], "default": null},
          {"name": "_MAX_ROW_ID", "type": ["null", "long"], "default": null},
          {"name": "_TOTAL_BUCKETS", "type": ["null", "int"], "default": null},
          {"name": "_EXTRA_FILES", "type": ["null", \(stringArray)], "default": null}]}
        """
}
