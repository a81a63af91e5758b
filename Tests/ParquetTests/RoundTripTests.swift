import TestSupport
import Testing

@testable import Parquet

/// Write with amoro, read with amoro: every codec, page version and encoding choice, and random nested data.
@Suite struct RoundTripTests {
    static func write(_ schema: ParquetSchema, _ columns: [ColumnData], _ options: ParquetWriterOptions) throws
        -> [UInt8]
    {
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        try writer.write(columns)
        try writer.close()
        return sink.bytes
    }

    static func readRows(_ bytes: [UInt8]) throws -> [ParquetValue] {
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        var rows: [ParquetValue] = []
        for group in 0..<reader.rowGroupCount {
            rows += try RecordAssembler.rows(schema: reader.schema, columns: try reader.readRowGroup(group))
        }
        return rows
    }

    static let writableCodecs: [CompressionKind] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw]

    @Test(arguments: writableCodecs, [ParquetWriterOptions.DataPageVersion.v1, .v2])
    func randomNestedDataRoundTrips(codec: CompressionKind, version: ParquetWriterOptions.DataPageVersion) throws {
        for seed in 0..<6 {
            var random = SeededGenerator(seed: UInt64(seed) &* 7919 &+ UInt64(codec.rawValue))
            let schema = try RandomData.schema(&random)
            let rows = (0..<Int.random(in: 0...80, using: &random)).map { _ in RandomData.row(schema, &random) }
            var options = ParquetWriterOptions()
            options.compression = codec
            options.dataPageVersion = version
            options.rowGroupRows = Int.random(in: 1...40, using: &random)
            options.pageSize = Int.random(in: 16...512, using: &random)
            options.dictionaryEnabled = random.chance(0.5)
            options.dictionaryPageSizeLimit = Int.random(in: 8...256, using: &random)
            let columns = try RecordShredder.columns(schema: schema, rows: rows)
            let bytes = try Self.write(schema, columns, options)
            let read = try Self.readRows(bytes)
            #expect(read == rows, "seed \(seed)")
            let reader = try ParquetFileReader(source: MemorySource(bytes))
            #expect(reader.rowCount == rows.count)
            #expect(reader.schema == schema)
        }
    }

    @Test(arguments: [
        (PhysicalType.int32, Encoding.deltaBinaryPacked), (.int64, .deltaBinaryPacked), (.byteArray, .deltaLengthByteArray),
        (.byteArray, .deltaByteArray), (.fixedLenByteArray, .deltaByteArray), (.float, .byteStreamSplit),
        (.double, .byteStreamSplit), (.int32, .byteStreamSplit), (.int64, .byteStreamSplit),
        (.fixedLenByteArray, .byteStreamSplit), (.boolean, .rle), (.int96, .plain),
    ])
    func perColumnEncodings(type: PhysicalType, encoding: Encoding) throws {
        var random = SeededGenerator(seed: UInt64(encoding.rawValue) << 8 | UInt64(type.rawValue))
        let schema = try ParquetSchema([
            .primitive("v", type, typeLength: 4), .list("l", element: .primitive("e", type, typeLength: 4)),
        ])
        let rows = (0..<300).map { _ in RandomData.row(schema, &random) }
        for version in [ParquetWriterOptions.DataPageVersion.v1, .v2] {
            var options = ParquetWriterOptions()
            options.columnEncodings = ["v": encoding, "l.list.e": encoding]
            options.dataPageVersion = version
            options.pageSize = 100
            let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), options)
            #expect(try Self.readRows(bytes) == rows)
            let reader = try ParquetFileReader(source: MemorySource(bytes))
            let chunk = reader.metadata.rowGroups[0].columns[0].metaData!
            #expect(chunk.encodings.contains(encoding))
        }
    }

    @Test func dictionaryFallsBackToPlainPastTheLimit() throws {
        let schema = try ParquetSchema([.primitive("s", .byteArray, repetition: .required, logicalType: .string)])
        let rows = (0..<2000).map { ParquetValue.group([.string("value-\($0)")]) }
        var options = ParquetWriterOptions()
        options.pageSize = 1000
        options.dictionaryPageSizeLimit = 2000
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), options)
        #expect(try Self.readRows(bytes) == rows)
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        let meta = reader.metadata.rowGroups[0].columns[0].metaData!
        #expect(meta.dictionaryPageOffset != nil)
        #expect(meta.encodings.contains(.rleDictionary))
        #expect(meta.encodings.contains(.plain))
        let pages = try reader.pages(rowGroup: 0, column: 0)
        #expect(pages.first?.type == .dictionaryPage)
        #expect(pages.filter { $0.encoding == .plain && $0.type == .dataPage }.count > 1)
    }

    @Test func statisticsFollowTheLogicalOrder() throws {
        let schema = try ParquetSchema([
            .primitive("u", .int32, logicalType: .integer(bitWidth: 32, isSigned: false)),
            .primitive("i", .int64),
            .primitive("s", .byteArray, logicalType: .string),
            .primitive("d", .fixedLenByteArray, typeLength: 2, logicalType: .decimal(precision: 4, scale: 1)),
            .primitive("f", .double),
            .primitive("z", .float),
        ])
        let rows: [ParquetValue] = [
            .group([.int32(-1), .int64(-5), .string("\u{e9}"), .bytes([0xFF, 0x00]), .double(.nan), .float(0)]),
            .group([.int32(3), .int64(7), .string("z"), .bytes([0x00, 0x05]), .double(-0.0), .float(-0.0)]),
            .group([.null, .null, .null, .null, .double(2), .null]),
        ]
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), .init())
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        let stats = reader.metadata.rowGroups[0].columns.map { $0.metaData!.statistics! }
        #expect(stats[0].minValue == [3, 0, 0, 0])  // unsigned: 3 < 0xFFFFFFFF
        #expect(stats[0].maxValue == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(stats[0].min == nil)
        #expect(stats[0].nullCount == 1)
        #expect(stats[1].min == stats[1].minValue)
        #expect(stats[2].minValue == Array("z".utf8))  // unsigned bytes: "z" < "é" (0xC3...)
        #expect(stats[2].maxValue == Array("\u{e9}".utf8))
        #expect(stats[3].minValue == [0xFF, 0x00])  // signed decimal: -25.6 < 0.5
        #expect(stats[3].maxValue == [0x00, 0x05])
        #expect(stats[4].nanCount == 1)
        #expect(stats[4].minValue == withUnsafeBytes(of: (-0.0 as Double).bitPattern.littleEndian) { Array($0) })
        #expect(stats[4].maxValue == withUnsafeBytes(of: (2.0 as Double).bitPattern.littleEndian) { Array($0) })
        #expect(stats[5].minValue == withUnsafeBytes(of: (-0.0 as Float).bitPattern.littleEndian) { Array($0) })
        #expect(stats[5].maxValue == withUnsafeBytes(of: (0.0 as Float).bitPattern.littleEndian) { Array($0) })
    }

    @Test func projectionByPathAndFieldID() throws {
        let schema = try SchemaTests.nestedSchema()
        var random = SeededGenerator(seed: 42)
        let rows = (0..<30).map { _ in RandomData.row(schema, &random) }
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), .init())
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        let byID = try reader.columnIndices(fieldIDs: [4])
        let byPath = try reader.columnIndices(paths: [["m"]])
        #expect(byID == [2, 3])
        #expect(byPath == byID)
        #expect(try reader.columnIndices(dottedPaths: ["s.a", "id"]) == [4, 0])
        let projected = try reader.schema.projected(to: byID)
        let columns = try reader.readRowGroup(0, columns: byID)
        let assembled = try RecordAssembler.rows(schema: projected, columns: columns)
        let expected = rows.map { row -> ParquetValue in
            guard case .group(let fields) = row else { return row }
            return .group([fields[2]])
        }
        #expect(assembled == expected)
        #expect(throws: ParquetError.self) { try reader.columnIndices(paths: [["nope"]]) }
    }

    @Test func keyValueMetadataAndCreatedBy() throws {
        let schema = try ParquetSchema([.primitive("a", .int32, fieldID: 12)])
        var options = ParquetWriterOptions()
        options.keyValueMetadata = [KeyValue(key: "iceberg.schema", value: "{\"x\":1}")]
        options.sortingColumns = [SortingColumn(columnIndex: 0, descending: false, nullsFirst: true)]
        let bytes = try Self.write(schema, [ColumnData(values: .int32([1]), definitionLevels: [1])], options)
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        #expect(reader.keyValueMetadata == ["iceberg.schema": "{\"x\":1}"])
        #expect(reader.metadata.createdBy == options.createdBy)
        #expect(reader.schema.columns[0].fieldID == 12)
        #expect(reader.metadata.rowGroups[0].sortingColumns == options.sortingColumns)
    }

    @Test func pageChecksumsAreWrittenAndVerified() throws {
        let schema = try ParquetSchema([.primitive("a", .int64, repetition: .required)])
        var options = ParquetWriterOptions()
        options.pageChecksums = true
        options.compression = .uncompressed
        let values = (0..<100).map { Int64($0) }
        let bytes = try Self.write(schema, [ColumnData(values: .int64(values))], options)
        #expect(try Self.readRows(bytes).count == 100)
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        let page = try #require(try reader.pages(rowGroup: 0, column: 0).first)
        var damaged = bytes
        damaged[page.offset + page.headerSize + 10] ^= 0x01
        #expect(throws: ParquetError.self) { try Self.readRows(damaged) }
    }

    @Test func emptyFileHasNoRowGroups() throws {
        let schema = try ParquetSchema([.primitive("a", .int32)])
        let bytes = try Self.write(schema, [ColumnData(values: .int32([]))], .init())
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        #expect(reader.rowGroupCount == 0)
        #expect(try Self.readRows(bytes).isEmpty)
    }

    @Test func invalidColumnsAreRejected() throws {
        let schema = try ParquetSchema([.primitive("a", .int32, repetition: .required)])
        let writer = try ParquetFileWriter(schema: schema, sink: MemorySink())
        #expect(throws: ParquetError.self) { try writer.write([ColumnData(values: .int64([1]))]) }
        #expect(throws: ParquetError.self) {
            try writer.write([ColumnData(values: .int32([1]), definitionLevels: [1])])
        }
    }
}

