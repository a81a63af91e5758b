/// A whole-buffer compression codec as the file formats name them.
///
/// Parquet compresses each page and Avro each block in one call, so every codec here works on a complete
/// buffer: bytes in, bytes out. Nothing above this target knows that a C library exists.
package enum CompressionCodec: String, Sendable, CaseIterable, Hashable {
    case uncompressed
    /// The gzip format (RFC 1952): Parquet's GZIP. Decompression also accepts a zlib stream.
    case gzip
    /// Raw deflate (RFC 1951) with no header: Avro's `deflate`.
    case deflate
    /// A zstd frame: Parquet's ZSTD, Avro's `zstandard`.
    case zstd
    /// Raw snappy: Parquet's SNAPPY. (Avro's snappy adds a CRC32 trailer; the Avro target frames it.)
    case snappy
    /// A raw LZ4 block: Parquet's LZ4_RAW.
    case lz4Raw
    /// Parquet's deprecated LZ4: Hadoop's block framing, or a bare block or LZ4 frame as older writers made.
    /// Read-only.
    case lz4Hadoop

    /// Whether `compress` is available for this codec.
    package var canCompress: Bool { self != .lz4Hadoop }

    /// Compresses `input` in one call. `level` is the codec's own level (zlib 0...9, zstd 1...22); `nil` is the
    /// library default.
    package func compress(_ input: UnsafeRawBufferPointer, level: Int? = nil) throws(CompressionError) -> [UInt8] {
        switch self {
        case .uncompressed: return Array(input)
        case .gzip: return try Zlib.compress(input, format: .gzip, level: level)
        case .deflate: return try Zlib.compress(input, format: .raw, level: level)
        case .zstd: return try Zstd.compress(input, level: level)
        case .snappy: return try Snappy.compress(input)
        case .lz4Raw: return try LZ4.compressBlock(input)
        case .lz4Hadoop: throw CompressionError.unsupported(self, "writing the deprecated Hadoop LZ4 framing")
        }
    }

    /// Decompresses `input`. When the caller knows the decompressed size (a Parquet page header says it), pass it
    /// as `expectedSize`: the output is allocated once and a mismatch is an error. Without it the codec finds the
    /// size itself, never trusting more than `sizeLimit` bytes.
    package func decompress(
        _ input: UnsafeRawBufferPointer, expectedSize: Int? = nil, sizeLimit: Int = CompressionCodec.defaultSizeLimit
    ) throws(CompressionError) -> [UInt8] {
        if let expectedSize, expectedSize < 0 || expectedSize > sizeLimit {
            throw CompressionError.corrupt(self, "declared size \(expectedSize) is out of range")
        }
        let output: [UInt8]
        switch self {
        case .uncompressed: output = Array(input)
        case .gzip: output = try Zlib.decompress(input, format: .auto, expectedSize: expectedSize, sizeLimit: sizeLimit)
        case .deflate: output = try Zlib.decompress(input, format: .raw, expectedSize: expectedSize, sizeLimit: sizeLimit)
        case .zstd: output = try Zstd.decompress(input, expectedSize: expectedSize, sizeLimit: sizeLimit)
        case .snappy: output = try Snappy.decompress(input, sizeLimit: sizeLimit)
        case .lz4Raw:
            guard let expectedSize else { throw CompressionError.unsupported(self, "a raw LZ4 block without its size") }
            output = try LZ4.decompressBlock(input, size: expectedSize, codec: self)
        case .lz4Hadoop:
            guard let expectedSize else { throw CompressionError.unsupported(self, "Hadoop LZ4 without its size") }
            output = try LZ4.decompressLegacy(input, size: expectedSize)
        }
        if let expectedSize, output.count != expectedSize {
            throw CompressionError.corrupt(self, "decompressed to \(output.count) bytes, expected \(expectedSize)")
        }
        return output
    }

    /// Largest buffer a decompression may produce unless the caller says otherwise (1 GiB): a hostile header
    /// cannot make us allocate more.
    package static let defaultSizeLimit = 1 << 30
}

extension CompressionCodec {
    package func compress(_ input: [UInt8], level: Int? = nil) throws(CompressionError) -> [UInt8] {
        // Array.withUnsafeBytes rethrows untyped errors; carry the typed one out in a Result.
        try input.withUnsafeBytes { bytes in
            Result { () throws(CompressionError) in try compress(bytes, level: level) }
        }.get()
    }

    package func decompress(
        _ input: [UInt8], expectedSize: Int? = nil, sizeLimit: Int = CompressionCodec.defaultSizeLimit
    ) throws(CompressionError) -> [UInt8] {
        try input.withUnsafeBytes { bytes in
            Result { () throws(CompressionError) in
                try decompress(bytes, expectedSize: expectedSize, sizeLimit: sizeLimit)
            }
        }.get()
    }
}

/// Why a buffer could not be compressed or decompressed.
package enum CompressionError: Error, Equatable, CustomStringConvertible {
    case corrupt(CompressionCodec, String)
    case unsupported(CompressionCodec, String)
    case library(CompressionCodec, String)

    package var description: String {
        switch self {
        case .corrupt(let codec, let why): "corrupt \(codec.rawValue) data: \(why)"
        case .unsupported(let codec, let what): "\(codec.rawValue): \(what) is not supported"
        case .library(let codec, let why): "\(codec.rawValue) library error: \(why)"
        }
    }
}
