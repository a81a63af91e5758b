import CSnappy

/// Raw snappy through the snappy C API.
enum Snappy {
    static func compress(_ input: UnsafeRawBufferPointer) throws(CompressionError) -> [UInt8] {
        let bound = snappy_max_compressed_length(input.count)
        var status = SNAPPY_OK
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            var length = bound
            status = buffer.withMemoryRebound(to: CChar.self) { out in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, out.baseAddress,
                    &length)
            }
            count = status == SNAPPY_OK ? length : 0
        }
        guard status == SNAPPY_OK else { throw .library(.snappy, "snappy_compress returned \(status.rawValue)") }
        return output
    }

    static func decompress(_ input: UnsafeRawBufferPointer, sizeLimit: Int) throws(CompressionError) -> [UInt8] {
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
            throw .corrupt(.snappy, "bad length preamble")
        }
        guard length <= sizeLimit else { throw .corrupt(.snappy, "declared size \(length) is over the limit") }
        var status = SNAPPY_OK
        let output = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            var produced = length
            status = buffer.withMemoryRebound(to: CChar.self) { out in
                snappy_uncompress(source, input.count, out.baseAddress, &produced)
            }
            count = status == SNAPPY_OK ? produced : 0
        }
        guard status == SNAPPY_OK else { throw .corrupt(.snappy, "invalid compressed data") }
        return output
    }
}
