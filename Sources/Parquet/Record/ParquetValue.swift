/// A generic nested value: one row, or one field of a row, at the logical level (LIST-annotated groups are
/// `.list`, MAP-annotated groups `.map`). For `amoro inspect --rows`, tests and convenience, not the hot path.
package indirect enum ParquetValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int32(Int32)
    case int64(Int64)
    case int96(Int96)
    case float(Float)
    case double(Double)
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values (strings stay bytes; the schema says how to show them).
    case bytes([UInt8])
    /// A struct: one value per child field, in schema order.
    case group([ParquetValue])
    case list([ParquetValue])
    case map([MapEntry])

    /// One key-value pair of a map.
    package struct MapEntry: Sendable, Hashable {
        package var key: ParquetValue
        package var value: ParquetValue

        package init(key: ParquetValue, value: ParquetValue) {
            self.key = key
            self.value = value
        }
    }

    /// A UTF-8 string value.
    package static func string(_ text: String) -> ParquetValue { .bytes(Array(text.utf8)) }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
