import JSONCoding
import Parquet

/// A table's name mapping (`schema.name-mapping.default`, spec "Column Projection"): field ids for files written
/// without them (imported or migrated files), found by column name at each level.
package struct NameMapping: Sendable, Hashable {
    /// One mapped field: its id (absent for names that map to no field), the names it went by, nested fields.
    package struct Field: Sendable, Hashable {
        package var fieldId: Int?
        package var names: [String]
        package var fields: [Field]

        package init(fieldId: Int?, names: [String], fields: [Field] = []) {
            self.fieldId = fieldId
            self.names = names
            self.fields = fields
        }
    }

    package static let propertyKey = "schema.name-mapping.default"
    package static let maxDepth = 128

    package var fields: [Field]

    package init(fields: [Field]) { self.fields = fields }

    /// Parses the property's JSON text.
    package init(json text: String) throws(DataFileError) {
        let json: JSON
        do { json = try JSON.parse(text) } catch { throw .invalidArgument("\(Self.propertyKey): \(error)") }
        self.init(fields: try Self.fields(json, depth: 0))
    }

    private static func fields(_ json: JSON, depth: Int) throws(DataFileError) -> [Field] {
        guard depth < maxDepth else { throw .invalidArgument("\(propertyKey) nests deeper than \(maxDepth)") }
        guard let array = json.arrayValue else { throw .invalidArgument("\(propertyKey) must be a list of fields") }
        var result: [Field] = []
        for entry in array {
            guard let names = entry["names"]?.arrayValue?.compactMap(\.stringValue) else {
                throw .invalidArgument("\(propertyKey): a field without names")
            }
            let id = entry["field-id"]?.int64Value.flatMap { Int(exactly: $0) }
            let nested = try entry["fields"].map { (value: JSON) throws(DataFileError) in try fields(value, depth: depth + 1) } ?? []
            result.append(Field(fieldId: id, names: names, fields: nested))
        }
        return result
    }

    /// `schema` with field ids assigned by name. The repeated middle groups of lists and maps take no id: their
    /// children are matched against the list's or map's own nested fields (`element`, `key`, `value`).
    package func applied(to schema: ParquetSchema) throws(DataFileError) -> ParquetSchema {
        var root = schema.root
        root.kind = .group(root.children.map { assign($0, fields) })
        do { return try ParquetSchema(root: root) } catch { throw .invalidArgument("name mapping: \(error)") }
    }

    private func assign(_ node: SchemaNode, _ candidates: [Field]) -> SchemaNode {
        var node = node
        var nested = candidates
        if let match = candidates.first(where: { $0.names.contains(node.name) }) {
            if node.fieldID == nil { node.fieldID = match.fieldId.map { Int32(truncatingIfNeeded: $0) } }
            nested = match.fields
        } else if node.repetition != .repeated || node.isPrimitive {
            nested = []
        }
        if case .group(let children) = node.kind { node.kind = .group(children.map { assign($0, nested) }) }
        return node
    }
}
