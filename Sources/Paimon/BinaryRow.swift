/// Paimon's binary row as manifests store it (partitions, min/max keys, statistics): the serialized form is a
/// 4-byte big-endian field count followed by the row, whose fixed part is a null bitset (one header byte of row
/// kind, then one bit per field, padded to 8-byte words) and one little-endian 8-byte slot per field; a variable
/// length value (string, bytes, decimal above 18 digits, timestamp above millisecond precision) of at most 7 bytes
/// is stored in its slot with its length in the slot's last byte (high bit set), a longer one as offset and length
/// into the variable part after the fixed part.
package struct BinaryRow: Sendable, Hashable {
    /// The row's bytes, without the field-count prefix.
    package let bytes: [UInt8]
    package let arity: Int

    /// Reads a serialized row (`SerializationUtils.serializeBinaryRow`'s form).
    package init(serialized: [UInt8]) throws(PaimonError) {
        guard serialized.count >= 4 else { throw .invalidFile("binary row", "\(serialized.count) bytes hold no field count") }
        let count = Int(serialized[0]) << 24 | Int(serialized[1]) << 16 | Int(serialized[2]) << 8 | Int(serialized[3])
        let row = Array(serialized[4...])
        guard count >= 0, count <= 100_000 else { throw .invalidFile("binary row", "field count \(count) out of range") }
        let fixed = Self.nullBitsSize(count) + 8 * count
        guard row.count >= fixed else {
            throw .invalidFile("binary row", "\(count) fields need \(fixed) bytes, the row has \(row.count)")
        }
        bytes = row
        arity = count
    }

    /// The size of the null bitset of a row of `arity` fields, header byte included.
    package static func nullBitsSize(_ arity: Int) -> Int { ((arity + 63 + 8) / 64) * 8 }

    package func isNull(_ index: Int) -> Bool {
        let bit = index + 8
        return bytes[bit >> 3] & UInt8(1 << (bit & 7)) != 0
    }

    /// The 8-byte slot of field `index`, as a little-endian word.
    package func word(_ index: Int) -> UInt64 {
        let start = Self.nullBitsSize(arity) + 8 * index
        var value: UInt64 = 0
        for offset in (0..<8).reversed() { value = value << 8 | UInt64(bytes[start + offset]) }
        return value
    }

    package func long(_ index: Int) -> Int64 { Int64(bitPattern: word(index)) }
    package func int(_ index: Int) -> Int32 { Int32(truncatingIfNeeded: long(index)) }

    /// The bytes of a variable-length field (string, binary): inline in the slot or in the variable part.
    package func variable(_ index: Int) throws(PaimonError) -> [UInt8] {
        let slot = word(index)
        let start = Self.nullBitsSize(arity) + 8 * index
        if slot & (UInt64(0x80) << 56) != 0 {
            let length = Int((slot >> 56) & 0x7F)
            guard length <= 7 else { throw .invalidFile("binary row", "inline field \(index) declares \(length) bytes") }
            return Array(bytes[start..<(start + length)])
        }
        let offset = Int(slot >> 32)
        let length = Int(slot & 0xFFFF_FFFF)
        guard offset <= bytes.count, length <= bytes.count - offset else {
            throw .invalidFile("binary row", "field \(index) points at bytes \(offset)..<\(offset + length) of \(bytes.count)")
        }
        return Array(bytes[offset..<(offset + length)])
    }

    /// Field `index` as a value of `type`; nil when null.
    package func value(_ index: Int, type: PaimonDataType) throws(PaimonError) -> PaimonValue? {
        guard index < arity else { throw .invalidFile("binary row", "field \(index) of a row of \(arity) fields") }
        if isNull(index) { return nil }
        switch type.root {
        case .boolean: return .boolean(word(index) & 0xFF != 0)
        case .tinyint: return .long(Int64(Int8(truncatingIfNeeded: word(index))))
        case .smallint: return .long(Int64(Int16(truncatingIfNeeded: word(index))))
        case .int, .date, .time: return .long(Int64(int(index)))
        case .bigint: return .long(long(index))
        case .float: return .double(Double(Float(bitPattern: UInt32(truncatingIfNeeded: word(index)))))
        case .double: return .double(Double(bitPattern: word(index)))
        case .string:
            let raw = try variable(index)
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw .invalidFile("binary row", "field \(index) is not UTF-8")
            }
            return .string(text)
        case .binary: return .bytes(try variable(index))
        case .decimal where (type.precision ?? 38) <= 18: return .decimal(long(index), scale: type.scale ?? 0)
        case .timestamp where (type.precision ?? 6) <= 3: return .long(long(index))
        default: throw .unsupported("a \(type.text) value in a binary row")
        }
    }
}

/// A decoded binary-row field.
package enum PaimonValue: Sendable, Hashable, CustomStringConvertible {
    case boolean(Bool)
    case long(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    /// An unscaled value and its scale.
    case decimal(Int64, scale: Int)

    package var description: String {
        switch self {
        case .boolean(let value): "\(value)"
        case .long(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value
        case .bytes(let value): value.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
        case .decimal(let unscaled, let scale):
            scale <= 0 ? "\(unscaled)" : Self.decimalText(unscaled, scale: scale)
        }
    }

    private static func decimalText(_ unscaled: Int64, scale: Int) -> String {
        let digits = String(unscaled.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return (unscaled < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]
    }
}
