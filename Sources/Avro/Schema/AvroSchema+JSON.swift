import JSONCoding

extension AvroSchema {
    /// Parses schema JSON: a primitive name, a union array, or a type object. Named types may be used by name
    /// after their definition (also inside themselves, for recursive types); unknown attributes are kept.
    package init(parsing text: String) throws(AvroError) {
        let json: JSON
        do {
            json = try JSON.parse(text, maxDepth: Self.jsonDepthLimit)
        } catch {
            throw .invalidSchema(error.description)
        }
        try self.init(json: json)
    }

    /// Schema JSON (and a field default) nesting deeper than this is rejected, so hostile schema text cannot exhaust
    /// the stack of the recursive schema parser.
    package static let jsonDepthLimit = 256

    package init(json: JSON) throws(AvroError) {
        var parser = AvroSchemaParser()
        self = try parser.parse(json, namespace: nil)
    }

    /// The schema as compact JSON text; `AvroSchema(parsing:)` gives back an equal schema.
    package var jsonText: String { json.rendered() }

    /// The schema as a JSON value.
    package var json: JSON { AvroSchemaPrinter.print(self, namespace: nil) }
}

/// The names of primitive types, which cannot be redefined.
private let primitiveTypes: [String: AvroType] = [
    "null": .null, "boolean": .boolean, "int": .int, "long": .long, "float": .float, "double": .double,
    "bytes": .bytes, "string": .string,
]

/// Walks schema JSON, tracking the enclosing namespace and the named types defined so far.
private struct AvroSchemaParser {
    var definedNames: Set<String> = []

    mutating func parse(_ json: JSON, namespace: String?) throws(AvroError) -> AvroSchema {
        switch json {
        case .string(let name):
            return AvroSchema(try typeNamed(name, namespace: namespace))
        case .array(let branches):
            var schemas: [AvroSchema] = []
            for branch in branches { schemas.append(try parse(branch, namespace: namespace)) }
            try Self.validateUnion(schemas)
            return AvroSchema(.union(schemas))
        case .object(let members):
            return try parseObject(members, namespace: namespace)
        default:
            throw .invalidSchema("expected a type name, a union array or a type object, found \(json.rendered())")
        }
    }

    func typeNamed(_ name: String, namespace: String?) throws(AvroError) -> AvroType {
        if let primitive = primitiveTypes[name] { return primitive }
        let relative = AvroName(name, namespace: namespace)
        if definedNames.contains(relative.fullName) { return .reference(relative) }
        if !name.contains("."), definedNames.contains(name) { return .reference(AvroName(name)) }
        throw .invalidSchema("unknown type \"\(name)\"")
    }

    static func validateUnion(_ branches: [AvroSchema]) throws(AvroError) {
        var seen: Set<String> = []
        for branch in branches {
            if case .union = branch.type { throw .invalidSchema("a union cannot directly contain a union") }
            let key = branch.fullName ?? branch.type.name
            guard seen.insert(key).inserted else { throw .invalidSchema("union has two branches of type \(key)") }
        }
    }

