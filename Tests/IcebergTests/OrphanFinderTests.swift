import Iceberg
import Storage
import Testing

/// Which listed files are orphans: location equivalences, the grace period, prefix mismatches, nested tables.
@Suite struct OrphanFinderTests {
    static let now: Int64 = 10 * 86_400_000
    static let old = now - 5 * 86_400_000

    static func finder(_ referenced: [String], mode: OrphanFinder.PrefixMismatchMode = .error) -> OrphanFinder {
        var reachable: [String: ReachedFile] = [:]
        for path in referenced { reachable[ReachedFile.key(path)] = ReachedFile(path: path, fileClass: .data, size: 1) }
        return OrphanFinder(tableLocation: "file:///w/db/t", metadataDirectory: "file:///w/db/t/metadata",
            reachable: reachable, graceMs: 3 * 86_400_000, prefixMismatch: mode)
    }

    static func file(_ path: String, modifiedMs: Int64 = old) -> StoredFile { StoredFile(location: path, size: 7, modifiedMs: modifiedMs) }

    @Test func equivalentLocationsAreOneFile() throws {
        let finder = Self.finder(["file:/w/db/t/data/a.parquet", "file:///w/db/t/data/b.parquet", "/w/db/t/data/c.parquet"])
        let outcome = try finder.find(in: ["/w/db/t/data/a.parquet", "/w/db/t/data/b.parquet", "/w/db/t/data/c.parquet",
            "/w/db/t/data/d.parquet"].map { Self.file($0) }, nowMs: Self.now)
        #expect(outcome.reachable == 3)
        #expect(outcome.orphans.map(\.location) == ["/w/db/t/data/d.parquet"])
        #expect(ReachedFile.key("s3a://bucket/t/x") == ReachedFile.key("s3://bucket/t/x"))
    }

    @Test func youngFilesAndFilesOutsideTheLocationStay() throws {
        let outcome = try Self.finder([]).find(in: [
            Self.file("/w/db/t/data/in-flight.parquet", modifiedMs: Self.now - 60_000),
            Self.file("/w/db/t2/data/other-table.parquet"), Self.file("/w/db/t"),
        ], nowMs: Self.now)
        #expect(outcome.keptYoung.map(\.location) == ["/w/db/t/data/in-flight.parquet"])
        #expect(outcome.orphans.isEmpty, "/w/db/t2 is not inside /w/db/t")
    }

    @Test func prefixMismatchesFollowTheMode() throws {
        let listing = [Self.file("/w/db/t/data/a.parquet")]
        let referenced = ["hdfs://namenode/w/db/t/data/a.parquet"]
        #expect(throws: OrphanFinder.Refusal.self) { try Self.finder(referenced).find(in: listing, nowMs: Self.now) }
        let ignored = try Self.finder(referenced, mode: .ignore).find(in: listing, nowMs: Self.now)
        #expect(ignored.orphans.isEmpty)
        #expect(ignored.prefixMismatches.count == 1)
        let deleted = try Self.finder(referenced, mode: .delete).find(in: listing, nowMs: Self.now)
        #expect(deleted.orphans.map(\.location) == ["/w/db/t/data/a.parquet"])
    }

    @Test func referencedFilesMissingFromTheListingAreFound() throws {
        let finder = Self.finder(["file:///w/db/t/data/a%20b.parquet"])
        #expect(finder.unlisted(finder.reachable, in: [Self.file("/w/db/t/data/a b.parquet")]).map(\.path)
            == ["file:///w/db/t/data/a%20b.parquet"])
        #expect(finder.unlisted(finder.reachable, in: [Self.file("/w/db/t/data/a%20b.parquet")]).isEmpty)
        let outside = Self.finder(["s3://bucket/elsewhere/x.parquet"])
        #expect(outside.unlisted(outside.reachable, in: []).isEmpty, "files outside the location are not listed")
    }

    @Test func aNestedTableIsRefused() throws {
        let listing = [Self.file("/w/db/t/metadata/v1.metadata.json"), Self.file("/w/db/t/data/inner/metadata/00001-x.metadata.json")]
        #expect(throws: OrphanFinder.Refusal.nestedTable("/w/db/t/data/inner")) {
            try Self.finder([]).find(in: listing, nowMs: Self.now)
        }
        #expect(try Self.finder([]).find(in: [listing[0]], nowMs: Self.now).orphans.count == 1, "its own metadata is not nested")
    }
}
