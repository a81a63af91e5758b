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
}
