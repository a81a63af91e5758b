import JSONCoding

/// One `schema/schema-N` file: the table's fields with their ids, partition and primary keys, and options.
package struct PaimonSchema: Sendable, Equatable {
    package struct Field: Sendable, Equatable {
        package var id: Int
        package var name: String
        package var type: PaimonDataType
    }

    package var id: Int64
    package var version: Int
    package var fields: [Field]
    package var highestFieldId: Int
    package var partitionKeys: [String]
    package var primaryKeys: [String]
    package var options: [String: String]
    package var comment: String?
    package var timeMillis: Int64?

    package init(json: JSON, location: String) throws(PaimonError) {
        guard let id = json["id"]?.int64Value else { throw .invalidFile(location, "schema has no id") }
        self.id = id
        version = Int(json["version"]?.int64Value ?? 1)
        var fields: [Field] = []
        for field in json["fields"]?.arrayValue ?? [] {
            guard let fieldId = field["id"]?.int64Value, let name = field["name"]?.stringValue, let type = field["type"] else {
                throw .invalidFile(location, "a field lacks its id, name or type")
            }
            fields.append(Field(id: Int(clamping: fieldId), name: name, type: try PaimonDataType(json: type)))
        }
        self.fields = fields
        highestFieldId = Int(clamping: json["highestFieldId"]?.int64Value ?? Int64(fields.map(\.id).max() ?? -1))
        partitionKeys = (json["partitionKeys"]?.arrayValue ?? []).compactMap(\.stringValue)
        primaryKeys = (json["primaryKeys"]?.arrayValue ?? []).compactMap(\.stringValue)
        var options: [String: String] = [:]
        for (key, value) in json["options"]?.objectValue ?? [] {
            options[key] = value.stringValue ?? value.rendered()
        }
        self.options = options
        comment = json["comment"]?.stringValue
        timeMillis = json["timeMillis"]?.int64Value
        for key in partitionKeys + primaryKeys where !fields.contains(where: { $0.name == key }) {
            throw .invalidFile(location, "key '\(key)' names no field")
        }
    }

    /// The partition columns' types, in partition order.
    package var partitionTypes: [(name: String, type: PaimonDataType)] {
        partitionKeys.compactMap { key in fields.first { $0.name == key }.map { (key, $0.type) } }
    }
}
