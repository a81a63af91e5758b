/// A bounds-checked cursor over borrowed bytes: the one place where Avro, Thrift and Puffin decoding touches memory.
///
/// It does not own its buffer; create it inside `withUnsafeBytes` and keep it there. Every read checks the
/// remaining length first and throws `ByteCodingError` rather than trapping, so hostile input cannot crash the
/// process or make it allocate more than the input holds.
package struct ByteReader {
    package let buffer: UnsafeRawBufferPointer
    /// Offset of the next unread byte.
    package private(set) var offset: Int

    package init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    package var remaining: Int { buffer.count - offset }
    package var isAtEnd: Bool { offset >= buffer.count }

    @inline(__always)
    package mutating func readByte() throws(ByteCodingError) -> UInt8 {
        guard offset < buffer.count else { throw .truncated(offset: offset, needed: 1) }
        defer { offset += 1 }
        return buffer[offset]
    }

    /// The next `count` bytes, without copying.
    @inline(__always)
    package mutating func readBytes(_ count: Int) throws(ByteCodingError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count) }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    @inline(__always)
    package mutating func skip(_ count: Int) throws(ByteCodingError) {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset, needed: count) }
        offset += count
    }

    /// Moves the cursor to an absolute offset inside the buffer.
    package mutating func seek(to position: Int) throws(ByteCodingError) {
        guard position >= 0, position <= buffer.count else { throw .truncated(offset: position, needed: 0) }
        offset = position
    }

    /// A fixed-width little-endian integer.
    @inline(__always)
    package mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type = T.self) throws(ByteCodingError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw .truncated(offset: offset, needed: size) }
        defer { offset += size }
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    @inline(__always)
    package mutating func readFloat() throws(ByteCodingError) -> Float {
        Float(bitPattern: try readLittleEndian(UInt32.self))
    }

    @inline(__always)
    package mutating func readDouble() throws(ByteCodingError) -> Double {
        Double(bitPattern: try readLittleEndian(UInt64.self))
    }

    /// An unsigned LEB128 varint of at most 10 bytes (64 bits).
    @inline(__always)
    package mutating func readVarUInt64() throws(ByteCodingError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < buffer.count else { throw .truncated(offset: offset, needed: 1) }
            let byte = buffer[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw .varintOverflow(offset: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .varintOverflow(offset: start) }
        }
    }

    /// A zigzag-encoded signed varint of 64 bits (Avro `long`, Thrift `i64`).
    @inline(__always)
    package mutating func readZigZagInt64() throws(ByteCodingError) -> Int64 {
        ZigZag.decode(try readVarUInt64())
    }

    /// A zigzag-encoded signed varint that must fit 32 bits (Avro `int`, Thrift `i32`).
    @inline(__always)
    package mutating func readZigZagInt32() throws(ByteCodingError) -> Int32 {
        let start = offset
        let value = try readZigZagInt64()
        guard let narrow = Int32(exactly: value) else { throw .varintOverflow(offset: start) }
        return narrow
    }
}

/// Why bytes could not be decoded. Offsets are relative to the start of the buffer the reader was given.
package enum ByteCodingError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(offset: Int, needed: Int)
    case varintOverflow(offset: Int)

    package var description: String {
        switch self {
        case .truncated(let offset, let needed): "unexpected end of data at byte \(offset) (needed \(needed) more)"
        case .varintOverflow(let offset): "variable-length integer at byte \(offset) is too long"
        }
    }
}
