import ByteCoding
import Parquet
import Testing

@Suite struct DictionaryTests {
    /// Encodes `values` in pages of `pageSize` through a DictionaryEncoder and decodes them back.
    static func roundTrip(_ values: ColumnValues, pageSize: Int) throws {
        let type = values.physicalType
        let typeLength = EncodingSamples.typeLength(type)
        var encoder = DictionaryEncoder(type: type, typeLength: typeLength, maxDictionaryBytes: 1 << 30)
        var pages: [[UInt8]] = []
        var start = 0
        while start < values.count {
            let range = start..<min(start + pageSize, values.count)
            let appended = encoder.append(values, range: range)
            let indices = try #require(appended)
            #expect(indices.count == range.count)
            var writer = ByteWriter()
            encoder.encodeIndices(indices[...], into: &writer)
            pages.append(writer.bytes)
            start = range.upperBound
        }
        var dictionaryPage = ByteWriter()
        encoder.encodeDictionaryPage(into: &dictionaryPage)
        let dictionary = try dictionaryPage.bytes.withUnsafeBytes { buffer throws in
            try ValueDecoder.decodeDictionary(buffer, type: type, typeLength: typeLength, count: encoder.count)
        }
        #expect(dictionary.count == encoder.count)
        var decoded = try ColumnValues.empty(type, typeLength: typeLength)
        for (page, bytes) in pages.enumerated() {
            let count = min(pageSize, values.count - page * pageSize)
            try bytes.withUnsafeBytes { buffer throws in
                try ValueDecoder.decodeDictionaryIndices(buffer, count: count, dictionary: dictionary, into: &decoded)
            }
        }
        #expect(EncodingSamples.same(decoded, values))
    }

    @Test(arguments: PhysicalType.allCases, [0, 1, 9, 300, 2000])
    func roundTrip(type: PhysicalType, count: Int) throws {
        try Self.roundTrip(EncodingSamples.values(type, count: count), pageSize: 256)
    }

    @Test func repeatedValuesShareEntries() throws {
        var encoder = DictionaryEncoder(type: .int32, typeLength: 0, maxDictionaryBytes: 1000)
        let indices = encoder.append(.int32([5, 6, 5, 5, 7, 6]), range: 0..<6)
        #expect(indices == [0, 1, 0, 0, 2, 1])
        #expect(encoder.count == 3)
        var writer = ByteWriter()
        encoder.encodeDictionaryPage(into: &writer)
        #expect(writer.bytes == [5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0])
        writer = ByteWriter()
        encoder.encodeIndices(indices![...], into: &writer)
        // Bit width 2, then one bit-packed group: 0,1,0,0,2,1,(0,0).
        #expect(writer.bytes == [2, 0x03, 0b0000_0100, 0b0000_0110])
    }

    @Test func growsPastManyEntries() throws {
        let values = ColumnValues.int64((0..<100_000).map { Int64($0 % 40_000) * 1_000_003 })
        try Self.roundTrip(values, pageSize: 10_000)
    }

    /// Past a few thousand entries the byte-string lookups prefetch a block at a time; entries of every length,
    /// the empty one included, repeat across pages and blocks.
    @Test func growsPastManyByteStringEntries() throws {
        var values = ByteArrays()
        for index in 0..<100_000 {
            let key = index % 40_000
            values.append(key == 17 ? [] : Array("entry-\(key * 7_919)-\(String(repeating: "x", count: key % 23))".utf8))
        }
        try Self.roundTrip(.byteArray(values), pageSize: 10_007)
        var encoder = DictionaryEncoder(type: .byteArray, typeLength: 0, maxDictionaryBytes: 1 << 30)
        _ = encoder.append(.byteArray(values), range: 0..<values.count)
        #expect(encoder.count == 40_000)
    }

