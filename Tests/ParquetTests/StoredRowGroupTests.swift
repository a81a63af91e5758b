import Foundation
import TestSupport
import Testing

@testable import Parquet

/// Row groups copied as they are stored (`ParquetFileWriter.appendStoredRowGroup`): the file reads back as the
/// rows written around them plus the copied rows, whatever the codec, page version and nesting; statistics carry
/// over as the writer would state them.
@Suite struct StoredRowGroupTests {
    @Test(arguments: RoundTripTests.writableCodecs)
    func copiedRowGroupsReadBackBetweenEncodedRows(codec: CompressionKind) throws {
        for seed in 0..<6 {
            var random = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ UInt64(codec.rawValue))
            let schema = try RandomData.schema(&random)
            func rows() -> [ParquetValue] { (0..<Int.random(in: 1...60, using: &random)).map { _ in RandomData.row(schema, &random) } }
            var sourceOptions = ParquetWriterOptions()
            sourceOptions.compression = codec
            sourceOptions.dataPageVersion = random.chance(0.5) ? .v1 : .v2
            sourceOptions.rowGroupRows = Int.random(in: 1...25, using: &random)
            sourceOptions.pageSize = Int.random(in: 16...512, using: &random)
            sourceOptions.dictionaryEnabled = random.chance(0.5)
            let (first, second, before, after) = (rows(), rows(), rows(), rows())
            let sources = try [first, second].map { rows in
                try ParquetFileReader(source: MemorySource(try RoundTripTests.write(
                    schema, try RecordShredder.columns(schema: schema, rows: rows), sourceOptions)))
            }
            let sink = MemorySink()
            let writer = try ParquetFileWriter(schema: schema, sink: sink)
            try writer.write(rows: before)
            for source in sources {
                for group in 0..<source.rowGroupCount {
                    try writer.appendStoredRowGroup(of: source, at: group, columns: Array(schema.columns.indices))
                }
            }
            try writer.write(rows: after)
            let footer = try writer.close()
            #expect(try RoundTripTests.readRows(sink.bytes) == before + first + second + after, "seed \(seed)")
            let copied = footer.rowGroups.dropFirst().dropLast()
            let originals = sources.flatMap(\.metadata.rowGroups)
            #expect(copied.count == originals.count)
            for (copy, original) in zip(copied, originals) {
                #expect(copy.numRows == original.numRows)
                #expect(copy.columns.map { $0.metaData?.statistics } == original.columns.map { $0.metaData?.statistics },
                    "amoro's own statistics are carried unchanged")
                #expect(copy.columns.map { $0.metaData?.totalCompressedSize } == original.columns.map { $0.metaData?.totalCompressedSize })
            }
        }
    }

    @Test func aChunkOfAnotherPhysicalTypeIsRefused() throws {
        let longs = try ParquetSchema([.primitive("v", .int64, repetition: .required)])
        let ints = try ParquetSchema([.primitive("v", .int32, repetition: .required)])
        let source = try ParquetFileReader(source: MemorySource(try RoundTripTests.write(
            ints, [ColumnData(values: .int32([1, 2, 3]))], ParquetWriterOptions())))
        let writer = try ParquetFileWriter(schema: longs, sink: MemorySink())
        #expect(throws: ParquetError.self) { try writer.appendStoredRowGroup(of: source, at: 0, columns: [0]) }
        #expect(throws: ParquetError.self) { try writer.appendStoredRowGroup(of: source, at: 1, columns: [0]) }
    }

    @Test func aCorruptChunkIsRefusedNotCopied() throws {
        let schema = try ParquetSchema([.primitive("v", .int64, repetition: .required)])
        let bytes = try RoundTripTests.write(schema, [ColumnData(values: .int64(Array(0..<1000)))], ParquetWriterOptions())
        let good = try ParquetFileReader(source: MemorySource(bytes))
        let (metadata, range) = try good.chunk(rowGroup: 0, column: 0)
        // A chunk whose page header is garbage, and a footer claiming more values than the pages hold.
        var garbled = bytes
        for index in range.lowerBound..<(range.lowerBound + 8) { garbled[index] = 0xFF }
        var inflated = good.metadata
        inflated.rowGroups[0].columns[0].metaData?.numValues = metadata.numValues + 1
        inflated.rowGroups[0].numRows += 1
        for source in [try ParquetFileReader(source: MemorySource(garbled)), try Self.refooted(bytes, inflated)] {
            let sink = MemorySink()
            let writer = try ParquetFileWriter(schema: schema, sink: sink)
            #expect(throws: ParquetError.self) { try writer.appendStoredRowGroup(of: source, at: 0, columns: [0]) }
        }
    }

    /// `bytes` with its footer replaced by `footer`.
    static func refooted(_ bytes: [UInt8], _ footer: FileMetaData) throws -> ParquetFileReader {
        let length = Int(UInt32(bytes[bytes.count - 8]) | UInt32(bytes[bytes.count - 7]) << 8
            | UInt32(bytes[bytes.count - 6]) << 16 | UInt32(bytes[bytes.count - 5]) << 24)
        let serialized = footer.serialized()
        let size = UInt32(serialized.count)
        let data = Array(bytes[..<(bytes.count - 8 - length)]) + serialized
            + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)] + Array("PAR1".utf8)
        return try ParquetFileReader(source: MemorySource(data))
    }

    @Test func carriedStatisticsKeepOnlyValidBounds() throws {
        let schema = try ParquetSchema([
            .primitive("s", .byteArray, repetition: .optional, logicalType: .string),
            .primitive("i", .int32, repetition: .optional),
            .primitive("d", .double, repetition: .optional),
        ])
        let (text, integer, double) = (schema.columns[0], schema.columns[1], schema.columns[2])
        var legacyOnly = Statistics()
        legacyOnly.min = Array("a".utf8)
        legacyOnly.max = Array("é".utf8)
        legacyOnly.nullCount = 2
        let strings = try #require(StatisticsBuilder.carried(legacyOnly, column: text, sourceOrder: nil))
        #expect(strings.minValue == nil && strings.min == nil, "signed-order legacy bounds of strings are not bounds")
        #expect(strings.nullCount == 2)

        var ints = Statistics()
        ints.min = [1, 0, 0, 0]
        ints.max = [9, 0, 0, 0]
        let carried = try #require(StatisticsBuilder.carried(ints, column: integer, sourceOrder: .typeDefined))
        #expect(carried.minValue == [1, 0, 0, 0] && carried.maxValue == [9, 0, 0, 0] && carried.min == [1, 0, 0, 0])
        #expect(StatisticsBuilder.carried(ints, column: integer, sourceOrder: .unknown(7))?.minValue == nil)

        var nan = Statistics()
        nan.minValue = withUnsafeBytes(of: (1.0).bitPattern.littleEndian) { Array($0) }
        nan.maxValue = withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { Array($0) }
        nan.nullCount = 0
        let doubles = try #require(StatisticsBuilder.carried(nan, column: double, sourceOrder: .typeDefined))
        #expect(doubles.minValue == nil && doubles.maxValue == nil, "a NaN bound bounds nothing")
        #expect(StatisticsBuilder.carried(nil, column: double, sourceOrder: .typeDefined) == nil)
    }

    /// Arrow C++ wrote `data_page_offset` 0 for the chunks of an empty row group holding only a dictionary page;
    /// copied, they still name no data page and start at the moved dictionary page.
    @Test func copiedChunkWithoutDataPagesStartsAtItsDictionaryPage() throws {
        let path = ParquetTestingCorpusTests.directory.appendingPathComponent("column_chunk_key_value_metadata.parquet")
        let source = try ParquetFileReader(path: path.path)
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: source.schema, sink: sink)
        try writer.appendStoredRowGroup(of: source, at: 0, columns: [0, 1])
        let rows: [ParquetValue] = [.group([.int32(7), .null])]
        try writer.write(rows: rows)
        let footer = try writer.close()
        for chunk in footer.rowGroups[0].columns {
            let metadata = try #require(chunk.metaData)
            #expect(metadata.dataPageOffset == 0 && metadata.firstPageOffset == metadata.dictionaryPageOffset)
        }
        #expect(try RoundTripTests.readRows(sink.bytes) == rows)
    }

    @Test func writersReadersWorkAroundAreNamed() {
        func footer(_ createdBy: String?) -> FileMetaData {
            FileMetaData(version: 2, schema: [], numRows: 0, rowGroups: [], createdBy: createdBy)
        }
        #expect(footer(nil).needsWriterWorkarounds)
        #expect(footer("").needsWriterWorkarounds)
        #expect(footer("parquet-mr version 1.6.0 (build abc)").needsWriterWorkarounds)
        #expect(footer("parquet-mr version 1.7.1").needsWriterWorkarounds)
        #expect(!footer("parquet-mr version 1.8.0 (build abc)").needsWriterWorkarounds)
        #expect(!footer("parquet-mr version 1.13.1 (build db4183109d5b734ec5930d870cdae161e408ddba)").needsWriterWorkarounds)
        #expect(!footer("parquet-cpp-arrow version 18.1.0").needsWriterWorkarounds)
        #expect(!footer("DuckDB version v1.5.5 (build 1234)").needsWriterWorkarounds)
        #expect(footer("parquet-mr").needsWriterWorkarounds, "the oldest parquet-mr named no version")
        #expect(footer("parquet-mr").chunkSizesOmitDictionaryHeader)
        #expect(footer("parquet-mr version 1.2.8").chunkSizesOmitDictionaryHeader)
        #expect(!footer("parquet-mr version 1.2.9").chunkSizesOmitDictionaryHeader)
        #expect(!footer(nil).chunkSizesOmitDictionaryHeader)
        #expect(!footer("parquet-mr-fork version 1.0").chunkSizesOmitDictionaryHeader)
        #expect(!footer("parquet-cpp-arrow version 18.1.0").chunkSizesOmitDictionaryHeader)
    }
}
