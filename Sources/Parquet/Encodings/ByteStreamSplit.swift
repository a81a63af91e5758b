import ByteCoding

/// BYTE_STREAM_SPLIT (9) for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY: for values of K bytes, K streams of
/// N bytes, stream k holding byte k of every value. Nothing marks where the data ends but the value count.
enum ByteStreamSplit {
    static func decode<Value: BitwiseCopyable & Numeric>(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout [Value]
    ) throws(ParquetError) -> Int {
        let width = MemoryLayout<Value>.size
        guard count <= bytes.count / width else { throw truncated(width: width, count: count, bytes.count) }
        guard let source = bytes.baseAddress else { return 0 }
        values.appendUnsafe(count: count, zero: 0) { output in
            join(source, count: count, width: width, into: UnsafeMutableRawPointer(output.baseAddress!))
        }
        return count * width
    }

    static func decode(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout FixedLengthByteArrays
    ) throws(ParquetError) -> Int {
        let width = values.width
        guard count <= bytes.count / width else { throw truncated(width: width, count: count, bytes.count) }
        guard let source = bytes.baseAddress else { return 0 }
        values.data.appendUnsafe(count: count * width, zero: 0) { output in
            join(source, count: count, width: width, into: UnsafeMutableRawPointer(output.baseAddress!))
        }
        return count * width
    }

    private static func truncated(width: Int, count: Int, _ available: Int) -> ParquetError {
        .corrupt("BYTE_STREAM_SPLIT data of \(available) bytes cannot hold \(count) values of \(width) bytes")
    }

    /// Interleaves `width` streams of `count` bytes into `count` values of `width` bytes.
    @inline(__always)
    private static func join(_ source: UnsafeRawPointer, count: Int, width: Int, into output: UnsafeMutableRawPointer) {
        let input = source.assumingMemoryBound(to: UInt8.self)
        switch width {
        case 4:
            // Four values at a time: one 32-bit load per stream, then a 4 x 4 byte transpose in registers.
            var index = 0
            while index + 4 <= count {
                var r0 = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: index, as: UInt32.self))
                var r1 = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: count + index, as: UInt32.self))
                var r2 = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 2 * count + index, as: UInt32.self))
                var r3 = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 3 * count + index, as: UInt32.self))
                swapBlocks(&r0, &r1, shift: 8, mask: 0x00FF_00FF)
                swapBlocks(&r2, &r3, shift: 8, mask: 0x00FF_00FF)
                swapBlocks(&r0, &r2, shift: 16, mask: 0x0000_FFFF)
                swapBlocks(&r1, &r3, shift: 16, mask: 0x0000_FFFF)
                output.storeBytes(of: r0.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                output.storeBytes(of: r1.littleEndian, toByteOffset: index * 4 + 4, as: UInt32.self)
                output.storeBytes(of: r2.littleEndian, toByteOffset: index * 4 + 8, as: UInt32.self)
                output.storeBytes(of: r3.littleEndian, toByteOffset: index * 4 + 12, as: UInt32.self)
                index += 4
            }
            joinBytewise(input, count: count, width: width, from: index, into: output)
        case 8:
            // Eight values at a time: one 64-bit load per stream, then an 8 x 8 byte transpose in registers.
            var index = 0
            while index + 8 <= count {
                var rows = (
                    load(source, index), load(source, count + index), load(source, 2 * count + index),
                    load(source, 3 * count + index), load(source, 4 * count + index), load(source, 5 * count + index),
                    load(source, 6 * count + index), load(source, 7 * count + index))
                swapBlocks(&rows.0, &rows.1, shift: 8, mask: 0x00FF_00FF_00FF_00FF)
                swapBlocks(&rows.2, &rows.3, shift: 8, mask: 0x00FF_00FF_00FF_00FF)
                swapBlocks(&rows.4, &rows.5, shift: 8, mask: 0x00FF_00FF_00FF_00FF)
                swapBlocks(&rows.6, &rows.7, shift: 8, mask: 0x00FF_00FF_00FF_00FF)
                swapBlocks(&rows.0, &rows.2, shift: 16, mask: 0x0000_FFFF_0000_FFFF)
                swapBlocks(&rows.1, &rows.3, shift: 16, mask: 0x0000_FFFF_0000_FFFF)
                swapBlocks(&rows.4, &rows.6, shift: 16, mask: 0x0000_FFFF_0000_FFFF)
                swapBlocks(&rows.5, &rows.7, shift: 16, mask: 0x0000_FFFF_0000_FFFF)
                swapBlocks(&rows.0, &rows.4, shift: 32, mask: 0x0000_0000_FFFF_FFFF)
                swapBlocks(&rows.1, &rows.5, shift: 32, mask: 0x0000_0000_FFFF_FFFF)
                swapBlocks(&rows.2, &rows.6, shift: 32, mask: 0x0000_0000_FFFF_FFFF)
                swapBlocks(&rows.3, &rows.7, shift: 32, mask: 0x0000_0000_FFFF_FFFF)
                let target = output + index * 8
                target.storeBytes(of: rows.0.littleEndian, toByteOffset: 0, as: UInt64.self)
                target.storeBytes(of: rows.1.littleEndian, toByteOffset: 8, as: UInt64.self)
                target.storeBytes(of: rows.2.littleEndian, toByteOffset: 16, as: UInt64.self)
                target.storeBytes(of: rows.3.littleEndian, toByteOffset: 24, as: UInt64.self)
                target.storeBytes(of: rows.4.littleEndian, toByteOffset: 32, as: UInt64.self)
                target.storeBytes(of: rows.5.littleEndian, toByteOffset: 40, as: UInt64.self)
                target.storeBytes(of: rows.6.littleEndian, toByteOffset: 48, as: UInt64.self)
                target.storeBytes(of: rows.7.littleEndian, toByteOffset: 56, as: UInt64.self)
                index += 8
            }
            joinBytewise(input, count: count, width: width, from: index, into: output)
        default:
            joinBytewise(input, count: count, width: width, from: 0, into: output)
        }
    }

    @inline(__always)
    private static func load(_ source: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// One step of a byte-matrix transpose: swaps the high `shift`-bit blocks of `low` with the low blocks of `high`.
    @inline(__always)
    private static func swapBlocks<Word: FixedWidthInteger>(_ low: inout Word, _ high: inout Word, shift: Word, mask: Word) {
        let exchanged = ((low >> shift) ^ high) & mask
        high ^= exchanged
        low ^= exchanged << shift
    }

    /// Values `first..<count`, one byte at a time.
    @inline(__always)
    private static func joinBytewise(
        _ input: UnsafePointer<UInt8>, count: Int, width: Int, from first: Int, into output: UnsafeMutableRawPointer
    ) {
        guard first < count else { return }
        let target = output.assumingMemoryBound(to: UInt8.self)
        for stream in 0..<width {
            let streamStart = input + stream * count
            for index in first..<count { target[index * width + stream] = streamStart[index] }
        }
    }

    /// Appends the streams of `count` values of `width` bytes stored back to back in `source`.
    static func encode(_ source: UnsafeRawBufferPointer, count: Int, width: Int, into writer: inout ByteWriter) {
        guard count > 0 else { return }
        let streams = [UInt8](unsafeUninitializedCapacity: count * width) { output, initialized in
            for stream in 0..<width {
                for index in 0..<count { output[stream * count + index] = source[index * width + stream] }
            }
            initialized = count * width
        }
        writer.writeBytes(streams)
    }
}
