import TestSupport
import ByteCoding
import Parquet
import Testing

/// The encodings beyond PLAIN and dictionary: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
/// BYTE_STREAM_SPLIT and RLE booleans.
@Suite struct ValueEncodingTests {
    static let cases = [
        EncodedType(encoding: .deltaBinaryPacked, type: .int32), EncodedType(encoding: .deltaBinaryPacked, type: .int64),
        EncodedType(encoding: .deltaLengthByteArray, type: .byteArray),
        EncodedType(encoding: .deltaByteArray, type: .byteArray),
        EncodedType(encoding: .deltaByteArray, type: .fixedLenByteArray),
        EncodedType(encoding: .byteStreamSplit, type: .int32), EncodedType(encoding: .byteStreamSplit, type: .int64),
        EncodedType(encoding: .byteStreamSplit, type: .float), EncodedType(encoding: .byteStreamSplit, type: .double),
        EncodedType(encoding: .byteStreamSplit, type: .fixedLenByteArray),
        EncodedType(encoding: .rle, type: .boolean),
    ]

    @Test(arguments: cases, [0, 1, 2, 7, 32, 33, 127, 128, 129, 130, 257, 1000, 4099])
    func roundTrip(_ encoded: EncodedType, count: Int) throws {
        try EncodingSamples.roundTrip(EncodingSamples.values(encoded.type, count: count), encoding: encoded.encoding)
    }

    @Test(arguments: [Int64(1), 127, 128, 129, 1000])
    func allEqualAndStepValues(count: Int64) throws {
        try EncodingSamples.roundTrip(.int64(Array(repeating: -5, count: Int(count))), encoding: .deltaBinaryPacked)
        try EncodingSamples.roundTrip(.int64((0..<count).map { $0 * 3 - 100 }), encoding: .deltaBinaryPacked)
        try EncodingSamples.roundTrip(.int32((0..<Int32(count)).map { $0 &* -77_777 }), encoding: .deltaBinaryPacked)
    }

    @Test func wrappingDeltas() throws {
        let values: [Int64] = [.max, .min, .max, 0, .min, -1, .max, 1] + Array(repeating: .min, count: 200)
        try EncodingSamples.roundTrip(.int64(values), encoding: .deltaBinaryPacked)
        let narrow: [Int32] = [.max, .min, .max, 0, .min, -1, .max, 1]
        try EncodingSamples.roundTrip(.int32(narrow), encoding: .deltaBinaryPacked)
    }

    /// Encodings.md example 1 (1, 2, 3, 4, 5) with a valid block layout of 128 values in 4 miniblocks.
    @Test func specExampleOne() throws {
        var writer = ByteWriter()
        try ValueEncoder.encode(.int32([1, 2, 3, 4, 5]), range: 0..<5, encoding: .deltaBinaryPacked, into: &writer)
        #expect(writer.bytes == [0x80, 0x01, 4, 5, 2, /* min delta 1 */ 2, /* widths */ 0, 0, 0, 0])
    }

