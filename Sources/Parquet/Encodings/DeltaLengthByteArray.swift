import ByteCoding

/// DELTA_LENGTH_BYTE_ARRAY (6) for BYTE_ARRAY: the lengths as DELTA_BINARY_PACKED INT32, then all bytes back to back.
enum DeltaLengthByteArray {
    /// Appends `count` values and returns the bytes consumed.
    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ByteArrays) throws(ParquetError) -> Int {
        var lengths = [Int32]()
        let lengthBytes = try DeltaBinaryPacked.decode(bytes, count: count, into: &lengths)
        let data = UnsafeRawBufferPointer(rebasing: bytes[lengthBytes...])
        let total = try appendLengths(lengths, available: data.count, into: &values)
        values.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[0..<total]))
        return lengthBytes + total
    }

    /// Appends offsets for `lengths` after checking each is non-negative and that together they fit `available`
    /// bytes; returns their sum.
    private static func appendLengths(_ lengths: [Int32], available: Int, into values: inout ByteArrays) throws(ParquetError) -> Int {
        var total = 0
        for length in lengths {
            guard length >= 0 else { throw .corrupt("negative byte array length \(length)") }
            total += Int(length)
        }
        guard total <= available else {
            throw .corrupt("byte array lengths add up to \(total) bytes but only \(available) follow them")
        }
        let base = values.data.count
        lengths.withUnsafeBufferPointer { lengths in
            values.offsets.appendUnsafe(count: lengths.count, zero: 0) { offsets in
                var end = base
                for index in 0..<lengths.count {
                    end += Int(lengths[index])
                    offsets[index] = end
                }
            }
        }
        return total
    }

    static func encode(_ values: ByteArrays, range: Range<Int>, into writer: inout ByteWriter) {
        let lengths = range.map { Int32(truncatingIfNeeded: values.offsets[$0 + 1] - values.offsets[$0]) }
        lengths.withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &writer) }
        values.data.withUnsafeBytes { data in
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: data[values.offsets[range.lowerBound]..<values.offsets[range.upperBound]]))
        }
    }
}
