import Compression

/// A container file's block codec, by its `avro.codec` name.
package enum AvroCodec: String, Sendable, CaseIterable, Hashable {
    case null
    /// Raw deflate (RFC 1951), no zlib header.
    case deflate
    /// Raw snappy followed by the big-endian CRC32 of the uncompressed data.
    case snappy
    /// One zstd frame.
    case zstandard

    /// The codec named in a file's metadata; a missing name means `null`.
    package init(name: String?) throws(AvroError) {
        guard let name else {
            self = .null
            return
        }
        guard let codec = AvroCodec(rawValue: name) else { throw .unsupported("codec \"\(name)\"") }
        self = codec
    }

    /// The codec for an Iceberg `write.avro.compression-codec` value (`uncompressed`, `gzip`, `zstd`, `snappy`, in
    /// any case), or for an Avro codec name.
    package init(icebergName name: String) throws(AvroError) {
        switch name.lowercased() {
        case "uncompressed", "none": self = .null
        case "gzip": self = .deflate
        case "zstd": self = .zstandard
        default: try self.init(name: name.lowercased())
        }
    }

    /// Compresses one block's serialized records. `level` is the codec's own level (deflate 0...9, zstd 1...22).
    package func compress(_ data: UnsafeRawBufferPointer, level: Int?) throws(AvroError) -> [UInt8] {
        switch self {
        case .null: return Array(data)
        case .deflate:
            return try run { () throws(CompressionError) in try CompressionCodec.deflate.compress(data, level: level) }
        case .zstandard:
            return try run { () throws(CompressionError) in try CompressionCodec.zstd.compress(data, level: level) }
        case .snappy:
            var output = try run { () throws(CompressionError) in try CompressionCodec.snappy.compress(data) }
            let crc = CRC32.checksum(data)
            for shift in stride(from: 24, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift)))
            }
            return output
        }
    }

    /// Decompresses one block, producing at most `sizeLimit` bytes; snappy's CRC32 is checked.
    package func decompress(_ data: UnsafeRawBufferPointer, sizeLimit: Int) throws(AvroError) -> [UInt8] {
        switch self {
        case .null: return Array(data)
        case .deflate:
            return try run { () throws(CompressionError) in
                try CompressionCodec.deflate.decompress(data, sizeLimit: sizeLimit)
            }
        case .zstandard:
            return try run { () throws(CompressionError) in
                try CompressionCodec.zstd.decompress(data, sizeLimit: sizeLimit)
            }
        case .snappy:
            guard data.count >= 4 else { throw .corrupt("snappy block of \(data.count) bytes has no CRC32") }
            let body = UnsafeRawBufferPointer(rebasing: data[..<(data.count - 4)])
            let output = try run { () throws(CompressionError) in
                try CompressionCodec.snappy.decompress(body, sizeLimit: sizeLimit)
            }
            let stored = data[data.count - 4..<data.count].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let actual = output.withUnsafeBytes { CRC32.checksum($0) }
            guard stored == actual else {
                throw .corrupt("snappy block CRC32 is \(hex(stored)), the data's is \(hex(actual))")
            }
            return output
        }
    }

    /// Decompresses one block held in an array; a `null` block is returned as it is, without a copy.
    package func decompress(_ data: [UInt8], sizeLimit: Int) throws(AvroError) -> [UInt8] {
        if self == .null { return data }
        return try data.withUnsafeBytes { buffer in
            Result { () throws(AvroError) in try decompress(buffer, sizeLimit: sizeLimit) }
        }.get()
    }

    /// Runs a Compression call, reporting its error as this codec's.
    private func run(_ body: () throws(CompressionError) -> [UInt8]) throws(AvroError) -> [UInt8] {
        do { return try body() } catch { throw AvroError(error, codec: rawValue) }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
