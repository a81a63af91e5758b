/// Definition and repetition levels.
package enum LevelDecoder {
    /// RLE/bit-packed hybrid levels WITHOUT a length prefix (v2 pages; the core strips v1's 4-byte prefix).
    /// Appends `count` levels; a level above `maxLevel` is .corrupt. On a thrown error `levels` is unchanged.
    package static func decodeHybrid(
        _ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int, maxLevel: Int16, into levels: inout [Int16]
    ) throws(ParquetError) {
        guard count >= 0 else { throw .invalidArgument("negative level count \(count)") }
        var decoder = try RLEBitPackedHybridDecoder(bytes, bitWidth: bitWidth)
        guard decoder.holds(count) else { throw .corrupt("RLE/bit-packed levels hold fewer than \(count) values") }
        try levels.appendUnsafe(count: count, zero: 0) { (output) throws(ParquetError) in
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: batchSize) { (scratch) throws(ParquetError) in
                var done = 0
                while done < count {
                    let batch = min(batchSize, count - done)
                    try decoder.decode(into: scratch.baseAddress!, count: batch)
                    try narrow(scratch.baseAddress!, count: batch, maxLevel: maxLevel, into: output.baseAddress! + done)
                    done += batch
                }
            }
        }
    }

    /// Deprecated BIT_PACKED (MSB-first) levels; returns bytes consumed. On a thrown error `levels` is unchanged.
    package static func decodeBitPacked(
        _ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int, maxLevel: Int16, into levels: inout [Int16]
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative level count \(count)") }
        guard (0...16).contains(bitWidth) else { throw .corrupt("BIT_PACKED level bit width \(bitWidth) is not in 0...16") }
        guard bitWidth == 0 || count <= bytes.count * 8 / bitWidth else {
            throw .corrupt("BIT_PACKED levels of \(bytes.count) bytes cannot hold \(count) levels of \(bitWidth) bits")
        }
        let byteCount = (count * bitWidth + 7) / 8
        var scratch = [UInt32]()
        scratch.appendUnsafe(count: count, zero: 0) { output in
            if bitWidth == 0 {
                output.update(repeating: 0)
            } else {
                BitPacking.unpackMostSignificantFirst(bytes, count: count, bitWidth: bitWidth, into: output.baseAddress!)
            }
        }
        try levels.appendUnsafe(count: count, zero: 0) { (output) throws(ParquetError) in
            try scratch.withUnsafeBufferPointer { (scratch) throws(ParquetError) in
                try narrow(scratch.baseAddress!, count: count, maxLevel: maxLevel, into: output.baseAddress!)
            }
        }
        return byteCount
    }

    private static let batchSize = 1024

    /// Copies levels to Int16 after checking that none passes `maxLevel`.
    @inline(__always)
    private static func narrow(
        _ source: UnsafePointer<UInt32>, count: Int, maxLevel: Int16, into destination: UnsafeMutablePointer<Int16>
    ) throws(ParquetError) {
        var largest: UInt32 = 0
        for index in 0..<count { largest = max(largest, source[index]) }
        guard largest <= UInt32(max(maxLevel, 0)) else { throw .corrupt("level \(largest) is above the maximum \(maxLevel)") }
        for index in 0..<count { destination[index] = Int16(truncatingIfNeeded: source[index]) }
    }
}