    /// Values crafted so that a fixed multiplicative hash (by the golden-ratio constant) sends every one to the same
    /// home slot: rewriting an untrusted file that holds them must not walk one probe chain of thousands per value.
    @Test func craftedCollisionsDoNotShareAProbeChain() {
        let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
        var inverse = golden
        for _ in 0..<6 { inverse = inverse &* (2 &- golden &* inverse) }
        let values = (UInt64(1)...30_000).map { key -> Int64 in
            // The value whose folded bits (x ^ x >> 32) times the constant are `key`: all top bits zero.
            let folded = key &* inverse
            let high = folded >> 32
            return Int64(bitPattern: high << 32 | ((folded ^ high) & 0xFFFF_FFFF))
        }
        var encoder = DictionaryEncoder(type: .int64, typeLength: 0, maxDictionaryBytes: 1 << 30)
        #expect(encoder.append(.int64(values), range: 0..<values.count) == (0..<30_000).map(Int32.init))
        #expect(encoder.longestProbe < 64)
    }

    @Test func fullDictionaryReturnsNilAndKeepsItsEntries() throws {
        var encoder = DictionaryEncoder(type: .byteArray, typeLength: 0, maxDictionaryBytes: 20)
        var first = ByteArrays()
        first.append(Array("aaaa".utf8))  // 8 bytes PLAIN
        first.append(Array("bbbb".utf8))  // 16
        #expect(encoder.append(.byteArray(first), range: 0..<2) == [0, 1])
        var second = ByteArrays()
        second.append(Array("aaaa".utf8))
        second.append(Array("cccc".utf8))  // would make 24
        #expect(encoder.append(.byteArray(second), range: 0..<2) == nil)
        #expect(encoder.count == 2)
        // The dictionary still works after the rejected page.
        #expect(encoder.append(.byteArray(first), range: 0..<2) == [0, 1])
        var writer = ByteWriter()
        encoder.encodeDictionaryPage(into: &writer)
        #expect(writer.count == 16)
    }

    @Test(arguments: [PhysicalType.int64, .byteArray])
    func rollBackAfterTheTableGrewKeepsEveryEntry(type: PhysicalType) throws {
        let first = EncodingSamples.values(type, count: 3000, seed: 7)
        var encoder = DictionaryEncoder(type: type, typeLength: 0, maxDictionaryBytes: 200_000)
        let appended = encoder.append(first, range: 0..<3000)
        let firstIndices = try #require(appended)
        let entries = encoder.count
        // A page of many new values passes the limit and is rejected whole.
        let second = EncodingSamples.values(type, count: 30_000, seed: 8)
        #expect(encoder.append(second, range: 0..<30_000) == nil)
        #expect(encoder.count == entries)
        #expect(encoder.append(first, range: 0..<3000) == firstIndices)
    }

    @Test func floatsAreKeyedByBitPattern() throws {
        var encoder = DictionaryEncoder(type: .double, typeLength: 0, maxDictionaryBytes: 1000)
        let indices = encoder.append(.double([0.0, -0.0, .nan, .nan, 0.0]), range: 0..<5)
        #expect(indices == [0, 1, 2, 2, 0])
    }

    @Test func indexPastTheDictionaryIsCorrupt() throws {
        var encoder = DictionaryEncoder(type: .int32, typeLength: 0, maxDictionaryBytes: 1000)
        let appended = encoder.append(.int32([1, 2, 3, 4]), range: 0..<4)
        let indices = try #require(appended)
        var writer = ByteWriter()
        encoder.encodeIndices(indices[...], into: &writer)
        var decoded = ColumnValues.int32([])
        _ = writer.bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.corrupt("dictionary index 3 is past the dictionary's 3 entries")) {
                try ValueDecoder.decodeDictionaryIndices(buffer, count: 4, dictionary: .int32([1, 2, 3]), into: &decoded)
            }
        }
        #expect(decoded.count == 0)
    }

    @Test(arguments: [[UInt8](), [33, 0], [2, 0x03], [2, 0x20]])
    func badIndexDataIsCorrupt(bytes: [UInt8]) {
        var decoded = ColumnValues.int32([])
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try ValueDecoder.decodeDictionaryIndices(buffer, count: 8, dictionary: .int32([1, 2, 3]), into: &decoded)
            }
        }
    }
}
