import ByteCoding

/// BOOLEAN values in RLE encoding (RLE = 3 in a data page): a 4-byte little-endian length, then the RLE/bit-packed
/// hybrid of the values at bit width 1. Data pages v1 and v2 both carry the length prefix.
enum RLEBooleans {
    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout [Bool]) throws(ParquetError) -> Int {
        guard count > 0 || bytes.count >= 4 else { return 0 }
        guard bytes.count >= 4 else { throw .corrupt("RLE boolean data lacks its 4-byte length") }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - 4 else {
            throw .corrupt("RLE boolean length \(length) runs past the \(bytes.count - 4) bytes that follow it")
        }
        var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[4..<4 + length]), bitWidth: 1)
        guard decoder.holds(count) else { throw .corrupt("RLE boolean data holds fewer than \(count) values") }
        try values.appendUnsafe(count: count, zero: false) { (output) throws(ParquetError) in
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1024) { (scratch) throws(ParquetError) in
                var done = 0
                while done < count {
                    let batch = min(scratch.count, count - done)
                    try decoder.decode(into: scratch.baseAddress!, count: batch)
                    for index in 0..<batch { output[done + index] = scratch[index] != 0 }
                    done += batch
                }
            }
        }
        return 4 + length
    }

    static func encode(_ values: ArraySlice<Bool>, into writer: inout ByteWriter) {
        let start = writer.count
        writer.writeLittleEndian(UInt32(0))
        let bits = [UInt32](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            values.withUnsafeBufferPointer { values in
                for index in 0..<values.count { buffer[index] = values[index] ? 1 : 0 }
            }
            initialized = values.count
        }
        bits.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: 1, into: &writer) }
        let length = UInt32(writer.count - start - 4)
        writer.overwrite(at: start, with: withUnsafeBytes(of: length.littleEndian, Array.init))
    }
}
