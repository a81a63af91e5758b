/// A decoded Avro datum, shaped by the (reader) schema it was read with: record fields are an ordered array in
/// the schema's field order, enums are symbol positions, unions carry the branch taken. Logical types are not
/// applied here; the schema node says how to render the underlying value (`AvroSchema.logicalType`).
///
/// Equality compares floating-point values by bit pattern, so a NaN read back equals the NaN that was written
/// and `0.0` differs from `-0.0`.
package enum AvroValue: Sendable, CustomStringConvertible {
    case null
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    case string(String)
    case fixed([UInt8])
    /// The position of the symbol in the enum schema's `symbols`.
    case enumeration(Int)
    case array([AvroValue])
    /// Entries in encoded order (a map with repeated keys is kept as written).
    case map([(key: String, value: AvroValue)])
    /// Field values in the record schema's field order.
    case record([AvroValue])
    /// The branch position in the union schema and the value of that branch.
    indirect case union(Int, AvroValue)

    /// The value inside a union (or the value itself): what a nullable field holds.
    package var unwrapped: AvroValue {
        if case .union(_, let value) = self { return value.unwrapped }
        return self
    }

    package var isNull: Bool {
        if case .null = unwrapped { return true }
        return false
    }

    package var description: String {
        switch self {
        case .null: "null"
        case .boolean(let value): String(value)
        case .int(let value): String(value)
        case .long(let value): "\(value)L"
        case .float(let value): "\(value)f"
        case .double(let value): String(value)
        case .bytes(let value): "bytes(\(value))"
        case .string(let value): "\"\(value)\""
        case .fixed(let value): "fixed(\(value))"
        case .enumeration(let index): "enum(\(index))"
        case .array(let elements): "[\(elements.map(\.description).joined(separator: ", "))]"
        case .map(let entries): "{\(entries.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", "))}"
        case .record(let fields): "{\(fields.map(\.description).joined(separator: ", "))}"
        case .union(let branch, let value): "#\(branch):\(value)"
        }
    }
}

extension AvroValue: Equatable {
    package static func == (lhs: AvroValue, rhs: AvroValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.long(let a), .long(let b)): a == b
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.bytes(let a), .bytes(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.fixed(let a), .fixed(let b)): a == b
        case (.enumeration(let a), .enumeration(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.map(let a), .map(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.record(let a), .record(let b)): a == b
        case (.union(let i, let a), .union(let j, let b)): i == j && a == b
        default: false
        }
    }
}
