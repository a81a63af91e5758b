/// A JSON value as Avro schemas carry it: objects keep their members in written order, and integers stay exact
/// (a `long` default of 2^63-1 survives a round trip). Used for schema attributes (`field-id`, `logicalType`, any
/// unknown key) and field defaults.
package enum AvroJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([AvroJSON])
    case object([AvroJSONMember])

    /// The value of the first member named `key` of an object; `nil` for other values or a missing key.
    package subscript(key: String) -> AvroJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// An integer, also from a double with no fraction (`5.0`).
    package var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    package var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }
}

/// One `"key": value` member of a JSON object, in written order.
package struct AvroJSONMember: Hashable, Sendable {
    package var key: String
    package var value: AvroJSON

    package init(_ key: String, _ value: AvroJSON) {
        self.key = key
        self.value = value
    }
}

extension AvroJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}
