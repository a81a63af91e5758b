import ByteCoding
import Testing

@Suite struct ByteCodingTests {
    @Test(arguments: [Int64.min, -1_000_000_000_000, -64, -1, 0, 1, 63, 64, 300, Int64(Int32.max), Int64.max])
    func zigzagVarintsRoundTrip(value: Int64) throws {
        var writer = ByteWriter()
        writer.writeZigZag(value)
        try writer.bytes.withUnsafeBytes { buffer throws in
            var reader = ByteReader(buffer)
            #expect(try reader.readZigZagInt64() == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test func zigzagMatchesTheAvroSpecTable() {
        // Avro spec: 0→0, -1→1, 1→2, -2→3, 2→4, -64→127, 64→128.
        let pairs: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (2, 4), (-64, 127), (64, 128)]
        for (signed, unsigned) in pairs {
            #expect(ZigZag.encode(signed) == unsigned)
            #expect(ZigZag.decode(unsigned) == signed)
        }
    }

    @Test func littleEndianValuesRoundTrip() throws {
        var writer = ByteWriter()
        writer.writeLittleEndian(UInt16(0xBEEF))
        writer.writeLittleEndian(Int32(-2))
        writer.writeFloat(1.5)
        writer.writeDouble(-.infinity)
        #expect(writer.bytes.prefix(2) == [0xEF, 0xBE])
        try writer.bytes.withUnsafeBytes { buffer throws in
            var reader = ByteReader(buffer)
            #expect(try reader.readLittleEndian(UInt16.self) == 0xBEEF)
            #expect(try reader.readLittleEndian(Int32.self) == -2)
            #expect(try reader.readFloat() == 1.5)
            #expect(try reader.readDouble() == -.infinity)
            #expect(throws: ByteCodingError.self) { try reader.readByte() }
        }
    }

    @Test func truncatedAndOverlongInputThrows() {
        [UInt8]([0x80, 0x80]).withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            #expect(throws: ByteCodingError.truncated(offset: 2, needed: 1)) { try reader.readVarUInt64() }
        }
        [UInt8](repeating: 0xFF, count: 11).withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            #expect(throws: ByteCodingError.varintOverflow(offset: 0)) { try reader.readVarUInt64() }
        }
        // 2^32 does not fit an Avro int.
        var writer = ByteWriter()
        writer.writeZigZag(1 << 32)
        writer.bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            #expect(throws: ByteCodingError.self) { try reader.readZigZagInt32() }
        }
        [UInt8]([1, 2, 3]).withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            #expect(throws: ByteCodingError.self) { try reader.readBytes(4) }
            #expect(throws: ByteCodingError.self) { try reader.readBytes(-1) }
            #expect(reader.offset == 0)
        }
    }

    /// Each instance draws its own key: the same value hashes alike within one and differently across two, so no
    /// fixed set of values collides for every run.
    @Test func keyedHashesDifferAcrossInstances() {
        let first = KeyedHash()
        let second = KeyedHash()
        let words: [UInt64] = (0..<1_000).map { $0 &* 0x9E37_79B9_7F4A_7C15 }
        #expect(words.map(first.hash) == words.map(first.hash))
        #expect(zip(words.map(first.hash), words.map(second.hash)).filter { $0 == $1 }.count < 10)
        let text = Array("user-12345 and some more bytes".utf8)
        text.withUnsafeBytes { bytes in
            #expect(first.hash(bytes) == first.hash(bytes))
            #expect(first.hash(bytes) != second.hash(bytes))
        }
    }
}
