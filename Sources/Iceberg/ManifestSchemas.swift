import Avro
import IcebergSpec
import JSONCoding

/// The Avro schemas of manifest lists and manifests (spec "Manifests", "Manifest Lists"), with the field ids,
/// record names (`manifest_file`, `manifest_entry`, `r2`, `r102`, `r508`) and map-entry names (`k117_v118`)
/// Java writes, for each format version.
///
/// Reading uses one schema per kind that contains every version's fields, the version-specific ones optional:
/// resolved by field id against the file's own schema, it reads v1, v2 and v3 files alike.
enum ManifestSchemas {
    // MARK: - Manifest list

    static func manifestList(formatVersion: Int) -> AvroSchema {
        let v2 = formatVersion >= 2
        var fields: [AvroField] = [
            AvroField("manifest_path", .string, fieldID: 500),
            AvroField("manifest_length", .long, fieldID: 501),
            AvroField("partition_spec_id", .int, fieldID: 502),
        ]
        if v2 {
            fields += [
                AvroField("content", .int, fieldID: 517),
                AvroField("sequence_number", .long, fieldID: 515),
                AvroField("min_sequence_number", .long, fieldID: 516),
            ]
        }
        fields.append(AvroField("added_snapshot_id", .long, fieldID: 503))
        let counts: [AvroField] = [
            AvroField("added_files_count", .int, fieldID: 504), AvroField("existing_files_count", .int, fieldID: 505),
            AvroField("deleted_files_count", .int, fieldID: 506), AvroField("added_rows_count", .long, fieldID: 512),
            AvroField("existing_rows_count", .long, fieldID: 513), AvroField("deleted_rows_count", .long, fieldID: 514),
        ]
        let partitions = optional("partitions", list(fieldSummary, elementID: 508), fieldID: 507)
        if v2 {
            fields += counts + [partitions]
        } else {
            fields += counts.prefix(3).map(makeOptional) + [partitions] + counts.suffix(3).map(makeOptional)
        }
        fields.append(optional("key_metadata", .bytes, fieldID: 519))
        if formatVersion >= 3 { fields.append(optional("first_row_id", .long, fieldID: 520)) }
        return .record("manifest_file", fields: fields)
    }

    /// Every version's manifest-list fields; those missing from v1 files read as null.
    static let manifestListReader: AvroSchema = .record("manifest_file", fields: [
        AvroField("manifest_path", .string, fieldID: 500),
        AvroField("manifest_length", .long, fieldID: 501),
        AvroField("partition_spec_id", .int, fieldID: 502),
        optional("content", .int, fieldID: 517),
        optional("sequence_number", .long, fieldID: 515),
        optional("min_sequence_number", .long, fieldID: 516),
        AvroField("added_snapshot_id", .long, fieldID: 503),
        optional("added_files_count", .int, fieldID: 504),
        optional("existing_files_count", .int, fieldID: 505),
        optional("deleted_files_count", .int, fieldID: 506),
        optional("added_rows_count", .long, fieldID: 512),
        optional("existing_rows_count", .long, fieldID: 513),
        optional("deleted_rows_count", .long, fieldID: 514),
        optional("partitions", list(fieldSummary, elementID: 508), fieldID: 507),
        optional("key_metadata", .bytes, fieldID: 519),
        optional("first_row_id", .long, fieldID: 520),
    ])

    static let fieldSummary: AvroSchema = .record("r508", fields: [
        AvroField("contains_null", .boolean, fieldID: 509),
        optional("contains_nan", .boolean, fieldID: 518),
        optional("lower_bound", .bytes, fieldID: 510),
        optional("upper_bound", .bytes, fieldID: 511),
    ])

    // MARK: - Manifest

    static func manifestEntry(formatVersion: Int, partitionType: StructType) throws(IcebergError) -> AvroSchema {
        let v2 = formatVersion >= 2
        var entryFields: [AvroField] = [AvroField("status", .int, fieldID: 0)]
        if v2 {
            entryFields += [
                optional("snapshot_id", .long, fieldID: 1), optional("sequence_number", .long, fieldID: 3),
                optional("file_sequence_number", .long, fieldID: 4),
            ]
        } else {
            entryFields.append(AvroField("snapshot_id", .long, fieldID: 1))
        }
        entryFields.append(AvroField("data_file", try dataFile(formatVersion: formatVersion, partitionType: partitionType), fieldID: 2))
        return .record("manifest_entry", fields: entryFields)
    }

