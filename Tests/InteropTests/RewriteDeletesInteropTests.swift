import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// `amoro rewrite-deletes` on tables PyIceberg writes (with amoro's position-delete files, as no peer writes them),
/// on sidequery-pyiceberg's equality deletes and on a v3 table with deletion vectors: PyIceberg and DuckDB read
/// exactly the same rows before and after, the delete-file counts drop as reported, and a second run has nothing
/// to do.
@Suite(.enabled(if: Peers.isAvailable)) struct RewriteDeletesInteropTests {
    /// Six data files: three appends over two partitions (region eu/us), 20 rows each.
    static let makeTable = #"""
        import pyarrow as pa, sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "v", StringType()))
        t = c.create_table("db.events", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                           properties={"format-version": "2"})
        arrow = t.schema().as_arrow()
        for k in range(3):
            ids = list(range(k * 100, k * 100 + 40))
            t.append(pa.table({"id": ids, "region": [["eu", "us"][i % 2] for i in ids], "v": [f"v{i}" for i in ids]}, schema=arrow))
        """#

    static let copyOnWriteDelete = #"""
        import sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.expressions import EqualTo
        w, victim = sys.argv[1], int(sys.argv[2])
        SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.events").delete(EqualTo("id", victim))
        """#

    static func catalog(_ root: URL) throws -> SQLCatalog {
        try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
    }

    /// The PyIceberg table with four rounds of amoro position deletes, one file per partition per round (each naming
    /// several data files: a partition-scoped layout). Round r deletes the ids ending in r or r + 5 (only below 100
    /// from round 2 on), so the first append's files lose 80% of their rows and the others 40%. Then PyIceberg deletes
    /// id 209 by copy-on-write: the file holding it is replaced, and the entries naming it apply to nothing any more.
    static func makeTableWithPositionDeletes(_ root: URL) async throws {
        try Peers.python(Self.makeTable, arguments: [root.path])
        let catalog = try Self.catalog(root)
        let identifier = try #require(TableIdentifier(parsing: "db.events"))
        for round in 0..<4 {
            let table = try await catalog.loadTable(identifier)
            var byPartition: [PartitionKey: (DataFile, [String: RoaringPositionBitmap])] = [:]
            for task in try await DeletesInteropSupport.tasks(table, storage: catalog.storage) {
                let ids = try DeletesInteropSupport.ids(task.file.filePath)
                let doomed = ids.indices.filter { [Int64(round), Int64(round + 5)].contains(ids[$0] % 10) && (round < 2 || ids[$0] < 100) }
                let key = PartitionKey(specId: task.file.specId, values: task.file.partition)
                byPartition[key, default: (task.file, [:])].1[task.file.filePath] = RoaringPositionBitmap(doomed.map(Int64.init))
            }
            var files: [DataFile] = []
            for (index, (first, positions)) in byPartition.values.enumerated() {
                files.append(try await PositionDeleteFile.write(positions,
                    to: "\(table.metadata.location)/data/amoro-deletes-\(round)-\(index).parquet", storage: catalog.storage,
                    specId: first.specId, partition: first.partition))
            }
            _ = try await DeletesInteropSupport.commit(files, content: .deletes, operation: .delete, table: identifier, catalog: catalog)
        }
        try Peers.python(Self.copyOnWriteDelete, arguments: [root.path, "209"])
    }

    static func fingerprint(_ root: URL, _ table: String, sidequery: Bool = false) throws -> JSON {
        let output = sidequery
            ? try Peers.sidequery(CompactInteropTests.fingerprint, arguments: [root.path, table])
            : try Peers.python(CompactInteropTests.fingerprint, arguments: [root.path, table])
        return try JSON.parse(Array(output))
    }

    static func rewrite(_ root: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (AmoroBinary.Result, JSON?) {
        let result = try AmoroBinary.run(["rewrite-deletes", "--config", try CompactInteropTests.config(root)] + arguments,
            environment: environment)
        return (result, try? JSON.parse(result.stdout))
    }

    static func deleteFiles(_ document: JSON?, _ key: String) -> Int64 {
        ["position_deletes", "deletion_vectors", "equality_deletes"].reduce(0) { $0 + (document?[key]?[$1]?.int64Value ?? 0) }
    }

    static func sameRows(_ before: JSON, _ after: JSON, _ context: String) {
        for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] { #expect(after[key] == before[key], "\(context): \(key) changed") }
    }

    @Test func positionDeletesAreMergedPerPartitionAndDeadEntriesDropped() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.makeTableWithPositionDeletes(root)
        let before = try Self.fingerprint(root, "db.events")
        #expect(before["delete_files"] == .int(8))

        // A dry run lists every delete file and writes nothing.
        _ = try CompactInteropTests.config(root)
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()
        let (dry, planned) = try Self.rewrite(root, ["db.events", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(planned?["status"] == .string("dry-run"))
        #expect(planned?["delete_files"]?.arrayValue?.count == 8)
        #expect(planned?["written"]?.arrayValue?.count == 2)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted() == files, "nothing was written")

        let (run, result) = try Self.rewrite(root, ["db.events"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(result?["status"] == .string("committed"), "\(run.stdout)")
        #expect(result?["layout"] == .string("partition"))
        #expect(Self.deleteFiles(result, "delete_files_in") == 8 && Self.deleteFiles(result, "delete_files_out") == 2)
        #expect((result?["entries_dropped_as_dangling"]?.int64Value ?? 0) > 0, "the entries of the rewritten file are gone")
        #expect(result?["entries_out"]?.int64Value == (result?["entries_in"]?.int64Value ?? 0) - (result?["entries_dropped_as_dangling"]?.int64Value ?? 0))
        let after = try Self.fingerprint(root, "db.events")
        Self.sameRows(before, after, "rewrite-deletes")
        #expect(after["delete_files"] == .int(2) && after["data_files"] == before["data_files"])

        let table = try await Self.catalog(root).loadTable(try #require(TableIdentifier(parsing: "db.events")))
        let summary = try #require(table.metadata.currentSnapshot?.summary)
        #expect(summary["snapshot.producer"] == "REWRITE_DELETES")
        #expect(summary["total-delete-files"] == "2")
        #expect(summary["total-records"].flatMap { Int64($0) } == table.metadata.snapshot(id: table.metadata.currentSnapshot!.parentSnapshotId!)?.summary["total-records"].flatMap { Int64($0) })

        let (_, again) = try Self.rewrite(root, ["db.events"])
        #expect(again?["status"] == .string("nothing-to-do"), "a second run finds nothing to do")
    }

    @Test func applyRewritesTheDataFilesPastTheRatio() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-apply")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.makeTableWithPositionDeletes(root)
        let before = try Self.fingerprint(root, "db.events")
        let (run, result) = try Self.rewrite(root, ["db.events", "--apply", "--min-delete-ratio", "0.5"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(result?["status"] == .string("committed"), "\(run.stdout)")
        #expect(result?["data_files_rewritten"] == .int(2), "the first append's files lost 80% of their rows, the others 40%")
        let after = try Self.fingerprint(root, "db.events")
        Self.sameRows(before, after, "--apply")
        #expect(after["delete_files"] == .int(2), "one file per partition for the files kept")
        #expect(after["data_files"] == before["data_files"])
        let (_, again) = try Self.rewrite(root, ["db.events", "--apply", "--min-delete-ratio", "0.5"])
        #expect(again?["status"] == .string("nothing-to-do"))
        // With the table's own ratio (0.1) every remaining data file passes: no delete file is left.
        let (_, all) = try Self.rewrite(root, ["db.events", "--apply"])
        #expect(all?["status"] == .string("committed"))
        let applied = try Self.fingerprint(root, "db.events")
        Self.sameRows(before, applied, "--apply with the table's ratio")
        #expect(applied["delete_files"] == .int(0))
    }

    @Test func equalityDeletesAreConvertedToPositions() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-eq")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(CompactInteropTests.makeEqualityDeletes, arguments: [root.path, "6000"])
        let before = try Self.fingerprint(root, "db.upserts", sidequery: true)
        let (run, result) = try Self.rewrite(root, ["db.upserts"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(result?["status"] == .string("committed"), "\(run.stdout)")
        #expect((result?["delete_files_in"]?["equality_deletes"]?.int64Value ?? 0) >= 4)
        #expect(result?["delete_files_out"]?["equality_deletes"] == .int(0))
        let after = try Self.fingerprint(root, "db.upserts", sidequery: true)
        Self.sameRows(before, after, "equality deletes")
        #expect(after["delete_files"]?.int64Value == Self.deleteFiles(result, "delete_files_out"))
        #expect((after["delete_files"]?.int64Value ?? 99) <= 2, "one position-delete file per partition")
        let (_, again) = try Self.rewrite(root, ["db.upserts"])
        #expect(again?["status"] == .string("nothing-to-do"))
    }
}