extension RoundTripTests {
    /// Parquet's deprecated LZ4 codec (Hadoop framing) is read-only: build such a file by wrapping an LZ4_RAW page
    /// in the Hadoop block header (big-endian uncompressed and compressed sizes).
    @Test func readsLegacyHadoopLZ4() throws {
        let schema = try ParquetSchema([.primitive("a", .int64, repetition: .required)])
        var options = ParquetWriterOptions()
        options.compression = .lz4Raw
        options.dictionaryEnabled = false
        let values = (0..<200).map { Int64($0 % 7) }
        let raw = try Self.write(schema, [ColumnData(values: .int64(values))], options)
        let reader = try ParquetFileReader(source: MemorySource(raw))
        let pages = try reader.pages(rowGroup: 0, column: 0)
        try #require(pages.count == 1)
        let page = pages[0]
        let bodyStart = page.offset + page.headerSize
        let body = Array(raw[bodyStart..<(bodyStart + page.compressedSize)])
        func bigEndian(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(value).bigEndian) { Array($0) } }
        let framed = bigEndian(page.uncompressedSize) + bigEndian(body.count) + body
        var header = try Array(raw[page.offset..<bodyStart]).withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in
                var thrift = ThriftCompactReader(buffer)
                return try PageHeader(from: &thrift)
            }
        }.get()
        header.compressedPageSize = Int32(framed.count)
        var thrift = ThriftCompactWriter()
        header.write(to: &thrift)
        let chunk = thrift.bytes + framed
        var metadata = reader.metadata
        metadata.rowGroups[0].columns[0].metaData!.codec = .lz4
        metadata.rowGroups[0].columns[0].metaData!.totalCompressedSize = Int64(chunk.count)
        let footer = metadata.serialized()
        let file = Array(raw[..<page.offset]) + chunk + footer
            + withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) } + Array("PAR1".utf8)
        let legacy = try ParquetFileReader(source: MemorySource(file))
        #expect(try legacy.readColumn(rowGroup: 0, column: 0).values == .int64(values))
        // Writing it is refused cleanly.
        options.compression = .lz4
        #expect(throws: ParquetError.self) { try ParquetFileWriter(schema: schema, sink: MemorySink(), options: options) }
    }
}

