import JSONCoding

/// An Iceberg data type (spec "Schemas and Data Types"): a primitive or a nested struct, list or map.
package indirect enum IcebergType: Hashable, Sendable {
    case primitive(PrimitiveType)
    case `struct`(StructType)
    case list(ListType)
    case map(MapType)

    package var isPrimitive: Bool { if case .primitive = self { true } else { false } }
}

/// Iceberg's primitive types, v1 to v3.
package enum PrimitiveType: Hashable, Sendable {
    case boolean, int, long, float, double, date, time
    case timestamp, timestamptz, timestampNs, timestamptzNs
    case string, uuid, binary
    case fixed(length: Int)
    case decimal(precision: Int, scale: Int)
    /// v3: a column whose type is not known yet; always null.
    case unknown
    /// v3: semi-structured values.
    case variant
    /// v3 geospatial types keep their parameter text as written (`geometry(srid:4326)`).
    case geometry(String)
    case geography(String)

    /// The spec's type string, as table metadata writes it.
    package var name: String {
        switch self {
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .date: "date"
        case .time: "time"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .timestampNs: "timestamp_ns"
        case .timestamptzNs: "timestamptz_ns"
        case .string: "string"
        case .uuid: "uuid"
        case .binary: "binary"
        case .fixed(let length): "fixed[\(length)]"
        case .decimal(let precision, let scale): "decimal(\(precision), \(scale))"
        case .unknown: "unknown"
        case .variant: "variant"
        case .geometry(let text), .geography(let text): text
        }
    }

    /// Parses a type string; nil when it names no primitive type.
    package init?(name: String) {
        let text = name.trimmingSpaces()
        switch text {
        case "boolean": self = .boolean
        case "int", "integer": self = .int
        case "long": self = .long
        case "float": self = .float
        case "double": self = .double
        case "date": self = .date
        case "time": self = .time
        case "timestamp": self = .timestamp
        case "timestamptz": self = .timestamptz
        case "timestamp_ns": self = .timestampNs
        case "timestamptz_ns": self = .timestamptzNs
        case "string": self = .string
        case "uuid": self = .uuid
        case "binary": self = .binary
        case "unknown": self = .unknown
        case "variant": self = .variant
        default:
            if let inner = text.between(prefix: "fixed[", suffix: "]"), let length = Int(inner.trimmingSpaces()),
                length > 0
            {
                self = .fixed(length: length)
            } else if let inner = text.between(prefix: "decimal(", suffix: ")") {
                let parts = inner.split(separator: ",").map { String($0).trimmingSpaces() }
                guard parts.count == 2, let precision = Int(parts[0]), let scale = Int(parts[1]),
                    (1...38).contains(precision), (0...precision).contains(scale)
                else { return nil }
                self = .decimal(precision: precision, scale: scale)
            } else if text == "geometry" || text.hasPrefix("geometry(") {
                self = .geometry(text)
            } else if text == "geography" || text.hasPrefix("geography(") {
                self = .geography(text)
            } else {
                return nil
            }
        }
    }
}

/// A field of a struct (or a schema's top level): id, name, nullability, type and defaults.
package struct NestedField: Hashable, Sendable {
    package var id: Int
    package var name: String
    package var isRequired: Bool
    package var type: IcebergType
    package var doc: String?
    /// v3 default values, kept in their JSON single-value form.
    package var initialDefault: JSON?
    package var writeDefault: JSON?
    /// Members this implementation does not know, preserved on rewrite.
    package var extra: JSON = .object([])

    package init(
        id: Int, name: String, isRequired: Bool, type: IcebergType, doc: String? = nil, initialDefault: JSON? = nil,
        writeDefault: JSON? = nil
    ) {
        self.id = id
        self.name = name
        self.isRequired = isRequired
        self.type = type
        self.doc = doc
        self.initialDefault = initialDefault
        self.writeDefault = writeDefault
    }
}

/// A struct type: an ordered list of fields.
package struct StructType: Hashable, Sendable {
    package var fields: [NestedField]
    package init(fields: [NestedField]) { self.fields = fields }
}

