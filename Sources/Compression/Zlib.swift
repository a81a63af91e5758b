import CZlib

/// gzip, zlib and raw deflate through zlib.
enum Zlib {
    enum Format {
        case gzip, raw, auto

        /// zlib's `windowBits` for each framing: 15 + 16 writes gzip, -15 is raw, 15 + 32 detects gzip or zlib.
        var windowBits: Int32 {
            switch self {
            case .gzip: 31
            case .raw: -15
            case .auto: 47
            }
        }

        var codec: CompressionCodec { self == .raw ? .deflate : .gzip }
    }

    static func compress(_ input: UnsafeRawBufferPointer, format: Format, level: Int?) throws(CompressionError)
        -> [UInt8]
    {
        let codec = format.codec
        let level = Int32(clamping: level ?? Int(Z_DEFAULT_COMPRESSION))
        guard level == Z_DEFAULT_COMPRESSION || (0...9).contains(level) else {
            throw .unsupported(codec, "compression level \(level) (use 0...9)")
        }
        var stream = z_stream()
        var status = deflateInit2_(
            &stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .library(codec, "deflateInit2 returned \(status)") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        status = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw .library(codec, "deflate returned \(status)") }
        output.removeLast(bound - Int(stream.total_out))
        return output
    }

    static func decompress(
        _ input: UnsafeRawBufferPointer, format: Format, expectedSize: Int?, sizeLimit: Int
    ) throws(CompressionError) -> [UInt8] {
        let codec = format.codec
        var stream = z_stream()
        var status = inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .library(codec, "inflateInit2 returned \(status)") }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)

        var output = [UInt8](repeating: 0, count: expectedSize ?? max(64, min(sizeLimit, input.count * 4)))
        var produced = 0
        while true {
            if produced == output.count {
                // Room for one more byte even when the size is known, so trailing garbage is detected.
                guard output.count < sizeLimit || expectedSize != nil else {
                    throw .corrupt(codec, "decompresses to more than \(sizeLimit) bytes")
                }
                output.append(contentsOf: repeatElement(0, count: expectedSize == nil ? output.count : 1))
            }
            status = output.withUnsafeMutableBytes { out in
                stream.next_out = out.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count - produced)
                let status = inflate(&stream, Z_NO_FLUSH)
                produced = out.count - Int(stream.avail_out)
                return status
            }
            if status == Z_STREAM_END {
                // gzip allows several members one after another.
                if format != .raw && stream.avail_in > 0 {
                    guard inflateReset(&stream) == Z_OK else { throw .library(codec, "inflateReset failed") }
                    continue
                }
                break
            }
            if status == Z_BUF_ERROR && stream.avail_in == 0 {
                throw .corrupt(codec, "input ends before the end of the stream")
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw .corrupt(codec, message)
            }
            if let expectedSize, produced > expectedSize {
                throw .corrupt(codec, "decompresses to more than the expected \(expectedSize) bytes")
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}

/// CRC-32 (IEEE, as zlib, gzip and Avro's snappy blocks use it).
package enum CRC32 {
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        // zlib takes a 32-bit length: feed large buffers in pieces.
        var crc = crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, Int(UInt32.max))
            crc = crc32(crc, base.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(length))
            offset += length
        }
        return UInt32(crc)
    }

    package static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }
}
