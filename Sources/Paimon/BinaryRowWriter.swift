/// Writes Paimon's serialized binary rows (the inverse of `BinaryRow`): a 4-byte big-endian field count, the null
/// bitset with its row-kind header byte, one little-endian 8-byte slot per field, then the variable part. Values of
/// at most 7 bytes (strings, binaries) sit in their slot with the length and the high bit in the slot's last byte;
/// longer ones go to the variable part, padded to 8-byte words, their slot holding offset and length. Decimals of
/// at most 18 digits and timestamps of at most millisecond precision are compact longs, as Paimon writes them.
package enum BinaryRowWriter {
    /// A row of `values` typed by `types` (nil is null), serialized.
    package static func serialize(_ values: [PaimonValue?], types: [PaimonDataType]) throws(PaimonError) -> [UInt8] {
        precondition(values.count == types.count)
        let arity = values.count
        let bits = BinaryRow.nullBitsSize(arity)
        let fixedSize = bits + 8 * arity
        var fixed = [UInt8](repeating: 0, count: fixedSize)
        var variable: [UInt8] = []
        func put(_ word: UInt64, _ index: Int) {
            let start = bits + 8 * index
            for byte in 0..<8 { fixed[start + byte] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(byte))) }
        }
        func putVariable(_ bytes: [UInt8], _ index: Int) {
            let start = bits + 8 * index
            if bytes.count <= 7 {
                for (offset, byte) in bytes.enumerated() { fixed[start + offset] = byte }
                fixed[start + 7] = 0x80 | UInt8(bytes.count)
                return
            }
            let offset = fixedSize + variable.count
            put(UInt64(offset) << 32 | UInt64(bytes.count), index)
            variable += bytes
            let padding = (8 - bytes.count % 8) % 8
            variable += [UInt8](repeating: 0, count: padding)
        }
        for (index, (value, type)) in zip(values, types).enumerated() {
            guard let value else {
                let bit = index + 8
                fixed[bit >> 3] |= UInt8(1 << (bit & 7))
                continue
            }
            switch (type.root, value) {
            case (.boolean, .boolean(let flag)): put(flag ? 1 : 0, index)
            case (.tinyint, .long(let number)):
                guard let small = Int8(exactly: number) else { throw .invalidFile("binary row", "\(number) is no TINYINT") }
                put(UInt64(UInt8(bitPattern: small)), index)
            case (.smallint, .long(let number)):
                guard let small = Int16(exactly: number) else { throw .invalidFile("binary row", "\(number) is no SMALLINT") }
                put(UInt64(UInt16(bitPattern: small)), index)
            case (.int, .long(let number)), (.date, .long(let number)), (.time, .long(let number)):
                guard let int = Int32(exactly: number) else { throw .invalidFile("binary row", "\(number) is no 32-bit value") }
                put(UInt64(UInt32(bitPattern: int)), index)
            case (.bigint, .long(let number)): put(UInt64(bitPattern: number), index)
            case (.timestamp, .long(let millis)) where (type.precision ?? 6) <= 3: put(UInt64(bitPattern: millis), index)
            case (.float, .double(let number)): put(UInt64(Float(number).bitPattern), index)
            case (.double, .double(let number)): put(number.bitPattern, index)
            case (.decimal, .decimal(let unscaled, _)) where (type.precision ?? 38) <= 18: put(UInt64(bitPattern: unscaled), index)
            case (.string, .string(let text)): putVariable(Array(text.utf8), index)
            case (.binary, .bytes(let bytes)): putVariable(bytes, index)
            default: throw .unsupported("writing a \(type.text) value (\(value)) into a binary row")
            }
        }
        let count = UInt32(arity)
        return [UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)] + fixed + variable
    }

    /// The serialized row of no fields: what append tables store as keys and empty statistics.
    package static let empty: [UInt8] = [0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
}

extension PaimonValue {
    /// Paimon's order of two values of the same column type (strings and binaries by unsigned bytes, as
    /// `BinaryString.compareTo` orders them); nil for values of different kinds.
    package static func compare(_ lhs: PaimonValue, _ rhs: PaimonValue) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        switch (lhs, rhs) {
        case (.boolean(let a), .boolean(let b)): return sign(a ? 1 : 0, b ? 1 : 0)
        case (.long(let a), .long(let b)): return sign(a, b)
        case (.double(let a), .double(let b)): return a.isNaN || b.isNaN ? nil : sign(a, b)
        case (.decimal(let a, let s), .decimal(let b, let t)) where s == t: return sign(a, b)
        case (.string(let a), .string(let b)): return byteOrder(Array(a.utf8), Array(b.utf8))
        case (.bytes(let a), .bytes(let b)): return byteOrder(a, b)
        default: return nil
        }
    }

    private static func byteOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
