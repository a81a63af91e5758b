import ByteCoding

/// Avro's primitive encodings on the shared cursor, throwing `AvroError`.
extension ByteReader {
    @inline(__always)
    mutating func avroLong() throws(AvroError) -> Int64 {
        do { return try readZigZagInt64() } catch { throw AvroError(error) }
    }

    @inline(__always)
    mutating func avroInt() throws(AvroError) -> Int32 {
        let start = offset
        let value = try avroLong()
        guard let narrow = Int32(exactly: value) else {
            throw .corrupt("int at byte \(start) is out of range: \(value)")
        }
        return narrow
    }

    @inline(__always)
    mutating func avroBoolean() throws(AvroError) -> Bool {
        let byte: UInt8
        do { byte = try readByte() } catch { throw AvroError(error) }
        guard byte <= 1 else { throw .corrupt("boolean at byte \(offset - 1) is \(byte)") }
        return byte == 1
    }

    @inline(__always)
    mutating func avroFloat() throws(AvroError) -> Float {
        do { return try readFloat() } catch { throw AvroError(error) }
    }

    @inline(__always)
    mutating func avroDouble() throws(AvroError) -> Double {
        do { return try readDouble() } catch { throw AvroError(error) }
    }

    /// `count` raw bytes, borrowed from the buffer.
    @inline(__always)
    mutating func avroFixed(_ count: Int) throws(AvroError) -> UnsafeRawBufferPointer {
        do { return try readBytes(count) } catch { throw AvroError(error) }
    }

    /// A length-prefixed run (bytes, string), borrowed from the buffer.
    @inline(__always)
    mutating func avroBytes() throws(AvroError) -> UnsafeRawBufferPointer {
        let start = offset
        let length = try avroLong()
        guard length >= 0, length <= remaining else {
            throw .corrupt("length \(length) at byte \(start) is negative or past the end (\(remaining) bytes left)")
        }
        return try avroFixed(Int(length))
    }

    @inline(__always)
    mutating func avroString() throws(AvroError) -> String {
        let start = offset
        let bytes = try avroBytes()
        // ASCII is valid UTF-8 and takes the fast, non-generic path; anything else is validated strictly.
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .corrupt("string at byte \(start) is not valid UTF-8")
        }
        return string
    }

    /// Whether every byte is below 0x80, eight bytes at a time.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            bits |= UInt64(bytes[index])
            index += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// The item count of the next array or map block, and for a negative count also the block's byte size (read
    /// and checked against the bytes left). Zero ends the collection. Items take at least one byte each, so the
    /// count cannot exceed the bytes left; items that encode to nothing (`null`, empty records) draw on `budget`
    /// instead, so that a few bytes cannot declare billions of values.
    @inline(__always)
    mutating func avroBlockCount(itemsAreEmpty: Bool, budget: inout Int) throws(AvroError) -> (
        count: Int, byteSize: Int?
    ) {
        let start = offset
        var count = try avroLong()
        var byteSize: Int?
        if count < 0 {
            let size = try avroLong()
            guard count != .min, size >= 0, size <= remaining else {
                throw .corrupt("block of \(count) items, \(size) bytes at byte \(start) is past the end")
            }
            count = -count
            byteSize = Int(size)
        }
        if itemsAreEmpty {
            guard count <= budget else {
                throw .corrupt("block of \(count) empty items at byte \(start) is over the limit of \(budget) more")
            }
            budget -= Int(count)
        } else {
            guard count <= remaining else {
                throw .corrupt("block of \(count) items at byte \(start) is larger than the \(remaining) bytes left")
            }
        }
        return (Int(count), byteSize)
    }

    /// Checks that a collection block's items took the byte size its header declared.
    @inline(__always)
    func avroCheckBlockSize(_ byteSize: Int?, itemsStart: Int) throws(AvroError) {
        guard let byteSize, offset - itemsStart != byteSize else { return }
        throw .corrupt(
            "collection block at byte \(itemsStart) declares \(byteSize) bytes, its items take \(offset - itemsStart)")
    }

    /// The item count of a block in the file header's metadata map.
    mutating func avroBlockCount() throws(AvroError) -> Int {
        var budget = 0
        return try avroBlockCount(itemsAreEmpty: false, budget: &budget).count
    }
}
