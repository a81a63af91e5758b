import ByteCoding
import Parquet
import Testing

@Suite struct PlainTests {
    static let counts = [0, 1, 7, 8, 9, 31, 33, 127, 128, 129, 1000]

    @Test(arguments: PhysicalType.allCases, counts)
    func roundTrip(type: PhysicalType, count: Int) throws {
        try EncodingSamples.roundTrip(EncodingSamples.values(type, count: count), encoding: .plain)
    }

    @Test func knownBytes() throws {
        var writer = ByteWriter()
        try ValueEncoder.encode(.boolean([true, false, true, true, false, false, false, false, true]), range: 0..<9,
            encoding: .plain, into: &writer)
        #expect(writer.bytes == [0b0000_1101, 0b0000_0001])
        writer = ByteWriter()
        try ValueEncoder.encode(.int32([1, -2]), range: 0..<2, encoding: .plain, into: &writer)
        #expect(writer.bytes == [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF])
        writer = ByteWriter()
        var strings = ByteArrays()
        strings.append(Array("ab".utf8))
        strings.append([UInt8]())
        try ValueEncoder.encode(.byteArray(strings), range: 0..<2, encoding: .plain, into: &writer)
        #expect(writer.bytes == [2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0])
        writer = ByteWriter()
        try ValueEncoder.encode(.int96([Int96(nanosecondsOfDay: 1, julianDay: 2_440_588)]), range: 0..<1,
            encoding: .plain, into: &writer)
        #expect(writer.bytes == [1, 0, 0, 0, 0, 0, 0, 0, 0x8C, 0x3D, 0x25, 0x00])
    }

    @Test func encodesOnlyTheRange() throws {
        var writer = ByteWriter()
        try ValueEncoder.encode(.int64([5, 6, 7]), range: 1..<2, encoding: .plain, into: &writer)
        #expect(writer.bytes == [6, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test(arguments: PhysicalType.allCases)
    func truncatedInputIsCorrupt(type: PhysicalType) throws {
        let values = EncodingSamples.values(type, count: 20)
        var writer = ByteWriter()
        try ValueEncoder.encode(values, range: 0..<20, encoding: .plain, into: &writer)
        let bytes = Array(writer.bytes.dropLast())
        var decoded = try ColumnValues.empty(type, typeLength: EncodingSamples.typeLength(type))
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .plain, type: type, typeLength: EncodingSamples.typeLength(type),
                    count: 20, into: &decoded)
            }
        }
        #expect(decoded.count == 0)
    }

    @Test(arguments: PhysicalType.allCases)
    func hugeCountIsCorruptNotAnAllocation(type: PhysicalType) throws {
        var decoded = try ColumnValues.empty(type, typeLength: EncodingSamples.typeLength(type))
        [UInt8](repeating: 0, count: 16).withUnsafeBytes { buffer in
            for count in [Int(Int32.max), Int.max] {
                #expect(throws: ParquetError.self) {
                    try ValueDecoder.decode(buffer, encoding: .plain, type: type, typeLength: EncodingSamples.typeLength(type),
                        count: count, into: &decoded)
                }
            }
        }
    }

    @Test func byteArrayLengthPastTheEndIsCorrupt() throws {
        var decoded = ColumnValues.byteArray(ByteArrays())
        _ = ([0xFF, 0xFF, 0xFF, 0x7F, 1, 2] as [UInt8]).withUnsafeBytes { buffer in
            #expect(throws: ParquetError.corrupt("PLAIN BYTE_ARRAY length 2147483647 at byte 0 runs past the page end")) {
                try ValueDecoder.decode(buffer, encoding: .plain, type: .byteArray, typeLength: 0, count: 1, into: &decoded)
            }
        }
    }

    @Test func mismatchedTypeIsAnInvalidArgument() {
        var decoded = ColumnValues.int32([])
        _ = [UInt8](repeating: 0, count: 8).withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .plain, type: .int64, typeLength: 0, count: 1, into: &decoded)
            }
        }
    }

    @Test(arguments: PhysicalType.allCases)
    func reservingCapacityKeepsTheValues(type: PhysicalType) throws {
        let values = EncodingSamples.values(type, count: 50)
        var reserved = values
        reserved.reserveCapacity(forAdditional: 1000, bytes: 10_000)
        #expect(EncodingSamples.same(reserved, values))
        var writer = ByteWriter()
        try ValueEncoder.encode(values, range: 0..<50, encoding: .plain, into: &writer)
        try writer.bytes.withUnsafeBytes { buffer throws in
            _ = try ValueDecoder.decode(buffer, encoding: .plain, type: type, typeLength: EncodingSamples.typeLength(type),
                count: 50, into: &reserved)
        }
        #expect(EncodingSamples.same(EncodingSamples.slice(reserved, 50..<100), values))
    }

    @Test func dictionaryPageDecodesToAFreshVector() throws {
        let bytes: [UInt8] = [3, 0, 0, 0, 0x61, 0x62, 0x63, 0, 0, 0, 0]
        let dictionary = try bytes.withUnsafeBytes { buffer throws in
            try ValueDecoder.decodeDictionary(buffer, type: .byteArray, typeLength: 0, count: 2)
        }
        var expected = ByteArrays()
        expected.append(Array("abc".utf8))
        expected.append([UInt8]())
        #expect(dictionary == .byteArray(expected))
    }
}
