import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro expire-snapshots` on tables with a tag, a branch, copy-on-write and equality deletes: PyIceberg and
/// DuckDB read the same rows at every ref and every retained snapshot afterwards, no retained snapshot references
/// a missing file, and the files only expired snapshots reached are gone.
@Suite(.enabled(if: Peers.isAvailable)) struct ExpireSnapshotsInteropTests {
    typealias Support = MaintenanceInteropSupport

    static func expire(_ config: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> AmoroBinary.Result {
        try AmoroBinary.run(["expire-snapshots", "--config", config, "db.t", "--older-than", "1ms"] + extra, environment: environment)
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
        // Running again finishes the job; leftovers of a crash after the swap are unreferenced files only.
        let rerun = try Self.expire(config)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        Support.expectSameData(before, try Support.read(root))
        let orphans = try Support.document(try AmoroBinary.run(["clean-orphans", "--config", config, "db.t", "--older-than", "1ms",
            "--dry-run"]))
        let paths = orphans["orphans"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        if point == "before-swap" { #expect(paths.isEmpty, "nothing was written before the swap: \(paths)") }
        if point != "before-swap" { #expect(!paths.isEmpty, "files left by the crash are found as orphans") }
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
        let replay = try AmoroBinary.run(["expire-snapshots", "--config", config, "db.t", "--from-audit", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        let result = try Support.document(replay)
        let removed = result["snapshots_removed"]?.arrayValue?.compactMap { $0["snapshot_id"]?.int64Value } ?? []
        #expect(Set(removed) == Set(listed).subtracting([tagged]))
        let after = try Support.read(root)
        Support.expectSameData(before, after)
        #expect(after["refs"]?["late"]?["snapshot"]?.int64Value == tagged)
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
        let refused = try AmoroBinary.run(["expire-snapshots", "--config", config, "db.t", "--snapshot-id", String(tag)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("head of ref 'v2'"), "\(refused.stderr)")
        #expect(try Support.read(root) == before)
    }
}
