import CLZ4

/// LZ4 blocks, and the legacy framings Parquet's deprecated LZ4 codec met in the wild.
enum LZ4 {
    static func compressBlock(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else { throw .unsupported(.lz4Raw, "blocks over 2 GB") }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var written: Int32 = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            written = buffer.withMemoryRebound(to: CChar.self) { out in
                LZ4_compress_default(
                    input.baseAddress?.assumingMemoryBound(to: CChar.self), out.baseAddress, Int32(input.count),
                    Int32(bound))
            }
            count = max(Int(written), 0)
        }
        guard written > 0 || input.isEmpty else { throw .library(.lz4Raw, "LZ4_compress_default failed") }
        return output
    }

    static func decompressBlock(_ input: UnsafeRawBufferPointer, size: Int, codec: CompressionCodec)
        throws(CompressionError) -> [UInt8]
    {
        guard size <= Int(Int32.max), input.count <= Int(Int32.max) else { throw .unsupported(codec, "blocks over 2 GB") }
        var produced: Int32 = 0
        let output = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            produced = buffer.withMemoryRebound(to: CChar.self) { out in
                LZ4_decompress_safe(
                    input.baseAddress?.assumingMemoryBound(to: CChar.self), out.baseAddress, Int32(input.count),
                    Int32(size))
            }
            count = max(Int(produced), 0)
        }
        guard produced == size else { throw .corrupt(codec, "invalid LZ4 block") }
        return output
    }

    /// Hadoop's framing is a run of `[uncompressed length: u32 BE][compressed length: u32 BE][LZ4 block]`. Writers
    /// before it settled also produced a bare block or an LZ4 frame; each is tried in turn, as parquet-cpp does.
    static func decompressLegacy(_ input: UnsafeRawBufferPointer, size: Int) throws(CompressionError) -> [UInt8] {
        if let output = hadoopFramed(input, size: size) { return output }
        if input.count >= 4 && input.loadUnaligned(as: UInt32.self).littleEndian == 0x184D_2204 {
            return try frame(input, size: size)
        }
        return try decompressBlock(input, size: size, codec: .lz4Hadoop)
    }

    private static func hadoopFramed(_ input: UnsafeRawBufferPointer, size: Int) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(size)
        var offset = 0
        func bigEndian32(at position: Int) -> Int {
            Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        }
        while offset < input.count {
            guard input.count - offset >= 8 else { return nil }
            let blockSize = bigEndian32(at: offset)
            let compressedSize = bigEndian32(at: offset + 4)
            offset += 8
            guard compressedSize <= input.count - offset, output.count + blockSize <= size else { return nil }
            let block = UnsafeRawBufferPointer(rebasing: input[offset..<offset + compressedSize])
            guard let decoded = try? decompressBlock(block, size: blockSize, codec: .lz4Hadoop) else { return nil }
            output += decoded
            offset += compressedSize
        }
        return output.count == size ? output : nil
    }

    private static func frame(_ input: UnsafeRawBufferPointer, size: Int) throws(CompressionError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw .library(.lz4Hadoop, "cannot create a frame context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output = [UInt8](repeating: 0, count: size)
        var sourceOffset = 0
        var produced = 0
        while sourceOffset < input.count {
            var sourceSize = input.count - sourceOffset
            var destinationSize = size - produced
            let hint = output.withUnsafeMutableBytes { out in
                LZ4F_decompress(
                    context, out.baseAddress!.advanced(by: produced), &destinationSize,
                    input.baseAddress!.advanced(by: sourceOffset), &sourceSize, nil)
            }
            if LZ4F_isError(hint) != 0 { throw .corrupt(.lz4Hadoop, String(cString: LZ4F_getErrorName(hint))) }
            produced += destinationSize
            sourceOffset += sourceSize
            if sourceSize == 0 && destinationSize == 0 { break }
        }
        guard produced == size else { throw .corrupt(.lz4Hadoop, "LZ4 frame holds \(produced) bytes, expected \(size)") }
        return output
    }
}
