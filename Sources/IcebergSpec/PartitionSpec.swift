import JSONCoding

/// How a table's rows map to partitions (spec "Partitioning"): fields that each transform a source column.
package struct PartitionSpec: Hashable, Sendable {
    package var specId: Int
    package var fields: [PartitionField]

    package init(specId: Int, fields: [PartitionField]) {
        self.specId = specId
        self.fields = fields
    }

    package var isUnpartitioned: Bool { fields.allSatisfy { $0.transform == .void } }

    /// The partition tuple's struct type (field ids are the partition field ids), as manifests declare it.
    package func partitionType(schema: Schema) throws(IcebergSpecError) -> StructType {
        let index = schema.fieldsById()
        var fields: [NestedField] = []
        for field in self.fields {
            guard let source = index[field.sourceId]?.field, case .primitive(let sourceType) = source.type else {
                throw .invalidField("partition-specs[\(specId)].\(field.name)", "has no primitive source column \(field.sourceId)")
            }
            let resultType: PrimitiveType
            if case .unknown(let name) = field.transform {
                throw .unsupported("partition transform '\(name)'")
            } else if let type = field.transform.resultType(for: sourceType) {
                resultType = type
            } else {
                throw .invalidField("partition-specs[\(specId)].\(field.name)",
                    "applies \(field.transform.description) to a \(sourceType.name) column")
            }
            fields.append(NestedField(id: field.fieldId, name: field.name, isRequired: false, type: .primitive(resultType)))
        }
        return StructType(fields: fields)
    }
}

/// One field of a partition spec.
package struct PartitionField: Hashable, Sendable {
    package var sourceId: Int
    /// v3 multi-argument transforms list several sources; `sourceId` is the first.
    package var sourceIds: [Int]?
    package var fieldId: Int
    package var name: String
    package var transform: Transform
    package var extra: JSON = .object([])

    package init(sourceId: Int, fieldId: Int, name: String, transform: Transform) {
        self.sourceId = sourceId
        self.fieldId = fieldId
        self.name = name
        self.transform = transform
    }
}

extension PartitionSpec {
    /// Parses `{spec-id, fields}`; v1's bare field list (the deprecated `partition-spec`) goes through
    /// `init(v1Fields:)`. v1 fields without `field-id` get ids from 1000 in order, as Java assigns them.
    package init(json: JSON, context: String) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: context)
        self.init(
            specId: try reader.int("spec-id"),
            fields: try Self.fields(try reader.array("fields"), context: context))
    }

    package init(v1Fields: [JSON], context: String) throws(IcebergSpecError) {
        self.init(specId: 0, fields: try Self.fields(v1Fields, context: context))
    }

    private static func fields(_ values: [JSON], context: String) throws(IcebergSpecError) -> [PartitionField] {
        var fields: [PartitionField] = []
        for (index, value) in values.enumerated() {
            let reader = try FieldReader(value, context: "\(context).fields[\(index)]")
            let sourceIds = try reader.optionalArray("source-ids")?.map { value throws(IcebergSpecError) -> Int in
                guard let id = value.int64Value, let narrow = Int(exactly: id) else {
                    throw .invalidField("\(context).fields[\(index)].source-ids", "must hold integers")
                }
                return narrow
            }
            guard let sourceId = try reader.optionalInt("source-id") ?? sourceIds?.first else {
                throw .invalidField("\(context).fields[\(index)].source-id", "is missing")
            }
            var field = PartitionField(
                sourceId: sourceId, fieldId: try reader.optionalInt("field-id") ?? 1000 + index,
                name: try reader.string("name"), transform: Transform(try reader.string("transform")))
            field.sourceIds = sourceIds
            field.extra = reader.unknownMembers(known: ["source-id", "source-ids", "field-id", "name", "transform"])
            fields.append(field)
        }
        return fields
    }

    package var json: JSON { .object([("spec-id", .int(Int64(specId))), ("fields", fieldsJSON)]) }

    package var fieldsJSON: JSON {
        .array(
            fields.map { field in
                var members: [(String, JSON)] = [("name", .string(field.name)), ("transform", .string(field.transform.description))]
                if let sourceIds = field.sourceIds, sourceIds.count > 1 {
                    members.append(("source-ids", .array(sourceIds.map { .int(Int64($0)) })))
                } else {
                    members.append(("source-id", .int(Int64(field.sourceId))))
                }
                members.append(("field-id", .int(Int64(field.fieldId))))
                return JSON.object(members).appending(field.extra)
            })
    }
}