extension RoundTripTests {
    /// A v2 page whose header says `is_compressed = false` holds raw values even when the chunk's codec is ZSTD.
    @Test func v2UncompressedFlagIsHonoured() throws {
        let schema = try ParquetSchema([.list("l", element: .primitive("e", .int64))])
        var random = SeededGenerator(seed: 5)
        let rows = (0..<50).map { _ in RandomData.row(schema, &random) }
        var options = ParquetWriterOptions()
        options.compression = .uncompressed
        options.dataPageVersion = .v2
        options.dictionaryEnabled = false
        let raw = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), options)
        let relabelled = try BadFileRecipes.rewriteFooter(raw) { $0.rowGroups[0].columns[0].metaData!.codec = .zstd }
        let reader = try ParquetFileReader(source: MemorySource(relabelled))
        #expect(reader.metadata.rowGroups[0].columns[0].metaData!.codec == .zstd)
        #expect(try Self.readRows(relabelled) == rows)
    }
}

extension RoundTripTests {
    @Test func statisticsDecodeToTypedBounds() throws {
        let schema = try ParquetSchema([
            .primitive("i", .int32), .primitive("s", .byteArray, logicalType: .string),
            .primitive("u", .int64, logicalType: .integer(bitWidth: 64, isSigned: false)),
        ])
        let rows: [ParquetValue] = [
            .group([.int32(5), .string("b"), .int64(-1)]), .group([.int32(-2), .string("a"), .int64(3)]),
        ]
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), .init())
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        let chunks = reader.metadata.rowGroups[0].columns.map { $0.metaData!.statistics! }
        let orders = reader.metadata.columnOrders
        let bounds = reader.schema.columns.map { column in
            StatisticsBuilder.bounds(chunks[column.index], column: column, order: orders?[column.index])
        }
        #expect(bounds[0]?.min == .int32(-2))
        #expect(bounds[0]?.max == .int32(5))
        #expect(bounds[1]?.min == .string("a"))
        #expect(bounds[2]?.min == .int64(3))
        #expect(bounds[2]?.max == .int64(-1))
        // Deprecated fields only: trusted for signed ints, never for strings.
        var legacy = Statistics()
        legacy.min = [1, 0, 0, 0]
        legacy.max = [9, 0, 0, 0]
        #expect(StatisticsBuilder.bounds(legacy, column: reader.schema.columns[0], order: nil)?.max == .int32(9))
        #expect(StatisticsBuilder.bounds(legacy, column: reader.schema.columns[1], order: nil) == nil)
        #expect(StatisticsBuilder.bounds(chunks[0], column: reader.schema.columns[0], order: .unknown(7)) == nil)
    }
}

