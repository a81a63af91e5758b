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
        "v2-level-lengths-lie.parquet", "v2-null-count-lie.parquet",
    ]

    /// Opens the file and reads and assembles everything in it.
    static func readEverything(_ path: String) throws(ParquetError) {
        let reader = try ParquetFileReader(path: path)
        for group in 0..<reader.rowGroupCount {
            let columns = try reader.readRowGroup(group)
            _ = try RecordAssembler.rows(schema: reader.schema, columns: columns)
            for column in reader.schema.columns.indices { _ = try reader.pages(rowGroup: group, column: column) }
        }
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

