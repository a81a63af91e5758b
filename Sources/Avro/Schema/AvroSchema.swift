import JSONCoding

/// An Avro schema node: its type, plus the attributes written beside it (`logicalType`, `precision`, Iceberg's
/// `adjust-to-utc`, any unknown key), kept in written order so that printing gives them back.
///
/// Named types (record, enum, fixed) are defined where they first appear; later uses are `.reference` to the full
/// name, which is how recursive schemas (a linked list) are expressed without cycles in the value.
package struct AvroSchema: Hashable, Sendable {
    package let type: AvroType
    /// Attributes other than the ones the type's own fields hold (for a record: not `name`, `fields`, ...).
    package let properties: [(String, JSON)]
    /// The logical type, when `properties` name one that is valid for `type`; unknown or invalid logical types are
    /// ignored as the specification requires (the attribute stays in `properties`).
    package let logicalType: AvroLogicalType?

    package init(_ type: AvroType, properties: [(String, JSON)] = []) {
        self.type = type
        self.properties = properties
        self.logicalType = AvroLogicalType(type: type, properties: properties)
    }

    /// A schema with a logical type: sets `logicalType` (and `precision`/`scale` for decimals) in the attributes.
    package init(_ type: AvroType, logicalType: AvroLogicalType, properties: [(String, JSON)] = []) {
        self.init(type, properties: logicalType.properties + properties)
    }

    /// The value of the attribute `key`.
    package func property(_ key: String) -> JSON? { properties.first { $0.0 == key }?.1 }

    /// Same type and same attributes in the same order (the logical type follows from those).
    package static func == (lhs: AvroSchema, rhs: AvroSchema) -> Bool {
        lhs.type == rhs.type && JSON.object(lhs.properties) == JSON.object(rhs.properties)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(JSON.object(properties))
    }

    package static let null = AvroSchema(.null)
    package static let boolean = AvroSchema(.boolean)
    package static let int = AvroSchema(.int)
    package static let long = AvroSchema(.long)
    package static let float = AvroSchema(.float)
    package static let double = AvroSchema(.double)
    package static let bytes = AvroSchema(.bytes)
    package static let string = AvroSchema(.string)

    package static func array(_ items: AvroSchema) -> AvroSchema { AvroSchema(.array(items: items)) }
    package static func map(_ values: AvroSchema) -> AvroSchema { AvroSchema(.map(values: values)) }
    package static func union(_ branches: [AvroSchema]) -> AvroSchema { AvroSchema(.union(branches)) }
    /// `["null", schema]`: how Avro writers spell an optional value.
    package static func optional(_ schema: AvroSchema) -> AvroSchema { AvroSchema(.union([.null, schema])) }
    package static func record(_ name: String, namespace: String? = nil, fields: [AvroField]) -> AvroSchema {
        AvroSchema(.record(AvroRecordSchema(name: AvroName(name, namespace: namespace), fields: fields)))
    }
    package static func reference(_ fullName: String) -> AvroSchema { AvroSchema(.reference(AvroName(fullName))) }

    /// The full name of a named type or of a reference to one.
    package var fullName: String? {
        switch type {
        case .record(let record): record.name.fullName
        case .enumeration(let enumeration): enumeration.name.fullName
        case .fixed(let fixed): fixed.name.fullName
        case .reference(let name): name.fullName
        default: nil
        }
    }
}

/// The shape of an Avro schema node.
package indirect enum AvroType: Hashable, Sendable {
    case null, boolean, int, long, float, double, bytes, string
    case record(AvroRecordSchema)
    case enumeration(AvroEnumSchema)
    case array(items: AvroSchema)
    case map(values: AvroSchema)
    case union([AvroSchema])
    case fixed(AvroFixedSchema)
    /// A use of a named type defined earlier in the same schema, by full name.
    case reference(AvroName)

    /// The name the specification gives the type (`"record"`, `"long"`, ...); a reference gives its full name.
    package var name: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .record: "record"
        case .enumeration: "enum"
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .fixed: "fixed"
        case .reference(let name): name.fullName
        }
    }
}