extension RoundTripTests {
    @Test func smallBatchesAccumulateIntoRowGroups() throws {
        let schema = try SchemaTests.nestedSchema()
        var random = SeededGenerator(seed: 77)
        let batches = (0..<10).map { _ in (0..<7).map { _ in RandomData.row(schema, &random) } }
        var options = ParquetWriterOptions()
        options.rowGroupRows = 20
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        for batch in batches { try writer.write(try RecordShredder.columns(schema: schema, rows: batch)) }
        try writer.close()
        let reader = try ParquetFileReader(source: MemorySource(sink.bytes))
        #expect(reader.metadata.rowGroups.map(\.numRows) == [20, 20, 20, 10])
        #expect(try Self.readRows(sink.bytes) == batches.flatMap { $0 })
    }

    @Test func flushAndByteLimitEndRowGroups() throws {
        let schema = try ParquetSchema([.primitive("s", .byteArray, repetition: .required, logicalType: .string)])
        let rows = (0..<30).map { ParquetValue.group([.string(String(repeating: "x", count: $0))]) }
        var options = ParquetWriterOptions()
        options.rowGroupBytes = 100
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        try writer.write(rows: Array(rows[0..<2]))
        try writer.flush()
        for row in rows[2...] { try writer.write(rows: [row]) }
        try writer.close()
        let reader = try ParquetFileReader(source: MemorySource(sink.bytes))
        #expect(reader.metadata.rowGroups.first?.numRows == 2)
        #expect(reader.rowGroupCount > 3)
        #expect(try Self.readRows(sink.bytes) == rows)
        #expect(throws: ParquetError.self) { try writer.write(rows: rows) }
    }
}

