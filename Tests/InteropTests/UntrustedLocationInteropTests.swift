import Execution
import Foundation
import JSONCoding
import Testing
import TestSupport

/// Audits, metadata and listings are untrusted input: `expire-snapshots` and `clean-orphans` never delete a file
/// outside the table location (through `..`, or a symbolic link inside the table), never delete a file an audit
/// lists unless an expiring snapshot reached it, and see an alias of a live file (`data/sub/../x.parquet`) as the
/// live file.
@Suite(.enabled(if: Peers.isAvailable)) struct UntrustedLocationInteropTests {
    typealias Support = MaintenanceInteropSupport

    static func expire(_ config: String, _ extra: [String]) throws -> AmoroBinary.Result {
        try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--older-than", "1ms"] + extra)
    }

    /// Adds `entries` to the `files` of an expire-snapshots audit.
    static func audit(_ text: String, adding entries: [(path: String, size: Int64)]) throws -> String {
        let script = #"""
            import json, sys
            audit = json.loads(sys.stdin.read())
            for entry in json.loads(sys.argv[1]):
                audit["files"].append({"path": entry[0], "class": "data", "size": entry[1], "reason": "edited"})
            print(json.dumps(audit))
            """#
        let list = JSON.array(entries.map { .array([.string($0.path), .int($0.size)]) }).rendered()
        return String(decoding: try Peers.python(script, arguments: [list], input: Data(text.utf8)), as: UTF8.self)
    }

    @Test func anAuditCannotDeleteOutsideTheTableOrAnUnreachedFile() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let tableLocation = try #require(try Support.read(root)["location"]?.stringValue)
        let table = Support.local(tableLocation)
        // A victim beside the warehouse, and an unreferenced file inside the table that no snapshot ever reached.
        let victim = root.appendingPathComponent("victim.txt")
        try Data("precious".utf8).write(to: victim)
        let stray = URL(fileURLWithPath: table).appendingPathComponent("data/stray.parquet")
        try Data("not a table file".utf8).write(to: stray)
        let depth = table.dropFirst(root.path.count).split(separator: "/").count + 1  // up from data/ to root
        let climbing = "\(table)/data/" + String(repeating: "../", count: depth) + "victim.txt"

        let text = try Self.audit(try Self.expire(config, ["--dry-run"]).stdout,
            adding: [(climbing, 8), (victim.path, 8), (stray.path, 16)])
        let file = root.appendingPathComponent("audit.json")
        try Data(text.utf8).write(to: file)
        let before = try Support.read(root)
        let replay = try Self.expire(config, ["--from-audit", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        let result = try Support.document(replay)
        #expect(FileManager.default.fileExists(atPath: victim.path), "the file outside the table is still there")
        #expect(FileManager.default.fileExists(atPath: stray.path), "a file no expiring snapshot reached is still there")
        let skipped = Set(result["files_skipped"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? [])
        #expect(skipped == [climbing, victim.path, stray.path], "\(result)")
        #expect(result["status"] == .string("expired"))
        Support.expectSameData(before, try Support.read(root))
    }

    /// The data directory is a symbolic link to a directory outside the table: files that expired snapshots alone
    /// reach are not deleted through it (they are outside the table's real location), and the table stays readable.
    @Test func aSymbolicLinkDoesNotLeadDeletesOutOfTheTable() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let table = Support.local(try #require(try Support.read(root)["location"]?.stringValue))
        let data = URL(fileURLWithPath: table).appendingPathComponent("data")
        let outside = root.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: data, to: outside)
        try FileManager.default.createSymbolicLink(at: data, withDestinationURL: outside)
        let filesBefore = try FileManager.default.subpathsOfDirectory(atPath: outside.path).sorted()
        let before = try Support.read(root)

        let result = try Self.expire(config, [])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Support.document(result)
        let refused = document["delete_failures"]?.arrayValue ?? []
        #expect(!refused.isEmpty && refused.allSatisfy { $0["error"]?.stringValue?.contains("symbolic link") == true }, "\(document)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: outside.path).sorted() == filesBefore,
            "nothing outside the table's real location was deleted")
        Support.expectSameData(before, try Support.read(root))
    }

    /// A live file that another tool added as `data/sub/../extra.parquet` is the listed `data/extra.parquet`:
    /// clean-orphans keeps it, and the table reads as before.
    @Test func anAliasOfALiveFileIsTheLiveFile() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(#"""
            import sys, os, pyarrow as pa, pyarrow.parquet as pq
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
            data = t.metadata.location.removeprefix("file://") + "/data"
            os.makedirs(f"{data}/sub", exist_ok=True)
            pq.write_table(pa.table({"id": pa.array([5000, 5001], pa.int64()), "region": ["eu", "eu"], "payload": ["x", "y"]},
                                    schema=t.schema().as_arrow()), f"{data}/extra.parquet")
            t.add_files([f"file://{data}/sub/../extra.parquet"])
            """#, arguments: [root.path])
        let before = try Support.read(root)
        try Support.age(root, daysAgo: 10)
        let result = try Support.amoro(config: config, ["clean-orphans", "--config", config, "db.t", "--force"])
        #expect(result.status == 0, "\(result.stderr)")
        let table = Support.local(try #require(before["location"]?.stringValue))
        #expect(FileManager.default.fileExists(atPath: "\(table)/data/extra.parquet"), "the live file stays")
        let document = try Support.document(result)
        #expect(!(document["orphans"]?.arrayValue ?? []).contains { $0["path"]?.stringValue?.hasSuffix("/extra.parquet") == true })
        Support.expectSameData(before, try Support.read(root))
    }

    /// Table metadata written by another tool names a manifest through `..` (`…/metadata/../../../victim.avro`):
    /// expiring the only snapshot that reaches it reads it there, but never deletes outside the table.
    @Test func aManifestPathThatClimbsOutIsNeverDeleted() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try Peers.python(#"""
            import sys, shutil, fastavro
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
            first = t.metadata.snapshots[0]
            listing = first.manifest_list.removeprefix("file://")
            with open(listing, "rb") as f:
                reader = fastavro.reader(f)
                schema, meta, records = reader.writer_schema, dict(reader.metadata), list(reader)
            manifest = records[0]["manifest_path"].removeprefix("file://")
            table = t.metadata.location.removeprefix("file://")
            shutil.copy(manifest, f"{w}/victim.avro")
            records[0]["manifest_path"] = f"file://{table}/metadata/../../../victim.avro"
            with open(listing, "wb") as f:
                fastavro.writer(f, schema, records, metadata={k: v for k, v in meta.items() if not k.startswith("avro.")},
                                codec=meta.get("avro.codec", "null"))
            print(first.snapshot_id)
            """#, arguments: [root.path])
        let snapshot = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let victim = root.appendingPathComponent("victim.avro")
        let result = try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--snapshot-id", snapshot])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Support.document(result)
        #expect(FileManager.default.fileExists(atPath: victim.path), "the manifest outside the table is still there")
        let refused = document["delete_failures"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(refused.contains { $0.hasSuffix("/../../../victim.avro") }, "\(document)")
    }
}

/// Object-store staging directories of amoro processes that were killed are removed by the next process that
/// stages; a live process's directory, and anything not named as a staging directory, stay.
@Suite struct StagingSweepTests {
    @Test func deadRunsStagingDirectoriesAreRemoved() throws {
        let folder = try Fixtures.makeTemporaryDirectory("amoro-staging-sweep")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A process that has exited: its id is free (until reused, which this test cannot rule out but never meets).
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let names = ["amoro-staging-\(exited.processIdentifier)-a", "amoro-staging-\(getpid())-b", "amoro-staging-x", "other-1-c"]
        for name in names {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("\(name)/out"), withIntermediateDirectories: true)
        }
        TaskStaging.sweepDeadRuns(in: folder)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == names.dropFirst().sorted())
    }
}
