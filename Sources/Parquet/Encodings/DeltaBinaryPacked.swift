import ByteCoding

/// An integer type DELTA_BINARY_PACKED can carry (INT32 or INT64): deltas are computed and summed in the unsigned
/// type of the same width, so overflow wraps exactly as the spec requires.
protocol DeltaPackable: FixedWidthInteger, SignedInteger, BitwiseCopyable
where Magnitude: FixedWidthInteger & UnsignedInteger & BitwiseCopyable {
    /// Unpacks LSB-first values of up to `bitWidth` bits (see `BitPacking.unpack32/64`).
    static func unpack(
        _ source: UnsafeRawPointer, byteCount: Int, count: Int, bitWidth: Int, into destination: UnsafeMutablePointer<Magnitude>)
}

extension Int32: DeltaPackable {
    @inline(__always)
    static func unpack(
        _ source: UnsafeRawPointer, byteCount: Int, count: Int, bitWidth: Int, into destination: UnsafeMutablePointer<UInt32>
    ) {
        BitPacking.unpack32(source, byteCount: byteCount, first: 0, count: count, bitWidth: bitWidth, into: destination)
    }
}

extension Int64: DeltaPackable {
    @inline(__always)
    static func unpack(
        _ source: UnsafeRawPointer, byteCount: Int, count: Int, bitWidth: Int, into destination: UnsafeMutablePointer<UInt64>
    ) {
        BitPacking.unpack64(source, byteCount: byteCount, first: 0, count: count, bitWidth: bitWidth, into: destination)
    }
}

/// DELTA_BINARY_PACKED (5) for INT32 and INT64.
///
/// Header: block size, miniblocks per block, total value count (ULEB128) and the first value (zigzag ULEB128). Each
/// block: the minimum delta (zigzag ULEB128), one bit-width byte per miniblock, then the miniblocks, each holding
/// `block size / miniblocks` deltas minus the minimum, bit-packed LSB first. The decoder accepts any block layout the
/// spec allows; the encoder writes blocks of 128 values in 4 miniblocks, as parquet-mr and Arrow do.
enum DeltaBinaryPacked {
    static let blockSize = 128
    static let miniblockCount = 4

    // MARK: - Decoding

    /// Appends the first `count` of the encoded values (the header's total must be at least `count`; further values
    /// are skipped) and returns the number of bytes consumed by the whole encoded run.
    static func decode<Value: DeltaPackable>(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout [Value]
    ) throws(ParquetError) -> Int {
        var reader = ByteReader(bytes)
        let blockSize = try readCount(&reader, "block size")
        let miniblocks = try readCount(&reader, "miniblock count")
        let total = try readCount(&reader, "value count")
        let first = try readZigZag(&reader)
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 32 == 0
        else {
            throw .corrupt("DELTA_BINARY_PACKED block size \(blockSize) with \(miniblocks) miniblocks is not allowed")
        }
        guard total >= count else {
            throw .corrupt("DELTA_BINARY_PACKED holds \(total) values where \(count) were expected")
        }
        // Every block takes at least its minimum delta and bit widths: a count the bytes cannot hold is corrupt.
        if total > 1 {
            let blocks = (total - 2) / blockSize + 1
            guard blocks <= reader.remaining / (1 + miniblocks) else {
                throw .corrupt("DELTA_BINARY_PACKED data of \(bytes.count) bytes cannot hold \(total) values")
            }
        }
        let layout = Layout(blockSize: blockSize, miniblocks: miniblocks, total: total, first: first)
        if count == 0 {
            try walk(&reader, layout, count: 0, into: UnsafeMutablePointer<Value.Magnitude>?.none)
        } else {
            try values.appendUnsafe(count: count, zero: 0) { (output) throws(ParquetError) in
                try output.withMemoryRebound(to: Value.Magnitude.self) { (output) throws(ParquetError) in
                    try walk(&reader, layout, count: count, into: output.baseAddress)
                }
            }
        }
        return reader.offset
    }

    private struct Layout {
        let blockSize: Int
        let miniblocks: Int
        let total: Int
        let first: Int64
    }

