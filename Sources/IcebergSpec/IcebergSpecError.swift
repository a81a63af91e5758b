import JSONCoding

/// Why Iceberg metadata could not be read or built: names the field and what is wrong with it.
package enum IcebergSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required field is missing or has the wrong JSON type.
    case invalidField(String, String)
    /// The metadata uses a format version or feature this implementation refuses.
    case unsupported(String)
    /// The document is not JSON.
    case invalidJSON(JSONError)

    package var description: String {
        switch self {
        case .invalidField(let field, let why): "invalid table metadata: '\(field)' \(why)"
        case .unsupported(let what): "unsupported table metadata: \(what)"
        case .invalidJSON(let error): "table metadata is not valid JSON: \(error)"
        }
    }
}

/// Typed access to the members of a JSON object, with errors that name the field.
struct FieldReader {
    let object: JSON
    let context: String

    init(_ object: JSON, context: String) throws(IcebergSpecError) {
        guard case .object = object else { throw .invalidField(context, "must be a JSON object") }
        self.object = object
        self.context = context
    }

    private func name(_ key: String) -> String { context.isEmpty ? key : "\(context).\(key)" }

    func has(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    func value(_ key: String) -> JSON? { object[key].flatMap { $0.isNull ? nil : $0 } }

    func string(_ key: String) throws(IcebergSpecError) -> String {
        guard let value = try optionalString(key) else { throw .invalidField(name(key), "is missing") }
        return value
    }

    func optionalString(_ key: String) throws(IcebergSpecError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else { throw .invalidField(name(key), "must be a string") }
        return text
    }

    func int64(_ key: String) throws(IcebergSpecError) -> Int64 {
        guard let value = try optionalInt64(key) else { throw .invalidField(name(key), "is missing") }
        return value
    }

    func optionalInt64(_ key: String) throws(IcebergSpecError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard let number = value.int64Value else { throw .invalidField(name(key), "must be an integer") }
        return number
    }

    func int(_ key: String) throws(IcebergSpecError) -> Int {
        guard let value = try optionalInt(key) else { throw .invalidField(name(key), "is missing") }
        return value
    }

    func optionalInt(_ key: String) throws(IcebergSpecError) -> Int? {
        guard let value = try optionalInt64(key) else { return nil }
        guard let narrow = Int(exactly: value), (Int(Int32.min)...Int(Int32.max)).contains(narrow) else {
            throw .invalidField(name(key), "must be a 32-bit integer")
        }
        return narrow
    }

    func bool(_ key: String) throws(IcebergSpecError) -> Bool {
        guard let value = try optionalBool(key) else { throw .invalidField(name(key), "is missing") }
        return value
    }

    func optionalBool(_ key: String) throws(IcebergSpecError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.boolValue else { throw .invalidField(name(key), "must be a boolean") }
        return flag
    }

    func array(_ key: String) throws(IcebergSpecError) -> [JSON] {
        guard let value = try optionalArray(key) else { throw .invalidField(name(key), "is missing") }
        return value
    }

    func optionalArray(_ key: String) throws(IcebergSpecError) -> [JSON]? {
        guard let value = value(key) else { return nil }
        guard let values = value.arrayValue else { throw .invalidField(name(key), "must be an array") }
        return values
    }

    func stringMap(_ key: String) throws(IcebergSpecError) -> [String: String] {
        guard let value = value(key) else { return [:] }
        guard let members = value.objectValue else { throw .invalidField(name(key), "must be an object") }
        var map: [String: String] = [:]
        for (entryKey, entryValue) in members {
            guard let text = entryValue.stringValue else { throw .invalidField("\(name(key)).\(entryKey)", "must be a string") }
            map[entryKey] = text
        }
        return map
    }

    /// The members whose names are not in `known`: kept so that a read-modify-write never drops a newer writer's
    /// fields.
    func unknownMembers(known: Set<String>) -> JSON {
        .object((object.objectValue ?? []).filter { !known.contains($0.0) })
    }
}

extension JSON {
    /// Appends the members of `extra` (an object) to this object.
    func appending(_ extra: JSON) -> JSON {
        guard case .object(let members) = self, case .object(let more) = extra, !more.isEmpty else { return self }
        return .object(members + more)
    }

    /// A string-to-string map as an object with sorted keys (stable output).
    static func stringMap(_ map: [String: String]) -> JSON {
        .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }
}