extension RoundTripTests {
    @Test func readColumnsAndRowsAcrossRowGroups() throws {
        let schema = try SchemaTests.nestedSchema()
        var random = SeededGenerator(seed: 11)
        let rows = (0..<45).map { _ in RandomData.row(schema, &random) }
        var options = ParquetWriterOptions()
        options.rowGroupRows = 10
        let columns = try RecordShredder.columns(schema: schema, rows: rows)
        let bytes = try Self.write(schema, columns, options)
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        #expect(reader.rowGroupCount == 5)
        #expect(try reader.readColumns() == columns)
        #expect(try reader.readColumns([4, 1]) == [columns[4], columns[1]])
        var projected: [String] = []
        var limited: [ParquetValue] = []
        try reader.readRows(columns: [4, 0], limit: 12) { schema, rows in
            projected = schema.columns.map(\.dottedPath)
            limited += rows
        }
        #expect(projected == ["id", "s.a"])
        #expect(limited.count == 12)
        for (index, row) in limited.enumerated() {
            guard case .group(let fields) = rows[index] else { continue }
            var structValue = ParquetValue.null
            if case .group(let inner) = fields[3] { structValue = .group([inner[0]]) }
            #expect(row == .group([fields[0], structValue]))
        }
    }
}

extension RoundTripTests {
    /// Old writers stored v1 definition levels with the deprecated BIT_PACKED encoding (MSB first, no length
    /// prefix). Rebuild a page that way and read it back.
    @Test func readsDeprecatedBitPackedLevels() throws {
        let schema = try ParquetSchema([.primitive("a", .int32)])
        let levels: [Int16] = (0..<21).map { $0 % 3 == 0 ? 0 : 1 }
        let values = (0..<levels.filter { $0 == 1 }.count).map { Int32($0 * 10) }
        var options = ParquetWriterOptions()
        options.compression = .uncompressed
        options.dictionaryEnabled = false
        let raw = try Self.write(schema, [ColumnData(values: .int32(values), definitionLevels: levels)], options)
        let reader = try ParquetFileReader(source: MemorySource(raw))
        let page = try #require(try reader.pages(rowGroup: 0, column: 0).first)
        let bodyStart = page.offset + page.headerSize
        let body = Array(raw[bodyStart..<(bodyStart + page.compressedSize)])
        let hybridLength = Int(body[0]) | Int(body[1]) << 8 | Int(body[2]) << 16 | Int(body[3]) << 24
        let valueBytes = Array(body[(4 + hybridLength)...])
        // Bit width 1, most significant bit first.
        var packed = [UInt8](repeating: 0, count: (levels.count + 7) / 8)
        for (index, level) in levels.enumerated() where level == 1 { packed[index / 8] |= 0x80 >> (index % 8) }
        let newBody = packed + valueBytes
        var header = try Array(raw[page.offset..<bodyStart]).withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in
                var thrift = ThriftCompactReader(buffer)
                return try PageHeader(from: &thrift)
            }
        }.get()
        header.compressedPageSize = Int32(newBody.count)
        header.uncompressedPageSize = Int32(newBody.count)
        header.dataPageHeader!.definitionLevelEncoding = .bitPacked
        var thrift = ThriftCompactWriter()
        header.write(to: &thrift)
        let chunk = thrift.bytes + newBody
        var metadata = reader.metadata
        metadata.rowGroups[0].columns[0].metaData!.totalCompressedSize = Int64(chunk.count)
        let footer = metadata.serialized()
        let file = Array(raw[..<page.offset]) + chunk + footer
            + withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) } + Array("PAR1".utf8)
        let data = try ParquetFileReader(source: MemorySource(file)).readColumn(rowGroup: 0, column: 0)
        #expect(data.definitionLevels == levels)
        #expect(data.values == .int32(values))
    }
}