    static func dataFile(formatVersion: Int, partitionType: StructType) throws(IcebergError) -> AvroSchema {
        let partition = try partitionSchema(partitionType)
        var fields: [AvroField] = []
        if formatVersion >= 2 { fields.append(AvroField("content", .int, fieldID: 134)) }
        fields += [
            AvroField("file_path", .string, fieldID: 100), AvroField("file_format", .string, fieldID: 101),
            AvroField("partition", partition, fieldID: 102), AvroField("record_count", .long, fieldID: 103),
            AvroField("file_size_in_bytes", .long, fieldID: 104),
        ]
        if formatVersion == 1 { fields.append(AvroField("block_size_in_bytes", .long, fieldID: 105)) }
        fields += metricsFields
        if formatVersion >= 2 { fields.append(optional("equality_ids", list(.int, elementID: 136), fieldID: 135)) }
        fields.append(optional("sort_order_id", .int, fieldID: 140))
        if formatVersion >= 3 { fields.append(optional("first_row_id", .long, fieldID: 142)) }
        if formatVersion >= 2 { fields.append(optional("referenced_data_file", .string, fieldID: 143)) }
        if formatVersion >= 3 {
            fields += [optional("content_offset", .long, fieldID: 144), optional("content_size_in_bytes", .long, fieldID: 145)]
        }
        return .record("r2", fields: fields)
    }

    /// Every version's data-file fields for reading, in the order `ManifestReader` expects them when nothing is
    /// projected away. Field 102 (the partition) is filled in from the manifest's spec.
    static func dataFileReaderFields(partition: AvroSchema) -> [AvroField] {
        [
            optional("content", .int, fieldID: 134),
            AvroField("file_path", .string, fieldID: 100), AvroField("file_format", .string, fieldID: 101),
            AvroField("partition", partition, fieldID: 102),
            AvroField("record_count", .long, fieldID: 103), AvroField("file_size_in_bytes", .long, fieldID: 104),
            optional("block_size_in_bytes", .long, fieldID: 105),
        ] + metricsFields + [
            // Some writers (PyIceberg) store the ids as longs: read both, int promotes to long.
            optional("equality_ids", list(.long, elementID: 136), fieldID: 135),
            optional("sort_order_id", .int, fieldID: 140),
            optional("first_row_id", .long, fieldID: 142),
            optional("referenced_data_file", .string, fieldID: 143),
            optional("content_offset", .long, fieldID: 144),
            optional("content_size_in_bytes", .long, fieldID: 145),
        ]
    }

    /// The entry reader schema keeping only the data-file fields `keep` accepts (by field id); unread fields are
    /// skipped by the Avro reader without being decoded into values.
    static func manifestEntryReader(partitionType: StructType, keep: (Int) -> Bool) throws(IcebergError) -> (AvroSchema, [Int]) {
        let fields = dataFileReaderFields(partition: try partitionSchema(partitionType)).filter { keep($0.fieldID ?? -1) }
        let dataFile: AvroSchema = .record("r2", fields: fields)
        let schema: AvroSchema = .record("manifest_entry", fields: [
            AvroField("status", .int, fieldID: 0), optional("snapshot_id", .long, fieldID: 1),
            optional("sequence_number", .long, fieldID: 3), optional("file_sequence_number", .long, fieldID: 4),
            AvroField("data_file", dataFile, fieldID: 2),
        ])
        return (schema, fields.map { $0.fieldID ?? -1 })
    }

    static let metricsFields: [AvroField] = [
        optional("column_sizes", intMap(.long, keyID: 117, valueID: 118), fieldID: 108),
        optional("value_counts", intMap(.long, keyID: 119, valueID: 120), fieldID: 109),
        optional("null_value_counts", intMap(.long, keyID: 121, valueID: 122), fieldID: 110),
        optional("nan_value_counts", intMap(.long, keyID: 138, valueID: 139), fieldID: 137),
        optional("lower_bounds", intMap(.bytes, keyID: 126, valueID: 127), fieldID: 125),
        optional("upper_bounds", intMap(.bytes, keyID: 129, valueID: 130), fieldID: 128),
        optional("key_metadata", .bytes, fieldID: 131),
        optional("split_offsets", list(.long, elementID: 133), fieldID: 132),
    ]

