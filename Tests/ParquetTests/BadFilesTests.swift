import TestSupport
import Foundation
import Testing

@testable import Parquet

/// Every file of `Fixtures/bad/` must give a clean `ParquetError` (never a crash, hang or huge allocation), every
/// file there must be listed here, and the committed bytes must match `BadFileRecipes` (re-record with
/// `AMORO_RECORD_BAD_FILES=1`, which fails the run so recording is never silent).
@Suite struct BadFilesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad")

    static let listed = [
        "empty.parquet", "too-small.parquet", "bad-magic-head.parquet", "bad-magic-tail.parquet",
        "truncated-file.parquet", "truncated-footer.parquet", "footer-length-past-start.parquet",
        "deep-thrift-nesting.parquet", "chunk-past-end.parquet", "chunk-offset-negative.parquet",
        "negative-row-count.parquet", "negative-value-count.parquet", "row-count-lie.parquet",
        "schema-children-overflow.parquet", "schema-fixed-without-length.parquet", "wrong-codec-data.parquet",
        "unsupported-codec-lzo.parquet", "page-compressed-size-lie.parquet", "page-uncompressed-size-lie.parquet",
        "page-value-count-lie.parquet", "page-value-count-negative.parquet", "page-value-count-short.parquet",
        "page-unknown-encoding.parquet", "dictionary-index-out-of-range.parquet", "dictionary-negative-count.parquet",
        "v2-level-lengths-lie.parquet", "v2-null-count-lie.parquet", "dictionary-expansion-bomb.parquet",
        "page-index-past-end.parquet", "column-index-lists-disagree.parquet",
    ]

    /// Opens the file and reads and assembles everything in it (every page header and page index too); returns the
    /// rows assembled.
    @discardableResult static func readEverything(_ path: String) throws(ParquetError) -> Int {
        let reader = try ParquetFileReader(path: path)
        var rows = 0
        for group in 0..<reader.rowGroupCount {
            let columns = try reader.readRowGroup(group)
            rows += try RecordAssembler.rows(schema: reader.schema, columns: columns).count
            for column in reader.schema.columns.indices {
                _ = try reader.pages(rowGroup: group, column: column)
                _ = try reader.offsetIndex(rowGroup: group, column: column)
                _ = try reader.columnIndex(rowGroup: group, column: column)
            }
        }
        return rows
    }

    @Test(arguments: listed)
    func badFileGivesACleanError(name: String) {
        #expect(throws: ParquetError.self) {
            try Self.readEverything(Self.directory.appendingPathComponent(name).path)
        }
    }

    @Test func everyFileInTheFolderIsListed() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".parquet") }.sorted()
        #expect(present == Self.listed.sorted())
        #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent("README.md").path))
    }

    @Test func corpusMatchesItsRecipes() throws {
        let recipes = try BadFileRecipes.all()
        #expect(recipes.map(\.0).sorted() == Self.listed.sorted())
        let record = ProcessInfo.processInfo.environment["AMORO_RECORD_BAD_FILES"] == "1"
        for (name, bytes) in recipes {
            let url = Self.directory.appendingPathComponent(name)
            if record {
                try Data(bytes).write(to: url)
            } else {
                #expect(try [UInt8](Data(contentsOf: url)) == bytes, "\(name) differs from its recipe")
            }
        }
        #expect(!record, "recorded the bad-file corpus; run again without AMORO_RECORD_BAD_FILES")
    }

    @Test func recipeBasesAreValid() throws {
        for bytes in [try BadFileRecipes.base(version: .v1), try BadFileRecipes.singleColumn(version: .v2)] {
            let reader = try ParquetFileReader(source: MemorySource(bytes))
            #expect(reader.rowCount > 0)
            _ = try RecordAssembler.rows(schema: reader.schema, columns: try reader.readRowGroup(0))
        }
    }
}


extension BadFilesTests {
    /// Random byte flips, overwrites and truncations of valid files (every codec, both page versions): reading must
    /// either succeed or throw `ParquetError`, never crash or hang.
    @Test(arguments: [CompressionKind.uncompressed, .snappy, .zstd, .gzip, .lz4Raw])
    func mutatedFilesNeverCrash(codec: CompressionKind) throws {
        var random = SeededGenerator(seed: UInt64(codec.rawValue) + 99)
        var outcomes = (read: 0, failed: 0)
        for version in [ParquetWriterOptions.DataPageVersion.v1, .v2] {
            let schema = try SchemaTests.nestedSchema()
            let rows = (0..<60).map { _ in RandomData.row(schema, &random) }
            var options = ParquetWriterOptions()
            options.compression = codec
            options.dataPageVersion = version
            options.pageSize = 64
            options.rowGroupRows = 25
            let sink = MemorySink()
            let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
            try writer.write(rows: rows)
            try writer.close()
            let original = sink.bytes
            for _ in 0..<300 {
                var bytes = original
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    for _ in 0..<Int.random(in: 1...4, using: &random) {
                        bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
                    }
                case 1:
                    let start = Int.random(in: 0..<bytes.count, using: &random)
                    for index in start..<min(bytes.count, start + 8) { bytes[index] = UInt8.random(in: 0...255, using: &random) }
                default:
                    // Keep the tail so the footer is found, cut somewhere in the middle.
                    let cut = Int.random(in: 4..<(bytes.count - 8), using: &random)
                    bytes.removeSubrange(cut..<min(bytes.count - 8, cut + Int.random(in: 1...40, using: &random)))
                }
                do {
                    let reader = try ParquetFileReader(source: MemorySource(bytes))
                    for group in 0..<reader.rowGroupCount {
                        _ = try RecordAssembler.rows(schema: reader.schema, columns: try reader.readRowGroup(group))
                    }
                    outcomes.read += 1
                } catch {
                    outcomes.failed += 1
                }
            }
        }
        #expect(outcomes.failed > 0)
        #expect(outcomes.read + outcomes.failed == 600)
    }
}

/// A chunk of many pages, each within the page limit, is bounded as a whole: decoding stops with a clean error
/// once the chunk's values and levels pass the reader's byte limit.
@Suite struct ChunkByteLimitTests {
    @Test func aChunkOfManySmallPagesStopsAtTheLimit() throws {
        let schema = try ParquetSchema([.primitive("s", .byteArray, logicalType: .string)])
        var options = ParquetWriterOptions()
        options.pageSize = 256
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        let value = String(repeating: "x", count: 200)
        try writer.write(rows: (0..<5_000).map { _ in .group([.bytes(Array(value.utf8))]) })
        try writer.close()
        let reader = try ParquetFileReader(source: MemorySource(sink.bytes))
        let (metadata, range) = try reader.chunk(rowGroup: 0, column: 0)
        let bytes = Array(sink.bytes[range])
        #expect(try reader.pages(rowGroup: 0, column: 0).count > 10, "many pages")
        let bounded = try ColumnChunkReader(column: reader.schema.columns[0], metadata: metadata, byteLimit: 64 << 10)
        #expect(throws: ParquetError.self) { try bounded.read(bytes) }
        let unbounded = try ColumnChunkReader(column: reader.schema.columns[0], metadata: metadata)
        #expect(try unbounded.read(bytes).values.count == 5_000)
    }
}