    /// Reads every block of the run, writing the first `count` values to `output` (none when it is nil).
    @inline(__always)
    private static func walk<Magnitude: FixedWidthInteger & UnsignedInteger>(
        _ reader: inout ByteReader, _ layout: Layout, count: Int, into output: UnsafeMutablePointer<Magnitude>?
    ) throws(ParquetError) where Magnitude: BitwiseCopyable {
        let perMiniblock = layout.blockSize / layout.miniblocks
        var last = Magnitude(truncatingIfNeeded: layout.first)
        var produced = 0
        if count > 0, let output {
            output[0] = last
            produced = 1
        }
        var remaining = layout.total - 1  // values after the first still to read
        while remaining > 0 {
            let minDelta = Magnitude(truncatingIfNeeded: try readZigZag(&reader))
            let widths: UnsafeRawBufferPointer
            do { widths = try reader.readBytes(layout.miniblocks) } catch { throw ParquetError(error, in: "DELTA_BINARY_PACKED bit widths") }
            for miniblock in 0..<layout.miniblocks where remaining > 0 {
                let bitWidth = Int(widths[miniblock])
                guard bitWidth <= Magnitude.bitWidth else {
                    throw .corrupt("DELTA_BINARY_PACKED bit width \(bitWidth) is wider than \(Magnitude.bitWidth)-bit values")
                }
                let inMiniblock = min(perMiniblock, remaining)
                let byteCount = perMiniblock / 8 * bitWidth
                let packed: UnsafeRawBufferPointer
                do { packed = try reader.readBytes(byteCount) } catch { throw ParquetError(error, in: "DELTA_BINARY_PACKED miniblock") }
                let wanted = min(inMiniblock, count - produced)
                if wanted > 0, let output {
                    let target = output + produced
                    if bitWidth == 0 {
                        for index in 0..<wanted {
                            last = last &+ minDelta
                            target[index] = last
                        }
                    } else {
                        // The kernels may read on past the miniblock, up to the end of the buffer.
                        let readable = reader.buffer.count - reader.offset + byteCount
                        unpack(packed.baseAddress!, byteCount: readable, count: wanted, bitWidth: bitWidth, into: target)
                        for index in 0..<wanted {
                            last = last &+ minDelta &+ target[index]
                            target[index] = last
                        }
                    }
                    produced += wanted
                }
                remaining -= inMiniblock
            }
        }
    }

    @inline(__always)
    private static func unpack<Magnitude: FixedWidthInteger & UnsignedInteger>(
        _ source: UnsafeRawPointer, byteCount: Int, count: Int, bitWidth: Int, into destination: UnsafeMutablePointer<Magnitude>
    ) {
        if Magnitude.bitWidth == 32 {
            destination.withMemoryRebound(to: UInt32.self, capacity: count) { destination in
                Int32.unpack(source, byteCount: byteCount, count: count, bitWidth: bitWidth, into: destination)
            }
        } else {
            destination.withMemoryRebound(to: UInt64.self, capacity: count) { destination in
                Int64.unpack(source, byteCount: byteCount, count: count, bitWidth: bitWidth, into: destination)
            }
        }
    }

    private static func readCount(_ reader: inout ByteReader, _ what: String) throws(ParquetError) -> Int {
        let value: UInt64
        do { value = try reader.readVarUInt64() } catch { throw ParquetError(error, in: "DELTA_BINARY_PACKED \(what)") }
        guard value <= UInt64(Int32.max) else { throw .corrupt("DELTA_BINARY_PACKED \(what) \(value) is too large") }
        return Int(value)
    }

    private static func readZigZag(_ reader: inout ByteReader) throws(ParquetError) -> Int64 {
        do { return try reader.readZigZagInt64() } catch { throw ParquetError(error, in: "DELTA_BINARY_PACKED value") }
    }

    // MARK: - Encoding

    /// Appends `values` with blocks of 128 values in 4 miniblocks of 32.
    static func encode<Value: DeltaPackable>(_ values: UnsafeBufferPointer<Value>, into writer: inout ByteWriter) {
        writer.writeVarUInt64(UInt64(blockSize))
        writer.writeVarUInt64(UInt64(miniblockCount))
        writer.writeVarUInt64(UInt64(values.count))
        writer.writeZigZag(Int64(values.first ?? 0))
        guard values.count > 1 else { return }
        let perMiniblock = blockSize / miniblockCount
        withUnsafeTemporaryAllocation(of: Value.Magnitude.self, capacity: blockSize) { deltas in
            var start = 1
            while start < values.count {
                let end = min(start + blockSize, values.count)
                let n = end - start
                var minimum = Value.max
                for index in 0..<n {
                    let delta = Value.Magnitude(truncatingIfNeeded: values[start + index])
                        &- Value.Magnitude(truncatingIfNeeded: values[start + index - 1])
                    deltas[index] = delta
                    minimum = min(minimum, Value(truncatingIfNeeded: delta))
                }
                let minimumBits = Value.Magnitude(truncatingIfNeeded: minimum)
                for index in 0..<n { deltas[index] = deltas[index] &- minimumBits }
                for index in n..<blockSize { deltas[index] = 0 }
                writer.writeZigZag(Int64(minimum))
                // The four miniblock widths, one byte each, in writing order.
                var widths: UInt32 = 0
                for miniblock in 0..<miniblockCount where miniblock * perMiniblock < n {
                    var bits: Value.Magnitude = 0
                    for index in miniblock * perMiniblock..<(miniblock + 1) * perMiniblock { bits |= deltas[index] }
                    widths |= UInt32(Value.Magnitude.bitWidth - bits.leadingZeroBitCount) << (8 * miniblock)
                }
                writer.writeLittleEndian(widths)
                for miniblock in 0..<miniblockCount where miniblock * perMiniblock < n {
                    let slice = UnsafeBufferPointer(rebasing: deltas[miniblock * perMiniblock..<(miniblock + 1) * perMiniblock])
                    BitPacking.pack(slice, bitWidth: Int((widths >> (8 * miniblock)) & 0xFF), into: &writer)
                }
                start = end
            }
        }
    }
}
