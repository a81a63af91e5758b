import Avro
import IcebergSpec
import JSONCoding

/// Writes manifests and manifest lists as Java does for each format version: the exact Avro schemas, header
/// key-values (`schema`, `partition-spec`, `format-version`, `content`, `snapshot-id`, ...) and compression
/// (`write.manifest.compression-codec`, default gzip = Avro deflate at level 9).
package enum ManifestWriter {
    /// How manifests are compressed, from the table property.
    package static func codec(properties: [String: String]) throws(IcebergError) -> (AvroCodec, Int?) {
        switch properties["write.manifest.compression-codec"]?.lowercased() ?? "gzip" {
        case "gzip": return (.deflate, 9)
        case "zstd": return (.zstandard, 1)
        case "snappy": return (.snappy, nil)
        case "uncompressed", "none": return (.null, nil)
        case let other: throw .invalidFile("write.manifest.compression-codec", "unknown codec '\(other)'")
        }
    }

    /// A manifest of `entries`, all of one content kind and one spec. Entries are written as given: ADDED entries
    /// with nil sequence numbers inherit them when read; EXISTING and DELETED ones must carry theirs.
    package static func manifest(
        entries: [ManifestEntry], content: ManifestFile.Content, spec: PartitionSpec, schema: Schema, formatVersion: Int,
        properties: [String: String]
    ) throws(IcebergError) -> [UInt8] {
        let partitionType: StructType
        do { partitionType = try spec.partitionType(schema: schema) } catch {
            throw .invalidFile("partition spec \(spec.specId)", error.description)
        }
        let avroSchema = try ManifestSchemas.manifestEntry(formatVersion: formatVersion, partitionType: partitionType)
        var options = try options(properties)
        options.setMetadata("schema", schema.json.rendered())
        options.setMetadata("schema-id", String(schema.schemaId))
        options.setMetadata("partition-spec", spec.fieldsJSON.rendered())
        options.setMetadata("partition-spec-id", String(spec.specId))
        options.setMetadata("format-version", String(formatVersion))
        if formatVersion >= 2 { options.setMetadata("content", content == .data ? "data" : "deletes") }
        return try write(schema: avroSchema, options: options, records: entries.map { (entry) throws(IcebergError) in
            try record(entry, formatVersion: formatVersion, partitionType: partitionType)
        })
    }

    /// A manifest list for `snapshot`.
    package static func manifestList(
        manifests: [ManifestFile], snapshot: Snapshot, formatVersion: Int, properties: [String: String]
    ) throws(IcebergError) -> [UInt8] {
        var options = try options(properties)
        options.setMetadata("snapshot-id", String(snapshot.snapshotId))
        options.setMetadata("parent-snapshot-id", snapshot.parentSnapshotId.map { String($0) } ?? "null")
        if formatVersion >= 2 { options.setMetadata("sequence-number", String(snapshot.sequenceNumber)) }
        if formatVersion >= 3, let firstRowId = snapshot.firstRowId { options.setMetadata("first-row-id", String(firstRowId)) }
        options.setMetadata("format-version", String(formatVersion))
        let schema = ManifestSchemas.manifestList(formatVersion: formatVersion)
        return try write(schema: schema, options: options, records: manifests.map { record($0, formatVersion: formatVersion) })
    }

    // MARK: - Records

    private static func options(_ properties: [String: String]) throws(IcebergError) -> AvroFileWriter.Options {
        let (codec, level) = try codec(properties: properties)
        return AvroFileWriter.Options(codec: codec, level: level)
    }

    private static func write(schema: AvroSchema, options: AvroFileWriter.Options, records: [AvroValue]) throws(IcebergError)
        -> [UInt8]
    {
        do {
            var writer = try AvroFileWriter(schema: schema, options: options)
            for record in records { try writer.append(record) }
            return try writer.finish()
        } catch { throw .invalidFile("manifest", "cannot be written: \(error)") }
    }

    private static func optional(_ value: AvroValue?) -> AvroValue { value.map { .union(1, $0) } ?? .union(0, .null) }
    private static func long(_ value: Int64?) -> AvroValue { optional(value.map(AvroValue.long)) }
    private static func int(_ value: Int?) -> AvroValue { optional(value.map { .int(Int32(truncatingIfNeeded: $0)) }) }
    private static func bytes(_ value: [UInt8]?) -> AvroValue { optional(value.map(AvroValue.bytes)) }

    private static func record(_ manifest: ManifestFile, formatVersion: Int) -> AvroValue {
        var fields: [AvroValue] = [
            .string(manifest.path), .long(manifest.length), .int(Int32(manifest.partitionSpecId)),
        ]
        if formatVersion >= 2 {
            fields += [.int(manifest.content.rawValue), .long(manifest.sequenceNumber), .long(manifest.minSequenceNumber)]
        }
        fields.append(.long(manifest.addedSnapshotId))
        let partitions = optional(manifest.partitions.map { summaries in
            .array(summaries.map { summary in
                .record([
                    .boolean(summary.containsNull), optional(summary.containsNaN.map(AvroValue.boolean)),
                    bytes(summary.lowerBound), bytes(summary.upperBound),
                ])
            })
        })
        if formatVersion >= 2 {
            fields += [
                .int(Int32(manifest.addedFilesCount ?? 0)), .int(Int32(manifest.existingFilesCount ?? 0)),
                .int(Int32(manifest.deletedFilesCount ?? 0)), .long(manifest.addedRowsCount ?? 0),
                .long(manifest.existingRowsCount ?? 0), .long(manifest.deletedRowsCount ?? 0), partitions,
            ]
        } else {
            fields += [
                int(manifest.addedFilesCount), int(manifest.existingFilesCount), int(manifest.deletedFilesCount), partitions,
                long(manifest.addedRowsCount), long(manifest.existingRowsCount), long(manifest.deletedRowsCount),
            ]
        }
        fields.append(bytes(manifest.keyMetadata))
        if formatVersion >= 3 { fields.append(long(manifest.firstRowId)) }
        return .record(fields)
    }

    private static func record(_ entry: ManifestEntry, formatVersion: Int, partitionType: StructType) throws(IcebergError)
        -> AvroValue
    {
        let file = entry.dataFile
        guard file.partition.count == partitionType.fields.count else {
            throw .invalidFile(file.filePath, "has \(file.partition.count) partition values for a spec of \(partitionType.fields.count) fields")
        }
        var partition: [AvroValue] = []
        for (value, field) in zip(file.partition, partitionType.fields) {
            partition.append(optional(try value.map { (literal) throws(IcebergError) in try avroValue(literal, field: field) }))
        }
        func counts(_ map: [Int: Int64]?) -> AvroValue {
            optional(map.map { map in .array(map.keys.sorted().map { .record([.int(Int32($0)), .long(map[$0]!)]) }) })
        }
        func bounds(_ map: [Int: [UInt8]]?) -> AvroValue {
            optional(map.map { map in .array(map.keys.sorted().map { .record([.int(Int32($0)), .bytes(map[$0]!)]) }) })
        }
        var fields: [AvroValue] = []
        if formatVersion >= 2 { fields.append(.int(file.content.rawValue)) }
        fields += [
            .string(file.filePath), .string(file.fileFormat), .record(partition), .long(file.recordCount),
            .long(file.fileSizeInBytes),
        ]
        if formatVersion == 1 { fields.append(.long(file.blockSizeInBytes ?? 67_108_864)) }
        fields += [
            counts(file.columnSizes), counts(file.valueCounts), counts(file.nullValueCounts), counts(file.nanValueCounts),
            bounds(file.lowerBounds), bounds(file.upperBounds), bytes(file.keyMetadata),
            optional(file.splitOffsets.map { .array($0.map(AvroValue.long)) }),
        ]
        if formatVersion >= 2 { fields.append(optional(file.equalityIds.map { .array($0.map { .int(Int32($0)) }) })) }
        fields.append(int(file.sortOrderId))
        if formatVersion >= 3 { fields.append(long(file.firstRowId)) }
        if formatVersion >= 2 { fields.append(optional(file.referencedDataFile.map(AvroValue.string))) }
        if formatVersion >= 3 { fields += [long(file.contentOffset), long(file.contentSizeInBytes)] }
        let dataFile = AvroValue.record(fields)
        if formatVersion >= 2 {
            return .record([
                .int(entry.status.rawValue), long(entry.snapshotId), long(entry.sequenceNumber),
                long(entry.fileSequenceNumber), dataFile,
            ])
        }
        guard let snapshotId = entry.snapshotId else {
            throw .invalidFile(file.filePath, "a v1 manifest entry needs its snapshot id")
        }
        return .record([.int(entry.status.rawValue), .long(snapshotId), dataFile])
    }

    /// A partition value in the Avro form the partition record declares.
    private static func avroValue(_ value: Literal, field: NestedField) throws(IcebergError) -> AvroValue {
        switch value {
        case .boolean(let v): return .boolean(v)
        case .int(let v), .date(let v): return .int(v)
        case .long(let v), .time(let v), .timestamp(let v), .timestamptz(let v), .timestampNs(let v), .timestamptzNs(let v):
            return .long(v)
        case .float(let v): return .float(v)
        case .double(let v): return .double(v)
        case .string(let v): return .string(v)
        case .uuid(let v), .fixed(let v): return .fixed(v)
        case .binary(let v): return .bytes(v)
        case .decimal(let unscaled, let precision, _):
            // Fixed-size two's complement, sign-extended to the declared width.
            let width = ManifestSchemas.decimalBytes(precision)
            let minimal = Literal.minimalTwosComplement(unscaled)
            guard minimal.count <= width else {
                throw .invalidFile("partition \(field.name)", "decimal \(unscaled) does not fit precision \(precision)")
            }
            let fill: UInt8 = unscaled < 0 ? 0xFF : 0x00
            return .fixed(Array(repeating: fill, count: width - minimal.count) + minimal)
        }
    }
}