    /// The partition tuple as record `r102`: one optional field per partition field, ids = partition field ids.
    static func partitionSchema(_ type: StructType) throws(IcebergError) -> AvroSchema {
        var fields: [AvroField] = []
        for field in type.fields {
            guard case .primitive(let primitive) = field.type else {
                throw .invalidFile("partition spec", "partition field \(field.name) is not primitive")
            }
            fields.append(optional(field.name, try avroSchema(for: primitive, fieldID: field.id), fieldID: field.id))
        }
        return .record("r102", fields: fields)
    }

    /// The Avro form of an Iceberg primitive (spec appendix A).
    static func avroSchema(for type: PrimitiveType, fieldID: Int) throws(IcebergError) -> AvroSchema {
        switch type {
        case .boolean: return .boolean
        case .int: return .int
        case .long: return .long
        case .float: return .float
        case .double: return .double
        case .date: return AvroSchema(.int, logicalType: .date)
        case .time: return AvroSchema(.long, logicalType: .timeMicros)
        case .timestamp:
            return AvroSchema(.long, logicalType: .timestampMicros, properties: [("adjust-to-utc", .bool(false))])
        case .timestamptz:
            return AvroSchema(.long, logicalType: .timestampMicros, properties: [("adjust-to-utc", .bool(true))])
        case .timestampNs:
            return AvroSchema(.long, logicalType: .timestampNanos, properties: [("adjust-to-utc", .bool(false))])
        case .timestamptzNs:
            return AvroSchema(.long, logicalType: .timestampNanos, properties: [("adjust-to-utc", .bool(true))])
        case .string: return .string
        case .binary: return .bytes
        case .uuid: return AvroSchema(.fixed(AvroFixedSchema(name: AvroName("uuid_fixed"), size: 16)), logicalType: .uuid)
        case .fixed(let length): return AvroSchema(.fixed(AvroFixedSchema(name: AvroName("fixed_\(length)"), size: length)))
        case .decimal(let precision, let scale):
            return AvroSchema(
                .fixed(AvroFixedSchema(name: AvroName("decimal_\(precision)_\(scale)"), size: decimalBytes(precision))),
                logicalType: .decimal(precision: precision, scale: scale))
        case .unknown, .variant, .geometry, .geography:
            throw .invalidFile("partition spec", "field \(fieldID) has type \(type.name), which cannot be a partition value")
        }
    }

    /// The fewest bytes that hold every unscaled value of `precision` digits (Java's TypeUtil.decimalRequiredBytes).
    static func decimalBytes(_ precision: Int) -> Int {
        var bytes = 1
        while true {
            let bits = Double(8 * bytes - 1)
            if (bits * 0.30102999566398114).rounded(.down) >= Double(precision) { return bytes }  // log10(2)
            bytes += 1
        }
    }

    // MARK: - Building blocks

    static func optional(_ name: String, _ type: AvroSchema, fieldID: Int) -> AvroField {
        AvroField(name, .optional(type), fieldID: fieldID, defaultValue: .null)
    }

    private static func makeOptional(_ field: AvroField) -> AvroField {
        optional(field.name, field.type, fieldID: field.fieldID ?? 0)
    }

    static func list(_ element: AvroSchema, elementID: Int) -> AvroSchema {
        AvroSchema(.array(items: element), properties: [("element-id", .int(Int64(elementID)))])
    }

    /// Iceberg's int-keyed maps: an array of `k<keyId>_v<valueId>` records marked `"logicalType": "map"`.
    static func intMap(_ value: AvroSchema, keyID: Int, valueID: Int) -> AvroSchema {
        let entry: AvroSchema = .record("k\(keyID)_v\(valueID)", fields: [
            AvroField("key", .int, fieldID: keyID), AvroField("value", value, fieldID: valueID),
        ])
        return AvroSchema(.array(items: entry), properties: [("logicalType", .string("map"))])
    }
}