extension RoundTripTests {
    /// Counts the reads a reader makes, to check that opening costs few requests and chunks are coalesced.
    final class CountingSource: ByteRangeSource, @unchecked Sendable {
        let inner: MemorySource
        // Only touched from the test's own thread.
        var reads: [Range<Int>] = []

        init(_ bytes: [UInt8]) { inner = MemorySource(bytes) }
        var size: Int { inner.size }

        func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
            reads.append(offset..<offset + count)
            return try inner.read(offset: offset, count: count)
        }
    }

    @Test func openingAndReadingUseFewRangedReads() throws {
        let schema = try SchemaTests.nestedSchema()
        var random = SeededGenerator(seed: 21)
        let rows = (0..<200).map { _ in RandomData.row(schema, &random) }
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), .init())
        let source = CountingSource(bytes)
        let reader = try ParquetFileReader(source: source)
        #expect(source.reads.count == (bytes.count <= ParquetFileReader.tailReadSize ? 1 : 2))
        source.reads = []
        let columns = try reader.readRowGroup(0, columns: [5, 1, 3])
        #expect(source.reads.count == 1)
        let all = try RecordShredder.columns(schema: schema, rows: rows)
        #expect(columns == [all[5], all[1], all[3]])
    }
}

extension RoundTripTests {
    @Test func footerLargerThanTheTailRead() throws {
        let schema = try ParquetSchema((0..<1500).map { .primitive("column_\($0)", .int32, repetition: .required) })
        let columns = (0..<1500).map { ColumnData(values: .int32([Int32($0), -1])) }
        let bytes = try Self.write(schema, columns, .init())
        let source = CountingSource(bytes)
        let reader = try ParquetFileReader(source: source)
        #expect(reader.footerLength > ParquetFileReader.tailReadSize)
        #expect(source.reads.count == 3)
        #expect(try reader.readColumn(rowGroup: 0, column: 1499) == columns[1499])
    }
}

extension RoundTripTests {
    /// Some writers emit data pages with no values (v1 and v2); readers must step over them.
    @Test(arguments: [PageType.dataPage, .dataPageV2])
    func emptyPagesAreSkipped(type: PageType) throws {
        let schema = try ParquetSchema([.primitive("a", .int64)])
        var options = ParquetWriterOptions()
        options.compression = .snappy
        options.dictionaryEnabled = false
        let data = ColumnData(values: .int64([1, 2, 3]), definitionLevels: [1, 0, 1, 1])
        let raw = try Self.write(schema, [data], options)
        let reader = try ParquetFileReader(source: MemorySource(raw))
        let page = try #require(try reader.pages(rowGroup: 0, column: 0).first)
        var empty = PageHeader(type: type, uncompressedPageSize: 0, compressedPageSize: 0)
        if type == .dataPage {
            empty.dataPageHeader = DataPageHeader(
                numValues: 0, encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
        } else {
            empty.dataPageHeaderV2 = DataPageHeaderV2(
                numValues: 0, numNulls: 0, numRows: 0, encoding: .plain, definitionLevelsByteLength: 0,
                repetitionLevelsByteLength: 0, isCompressed: false)
        }
        var thrift = ThriftCompactWriter()
        empty.write(to: &thrift)
        var file = raw
        file.insert(contentsOf: thrift.bytes, at: page.offset)
        file = try BadFileRecipes.rewriteFooter(file) {
            $0.rowGroups[0].columns[0].metaData!.totalCompressedSize += Int64(thrift.bytes.count)
        }
        #expect(try ParquetFileReader(source: MemorySource(file)).readColumn(rowGroup: 0, column: 0) == data)
    }
}

extension RoundTripTests {
    @Test func fileWideFallbackEncodingAppliesWhereTheTypeAllows() throws {
        let schema = try ParquetSchema([
            .primitive("i", .int64), .primitive("s", .byteArray, logicalType: .string), .primitive("b", .boolean),
        ])
        var random = SeededGenerator(seed: 4)
        let rows = (0..<100).map { _ in RandomData.row(schema, &random) }
        var options = ParquetWriterOptions()
        options.dictionaryEnabled = false
        options.fallbackEncoding = .deltaBinaryPacked
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), options)
        #expect(try Self.readRows(bytes) == rows)
        let chunks = try ParquetFileReader(source: MemorySource(bytes)).metadata.rowGroups[0].columns
        #expect(chunks[0].metaData!.encodings.contains(.deltaBinaryPacked))
        #expect(chunks[1].metaData!.encodings.contains(.plain))
        #expect(chunks[2].metaData!.encodings.contains(.plain))
        // Asked per column, an impossible encoding is an error.
        options.columnEncodings = ["s": .deltaBinaryPacked]
        #expect(throws: ParquetError.self) {
            try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), options)
        }
    }
}

