import JSONCoding

/// One JSON object of a document, read member by member: a member of the wrong type, missing, repeated or out of
/// range is a `DocumentError` naming its path (`tasks[2].rewrite_data_files[0].size`). A member that may be null may
/// also be left out (hand-edited documents do), and reads as null. Members this amoro does not know are ignored:
/// documents only ever gain members within a version (`man 5 amoro-plan`).
package struct DocumentFields {
    package let kind: String
    /// Where this object is in the document (empty for the document itself).
    package let path: String
    private let members: [(String, JSON)]

    /// Reads `json` as an object whose members each appear once.
    package init(_ json: JSON, kind: String, path: String = "") throws(DocumentError) {
        self.kind = kind
        self.path = path
        guard let members = json.objectValue else {
            throw .invalid(kind: kind, field: path.isEmpty ? "(document)" : path, why: "must be an object")
        }
        self.members = members
        var seen = Set<String>()
        for (key, _) in members {
            guard seen.insert(key).inserted else { throw error(key, "appears twice") }
        }
    }

    /// Reads a whole document, checking its `kind` and `version` first.
    package static func document(_ json: JSON, kind: String, version: Int) throws(DocumentError) -> DocumentFields {
        let fields = try DocumentFields(json, kind: kind)
        guard try fields.value("kind") == .string(kind) else {
            throw fields.error("kind", "is \(fields.member("kind")?.rendered() ?? "missing"), not \"\(kind)\"")
        }
        guard try fields.value("version") == .int(Int64(version)) else {
            throw fields.error("version", "is \(fields.member("version")?.rendered() ?? "missing"); this amoro reads version \(version)")
        }
        return fields
    }

    /// The error for member `key`.
    package func error(_ key: String, _ why: String) -> DocumentError {
        .invalid(kind: kind, field: name(key), why: why)
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func member(_ key: String) -> JSON? { members.first { $0.0 == key }?.1 }

    /// The members' names, in document order (for objects keyed by data, such as metrics by field id).
    package var keys: [String] { members.map(\.0) }

    /// Whether the object has member `key` (documents leave some members out, such as a failed run's counts).
    package func has(_ key: String) -> Bool { member(key) != nil }

    /// Whether the members `keys`, which a document has all or none of (a failed run's leaves out its counts), are
    /// there; some without the others is an error naming the first missing one.
    package func group(_ keys: [String]) throws(DocumentError) -> Bool {
        let present = keys.filter(has)
        if present.isEmpty { return false }
        if let missing = keys.first(where: { !has($0) }) { throw error(missing, "is missing, but '\(present[0])' is there") }
        return true
    }

    /// A required member, which may be null.
    package func value(_ key: String) throws(DocumentError) -> JSON {
        guard let value = member(key) else { throw error(key, "is missing") }
        return value
    }

    package func string(_ key: String) throws(DocumentError) -> String {
        guard let text = try value(key).stringValue else { throw error(key, "must be a string") }
        return text
    }

    /// A string, or null.
    package func optionalString(_ key: String) throws(DocumentError) -> String? {
        isNull(key) ? nil : try string(key)
    }

    private func isNull(_ key: String) -> Bool { member(key)?.isNull ?? true }

    /// An integer within `range` (counts, sizes and times are never negative).
    package func int(_ key: String, _ range: ClosedRange<Int64> = 0...Int64.max) throws(DocumentError) -> Int64 {
        guard case .int(let number) = try value(key) else { throw error(key, "must be an integer") }
        guard range.contains(number) else { throw error(key, "is \(number), outside \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    /// An integer within `range`, or null.
    package func optionalInt(_ key: String, _ range: ClosedRange<Int64> = 0...Int64.max) throws(DocumentError) -> Int64? {
        isNull(key) ? nil : try int(key, range)
    }

    /// A count or id that fits a 32-bit integer and is not negative.
    package func small(_ key: String) throws(DocumentError) -> Int { Int(try int(key, 0...Int64(Int32.max))) }

    package func double(_ key: String) throws(DocumentError) -> Double {
        guard let number = try value(key).doubleValue, number.isFinite else { throw error(key, "must be a number") }
        return number
    }

    package func bool(_ key: String) throws(DocumentError) -> Bool {
        guard let flag = try value(key).boolValue else { throw error(key, "must be a boolean") }
        return flag
    }

    /// A string naming one of `Value`'s cases.
    package func value<Value: RawRepresentable>(_ key: String, as type: Value.Type) throws(DocumentError) -> Value
    where Value.RawValue == String {
        let text = try string(key)
        guard let parsed = Value(rawValue: text) else { throw error(key, "is \"\(text)\", which is not a known value") }
        return parsed
    }

    /// Like `value(_:as:)`, or null.
    package func optionalValue<Value: RawRepresentable>(_ key: String, as type: Value.Type) throws(DocumentError) -> Value?
    where Value.RawValue == String {
        isNull(key) ? nil : try value(key, as: type)
    }

    /// An array of strings.
    package func strings(_ key: String) throws(DocumentError) -> [String] {
        try array(key).enumerated().map { (index, element) throws(DocumentError) in
            guard let text = element.stringValue else { throw error("\(key)[\(index)]", "must be a string") }
            return text
        }
    }

    /// An array of integers (offsets, sizes: none negative), or null.
    package func optionalInts(_ key: String) throws(DocumentError) -> [Int64]? {
        if isNull(key) { return nil }
        return try array(key).enumerated().map { (index, element) throws(DocumentError) in
            guard case .int(let number) = element, number >= 0 else { throw error("\(key)[\(index)]", "must be an integer, not negative") }
            return number
        }
    }

    /// An array of objects, each read by `read`.
    package func objects<Element>(
        _ key: String, _ read: (DocumentFields) throws(DocumentError) -> Element
    ) throws(DocumentError) -> [Element] {
        try array(key).enumerated().map { (index, element) throws(DocumentError) in
            try read(DocumentFields(element, kind: kind, path: name("\(key)[\(index)]")))
        }
    }

    /// Like `objects(_:_:)`; an absent or null member is no objects (a member later versions added).
    package func optionalObjects<Element>(
        _ key: String, _ read: (DocumentFields) throws(DocumentError) -> Element
    ) throws(DocumentError) -> [Element] {
        isNull(key) ? [] : try objects(key, read)
    }

    /// A member that is an object.
    package func object(_ key: String) throws(DocumentError) -> DocumentFields {
        try DocumentFields(try value(key), kind: kind, path: name(key))
    }

    /// Like `object(_:)`, or null.
    package func optionalObject(_ key: String) throws(DocumentError) -> DocumentFields? {
        isNull(key) ? nil : try object(key)
    }

    private func array(_ key: String) throws(DocumentError) -> [JSON] {
        guard let values = try value(key).arrayValue else { throw error(key, "must be an array") }
        return values
    }
}