    /// Encodings.md example 2 (7, 5, 3, 1, 2, 3, 4, 5): min delta -2, relative deltas 0,0,0,3,3,3,3 at 2 bits.
    @Test func specExampleTwo() throws {
        let expected: [UInt8] = [0x80, 0x01, 4, 8, 14, /* -2 */ 3, 2, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        var writer = ByteWriter()
        try ValueEncoder.encode(.int64([7, 5, 3, 1, 2, 3, 4, 5]), range: 0..<8, encoding: .deltaBinaryPacked, into: &writer)
        #expect(writer.bytes == expected)
        var decoded = ColumnValues.int64([])
        try expected.withUnsafeBytes { buffer throws in
            #expect(try ValueDecoder.decode(buffer, encoding: .deltaBinaryPacked, type: .int64, typeLength: 0, count: 8,
                into: &decoded) == expected.count)
        }
        #expect(decoded == .int64([7, 5, 3, 1, 2, 3, 4, 5]))
    }

    /// A deliberately simple writer for any block layout, independent of the library's encoder.
    static func encodeDelta(_ values: [Int64], blockSize: Int, miniblocks: Int) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeVarUInt64(UInt64(blockSize))
        writer.writeVarUInt64(UInt64(miniblocks))
        writer.writeVarUInt64(UInt64(values.count))
        writer.writeZigZag(values.first ?? 0)
        let perMiniblock = blockSize / miniblocks
        var start = 1
        while start < values.count {
            let end = min(start + blockSize, values.count)
            let deltas = (start..<end).map { values[$0] &- values[$0 - 1] }
            let minimum = deltas.min()!
            let relative = deltas.map { UInt64(bitPattern: $0 &- minimum) }
            writer.writeZigZag(minimum)
            var widths: [Int] = []
            for miniblock in 0..<miniblocks {
                let part = relative.dropFirst(miniblock * perMiniblock).prefix(perMiniblock)
                widths.append(part.isEmpty ? 0 : 64 - part.reduce(0, |).leadingZeroBitCount)
                writer.writeByte(UInt8(widths.last!))
            }
            for miniblock in 0..<miniblocks where miniblock * perMiniblock < relative.count {
                let part = Array(relative.dropFirst(miniblock * perMiniblock).prefix(perMiniblock))
                var bits = [Bool]()
                for index in 0..<perMiniblock {
                    let value = index < part.count ? part[index] : 0
                    for bit in 0..<widths[miniblock] { bits.append(value >> UInt64(bit) & 1 == 1) }
                }
                for byteStart in stride(from: 0, to: bits.count, by: 8) {
                    var byte: UInt8 = 0
                    for bit in 0..<8 where bits[byteStart + bit] { byte |= 1 << UInt8(bit) }
                    writer.writeByte(byte)
                }
            }
            start = end
        }
        return writer.bytes
    }

    @Test(arguments: [(128, 1), (128, 4), (256, 2), (256, 8), (512, 16), (1024, 4)])
    func decodesAnyValidBlockLayout(blockSize: Int, miniblocks: Int) throws {
        var random = SeededGenerator(seed: UInt64(blockSize + miniblocks))
        let values = (0..<3000).map { index in index % 700 < 300 ? Int64(index) : Int64(bitPattern: random.next()) >> (index % 60) }
        let bytes = Self.encodeDelta(values, blockSize: blockSize, miniblocks: miniblocks)
        var decoded = ColumnValues.int64([])
        try bytes.withUnsafeBytes { buffer throws in
            #expect(try ValueDecoder.decode(buffer, encoding: .deltaBinaryPacked, type: .int64, typeLength: 0,
                count: values.count, into: &decoded) == bytes.count)
        }
        #expect(decoded == .int64(values))
    }

    @Test func fewerValuesThanTheHeaderSkipsTheRest() throws {
        let values = (0..<500).map { Int64($0 * $0) }
        let bytes = Self.encodeDelta(values, blockSize: 128, miniblocks: 4)
        var decoded = ColumnValues.int64([])
        try bytes.withUnsafeBytes { buffer throws in
            #expect(try ValueDecoder.decode(buffer, encoding: .deltaBinaryPacked, type: .int64, typeLength: 0, count: 200,
                into: &decoded) == bytes.count)
        }
        #expect(decoded == .int64(Array(values.prefix(200))))
    }

    /// Encodings.md: "Hello", "World", "Foobar", "ABCDEF" are lengths DeltaEncoding(5, 5, 6, 6) then the bytes.
    @Test func specDeltaLengthExample() throws {
        var strings = ByteArrays()
        for word in ["Hello", "World", "Foobar", "ABCDEF"] { strings.append(Array(word.utf8)) }
        var writer = ByteWriter()
        try ValueEncoder.encode(.byteArray(strings), range: 0..<4, encoding: .deltaLengthByteArray, into: &writer)
        let lengths: [UInt8] = [0x80, 0x01, 4, 4, 10, /* min 0 */ 0, /* widths */ 1, 0, 0, 0, 0b010, 0, 0, 0]
        #expect(writer.bytes == lengths + Array("HelloWorldFoobarABCDEF".utf8))
    }

    /// Encodings.md: "axis", "axle", "babble", "babyhood" are prefixes (0, 2, 0, 3), suffix lengths (4, 2, 6, 5) and
    /// "axislebabbleyhood".
    @Test func specDeltaStringsExample() throws {
        var strings = ByteArrays()
        for word in ["axis", "axle", "babble", "babyhood"] { strings.append(Array(word.utf8)) }
        var writer = ByteWriter()
        try ValueEncoder.encode(.byteArray(strings), range: 0..<4, encoding: .deltaByteArray, into: &writer)
        var expected = ByteWriter()
        try ValueEncoder.encode(.int32([0, 2, 0, 3]), range: 0..<4, encoding: .deltaBinaryPacked, into: &expected)
        try ValueEncoder.encode(.int32([4, 2, 6, 5]), range: 0..<4, encoding: .deltaBinaryPacked, into: &expected)
        expected.writeBytes(Array("axislebabbleyhood".utf8))
        #expect(writer.bytes == expected.bytes)
        var decoded = ColumnValues.byteArray(ByteArrays())
        try writer.bytes.withUnsafeBytes { buffer throws in
            _ = try ValueDecoder.decode(buffer, encoding: .deltaByteArray, type: .byteArray, typeLength: 0, count: 4, into: &decoded)
        }
        #expect(decoded == .byteArray(strings))
    }

    /// Encodings.md: three floats AA BB CC DD, 00 11 22 33, A3 B4 C5 D6 split into AA 00 A3 BB 11 B4 CC 22 C5 DD 33 D6.
    @Test func specByteStreamSplitExample() throws {
        let floats = [0xDDCC_BBAA, 0x3322_1100, 0xD6C5_B4A3].map { Float(bitPattern: UInt32($0)) }
        var writer = ByteWriter()
        try ValueEncoder.encode(.float(floats), range: 0..<3, encoding: .byteStreamSplit, into: &writer)
        #expect(writer.bytes == [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6])
    }

    @Test(arguments: cases.filter { $0.encoding != .byteStreamSplit })
    func everyTruncationIsAnError(_ encoded: EncodedType) throws {
        let values = EncodingSamples.values(encoded.type, count: 300)
        var writer = ByteWriter()
        try ValueEncoder.encode(values, range: 0..<300, encoding: encoded.encoding, into: &writer)
        let typeLength = EncodingSamples.typeLength(encoded.type)
        for cut in stride(from: 0, to: writer.count, by: max(1, writer.count / 200)) {
            var decoded = try ColumnValues.empty(encoded.type, typeLength: typeLength)
            let prefix = Array(writer.bytes.prefix(cut))
            _ = prefix.withUnsafeBytes { buffer in
                #expect(throws: ParquetError.self, "cut at \(cut) of \(writer.count)") {
                    try ValueDecoder.decode(buffer, encoding: encoded.encoding, type: encoded.type, typeLength: typeLength,
                        count: 300, into: &decoded)
                }
            }
            #expect(decoded.count == 0)
        }
    }

    @Test(arguments: [
        [0x80, 0x01, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 0, 0, 0, 0, 0],  // 2^31 - 1 values in a few bytes
        [100, 4, 2, 0, 0, 0, 0, 0, 0],  // block size not a multiple of 128
        [0x80, 0x01, 3, 2, 0, 0, 0, 0, 0],  // 128 / 3 is not a whole number
        [0x80, 0x01, 2, 2, 0, 0, 0],  // 64 values per miniblock is fine, but there are too few bytes
        [0x80, 0x01, 4, 2, 0, 0, 33, 0, 0, 0] + [UInt8](repeating: 0, count: 200),  // 33 bits for INT32
        [0x80, 0x01, 4, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // varint overflow
    ] as [[UInt8]])
    func corruptDeltaHeadersAreErrors(bytes: [UInt8]) {
        var decoded = ColumnValues.int32([])
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .deltaBinaryPacked, type: .int32, typeLength: 0, count: 2,
                    into: &decoded)
            }
        }
    }

    @Test func bitWidthAbove64IsCorruptForInt64() {
        let bytes: [UInt8] = [0x80, 0x01, 4, 2, 0, 0, 65, 0, 0, 0] + [UInt8](repeating: 0, count: 300)
        var decoded = ColumnValues.int64([])
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.corrupt("DELTA_BINARY_PACKED bit width 65 is wider than 64-bit values")) {
                try ValueDecoder.decode(buffer, encoding: .deltaBinaryPacked, type: .int64, typeLength: 0, count: 2,
                    into: &decoded)
            }
        }
    }

    @Test func countAboveTheHeaderTotalIsCorrupt() throws {
        var writer = ByteWriter()
        try ValueEncoder.encode(.int32([1, 2, 3]), range: 0..<3, encoding: .deltaBinaryPacked, into: &writer)
        var decoded = ColumnValues.int32([])
        _ = writer.bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .deltaBinaryPacked, type: .int32, typeLength: 0, count: 4,
                    into: &decoded)
            }
        }
    }

    @Test func prefixLongerThanThePreviousValueIsCorrupt() throws {
        var writer = ByteWriter()
        try ValueEncoder.encode(.int32([0, 5]), range: 0..<2, encoding: .deltaBinaryPacked, into: &writer)
        try ValueEncoder.encode(.int32([2, 2]), range: 0..<2, encoding: .deltaBinaryPacked, into: &writer)
        writer.writeBytes(Array("abcd".utf8))
        var decoded = ColumnValues.byteArray(ByteArrays())
        _ = writer.bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .deltaByteArray, type: .byteArray, typeLength: 0, count: 2,
                    into: &decoded)
            }
        }
    }

    @Test func wrongFixedLengthIsCorrupt() throws {
        var strings = ByteArrays()
        strings.append([1, 2, 3])
        strings.append([1, 2, 3, 4])
        var writer = ByteWriter()
        try ValueEncoder.encode(.byteArray(strings), range: 0..<2, encoding: .deltaByteArray, into: &writer)
        var decoded = ColumnValues.fixedLenByteArray(FixedLengthByteArrays(width: 3))
        _ = writer.bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .deltaByteArray, type: .fixedLenByteArray, typeLength: 3, count: 2,
                    into: &decoded)
            }
        }
    }

    @Test func shortByteStreamSplitIsCorrupt() {
        var decoded = ColumnValues.double([])
        _ = [UInt8](repeating: 0, count: 15).withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: .byteStreamSplit, type: .double, typeLength: 0, count: 2,
                    into: &decoded)
            }
        }
    }

    @Test(arguments: [
        EncodedType(encoding: .deltaBinaryPacked, type: .double), EncodedType(encoding: .byteStreamSplit, type: .byteArray),
        EncodedType(encoding: .rle, type: .int32), EncodedType(encoding: .deltaLengthByteArray, type: .fixedLenByteArray),
        EncodedType(encoding: .bitPacked, type: .int32), EncodedType(encoding: .rleDictionary, type: .int32),
    ])
    func unsupportedCombinationsThrow(_ encoded: EncodedType) throws {
        let values = EncodingSamples.values(encoded.type, count: 3)
        var writer = ByteWriter()
        #expect(throws: ParquetError.self) {
            try ValueEncoder.encode(values, range: 0..<3, encoding: encoded.encoding, into: &writer)
        }
        var decoded = try ColumnValues.empty(encoded.type, typeLength: EncodingSamples.typeLength(encoded.type))
        _ = [UInt8](repeating: 0, count: 64).withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decode(buffer, encoding: encoded.encoding, type: encoded.type,
                    typeLength: EncodingSamples.typeLength(encoded.type), count: 3, into: &decoded)
            }
        }
    }
}