extension RoundTripTests {
    @Test func pageIndexesDescribeThePages() throws {
        let schema = try ParquetSchema([
            .primitive("a", .int64), .list("l", element: .primitive("e", .byteArray, logicalType: .string)),
            .primitive("t", .int96),
        ])
        var random = SeededGenerator(seed: 31)
        var rows = (0..<300).map { _ in RandomData.row(schema, &random) }
        for index in 0..<40 { rows[index] = .group([.null, .null, .null]) }  // an all-null first page
        var options = ParquetWriterOptions()
        options.writePageIndex = true
        options.pageSize = 64
        options.rowGroupRows = 150
        options.dictionaryEnabled = false
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), options)
        #expect(try Self.readRows(bytes) == rows)
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        for group in 0..<reader.rowGroupCount {
            for column in 0..<3 {
                let pages = try reader.pages(rowGroup: group, column: column).filter { $0.type == .dataPage }
                let offsets = try #require(try reader.offsetIndex(rowGroup: group, column: column))
                #expect(offsets.pageLocations.map { Int($0.offset) } == pages.map(\.offset))
                #expect(offsets.pageLocations.map { Int($0.compressedPageSize) } == pages.map { $0.headerSize + $0.compressedSize })
                #expect(offsets.pageLocations.first?.firstRowIndex == 0)
                #expect(offsets.pageLocations.map(\.firstRowIndex) == offsets.pageLocations.map(\.firstRowIndex).sorted())
                let index = try reader.columnIndex(rowGroup: group, column: column)
                if column == 2 {
                    #expect(index == nil)  // INT96 has no order: no column index
                } else {
                    let index = try #require(index)
                    #expect(index.nullPages.count == pages.count)
                    if group == 0 && column == 0 { #expect(index.nullPages.first == true) }
                }
            }
        }
    }
}

extension RoundTripTests {
    @Test func float16StatisticsIgnoreNaNAndSignZeros() throws {
        let schema = try ParquetSchema([.primitive("h", .fixedLenByteArray, typeLength: 2, logicalType: .float16)])
        // NaN, +0, 1.0, -2.0
        let values: [[UInt8]] = [[0x01, 0x7E], [0x00, 0x00], [0x00, 0x3C], [0x00, 0xC0]]
        let rows = values.map { ParquetValue.group([.bytes($0)]) }
        let bytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: rows), .init())
        let stats = try ParquetFileReader(source: MemorySource(bytes)).metadata.rowGroups[0].columns[0].metaData!.statistics!
        #expect(stats.minValue == [0x00, 0xC0])
        #expect(stats.maxValue == [0x00, 0x3C])
        let zeros = [[UInt8]]([[0x00, 0x00], [0x00, 0x80]]).map { ParquetValue.group([.bytes($0)]) }
        let zeroBytes = try Self.write(schema, try RecordShredder.columns(schema: schema, rows: zeros), .init())
        let zeroStats = try ParquetFileReader(source: MemorySource(zeroBytes)).metadata.rowGroups[0].columns[0].metaData!.statistics!
        #expect(zeroStats.minValue == [0x00, 0x80])
        #expect(zeroStats.maxValue == [0x00, 0x00])
    }
}

