import JSONCoding

/// A table schema: a struct of fields with a schema id and the identifier fields (spec "Schemas").
package struct Schema: Hashable, Sendable {
    package var schemaId: Int
    package var fields: [NestedField]
    package var identifierFieldIds: [Int]
    package var extra: JSON = .object([])

    package init(schemaId: Int, fields: [NestedField], identifierFieldIds: [Int] = []) {
        self.schemaId = schemaId
        self.fields = fields
        self.identifierFieldIds = identifierFieldIds
    }

    package var asStruct: StructType { StructType(fields: fields) }

    /// Every field at any depth by id, with its dotted name (list elements as `element`, map parts as `key`/`value`,
    /// the names Iceberg uses for metrics properties).
    package func fieldsById() -> [Int: (name: String, field: NestedField)] {
        var index: [Int: (name: String, field: NestedField)] = [:]
        func visit(_ type: IcebergType, prefix: String) {
            switch type {
            case .primitive: break
            case .struct(let structType):
                for field in structType.fields {
                    let name = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
                    index[field.id] = (name, field)
                    visit(field.type, prefix: name)
                }
            case .list(let list):
                let name = "\(prefix).element"
                index[list.elementId] = (name, NestedField(id: list.elementId, name: "element",
                    isRequired: list.elementRequired, type: list.element))
                visit(list.element, prefix: name)
            case .map(let map):
                index[map.keyId] = ("\(prefix).key", NestedField(id: map.keyId, name: "key", isRequired: true,
                    type: map.key))
                index[map.valueId] = ("\(prefix).value", NestedField(id: map.valueId, name: "value",
                    isRequired: map.valueRequired, type: map.value))
                visit(map.key, prefix: "\(prefix).key")
                visit(map.value, prefix: "\(prefix).value")
            }
        }
        visit(.struct(asStruct), prefix: "")
        return index
    }

    /// The highest field id used at any depth (0 for an empty schema).
    package var highestFieldId: Int { fieldsById().keys.max() ?? 0 }

    package func field(id: Int) -> NestedField? { fieldsById()[id]?.field }
}

extension Schema {
    static let knownKeys: Set<String> = ["type", "schema-id", "identifier-field-ids", "fields"]

    package init(json: JSON, context: String = "schema") throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        if let type = try reader.optionalString("type"), type != "struct" {
            throw .invalidField("\(context).type", "must be 'struct'")
        }
        let structType = try StructType(json: json, context: context)
        var identifiers: [Int] = []
        for (index, value) in (try reader.optionalArray("identifier-field-ids") ?? []).enumerated() {
            guard let id = value.int64Value, let narrow = Int(exactly: id) else {
                throw .invalidField("\(context).identifier-field-ids[\(index)]", "must be an integer")
            }
            identifiers.append(narrow)
        }
        self.init(schemaId: try reader.optionalInt("schema-id") ?? 0, fields: structType.fields,
            identifierFieldIds: identifiers)
        extra = reader.unknownMembers(known: Self.knownKeys)
    }

    package var json: JSON {
        var members: [(String, JSON)] = [("type", .string("struct")), ("schema-id", .int(Int64(schemaId)))]
        if !identifierFieldIds.isEmpty {
            members.append(("identifier-field-ids", .array(identifierFieldIds.map { .int(Int64($0)) })))
        }
        members.append(("fields", .array(fields.map(\.json))))
        return JSON.object(members).appending(extra)
    }
}
