/// A node of the schema tree: a primitive leaf column or a group of child fields.
///
/// Build trees with `primitive`, `group`, `list` and `map`; `ParquetSchema(root:)` then fills in each node's
/// levels and leaf range. `logicalType` is the effective annotation: for files that only carry a legacy
/// `ConvertedType`, the reader derives it following LogicalTypes.md.
package struct SchemaNode: Sendable, Hashable {
    /// What a node holds.
    package enum Kind: Sendable, Hashable {
        case primitive(PhysicalType, typeLength: Int)
        case group([SchemaNode])
    }

    package var name: String
    package var repetition: Repetition
    package var kind: Kind
    package var logicalType: LogicalType?
    /// The legacy annotation as stored (written beside `logicalType` for old readers).
    package var convertedType: ConvertedType?
    /// Decimal precision and scale (0 when not a decimal).
    package var precision: Int
    package var scale: Int
    package var fieldID: Int32?

    /// Definition level reached when this node is present (counts optional and repeated ancestors and itself).
    package internal(set) var definitionLevel: Int16 = 0
    /// Repetition level of this node (counts repeated ancestors and itself).
    package internal(set) var repetitionLevel: Int16 = 0
    /// Indices (in `ParquetSchema.columns`) of the leaves under this node.
    package internal(set) var leaves: Range<Int> = 0..<0

    package init(
        name: String, repetition: Repetition, kind: Kind, logicalType: LogicalType? = nil,
        convertedType: ConvertedType? = nil, precision: Int = 0, scale: Int = 0, fieldID: Int32? = nil
    ) {
        self.name = name
        self.repetition = repetition
        self.kind = kind
        self.logicalType = logicalType
        self.convertedType = convertedType ?? logicalType.flatMap(SchemaNode.convertedType(for:))
        if case .decimal(let p, let s) = logicalType {
            self.precision = Int(p)
            self.scale = Int(s)
        } else {
            self.precision = precision
            self.scale = scale
        }
        self.fieldID = fieldID
    }

    /// A leaf column.
    package static func primitive(
        _ name: String, _ type: PhysicalType, repetition: Repetition = .optional, typeLength: Int = 0,
        logicalType: LogicalType? = nil, fieldID: Int32? = nil
    ) -> SchemaNode {
        SchemaNode(
            name: name, repetition: repetition, kind: .primitive(type, typeLength: typeLength),
            logicalType: logicalType, fieldID: fieldID)
    }

    /// A struct.
    package static func group(
        _ name: String, repetition: Repetition = .optional, _ children: [SchemaNode], logicalType: LogicalType? = nil,
        fieldID: Int32? = nil
    ) -> SchemaNode {
        SchemaNode(name: name, repetition: repetition, kind: .group(children), logicalType: logicalType, fieldID: fieldID)
    }

    /// A standard three-level LIST: `<repetition> group name (LIST) { repeated group list { element } }`.
    package static func list(
        _ name: String, repetition: Repetition = .optional, element: SchemaNode, fieldID: Int32? = nil
    ) -> SchemaNode {
        var element = element
        element.name = "element"
        return .group(name, repetition: repetition, [.group("list", repetition: .repeated, [element])],
            logicalType: .list, fieldID: fieldID)
    }

    /// A standard MAP: `<repetition> group name (MAP) { repeated group key_value { required key; value } }`.
    package static func map(
        _ name: String, repetition: Repetition = .optional, key: SchemaNode, value: SchemaNode, fieldID: Int32? = nil
    ) -> SchemaNode {
        var key = key
        key.name = "key"
        key.repetition = .required
        var value = value
        value.name = "value"
        return .group(name, repetition: repetition, [.group("key_value", repetition: .repeated, [key, value])],
            logicalType: .map, fieldID: fieldID)
    }

    package var children: [SchemaNode] {
        if case .group(let children) = kind { return children }
        return []
    }

    package var isPrimitive: Bool {
        if case .primitive = kind { return true }
        return false
    }

    /// The legacy annotation matching a logical type, as LogicalTypes.md asks writers to add.
    static func convertedType(for logicalType: LogicalType) -> ConvertedType? {
        switch logicalType {
        case .string: .utf8
        case .map: .map
        case .list: .list
        case .enumeration: .enum
        case .decimal: .decimal
        case .date: .date
        case .time(_, .millis): .timeMillis
        case .time(_, .micros): .timeMicros
        case .timestamp(_, .millis): .timestampMillis
        case .timestamp(_, .micros): .timestampMicros
        case .integer(8, true): .int8
        case .integer(16, true): .int16
        case .integer(32, true): .int32
        case .integer(64, true): .int64
        case .integer(8, false): .uint8
        case .integer(16, false): .uint16
        case .integer(32, false): .uint32
        case .integer(64, false): .uint64
        case .json: .json
        case .bson: .bson
        default: nil
        }
    }

    /// The logical type a legacy converted type stands for (LogicalTypes.md backward compatibility).
    static func logicalType(for converted: ConvertedType, precision: Int, scale: Int) -> LogicalType? {
        switch converted {
        case .utf8: .string
        case .map, .mapKeyValue: .map
        case .list: .list
        case .enum: .enumeration
        case .decimal: .decimal(precision: Int32(precision), scale: Int32(scale))
        case .date: .date
        case .timeMillis: .time(isAdjustedToUTC: true, unit: .millis)
        case .timeMicros: .time(isAdjustedToUTC: true, unit: .micros)
        case .timestampMillis: .timestamp(isAdjustedToUTC: true, unit: .millis)
        case .timestampMicros: .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .uint8: .integer(bitWidth: 8, isSigned: false)
        case .uint16: .integer(bitWidth: 16, isSigned: false)
        case .uint32: .integer(bitWidth: 32, isSigned: false)
        case .uint64: .integer(bitWidth: 64, isSigned: false)
        case .int8: .integer(bitWidth: 8, isSigned: true)
        case .int16: .integer(bitWidth: 16, isSigned: true)
        case .int32: .integer(bitWidth: 32, isSigned: true)
        case .int64: .integer(bitWidth: 64, isSigned: true)
        case .json: .json
        case .bson: .bson
        case .interval: nil
        }
    }
}
