import TestSupport
import ByteCoding
import Testing

@testable import Parquet

@Suite struct ThriftCompactTests {
    private func read<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws(ParquetError) -> T)
        throws(ParquetError) -> T
    {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in
                var reader = ThriftCompactReader(buffer)
                return try body(&reader)
            }
        }.get()
    }

    @Test(arguments: [Int32.min, -1, 0, 1, 63, 64, Int32.max])
    func primitiveFieldsRoundTrip(value: Int32) throws {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.bool(1, true)
        writer.i32(2, value)
        writer.i64(3, Int64(value) * 3)
        writer.string(20, "ice\u{e9}")  // long delta: full field id
        writer.binary(21, [0, 255])
        writer.double(22, -1.5)
        writer.i16(23, -7)
        writer.i8(24, -2)
        writer.bool(25, false)
        writer.endStruct()
        var seen: [Int16] = []
        try read(writer.bytes) { reader throws(ParquetError) in
            try reader.readStruct { reader, field throws(ParquetError) in
                seen.append(field.id)
                switch field.id {
                case 1: #expect(try reader.bool(field))
                case 2: #expect(try reader.i32(field) == value)
                case 3: #expect(try reader.i64(field) == Int64(value) * 3)
                case 20: #expect(try reader.string(field) == "ice\u{e9}")
                case 21: #expect(try reader.binary(field) == [0, 255])
                case 22: #expect(try reader.double(field) == -1.5)
                case 23: #expect(try reader.i16(field) == -7)
                case 24: #expect(try reader.i8(field) == -2)
                case 25: #expect(try reader.bool(field) == false)
                default: return false
                }
                return true
            }
        }
        #expect(seen == [1, 2, 3, 20, 21, 22, 23, 24, 25])
    }

    @Test func unknownNestedFieldsAreSkipped() throws {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.i32(1, 7)
        // Unknown field 2: a struct holding a list of structs, a map and a nested list of bools.
        writer.beginStructField(2)
        writer.beginListField(1, .struct, count: 20)
        for index in 0..<20 {
            writer.beginStruct()
            writer.i64(1, Int64(index))
            writer.string(2, "x")
            writer.endStruct()
        }
        writer.fieldHeader(2, .map)
        writer.output.writeVarUInt64(2)
        writer.output.writeByte(ThriftType.binary.rawValue << 4 | ThriftType.i32.rawValue)
        writer.writeString("a")
        writer.writeI32(1)
        writer.writeString("b")
        writer.writeI32(2)
        writer.beginListField(3, .booleanTrue, count: 3)
        writer.writeBoolElement(true)
        writer.writeBoolElement(false)
        writer.writeBoolElement(true)
        writer.double(4, 2.5)
        writer.endStruct()
        writer.i32(3, 9)
        writer.endStruct()
        var known: [Int32] = []
        try read(writer.bytes) { reader throws(ParquetError) in
            try reader.readStruct { reader, field throws(ParquetError) in
                guard field.id != 2 else { return false }
                known.append(try reader.i32(field))
                return true
            }
            #expect(reader.bytes.isAtEnd)
        }
        #expect(known == [7, 9])
    }

    @Test func deepNestingIsRefused() {
        // 200 nested structs in field 1 of each other.
        var bytes: [UInt8] = []
        for _ in 0..<200 { bytes.append(0x1C) }
        bytes += Array(repeating: 0, count: 201)
        #expect(throws: ParquetError.self) {
            try read(bytes) { reader throws(ParquetError) in
                try reader.readStruct { _, _ throws(ParquetError) in false }
            }
        }
    }

    @Test(arguments: [
        [UInt8]([0x18, 0x7F]),  // binary of 127 bytes, none present
        [0x19, 0xF5, 0xFF, 0xFF, 0xFF, 0x0F],  // list of 4 billion i32
        [0x19, 0x35],  // list of 3 i32, none present
        [0x15],  // i32 without its varint
        [0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // overlong varint
        [0x1D],  // unknown field type 13
        [0x15, 0x02],  // no STOP
    ])
    func malformedInputThrows(bytes: [UInt8]) {
        #expect(throws: ParquetError.self) {
            try read(bytes) { reader throws(ParquetError) in
                try reader.readStruct { _, _ throws(ParquetError) in false }
            }
        }
    }

    @Test func requiredFieldOfAnotherWireTypeIsMissing() {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.string(1, "not a number")
        writer.i32(2, 0)
        writer.i32(3, 1)
        writer.endStruct()
        #expect(throws: ParquetError.corrupt("PageEncodingStats has no fields")) {
            try read(writer.bytes) { reader throws(ParquetError) in try PageEncodingStats(from: &reader) }
        }
    }

    /// Thrift's generated readers skip a known field whose wire type is not the declared one; so does amoro (a
    /// parquet-mr fork wrote a list of structs as `ColumnMetaData` field 15, now `bloom_filter_length: i32`).
    @Test func optionalFieldOfAnotherWireTypeIsSkipped() throws {
        var metadata = ColumnMetaData(
            type: .int32, encodings: [.plain], pathInSchema: ["a"], codec: .snappy, numValues: 3,
            totalUncompressedSize: 10, totalCompressedSize: 8, dataPageOffset: 4)
        metadata.bloomFilterOffset = 99
        var writer = ThriftCompactWriter()
        metadata.write(to: &writer)
        var bytes = writer.bytes
        bytes.removeLast()  // the STOP: field 15 as a list of one struct, then field 16 (an i64) follow
        bytes += [0x19, 0x1C, 0x15, 0x04, 0x00, 0x16, 0x0E, 0x00]
        let read = try read(bytes) { reader throws(ParquetError) in try ColumnMetaData(from: &reader) }
        #expect(read == metadata)
    }
}

extension ThriftCompactTests {
    /// Random bytes, and valid footers with random bytes spliced in, never crash the footer parser.
    @Test func randomFootersThrowOrParse() {
        var random = SeededGenerator(seed: 1234)
        let valid = FooterTests.sampleFooter().serialized()
        var parsed = 0
        for round in 0..<4000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let result = bytes.withUnsafeBytes { buffer in
                Result { () throws(ParquetError) in try FileMetaData(bytes: buffer) }
            }
            if case .success = result { parsed += 1 }
        }
        #expect(parsed < 4000)
    }
}