/// The name of a named type: a simple name and an optional namespace.
package struct AvroName: Hashable, Sendable, CustomStringConvertible {
    package let name: String
    package let namespace: String?

    /// A name relative to `namespace`; a dotted `name` is already full and ignores it.
    package init(_ name: String, namespace: String? = nil) {
        if let dot = name.lastIndex(of: ".") {
            self.name = String(name[name.index(after: dot)...])
            let prefix = String(name[..<dot])
            self.namespace = prefix.isEmpty ? nil : prefix
        } else {
            self.name = name
            self.namespace = namespace?.isEmpty == false ? namespace : nil
        }
    }

    package var fullName: String { namespace.map { "\($0).\(name)" } ?? name }
    package var description: String { fullName }
}

/// A record type: named, with fields in order.
package struct AvroRecordSchema: Hashable, Sendable {
    package var name: AvroName
    package var fields: [AvroField]
    package var doc: String?
    package var aliases: [String]
    /// Written as `"type": "error"` (an Avro protocol error record); encoded like any record.
    package var isError: Bool

    package init(
        name: AvroName, fields: [AvroField], doc: String? = nil, aliases: [String] = [], isError: Bool = false
    ) {
        self.name = name
        self.fields = fields
        self.doc = doc
        self.aliases = aliases
        self.isError = isError
    }
}

/// One field of a record, with its attributes (Iceberg's `field-id` among them).
package struct AvroField: Hashable, Sendable {
    package var name: String
    package var type: AvroSchema
    package var doc: String?
    /// The default as written in JSON, used when a reader field is missing from the writer's schema.
    package var defaultValue: JSON?
    package var order: String?
    package var aliases: [String]
    package var properties: [(String, JSON)]

    package init(
        _ name: String, _ type: AvroSchema, doc: String? = nil, defaultValue: JSON? = nil, order: String? = nil,
        aliases: [String] = [], properties: [(String, JSON)] = []
    ) {
        self.name = name
        self.type = type
        self.doc = doc
        self.defaultValue = defaultValue
        self.order = order
        self.aliases = aliases
        self.properties = properties
    }

    /// A field with an Iceberg `field-id` attribute.
    package init(_ name: String, _ type: AvroSchema, fieldID: Int, defaultValue: JSON? = nil) {
        self.init(name, type, defaultValue: defaultValue, properties: [("field-id", .int(Int64(fieldID)))])
    }

    /// Iceberg's `field-id` attribute, if present and an integer.
    package var fieldID: Int? {
        properties.first { $0.0 == "field-id" }?.1.int64Value.flatMap { Int(exactly: $0) }
    }

    /// Every part equal, attributes in the same order.
    package static func == (lhs: AvroField, rhs: AvroField) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.doc == rhs.doc && lhs.defaultValue == rhs.defaultValue
            && lhs.order == rhs.order && lhs.aliases == rhs.aliases
            && JSON.object(lhs.properties) == JSON.object(rhs.properties)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(doc)
        hasher.combine(defaultValue)
        hasher.combine(order)
        hasher.combine(aliases)
        hasher.combine(JSON.object(properties))
    }
}

/// An enum type: named symbols, encoded by position.
package struct AvroEnumSchema: Hashable, Sendable {
    package var name: AvroName
    package var symbols: [String]
    package var doc: String?
    package var aliases: [String]
    /// The symbol a reader uses for a writer symbol it does not know.
    package var defaultSymbol: String?

    package init(
        name: AvroName, symbols: [String], doc: String? = nil, aliases: [String] = [], defaultSymbol: String? = nil
    ) {
        self.name = name
        self.symbols = symbols
        self.doc = doc
        self.aliases = aliases
        self.defaultSymbol = defaultSymbol
    }
}

/// A fixed type: named, `size` bytes.
package struct AvroFixedSchema: Hashable, Sendable {
    package var name: AvroName
    package var size: Int
    package var doc: String?
    package var aliases: [String]

    package init(name: AvroName, size: Int, doc: String? = nil, aliases: [String] = []) {
        self.name = name
        self.size = size
        self.doc = doc
        self.aliases = aliases
    }
}
