import IcebergSpec
import Parquet

/// The Parquet schema Iceberg writes for a table schema (spec appendix "Parquet"): every field carries its Iceberg
/// field id; lists are three-level `list`/`element`, maps `key_value` with `key` and `value`; timestamps are INT64
/// TIMESTAMP(MICROS or NANOS, isAdjustedToUTC for the `tz` types); decimals are INT32 up to precision 9, INT64 up
/// to 18, else the smallest FIXED that holds the precision; uuid is FIXED(16) UUID. Fields of type `unknown` are
/// not stored.
package enum IcebergParquetSchema {
    /// Field id of the v3 row-lineage column `_row_id`.
    package static let rowIDFieldID = 2_147_483_540
    /// Field id of the v3 row-lineage column `_last_updated_sequence_number`.
    package static let lastUpdatedSequenceNumberFieldID = 2_147_483_539

    /// The two v3 row-lineage metadata fields, as optional longs.
    package static let rowLineageFields: [NestedField] = [
        NestedField(id: rowIDFieldID, name: "_row_id", isRequired: false, type: .primitive(.long)),
        NestedField(
            id: lastUpdatedSequenceNumberFieldID, name: "_last_updated_sequence_number", isRequired: false,
            type: .primitive(.long)),
    ]

    /// The Parquet schema for `schema`.
    package static func parquetSchema(for schema: Schema) throws(DataFileError) -> ParquetSchema {
        var nodes: [SchemaNode] = []
        for field in schema.fields {
            if let node = try node(field.name, id: field.id, required: field.isRequired, type: field.type) {
                nodes.append(node)
            }
        }
        do {
            return try ParquetSchema(nodes)
        } catch {
            throw .unsupported("table schema as Parquet: \(error)")
        }
    }

    /// The smallest FIXED width (bytes) that holds every unscaled value of a decimal precision.
    package static func decimalBytes(precision: Int) -> Int {
        var bytes = 1
        // The largest precision n bytes hold is floor(log10(2^(8n-1) - 1)).
        while Double(8 * bytes - 1) * 0.301_029_995_663_981_2 < Double(precision) { bytes += 1 }
        return bytes
    }

    private static func node(_ name: String, id: Int, required: Bool, type: IcebergType) throws(DataFileError)
        -> SchemaNode?
    {
        let repetition: Repetition = required ? .required : .optional
        let fieldID = Int32(truncatingIfNeeded: id)
        switch type {
        case .primitive(let primitive):
            if primitive == .unknown { return nil }
            let (physical, length, logical) = try physicalType(primitive, field: name)
            return .primitive(
                name, physical, repetition: repetition, typeLength: length, logicalType: logical, fieldID: fieldID)
        case .struct(let structType):
            var children: [SchemaNode] = []
            for field in structType.fields {
                if let child = try node(field.name, id: field.id, required: field.isRequired, type: field.type) {
                    children.append(child)
                }
            }
            guard !children.isEmpty else { throw .unsupported("struct \(name) has no stored fields") }
            return .group(name, repetition: repetition, children, fieldID: fieldID)
        case .list(let list):
            guard let element = try node("element", id: list.elementId, required: list.elementRequired, type: list.element)
            else { throw .unsupported("list \(name) of unknown elements") }
            return .list(name, repetition: repetition, element: element, fieldID: fieldID)
        case .map(let map):
            guard let key = try node("key", id: map.keyId, required: true, type: map.key),
                let value = try node("value", id: map.valueId, required: map.valueRequired, type: map.value)
            else { throw .unsupported("map \(name) of unknown keys or values") }
            return .map(name, repetition: repetition, key: key, value: value, fieldID: fieldID)
        }
    }

    private static func physicalType(_ type: PrimitiveType, field: String) throws(DataFileError)
        -> (PhysicalType, Int, LogicalType?)
    {
        switch type {
        case .boolean: return (.boolean, 0, nil)
        case .int: return (.int32, 0, nil)
        case .long: return (.int64, 0, nil)
        case .float: return (.float, 0, nil)
        case .double: return (.double, 0, nil)
        case .date: return (.int32, 0, .date)
        case .time: return (.int64, 0, .time(isAdjustedToUTC: false, unit: .micros))
        case .timestamp: return (.int64, 0, .timestamp(isAdjustedToUTC: false, unit: .micros))
        case .timestamptz: return (.int64, 0, .timestamp(isAdjustedToUTC: true, unit: .micros))
        case .timestampNs: return (.int64, 0, .timestamp(isAdjustedToUTC: false, unit: .nanos))
        case .timestamptzNs: return (.int64, 0, .timestamp(isAdjustedToUTC: true, unit: .nanos))
        case .string: return (.byteArray, 0, .string)
        case .uuid: return (.fixedLenByteArray, 16, .uuid)
        case .binary: return (.byteArray, 0, nil)
        case .fixed(let length):
            guard length > 0 else { throw .unsupported("fixed[\(length)] field \(field)") }
            return (.fixedLenByteArray, length, nil)
        case .decimal(let precision, let scale):
            guard precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision else {
                throw .unsupported("decimal(\(precision), \(scale)) field \(field)")
            }
            let logical = LogicalType.decimal(precision: Int32(precision), scale: Int32(scale))
            if precision <= 9 { return (.int32, 0, logical) }
            if precision <= 18 { return (.int64, 0, logical) }
            return (.fixedLenByteArray, decimalBytes(precision: precision), logical)
        case .unknown, .variant, .geometry, .geography:
            throw .unsupported("\(type.name) field \(field) in Parquet data files")
        }
    }
}

extension Schema {
    /// The schema with the v3 row-lineage fields `_row_id` and `_last_updated_sequence_number` appended (when
    /// absent): what a rewrite of a v3 table reads and writes so lineage survives.
    package var withRowLineageFields: Schema {
        var schema = self
        let present = Set(fields.map(\.id))
        for field in IcebergParquetSchema.rowLineageFields where !present.contains(field.id) { schema.fields.append(field) }
        return schema
    }
}