    mutating func parseObject(_ members: [(String, JSON)], namespace: String?) throws(AvroError) -> AvroSchema {
        let object = JSON.object(members)
        guard let typeValue = object["type"] else { throw .invalidSchema("type object without \"type\"") }
        guard case .string(let typeName) = typeValue else {
            // {"type": {...}} or {"type": [...]}: a wrapped schema; attributes apply to it only for primitives.
            return try parse(typeValue, namespace: namespace)
        }
        switch typeName {
        case "record", "error":
            let name = try definedName(object, namespace: namespace)
            let fieldsJSON = object["fields"]
            guard case .array(let fieldValues)? = fieldsJSON else {
                throw .invalidSchema("record \(name) needs a \"fields\" array")
            }
            definedNames.insert(name.fullName)
            var fields: [AvroField] = []
            var fieldNames: Set<String> = []
            for fieldValue in fieldValues {
                let field = try parseField(fieldValue, namespace: name.namespace, record: name)
                guard fieldNames.insert(field.name).inserted else {
                    throw .invalidSchema("record \(name) has two fields named \(field.name)")
                }
                fields.append(field)
            }
            let record = AvroRecordSchema(
                name: name, fields: fields, doc: object["doc"]?.stringValue, aliases: try aliases(object),
                isError: typeName == "error")
            return AvroSchema(
                .record(record),
                properties: Self.extra(members, ["type", "name", "namespace", "doc", "aliases", "fields"]))
        case "enum":
            let name = try definedName(object, namespace: namespace)
            guard case .array(let symbolValues)? = object["symbols"] else {
                throw .invalidSchema("enum \(name) needs a \"symbols\" array")
            }
            var symbols: [String] = []
            for value in symbolValues {
                guard let symbol = value.stringValue, Self.isValidName(symbol) else {
                    throw .invalidSchema("enum \(name) has an invalid symbol \(value.rendered())")
                }
                guard !symbols.contains(symbol) else { throw .invalidSchema("enum \(name) repeats symbol \(symbol)") }
                symbols.append(symbol)
            }
            let defaultSymbol = object["default"]?.stringValue
            if let defaultSymbol, !symbols.contains(defaultSymbol) {
                throw .invalidSchema("enum \(name) default \(defaultSymbol) is not one of its symbols")
            }
            definedNames.insert(name.fullName)
            let enumeration = AvroEnumSchema(
                name: name, symbols: symbols, doc: object["doc"]?.stringValue, aliases: try aliases(object),
                defaultSymbol: defaultSymbol)
            return AvroSchema(
                .enumeration(enumeration),
                properties: Self.extra(members, ["type", "name", "namespace", "doc", "aliases", "symbols", "default"]))
        case "fixed":
            let name = try definedName(object, namespace: namespace)
            guard let size = object["size"]?.int64Value, size >= 0, size <= Int32.max else {
                throw .invalidSchema("fixed \(name) needs a non-negative integer \"size\"")
            }
            definedNames.insert(name.fullName)
            let fixed = AvroFixedSchema(
                name: name, size: Int(size), doc: object["doc"]?.stringValue, aliases: try aliases(object))
            return AvroSchema(
                .fixed(fixed), properties: Self.extra(members, ["type", "name", "namespace", "doc", "aliases", "size"]))
        case "array":
            guard let items = object["items"] else { throw .invalidSchema("array needs \"items\"") }
            return AvroSchema(
                .array(items: try parse(items, namespace: namespace)),
                properties: Self.extra(members, ["type", "items"]))
        case "map":
            guard let values = object["values"] else { throw .invalidSchema("map needs \"values\"") }
            return AvroSchema(
                .map(values: try parse(values, namespace: namespace)),
                properties: Self.extra(members, ["type", "values"]))
        default:
            return AvroSchema(try typeNamed(typeName, namespace: namespace), properties: Self.extra(members, ["type"]))
        }
    }

    mutating func parseField(_ json: JSON, namespace: String?, record: AvroName) throws(AvroError) -> AvroField {
        guard case .object(let members) = json else {
            throw .invalidSchema("record \(record) has a field that is not an object")
        }
        guard let name = json["name"]?.stringValue, Self.isValidName(name) else {
            throw .invalidSchema("record \(record) has a field without a valid name")
        }
        guard let typeJSON = json["type"] else { throw .invalidSchema("field \(record).\(name) has no type") }
        let order = json["order"]?.stringValue
        if let order, !["ascending", "descending", "ignore"].contains(order) {
            throw .invalidSchema("field \(record).\(name) has order \(order)")
        }
        return AvroField(
            name, try parse(typeJSON, namespace: namespace), doc: json["doc"]?.stringValue,
            defaultValue: json["default"], order: order, aliases: try aliases(json),
            properties: Self.extra(members, ["name", "type", "doc", "default", "order", "aliases"]))
    }

