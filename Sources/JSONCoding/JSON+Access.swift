extension JSON {
    /// The member named `key` of an object (the first, if a document repeats it); nil for other values.
    package subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// An integer, also from a double that holds a whole number (some writers print longs that way).
    package var int64Value: Int64? {
        switch self {
        case .int(let value): value
        case .uint(let value): Int64(exactly: value)
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    package var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    package var arrayValue: [JSON]? {
        if case .array(let values) = self { return values }
        return nil
    }

    package var objectValue: [(String, JSON)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    package var isNull: Bool { self == .null }
}
