import Foundation
import Testing

@testable import Parquet

/// The files of apache/parquet-testing's `data/` and `bad_data/` in `Fixtures/parquet-testing/` (see its README):
/// every file not in `refusals.json` is read completely (as `BadFilesTests.readEverything` reads), and every file in
/// it fails with exactly the error recorded there, so a regression either way is a failure.
/// `ParquetReadCorpusInteropTests` compares the values read with pyarrow's.
@Suite struct ParquetTestingCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parquet-testing")

    /// A file amoro refuses: the error's text, and why (for people).
    struct Refusal: Decodable, Sendable {
        let error: String
        let why: String
    }

    static let refusals: [String: Refusal] = {
        let url = directory.appendingPathComponent("refusals.json")
        guard let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: Refusal].self, from: data)) ?? [:]
    }()

    /// Paths of the Parquet files under the folder, relative to it, sorted.
    static let files: [String] = {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".parquet") || $0.hasSuffix(".parquet.encrypted") }.sorted()
    }()

    static var readable: [String] { files.filter { refusals[$0] == nil } }

    @Test(arguments: readable)
    func readsEveryValue(name: String) throws {
        let path = Self.directory.appendingPathComponent(name).path
        #expect(try BadFilesTests.readEverything(path) == ParquetFileReader(path: path).rowCount)
    }

    @Test(arguments: refusals.keys.sorted())
    func refusesWithTheRecordedReason(name: String) throws {
        let refusal = try #require(Self.refusals[name])
        do {
            try BadFilesTests.readEverything(Self.directory.appendingPathComponent(name).path)
            Issue.record("\(name) was read; it is listed as refused (\(refusal.why))")
        } catch {
            #expect(error.description == refusal.error)
        }
    }

    @Test func corpusIsComplete() throws {
        #expect(Self.files.count == 96, "the README says which 96 files were taken")
        #expect(!Self.refusals.isEmpty, "refusals.json is missing or does not parse")
        #expect(Set(Self.refusals.keys).isSubset(of: Set(Self.files)), "refusals.json names files that are not here")
        #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent("README.md").path))
    }
}