    func definedName(_ object: JSON, namespace: String?) throws(AvroError) -> AvroName {
        guard let simple = object["name"]?.stringValue else { throw .invalidSchema("named type without \"name\"") }
        let ownNamespace: String?
        switch object["namespace"] {
        case .string(let value)?: ownNamespace = value
        case .null?, nil: ownNamespace = namespace
        default: throw .invalidSchema("namespace of \(simple) is not a string")
        }
        let name = AvroName(simple, namespace: ownNamespace)
        for part in (name.namespace.map { $0.split(separator: ".", omittingEmptySubsequences: false) } ?? []) + [
            Substring(name.name)
        ]
        where !Self.isValidName(String(part)) {
            throw .invalidSchema("invalid name \(simple)")
        }
        guard primitiveTypes[name.fullName] == nil else { throw .invalidSchema("\(simple) redefines a primitive type") }
        guard !definedNames.contains(name.fullName) else { throw .invalidSchema("\(name) is defined twice") }
        return name
    }

    func aliases(_ object: JSON) throws(AvroError) -> [String] {
        guard let value = object["aliases"] else { return [] }
        guard case .array(let elements) = value else { throw .invalidSchema("aliases must be an array of names") }
        var names: [String] = []
        for element in elements {
            guard let name = element.stringValue else { throw .invalidSchema("aliases must be an array of names") }
            names.append(name)
        }
        return names
    }

    static func extra(_ members: [(String, JSON)], _ known: Set<String>) -> [(String, JSON)] {
        members.filter { !known.contains($0.0) }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, as the specification defines names.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
        return isLetter(first) && name.utf8.allSatisfy { isLetter($0) || (0x30...0x39).contains($0) }
    }
}

/// Turns a schema back into JSON, writing namespaces only where they differ from the enclosing one.
private enum AvroSchemaPrinter {
    static func print(_ schema: AvroSchema, namespace: String?) -> JSON {
        var members: [(String, JSON)] = []
        func named(_ name: AvroName, doc: String?, aliases: [String]) {
            members.append(("name", .string(name.name)))
            if name.namespace != namespace {
                members.append(("namespace", .string(name.namespace ?? "")))
            }
            if let doc { members.append(("doc", .string(doc))) }
            if !aliases.isEmpty { members.append(("aliases", .array(aliases.map(JSON.string)))) }
        }
        switch schema.type {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            if schema.properties.isEmpty { return .string(schema.type.name) }
            members.append(("type", .string(schema.type.name)))
        case .reference(let name):
            let text = name.namespace == namespace ? name.name : name.fullName
            if schema.properties.isEmpty { return .string(text) }
            members.append(("type", .string(text)))
        case .union(let branches):
            return .array(branches.map { print($0, namespace: namespace) })
        case .array(let items):
            members = [("type", "array"), ("items", print(items, namespace: namespace))]
        case .map(let values):
            members = [("type", "map"), ("values", print(values, namespace: namespace))]
        case .record(let record):
            members.append(("type", .string(record.isError ? "error" : "record")))
            named(record.name, doc: record.doc, aliases: record.aliases)
            let fields = record.fields.map { field in
                var fieldMembers: [(String, JSON)] = [
                    ("name", .string(field.name)),
                    ("type", print(field.type, namespace: record.name.namespace)),
                ]
                if let doc = field.doc { fieldMembers.append(("doc", .string(doc))) }
                if let value = field.defaultValue { fieldMembers.append(("default", value)) }
                if let order = field.order { fieldMembers.append(("order", .string(order))) }
                if !field.aliases.isEmpty {
                    fieldMembers.append(("aliases", .array(field.aliases.map(JSON.string))))
                }
                return JSON.object(fieldMembers + field.properties)
            }
            members.append(("fields", .array(fields)))
        case .enumeration(let enumeration):
            members.append(("type", "enum"))
            named(enumeration.name, doc: enumeration.doc, aliases: enumeration.aliases)
            members.append(("symbols", .array(enumeration.symbols.map(JSON.string))))
            if let symbol = enumeration.defaultSymbol { members.append(("default", .string(symbol))) }
        case .fixed(let fixed):
            members.append(("type", "fixed"))
            named(fixed.name, doc: fixed.doc, aliases: fixed.aliases)
            members.append(("size", .int(Int64(fixed.size))))
        }
        return .object(members + schema.properties)
    }
}
