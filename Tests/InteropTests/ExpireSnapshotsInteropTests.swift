import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// `amoro expire-snapshots` on tables with a tag, a branch, copy-on-write and equality deletes: PyIceberg and
/// DuckDB read the same rows at every ref and every retained snapshot afterwards, no retained snapshot references
/// a missing file, and the files only expired snapshots reached are gone.
@Suite(.enabled(if: Peers.isAvailable)) struct ExpireSnapshotsInteropTests {
    typealias Support = MaintenanceInteropSupport

    static func expire(_ config: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> AmoroBinary.Result {
        try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--older-than", "1ms"] + extra, environment: environment)
    }

    @Test func dryRunAuditsThenExpiryDeletesExactlyWhatItListed() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)

        let audit = try Support.document(try Self.expire(config, ["--dry-run"]))
        #expect(audit["status"] == .string("dry-run"))
        let listed = try #require(audit["files"]?.arrayValue).compactMap { $0["path"]?.stringValue }
        #expect(!listed.isEmpty)
        #expect(listed.allSatisfy { FileManager.default.fileExists(atPath: Support.local($0)) }, "a dry run deletes nothing")
        #expect(try Support.read(root) == before, "a dry run changes nothing")

        let result = try Self.expire(config)
        #expect(result.status == 0, "\(result.stderr)")
        let expired = try Support.document(result)
        #expect(expired["status"] == .string("expired"))
        #expect(expired["snapshots_removed"] == audit["snapshots_removed"])
        let deleted = (expired["files_deleted"]?.objectValue ?? []).reduce(Int64(0)) { $0 + ($1.1["files"]?.int64Value ?? 0) }
        #expect(deleted == Int64(listed.count))
        #expect(listed.allSatisfy { !FileManager.default.fileExists(atPath: Support.local($0)) }, "expired files are gone")
        #expect(expired["files_deleted"]?["data"]?["files"]?.int64Value ?? 0 > 0, "the copy-on-write delete's old files went")

        let after = try Support.read(root)
        Support.expectSameData(before, after)
        #expect(after["refs"]?.objectValue?.map(\.0).sorted() == ["audit", "main", "v2"])
        #expect((after["snapshots"]?.objectValue?.count ?? 0) < (before["snapshots"]?.objectValue?.count ?? 0))

        let again = try Support.document(try Self.expire(config))
        #expect(again["status"] == .string("nothing-to-do"))
    }

    @Test(arguments: ["before-swap", "after-swap", "mid-deletes"])
    func aCrashAtAnyPointLosesNothing(point: String) throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let crashed = try Self.expire(config, environment: ["AMORO_CRASH_AT": point])
        #expect(crashed.status != 0, "the process was killed at \(point)")
        Support.expectSameData(before, try Support.read(root))
        // Running again sweeps what the killed run left (its journal) and finishes the job: nothing unreferenced
        // remains, as PyIceberg and amoro's own orphan finder both see it.
        let rerun = try Self.expire(config)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        Support.expectSameData(before, try Support.read(root))
        #expect(try Support.unreached(root) == [], "\(point): no leftovers")
        let orphans = try Support.document(try Support.amoro(config: config, ["clean-orphans", "--config", config, "db.t", "--older-than", "1ms",
            "--dry-run"]))
        #expect(orphans["orphans"]?.arrayValue ?? [] == [], "\(point): \(orphans)")
    }

    @Test func concurrentAppendsLoseNothing() throws {
        let (root, config) = try Support.makeTable(properties: ["commit.retry.min-wait-ms": "10"])
        defer { try? FileManager.default.removeItem(at: root) }
        let appender = Process()
        appender.executableURL = try #require(Peers.sidequeryPython)
        appender.arguments = ["-c", Self.appendLoop, root.path]
        let output = Pipe()
        appender.standardOutput = output
        try appender.run()
        for _ in 0..<4 {
            let result = try Self.expire(config)
            #expect(result.status == 0 || result.status == 75, "\(result.stderr)")
        }
        appender.waitUntilExit()
        let appended = try JSON.parse(Array(output.fileHandleForReading.readDataToEndOfFile()))
        let after = try Support.read(root)
        #expect(after["missing"]?.arrayValue == [])
        let main = try #require(after["refs"]?["main"])
        #expect(main["pyiceberg"] == main["duckdb"])
        #expect(main["rows"] == appended["expected_rows"], "every committed append is there: \(appended)")
    }

    /// Appends 12 single-row batches, retrying lost races; prints the rows main should hold.
    static let appendLoop = #"""
        import pyarrow as pa, sys, json, time
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.exceptions import CommitFailedException
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        for i in range(12):
            while True:
                t = c.load_table("db.t")
                try:
                    t.append(pa.table({"id": [5000 + i], "region": ["eu"], "payload": ["c"]}, schema=t.schema().as_arrow()))
                    break
                except CommitFailedException:
                    time.sleep(0.05)
        t = c.load_table("db.t")
        print(json.dumps({"expected_rows": len(t.scan().to_arrow())}))
        """#

    @Test func anAuditReplaysOnlyWhatStillQualifies() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let auditText = try Self.expire(config, ["--dry-run"]).stdout
        let audit = try JSON.parse(auditText)
        let listed = try #require(audit["snapshots_removed"]?.arrayValue?.compactMap { $0["snapshot_id"]?.int64Value })
        let tagged = try #require(listed.last)
        // After the audit, someone tags one of the listed snapshots: it no longer qualifies.
        try Peers.sidequery(#"""
            import sys
            from pyiceberg.catalog.sql import SqlCatalog
            w, snapshot = sys.argv[1], int(sys.argv[2])
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
            t.manage_snapshots().create_tag(snapshot, "late").commit()
            """#, arguments: [root.path, String(tagged)])
        let before = try Support.read(root)
        let file = root.appendingPathComponent("audit.json")
        try Data(auditText.utf8).write(to: file)
        let replay = try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--from-audit", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        let result = try Support.document(replay)
        let removed = result["snapshots_removed"]?.arrayValue?.compactMap { $0["snapshot_id"]?.int64Value } ?? []
        #expect(Set(removed) == Set(listed).subtracting([tagged]))
        let after = try Support.read(root)
        Support.expectSameData(before, after)
        #expect(after["refs"]?["late"]?["snapshot"]?.int64Value == tagged)
    }

    /// Position deletes (written by amoro), then a full compaction that drops every delete file, then a user
    /// append: expiry deletes the position- and equality-delete files only the expired snapshots reached, and
    /// records the compaction's time in the table so that the optimizing interval does not restart.
    @Test func deleteFilesGoWithTheSnapshotsThatReachedThem() async throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        let identifier = try #require(TableIdentifier(parsing: "db.t"))
        let table = try await catalog.loadTable(identifier)
        let task = try #require(try await DeletesInteropSupport.tasks(table, storage: catalog.storage).first)
        let deleteFile = try await PositionDeleteFile.write([task.file.filePath: RoaringPositionBitmap([0])],
            to: "\(table.metadata.location)/data/positions.parquet", storage: catalog.storage, specId: task.file.specId,
            partition: task.file.partition)
        _ = try await DeletesInteropSupport.commit([deleteFile], content: .deletes, operation: .delete, table: identifier, catalog: catalog)
        let plan = try Support.amoro(config: config, ["plan", "--config", config, "db.t", "--level", "full"])
        let compact = try Support.amoro(config: config, ["compact", "--config", config], input: plan.stdout)
        #expect(try Support.document(compact)["status"] == .string("committed"), "\(compact.stderr)")
        try Peers.sidequery(#"""
            import pyarrow as pa, sys
            from pyiceberg.catalog.sql import SqlCatalog
            t = SqlCatalog("default", uri=f"sqlite:///{sys.argv[1]}/catalog.db", warehouse=f"file://{sys.argv[1]}").load_table("db.t")
            t.append(pa.table({"id": [777], "region": ["us"], "payload": ["late"]}, schema=t.schema().as_arrow()))
            """#, arguments: [root.path])
        let before = try Support.read(root)
        let result = try Support.document(try Self.expire(config))
        #expect(result["status"] == .string("expired"))
        #expect(result["files_deleted"]?["position_deletes"]?["files"] == .int(1), "\(result)")
        #expect(result["files_deleted"]?["equality_deletes"]?["files"]?.int64Value ?? 0 > 0)
        #expect(!FileManager.default.fileExists(atPath: Support.local(deleteFile.filePath)))
        let after = try Support.read(root)
        Support.expectSameData(before, after)
        #expect(after["properties"]?["amoro.optimizing.last-full-ms"] != nil, "the compaction's time outlives its snapshot")
        let scan = try Support.amoro(config: config, ["scan", "--config", config, "db.t"])
        let recorded = after["properties"]?["amoro.optimizing.last-full-ms"]?.stringValue.flatMap { Int64($0) }
        #expect(try JSON.parse(scan.stdout)["last_optimizing_ms"]?["full"]?.int64Value == recorded, "amoro scan reads it back")
    }

    /// A v3 table whose deletion vectors compaction applied: expiring the snapshots before the compaction
    /// (by id, since the last user commit is otherwise protected) deletes the Puffin files; DuckDB reads the same rows.
    @Test func deletionVectorFilesGoWithTheirSnapshots() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-expire-dv")
        defer { try? FileManager.default.removeItem(at: root) }
        let (catalog, _, expected) = try await DeletesInteropSupport.makeV3TableWithDeletionVectors(root)
        let config = try CompactInteropTests.config(root)
        let plan = try Support.amoro(config: config, ["plan", "--config", config, "db.v3"])
        #expect(try Support.amoro(config: config, ["compact", "--config", config], input: plan.stdout).status == 0)
        let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: "db.v3")))
        let puffins = { try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("db/v3").path)
            .filter { $0.hasSuffix(".puffin") } }
        #expect(try !puffins().isEmpty)
        let older = table.metadata.snapshots.map(\.snapshotId).filter { $0 != table.metadata.currentSnapshotId }
        let result = try Support.document(try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.v3"]
            + older.flatMap { ["--snapshot-id", String($0)] }))
        #expect(result["status"] == .string("expired"))
        #expect(result["snapshots_removed"]?.arrayValue?.allSatisfy { $0["reason"] == .string("explicit") } == true)
        #expect(result["files_deleted"]?["position_deletes"]?["files"]?.int64Value ?? 0 >= 1, "\(result)")
        #expect(try puffins().isEmpty)
        let after = try await catalog.loadTable(try #require(TableIdentifier(parsing: "db.v3")))
        let ids = try JSON.parse(Array(try Peers.python(DeletesInteropTests.duckDBIds, arguments: [after.metadataLocation])))
        #expect(ids == .array(expected.map(JSON.int)))
    }

    /// A plan made before more commits keeps its snapshot through expiry (`--keep-plans`), so it still compacts.
    @Test func pendingPlansKeepTheirSnapshot() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let plan = try Support.amoro(config: config, ["plan", "--config", config, "db.t", "--level", "full"])
        let planned = try #require(try JSON.parse(plan.stdout)["snapshot_id"]?.int64Value)
        try Peers.sidequery(#"""
            import pyarrow as pa, sys
            from pyiceberg.catalog.sql import SqlCatalog
            t = SqlCatalog("default", uri=f"sqlite:///{sys.argv[1]}/catalog.db", warehouse=f"file://{sys.argv[1]}").load_table("db.t")
            for i in range(2):
                t.append(pa.table({"id": [800 + i], "region": ["eu"], "payload": ["later"]}, schema=t.schema().as_arrow()))
            """#, arguments: [root.path])
        let plans = root.appendingPathComponent("plans.ndjson")
        try Data(plan.stdout.utf8).write(to: plans)
        let result = try Support.document(try Self.expire(config, ["--keep-plans", plans.path]))
        let removed = result["snapshots_removed"]?.arrayValue?.compactMap { $0["snapshot_id"]?.int64Value } ?? []
        #expect(!removed.isEmpty && !removed.contains(planned), "\(result)")
        let compact = try Support.amoro(config: config, ["compact", "--config", config], input: plan.stdout)
        #expect(try Support.document(compact)["status"] == .string("committed"), "\(compact.stderr)")
    }

    @Test func gcDisabledCommitsButDeletesNothing() throws {
        let (root, config) = try Support.makeTable(properties: ["gc.enabled": "false"])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let audit = try Support.document(try Self.expire(config, ["--dry-run"]))
        let listed = audit["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        let result = try Support.document(try Self.expire(config))
        #expect(result["status"] == .string("expired"))
        #expect(result["files_kept"]?.stringValue?.contains("gc.enabled=false") == true)
        #expect(listed.allSatisfy { FileManager.default.fileExists(atPath: Support.local($0)) })
        Support.expectSameData(before, try Support.read(root))
    }

    @Test func disabledTablesNeedForce() throws {
        let (root, config) = try Support.makeTable(properties: ["table-expire.enabled": "false"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try Support.document(try Self.expire(config))["status"] == .string("disabled"))
        #expect(try Support.document(try Self.expire(config, ["--force"]))["status"] == .string("expired"))
    }

    @Test func oldMetadataFilesGoWhenTheTableSaysSo() throws {
        let (root, config) = try Support.makeTable(properties: [
            "write.metadata.delete-after-commit.enabled": "true", "write.metadata.previous-versions-max": "2",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let result = try Support.document(try Self.expire(config))
        #expect(result["files_deleted"]?["metadata"]?["files"]?.int64Value ?? 0 > 0, "\(result)")
        let metadata = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("db/t/metadata").path)
        #expect(metadata.filter { $0.hasSuffix(".metadata.json") }.count <= 3, "current + 2 logged: \(metadata)")
        Support.expectSameData(before, try Support.read(root))
    }

    @Test func explicitSnapshotsAreRefusedWhenARefNeedsThem() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let tag = try #require(before["refs"]?["v2"]?["snapshot"]?.int64Value)
        let refused = try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--snapshot-id", String(tag)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("head of ref 'v2'"), "\(refused.stderr)")
        #expect(try Support.read(root) == before)
    }
}