/// A list type with its element's id and nullability.
package struct ListType: Hashable, Sendable {
    package var elementId: Int
    package var elementRequired: Bool
    package var element: IcebergType

    package init(elementId: Int, elementRequired: Bool, element: IcebergType) {
        self.elementId = elementId
        self.elementRequired = elementRequired
        self.element = element
    }
}

/// A map type with the ids of its keys and values.
package struct MapType: Hashable, Sendable {
    package var keyId: Int
    package var key: IcebergType
    package var valueId: Int
    package var valueRequired: Bool
    package var value: IcebergType

    package init(keyId: Int, key: IcebergType, valueId: Int, valueRequired: Bool, value: IcebergType) {
        self.keyId = keyId
        self.key = key
        self.valueId = valueId
        self.valueRequired = valueRequired
        self.value = value
    }
}

// MARK: - JSON (spec appendix C)

extension IcebergType {
    package init(json: JSON, context: String) throws(IcebergSpecError) {
        if let name = json.stringValue {
            guard let primitive = PrimitiveType(name: name) else {
                throw .invalidField(context, "names an unknown type '\(name)'")
            }
            self = .primitive(primitive)
            return
        }
        let reader = try FieldReader(json, context: context)
        switch try reader.string("type") {
        case "struct":
            self = .struct(try StructType(json: json, context: context))
        case "list":
            self = .list(
                ListType(
                    elementId: try reader.int("element-id"),
                    elementRequired: try reader.bool("element-required"),
                    element: try IcebergType(json: reader.value("element") ?? .null, context: "\(context).element")))
        case "map":
            self = .map(
                MapType(
                    keyId: try reader.int("key-id"),
                    key: try IcebergType(json: reader.value("key") ?? .null, context: "\(context).key"),
                    valueId: try reader.int("value-id"),
                    valueRequired: try reader.bool("value-required"),
                    value: try IcebergType(json: reader.value("value") ?? .null, context: "\(context).value")))
        case let other:
            throw .invalidField("\(context).type", "names an unknown nested type '\(other)'")
        }
    }

    package var json: JSON {
        switch self {
        case .primitive(let primitive): .string(primitive.name)
        case .struct(let type): type.json
        case .list(let type):
            .object([
                ("type", .string("list")), ("element-id", .int(Int64(type.elementId))),
                ("element", type.element.json), ("element-required", .bool(type.elementRequired)),
            ])
        case .map(let type):
            .object([
                ("type", .string("map")), ("key-id", .int(Int64(type.keyId))), ("key", type.key.json),
                ("value-id", .int(Int64(type.valueId))), ("value", type.value.json),
                ("value-required", .bool(type.valueRequired)),
            ])
        }
    }
}

extension StructType {
    package init(json: JSON, context: String) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        var fields: [NestedField] = []
        for (index, field) in try reader.array("fields").enumerated() {
            fields.append(try NestedField(json: field, context: "\(context).fields[\(index)]"))
        }
        self.init(fields: fields)
    }

    package var json: JSON { .object([("type", .string("struct")), ("fields", .array(fields.map(\.json)))]) }
}

extension NestedField {
    static let knownKeys: Set<String> = ["id", "name", "required", "type", "doc", "initial-default", "write-default"]

    package init(json: JSON, context: String) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        let name = try reader.string("name")
        self.init(
            id: try reader.int("id"), name: name, isRequired: try reader.bool("required"),
            type: try IcebergType(json: reader.value("type") ?? .null, context: "\(context)(\(name)).type"),
            doc: try reader.optionalString("doc"), initialDefault: reader.value("initial-default"),
            writeDefault: reader.value("write-default"))
        extra = reader.unknownMembers(known: Self.knownKeys)
    }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("id", .int(Int64(id))), ("name", .string(name)), ("required", .bool(isRequired)), ("type", type.json),
        ]
        if let doc { members.append(("doc", .string(doc))) }
        if let initialDefault { members.append(("initial-default", initialDefault)) }
        if let writeDefault { members.append(("write-default", writeDefault)) }
        return JSON.object(members).appending(extra)
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    func between(prefix: String, suffix: String) -> String? {
        guard hasPrefix(prefix), hasSuffix(suffix), count >= prefix.count + suffix.count else { return nil }
        return String(dropFirst(prefix.count).dropLast(suffix.count))
    }
}
