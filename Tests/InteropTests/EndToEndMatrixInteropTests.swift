import Foundation
import JSONCoding
import Testing
import TestSupport

/// Issue 6's end-to-end run on every catalog-and-storage combination (`CatalogEnvironment.Kind`): PyIceberg writes a
/// partitioned table of many small appends with copy-on-write deletes (and sidequery-pyiceberg equality deletes
/// where it reaches the catalog); then amoro scans, rewrites deletes, plans and compacts at each level, expires
/// snapshots and cleans orphans through the same catalog and storage. After every step PyIceberg and DuckDB read the
/// same rows as before the first (Apache Iceberg Java too, on the SQLite catalog locally and on SeaweedFS through S3A), and no file any snapshot names
/// is missing; a last plan finds nothing to do.
@Suite(.enabled(if: Peers.isAvailable || Peers.areRequired), .serialized)
struct EndToEndMatrixInteropTests {
    /// Files planted under the table when it is made: unreferenced, and past the grace period when clean-orphans runs.
    static let orphans = ["data/region=eu/00000-99-lost-task.parquet", "data/stray/deep/x.parquet", "metadata/stray-m0.avro"]
    /// clean-orphans' grace period here: the planted orphans pass it, a file written just before the run does not.
    static let graceSeconds = 30

    @Test(arguments: CatalogEnvironment.Kind.allCases)
    func everyCommandKeepsEveryRow(_ kind: CatalogEnvironment.Kind) async throws {
        guard kind.isAvailable || Peers.areRequired else { return }
        try await CatalogEnvironment.with(kind) { environment in
            if kind == .localSQLite, IcebergJava.isAvailable || Peers.areRequired {
                try await IcebergJava.with { java in try await run(try EndToEndTable(environment, java: java)) }
            } else if kind == .seaweedSQLite, IcebergJava.isS3Available || Peers.areRequired {
                try await IcebergJava.with(s3: true) { java in try await run(try EndToEndTable(environment, java: java)) }
            } else {
                try await run(try EndToEndTable(environment))
            }
        }
    }

    /// The whole run on one table.
    func run(_ table: EndToEndTable) async throws {
        let kind = table.environment.kind
        // On SeaweedFS with SQLite the table lives at an s3a:// location, as Hadoop writers name it: the same store.
        let hadoopLocation = kind == .seaweedSQLite ? "s3a://\(S3TestServer.bucket)/hadoop/db/events" : ""
        let made = try JSON.parse(Array(try table.pyiceberg(EndToEndTable.makeTable, [hadoopLocation] + Self.orphans)))
        let plantedAt = Date()
        let location = try #require(made["location"]?.stringValue)
        #expect(location.hasPrefix(hadoopLocation))
        let orphans = made["orphans"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let withEqualityDeletes = table.sidequeryReachesCatalog
        if withEqualityDeletes { try table.pyiceberg(EndToEndTable.equalityDeletes) }
        let baseline = try table.read(checking: orphans)
        #expect(baseline["rows"] == .int(withEqualityDeletes ? 113 : 115))
        #expect(baseline["duckdb"] == baseline["digest"], "\(kind): PyIceberg and DuckDB disagree before amoro runs")
        #expect(baseline["missing"]?.arrayValue == [])
        #expect(baseline["exists"] == .array(orphans.map { _ in .bool(true) }), "\(kind): orphans planted")
        if table.java != nil { try table.expectSameRows(as: baseline, after: "the peers' writes, before amoro runs") }

        let scan = try table.document(["scan", "db.events"])
        #expect(scan["kind"] == .string("amoro.scan"))
        #expect(scan["totals"]?["data_files"] == baseline["data_files"], "\(kind): scan counts PyIceberg's data files")
        #expect(scan["totals"]?["equality_delete_files"] == baseline["delete_files"])

        let rewritten = try table.document(["rewrite-deletes", "db.events"])
        #expect(rewritten["status"] == .string(withEqualityDeletes ? "committed" : "nothing-to-do"), "\(rewritten)")
        try table.expectSameRows(as: baseline, after: "rewrite-deletes")

        for level in ["minor", "major", "full"] {
            let plan = try table.amoro(["plan", "db.events", "--level", level, "--json"])
            #expect(plan.status == 0, "\(kind) plan --level \(level): \(plan.stderr)")
            let tasks = try JSON.parse(plan.stdout)["tasks"]?.arrayValue?.count ?? 0
            if level == "minor" { #expect(tasks > 0, "\(kind): 24 small files make a minor plan") }
            guard tasks > 0 else { continue }
            let compacted = try table.document(["compact"], input: plan.stdout)
            #expect(compacted["status"] == .string("committed"), "\(kind) compact --level \(level): \(compacted)")
            try table.expectSameRows(as: baseline, after: "compact at level \(level)")
        }
        #expect(try table.document(["plan", "db.events", "--level", "major"])["tasks"]?.arrayValue == [],
            "\(kind): a second plan finds nothing")

        let expired = try table.document(["expire-snapshots", "db.events", "--older-than", "1ms", "--retain-last", "1"])
        #expect(expired["status"] == .string("expired"), "\(kind): \(expired)")
        let afterExpiry = try table.expectSameRows(as: baseline, after: "expire-snapshots")
        // Amoro keeps the newest snapshot no maintenance wrote, and everything after it: with equality deletes that
        // is sidequery's commit, before amoro's rewrite-deletes (maintenance too: it changes no row) and the full
        // compaction.
        #expect(afterExpiry["snapshots"] == .int(withEqualityDeletes ? 3 : 2), "\(kind): \(expired)")
        #expect(afterExpiry["data_files"] == .int(2), "\(kind): one file per partition after the full compaction")

        let sincePlanted = Int(Date().timeIntervalSince(plantedAt))
        if sincePlanted <= Self.graceSeconds { try await Task.sleep(for: .seconds(Self.graceSeconds + 1 - sincePlanted)) }
        let inFlight = "\(location)/data/region=us/00000-7-in-flight.parquet"
        try table.pyiceberg(EndToEndTable.writeFile, [inFlight])
        let cleaned = try table.document(["clean-orphans", "db.events", "--older-than", "\(Self.graceSeconds)s"])
        #expect(cleaned["status"] == .string("cleaned"), "\(kind): \(cleaned)")
        let deleted = cleaned["orphans"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        for orphan in Self.orphans { #expect(deleted.contains { $0.hasSuffix("/\(orphan)") }, "\(kind): \(orphan) in \(deleted)") }
        #expect(!deleted.contains { $0.hasSuffix("in-flight.parquet") })
        let afterCleaning = try table.expectSameRows(as: baseline, after: "clean-orphans", checking: orphans + [inFlight])
        #expect(afterCleaning["exists"] == .array(orphans.map { _ in .bool(false) } + [.bool(true)]),
            "\(kind): orphans gone, the in-flight file kept")
        #expect(try table.document(["plan", "db.events", "--level", "major"])["tasks"]?.arrayValue == [])
    }
}
