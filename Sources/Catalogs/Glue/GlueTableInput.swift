import IcebergSpec
import JSONCoding

/// The `TableInput` that `CreateTable` and `UpdateTable` send for an Iceberg table, laid out as PyIceberg's
/// GlueCatalog and Java's GlueTableOperations lay it out so that all three (and Athena) read the same table:
/// `TableType` `EXTERNAL_TABLE`; `Parameters` are the Glue table's own, then `table_type=ICEBERG`,
/// `metadata_location`, `previous_metadata_location` (on an update) and the table properties; the
/// `StorageDescriptor` has the table location and one column per field name of the current schema, then of older
/// schemas (`iceberg.field.id`, `iceberg.field.optional`, `iceberg.field.current` parameters, Hive type names).
/// An update replaces the whole table definition, so the existing `Description` and `Owner` are carried over.
package enum GlueTableInput {
    package static func make(name: String, metadata: TableMetadata, metadataLocation: String, previousLocation: String?,
        existing: JSON?) -> JSON
    {
        var parameters: [(String, String)] = []
        var index: [String: Int] = [:]
        func set(_ key: String, _ value: String) {
            if let at = index[key] { parameters[at].1 = value } else {
                index[key] = parameters.count
                parameters.append((key, value))
            }
        }
        for (key, value) in existing?["Parameters"]?.objectValue ?? [] { if let text = value.stringValue { set(key, text) } }
        set("table_type", "ICEBERG")
        set("metadata_location", metadataLocation)
        if let previousLocation { set("previous_metadata_location", previousLocation) }
        for (key, value) in metadata.properties.sorted(by: { $0.key < $1.key }) { set(key, value) }

        var members: [(String, JSON)] = [("Name", .string(name)), ("TableType", .string("EXTERNAL_TABLE"))]
        for key in ["Description", "Owner"] { if let value = existing?[key]?.stringValue { members.append((key, .string(value))) } }
        members.append(("Parameters", .object(parameters.map { ($0.0, .string($0.1)) })))
        members.append(("StorageDescriptor", .object([
            ("Columns", .array(columns(metadata))), ("Location", .string(metadata.location)),
        ])))
        return .object(members)
    }

    /// One column per field name: the current schema's first, then fields only older schemas have.
    package static func columns(_ metadata: TableMetadata) -> [JSON] {
        var seen = Set<String>()
        var columns: [JSON] = []
        let ordered = metadata.schemas.filter { $0.schemaId == metadata.currentSchemaId }
            + metadata.schemas.filter { $0.schemaId != metadata.currentSchemaId }
        for schema in ordered {
            let current = schema.schemaId == metadata.currentSchemaId
            for field in schema.fields where seen.insert(field.name).inserted {
                var column: [(String, JSON)] = [("Name", .string(field.name)), ("Type", .string(hiveType(field.type)))]
                if let doc = field.doc { column.append(("Comment", .string(doc))) }
                column.append(("Parameters", .object([
                    ("iceberg.field.id", .string(String(field.id))),
                    ("iceberg.field.optional", .string(field.isRequired ? "false" : "true")),
                    ("iceberg.field.current", .string(current ? "true" : "false")),
                ])))
                columns.append(.object(column))
            }
        }
        return columns
    }

    /// The Hive type name Glue (and Athena) show for an Iceberg type.
    package static func hiveType(_ type: IcebergType) -> String {
        switch type {
        case .struct(let structType):
            "struct<" + structType.fields.map { "\($0.name):\(hiveType($0.type))" }.joined(separator: ",") + ">"
        case .list(let list): "array<\(hiveType(list.element))>"
        case .map(let map): "map<\(hiveType(map.key)),\(hiveType(map.value))>"
        case .primitive(let primitive):
            switch primitive {
            case .boolean: "boolean"
            case .int: "int"
            case .long: "bigint"
            case .float: "float"
            case .double: "double"
            case .date: "date"
            case .time, .string, .uuid: "string"
            case .timestamp, .timestamptz, .timestampNs, .timestamptzNs: "timestamp"
            case .fixed, .binary: "binary"
            case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
            case .unknown, .variant, .geometry, .geography: primitive.name
            }
        }
    }
}
