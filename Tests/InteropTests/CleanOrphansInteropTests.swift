import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro clean-orphans` against adversarial trees: every table file is old, so only reachability protects what is
/// live (files only a tag or a branch reaches, logged metadata files), in-flight files are young, a nested table
/// is refused. PyIceberg and DuckDB read the same rows at every ref and snapshot afterwards.
@Suite(.enabled(if: Peers.isAvailable)) struct CleanOrphansInteropTests {
    typealias Support = MaintenanceInteropSupport

    static func clean(_ config: String, _ extra: [String] = []) throws -> AmoroBinary.Result {
        try Support.amoro(config: config, ["clean-orphans", "--config", config, "db.t"] + extra)
    }

    /// Writes `bytes` at `path` under the table and dates it, and the directories it created, `daysAgo` days back.
    static func plant(_ root: URL, _ path: String, bytes: Int = 16, daysAgo: Double = 5) throws -> String {
        let table = root.appendingPathComponent("db/t")
        var url = table.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repeating: 7, count: bytes).write(to: url)
        let planted = url.path
        while url.path.count > table.path.count + "/data".count {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -daysAgo * 86_400)], ofItemAtPath: url.path)
            url.deleteLastPathComponent()
        }
        return planted
    }

    @Test func onlyTrueOrphansGo() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        // Expire first, so that some files are reached only by the tag or the branch.
        #expect(try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--older-than", "1ms"]).status == 0)
        try Support.age(root.appendingPathComponent("db/t"), daysAgo: 5)
        let before = try Support.read(root)
        let orphans = [
            try Self.plant(root, "data/region=eu/00000-lost-task.parquet"), try Self.plant(root, "data/stray/deep/x.parquet"),
            try Self.plant(root, "metadata/stray-m0.avro"),
        ].sorted()
        let young = try Self.plant(root, "data/region=us/in-flight.parquet", daysAgo: 0)

        #expect(try Support.document(try Self.clean(config))["status"] == .string("disabled"), "clean-orphan-file.enabled is unset")
        let audit = try Support.document(try Self.clean(config, ["--force", "--dry-run"]))
        #expect(audit["status"] == .string("dry-run"))
        #expect(audit["orphans"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == orphans)
        #expect(audit["files_kept_young"] == .int(1))
        #expect(orphans.allSatisfy { FileManager.default.fileExists(atPath: $0) })

        let capped = try Self.clean(config, ["--force", "--max-deletes", "2"])
        #expect(capped.status == 1, "\(capped.stderr)")
        #expect(orphans.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "--max-deletes refuses before deleting")

        let result = try Support.document(try Self.clean(config, ["--force"]))
        #expect(result["status"] == .string("cleaned"))
        #expect(result["files_deleted"] == .int(3))
        #expect(orphans.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        #expect(FileManager.default.fileExists(atPath: young))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("db/t/data/stray").path), "empty directories go")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("db/t/data/region=eu").path))
        Support.expectSameData(before, try Support.read(root))
        #expect(try Support.document(try Self.clean(config, ["--force"]))["status"] == .string("nothing-to-do"))
    }

    @Test func aNestedTableIsRefused() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(#"""
            import sys
            from pyiceberg.catalog.sql import SqlCatalog
            from pyiceberg.schema import Schema
            from pyiceberg.types import NestedField, LongType
            w = sys.argv[1]
            c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
            c.create_table("db.inner", Schema(NestedField(1, "id", LongType())), location=f"file://{w}/db/t/data/inner")
            """#, arguments: [root.path])
        let orphan = try Self.plant(root, "data/region=eu/lost.parquet")
        let refused = try Self.clean(config, ["--force"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("db.inner"), "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: orphan))
        // A direct table location sees the nested metadata directory itself.
        let direct = try Support.amoro(config: config, ["clean-orphans", root.appendingPathComponent("db/t").path, "--force"])
        #expect(direct.status == 1)
        #expect(direct.stderr.contains("another table lives under"), "\(direct.stderr)")
    }

    @Test func gcDisabledIsRefused() throws {
        let (root, config) = try Support.makeTable(properties: ["gc.enabled": "false"])
        defer { try? FileManager.default.removeItem(at: root) }
        let refused = try Self.clean(config, ["--force"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("gc.enabled=false"))
    }

    /// A referenced file missing from the listing (a damaged table, or paths written in another form) stops the
    /// run: the listed files cannot be trusted to be orphans.
    @Test func aDamagedTableIsRefused() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let live = try #require(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("db/t/data/region=eu").path)
            .first { $0.hasSuffix(".parquet") })
        try FileManager.default.removeItem(atPath: root.appendingPathComponent("db/t/data/region=eu/\(live)").path)
        let orphan = try Self.plant(root, "data/region=us/lost.parquet")
        let refused = try Self.clean(config, ["--force"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not in the listing"), "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: orphan))
    }

    @Test func anAuditDeletesOnlyWhatStillQualifies() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        // Three old Parquet files no snapshot references.
        let paths = try ["a", "b", "c"].map { name in
            let path = root.appendingPathComponent("db/t/data/region=eu/\(name).parquet").path
            try Peers.python(#"""
                import pyarrow as pa, pyarrow.parquet as pq, sys
                schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("region", pa.string(), nullable=False),
                                    pa.field("payload", pa.string())])
                pq.write_table(pa.table({"id": [7000], "region": ["eu"], "payload": ["planted"]}, schema=schema), sys.argv[1])
                """#, arguments: [path])
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -5 * 86_400)], ofItemAtPath: path)
            return path
        }
        let auditText = try Self.clean(config, ["--force", "--dry-run"]).stdout
        #expect(try JSON.parse(auditText)["orphans"]?.arrayValue?.count == 3)
        // After the audit: a is added to the table, b is rewritten with another size; only c still qualifies.
        try Peers.sidequery(#"""
            import sys
            from pyiceberg.catalog.sql import SqlCatalog
            w, path = sys.argv[1], sys.argv[2]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
            t.add_files([path])
            """#, arguments: [root.path, paths[0]])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[1]))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -5 * 86_400)], ofItemAtPath: paths[1])
        let before = try Support.read(root)
        let audit = root.appendingPathComponent("orphans.json")
        try Data(auditText.utf8).write(to: audit)
        let replay = try Support.document(try Self.clean(config, ["--force", "--from-audit", audit.path]))
        #expect(replay["orphans"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == [paths[2]])
        #expect(FileManager.default.fileExists(atPath: paths[0]), "referenced after the audit: kept")
        #expect(FileManager.default.fileExists(atPath: paths[1]), "changed after the audit: kept")
        #expect(!FileManager.default.fileExists(atPath: paths[2]))
        let after = try Support.read(root)
        Support.expectSameData(before, after)
        #expect(after["refs"]?["main"]?["rows"] == before["refs"]?["main"]?["rows"])
    }

    @Test func concurrentAppendsLoseNothing() throws {
        let (root, config) = try Support.makeTable(properties: ["clean-orphan-file.enabled": "true"])
        defer { try? FileManager.default.removeItem(at: root) }
        try Support.age(root.appendingPathComponent("db/t"), daysAgo: 5)
        let orphan = try Self.plant(root, "data/region=us/lost.parquet")
        let appender = Process()
        appender.executableURL = try #require(Peers.sidequeryPython)
        appender.arguments = ["-c", ExpireSnapshotsInteropTests.appendLoop, root.path]
        let output = Pipe()
        appender.standardOutput = output
        try appender.run()
        for _ in 0..<4 {
            let result = try Self.clean(config)
            #expect(result.status == 0, "\(result.stderr)")
        }
        appender.waitUntilExit()
        let appended = try JSON.parse(Array(output.fileHandleForReading.readDataToEndOfFile()))
        #expect(!FileManager.default.fileExists(atPath: orphan))
        let after = try Support.read(root)
        #expect(after["missing"]?.arrayValue == [])
        #expect(after["refs"]?["main"]?["rows"] == appended["expected_rows"])
        #expect(after["refs"]?["main"]?["pyiceberg"] == after["refs"]?["main"]?["duckdb"])
    }
}
