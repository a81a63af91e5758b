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
            for index in 0..<count {
                let value =
                    UInt32(input[index]) | UInt32(input[count + index]) << 8 | UInt32(input[2 * count + index]) << 16
                    | UInt32(input[3 * count + index]) << 24
                output.storeBytes(of: value.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        case 8:
            for index in 0..<count {
                var value: UInt64 = 0
                for stream in 0..<8 { value |= UInt64(input[stream * count + index]) << (8 * stream) }
                output.storeBytes(of: value.littleEndian, toByteOffset: index * 8, as: UInt64.self)
            }
        default:
            let target = output.assumingMemoryBound(to: UInt8.self)
            for stream in 0..<width {
                let streamStart = input + stream * count
                for index in 0..<count { target[index * width + stream] = streamStart[index] }
            }
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
