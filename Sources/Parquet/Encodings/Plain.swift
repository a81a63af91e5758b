import ByteCoding

/// PLAIN (0): values back to back. Booleans are bit-packed LSB first; numbers are little endian (IEEE for floating
/// point); INT96 is 12 bytes (8 bytes of nanoseconds, then a 4-byte Julian day); BYTE_ARRAY is a 4-byte little-endian
/// length then the bytes; FIXED_LEN_BYTE_ARRAY is the bytes alone.
///
/// Decoders append to the typed array they are given and return the number of bytes consumed.
enum Plain {
    // MARK: - Decoding

    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout [Bool]) throws(ParquetError) -> Int {
        guard count <= bytes.count * 8 else { throw truncated("BOOLEAN", count: count, bytes.count) }
        let byteCount = (count + 7) / 8
        guard let source = bytes.baseAddress else { return 0 }
        values.appendUnsafe(count: count, zero: false) { output in
            unpackBooleans(source, count: count, into: output)
        }
        return byteCount
    }

    /// Expands `count` LSB-first bits into booleans.
    static func unpackBooleans(_ source: UnsafeRawPointer, count: Int, into output: UnsafeMutableBufferPointer<Bool>) {
        let raw = UnsafeMutableRawPointer(output.baseAddress!)
        let whole = count / 8
        spreadBits.withUnsafeBufferPointer { spread in
            for byteIndex in 0..<whole {
                let byte = Int(source.load(fromByteOffset: byteIndex, as: UInt8.self))
                raw.storeBytes(of: spread[byte], toByteOffset: byteIndex * 8, as: UInt64.self)
            }
        }
        if whole * 8 < count {
            let byte = source.load(fromByteOffset: whole, as: UInt8.self)
            for bit in 0..<(count - whole * 8) { output[whole * 8 + bit] = (byte >> UInt8(bit)) & 1 == 1 }
        }
    }

    /// For each byte value, eight bytes of 0 or 1 (its bits, least significant first) in memory order.
    private static let spreadBits: [UInt64] = (0..<256).map { byte in
        var word: UInt64 = 0
        for bit in 0..<8 where byte >> bit & 1 == 1 { word |= 1 << (8 * UInt64(bit)) }
        return word.littleEndian
    }

    /// INT32, INT64, FLOAT and DOUBLE: a straight copy (the host is little endian).
    static func decode<Value: BitwiseCopyable & Numeric>(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout [Value]
    ) throws(ParquetError) -> Int {
        let size = MemoryLayout<Value>.size
        guard count <= bytes.count / size else { throw truncated("\(Value.self)", count: count, bytes.count) }
        guard let source = bytes.baseAddress else { return 0 }
        values.appendUnsafe(count: count, zero: 0) { output in
            UnsafeMutableRawPointer(output.baseAddress!).copyMemory(from: source, byteCount: count * size)
        }
        return count * size
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout [Int96]) throws(ParquetError) -> Int {
        guard count <= bytes.count / 12 else { throw truncated("INT96", count: count, bytes.count) }
        guard let source = bytes.baseAddress else { return 0 }
        values.appendUnsafe(count: count, zero: Int96(nanosecondsOfDay: 0, julianDay: 0)) { output in
            for index in 0..<count {
                output[index] = Int96(
                    nanosecondsOfDay: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: index * 12, as: UInt64.self)),
                    julianDay: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: index * 12 + 8, as: UInt32.self)))
            }
        }
        return count * 12
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ByteArrays) throws(ParquetError) -> Int {
        guard count <= bytes.count / 4 else { throw truncated("BYTE_ARRAY", count: count, bytes.count) }
        guard count > 0, let source = bytes.baseAddress else { return 0 }
        // First pass: check every length while writing the offsets.
        let dataBase = values.data.count
        var consumed = 0
        try values.offsets.appendUnsafe(count: count, zero: 0) { (offsets) throws(ParquetError) in
            var position = 0
            var end = dataBase
            for index in 0..<count {
                guard bytes.count - position >= 4 else { throw truncated("BYTE_ARRAY", count: count, bytes.count) }
                let length = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                guard length <= bytes.count - position - 4 else {
                    throw .corrupt("PLAIN BYTE_ARRAY length \(length) at byte \(position) runs past the page end")
                }
                position += 4 + length
                end += length
                offsets[index] = end
            }
            consumed = position
        }
        // Second pass: copy the bytes (the output has ShortCopy's slack at its end while it is written).
        let total = consumed - 4 * count
        values.data.appendUnsafe(count: total + ShortCopy.slack, zero: 0) { data in
            let target = UnsafeMutableRawPointer(data.baseAddress!)
            var read = 0
            var written = 0
            for _ in 0..<count {
                let length = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: read, as: UInt32.self)))
                ShortCopy.copy(
                    target + written, from: source + read + 4, count: length,
                    sourceHasSlack: read + 4 + ShortCopy.slack <= bytes.count)
                read += 4 + length
                written += length
            }
        }
        values.data.removeLast(ShortCopy.slack)
        return consumed
    }

    static func decode(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout FixedLengthByteArrays
    ) throws(ParquetError) -> Int {
        let width = values.width
        guard count <= bytes.count / width else { throw truncated("FIXED_LEN_BYTE_ARRAY", count: count, bytes.count) }
        values.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<count * width]))
        return count * width
    }

    private static func truncated(_ type: String, count: Int, _ available: Int) -> ParquetError {
        .corrupt("PLAIN \(type) data of \(available) bytes cannot hold \(count) values")
    }

    // MARK: - Encoding

    static func encode(_ values: ArraySlice<Bool>, into writer: inout ByteWriter) {
        let count = values.count
        values.withUnsafeBytes { bools in
            writer.write(count: (count + 7) / 8) { output in
                let whole = count / 8
                for index in 0..<whole {
                    // Gathers the low bit of each of 8 bytes into one byte, first byte lowest.
                    let word = UInt64(littleEndian: bools.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
                    output[index] = UInt8(truncatingIfNeeded: (word &* 0x0102_0408_1020_4080) >> 56)
                }
                if whole * 8 < count {
                    var byte: UInt8 = 0
                    for bit in 0..<(count - whole * 8) where bools[whole * 8 + bit] != 0 { byte |= 1 << UInt8(bit) }
                    output[whole] = byte
                }
            }
        }
    }

    static func encode<Value: BitwiseCopyable>(_ values: ArraySlice<Value>, into writer: inout ByteWriter) {
        values.withUnsafeBytes { writer.writeBytes($0) }
    }

    static func encode(_ values: ArraySlice<Int96>, into writer: inout ByteWriter) {
        values.withUnsafeBufferPointer { values in
            writer.write(count: values.count * 12) { output in
                for (index, value) in values.enumerated() {
                    output.storeBytes(of: value.nanosecondsOfDay.littleEndian, toByteOffset: index * 12, as: UInt64.self)
                    output.storeBytes(of: value.julianDay.littleEndian, toByteOffset: index * 12 + 8, as: UInt32.self)
                }
            }
        }
    }

    static func encode(_ values: ByteArrays, range: Range<Int>, into writer: inout ByteWriter) {
        let dataBytes = values.offsets[range.upperBound] - values.offsets[range.lowerBound]
        values.offsets.withUnsafeBufferPointer { offsets in
            values.data.withUnsafeBytes { data in
                writer.write(count: dataBytes + 4 * range.count) { output in
                    var written = 0
                    for index in range {
                        let start = offsets[index]
                        let length = offsets[index + 1] - start
                        output.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: written, as: UInt32.self)
                        if length > 0 {
                            (output.baseAddress! + written + 4).copyMemory(from: data.baseAddress! + start, byteCount: length)
                        }
                        written += 4 + length
                    }
                }
            }
        }
    }

    static func encode(_ values: FixedLengthByteArrays, range: Range<Int>, into writer: inout ByteWriter) {
        values.data.withUnsafeBytes { data in
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: data[range.lowerBound * values.width..<range.upperBound * values.width]))
        }
    }
}