extension RoundTripTests {
    /// A large batch has its columns encoded on several threads; small calls encode them one after another. Pages
    /// end at the same rows either way, so the files are the same bytes. The large row group is also decoded on
    /// several threads when read back.
    @Test func columnsEncodedInParallelWriteTheSameBytes() throws {
        let schema = try ParquetSchema([
            .primitive("id", .int64, repetition: .required),
            .primitive("user", .byteArray, repetition: .optional, logicalType: .string),
            .primitive("note", .byteArray, repetition: .optional, logicalType: .string),
            .primitive("amount", .double, repetition: .required),
        ])
        var random = SeededGenerator(seed: 5)
        let rowCount = 60_000
        var users = ByteArrays()
        var notes = ByteArrays()
        var userLevels: [Int16] = []
        var noteLevels: [Int16] = []
        for index in 0..<rowCount {
            userLevels.append(index % 7 == 0 ? 0 : 1)
            if index % 7 != 0 { users.append(Array("user-\(UInt64.random(in: 0..<1_000, using: &random))".utf8)) }
            noteLevels.append(index % 5 == 0 ? 0 : 1)
            if index % 5 != 0 { notes.append(Array("n\(UInt64.random(in: 0..<1_000_000_000, using: &random))".utf8)) }
        }
        let columns = [
            ColumnData(values: .int64((0..<Int64(rowCount)).map { $0 })),
            ColumnData(values: .byteArray(users), definitionLevels: userLevels),
            ColumnData(values: .byteArray(notes), definitionLevels: noteLevels),
            ColumnData(values: .double((0..<rowCount).map { _ in Double(UInt64.random(in: 0..<1_000_000, using: &random)) / 7 })),
        ]
        var options = ParquetWriterOptions()
        options.compression = .uncompressed
        let whole = try Self.write(schema, columns, options)
        #expect(whole.count > 1 << 20, "large enough to be written and read column by column in parallel")

        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        for start in stride(from: 0, to: rowCount, by: 1_000) {
            try writer.write(columns, rows: start..<min(start + 1_000, rowCount))
        }
        try writer.close()
        #expect(whole == sink.bytes)
        #expect(try ParquetFileReader(source: MemorySource(whole)).readRowGroup(0) == columns)
    }
}

extension RoundTripTests {
    /// `readRows` (what `amoro inspect --rows` prints from) holds one row group's rows at a time: the largest
    /// batch it hands over is one row group, whatever the file's size, and a limit stops it early.
    @Test func rowsStreamOneRowGroupAtATime() throws {
        let schema = try ParquetSchema([.primitive("id", .int64, repetition: .required)])
        var options = ParquetWriterOptions()
        options.rowGroupRows = 1_000
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        for start in stride(from: 0, to: 50_000, by: 1_000) {
            try writer.write([ColumnData(values: .int64((start..<start + 1_000).map { Int64($0) }))])
        }
        try writer.close()
        let reader = try ParquetFileReader(source: MemorySource(sink.bytes))
        #expect(reader.rowGroupCount == 50)
        var highWater = 0
        var total = 0
        var last: ParquetValue?
        try reader.readRows { _, rows in
            highWater = max(highWater, rows.count)
            total += rows.count
            last = rows.last
        }
        #expect(highWater == 1_000, "one row group at a time")
        #expect(total == 50_000)
        #expect(last == .group([.int64(49_999)]))
        var limited: [Int] = []
        try reader.readRows(limit: 2_500) { _, rows in limited.append(rows.count) }
        #expect(limited == [1_000, 1_000, 500], "row groups past the limit are not read")
    }
}
