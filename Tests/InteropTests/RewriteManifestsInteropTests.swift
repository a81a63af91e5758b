import Catalogs
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// `amoro rewrite-manifests` on PyIceberg tables: hundreds of one-entry manifests become a handful clustered by
/// partition, and PyIceberg, DuckDB and amoro's own reader see the same rows, the same files with the same metrics,
/// and every entry with the same snapshot id and sequence numbers before and after. A concurrent append is kept;
/// a concurrent commit that rewrote a replaced manifest makes the commit refuse, leaving nothing behind.
@Suite(.enabled(if: Peers.isAvailable)) struct RewriteManifestsInteropTests {
    /// `db.many`: a v2 table partitioned by region, `count` one-row appends (one manifest each, PyIceberg's fast
    /// append), made in one transaction so the test stays quick.
    static let makeMany = #"""
        import pyarrow as pa, sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType, DoubleType
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        warehouse, count = sys.argv[1], int(sys.argv[2])
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "v", DoubleType(), required=False))
        t = catalog.create_table("db.many", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                                 properties={"format-version": "2", "commit.manifest-merge.enabled": "false"})
        arrow = t.schema().as_arrow()
        regions = ["ap", "eu", "sa", "us", "za"]
        with t.transaction() as tx:
            for i in range(count):
                tx.append(pa.table({"id": [i], "region": [regions[i % 5]], "v": [i / 7 if i % 11 else None]}, schema=arrow))
        """#

    /// Appends `ids` (argv[3], comma separated) to a table, or deletes `id = argv[3]` with `delete`.
    static let change = #"""
        import pyarrow as pa, sys
        from pyiceberg.catalog.sql import SqlCatalog
        warehouse, name, action, ids = sys.argv[1], sys.argv[2], sys.argv[3], [int(i) for i in sys.argv[4].split(",")]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        t = catalog.load_table(name)
        if action == "append":
            t.append(pa.table({"id": ids, "region": ["eu"] * len(ids), "v": [1.5] * len(ids)}, schema=t.schema().as_arrow()))
        else:
            t.delete(f"id = {ids[0]}")
        """#

    /// One table read by PyIceberg (or sidequery-pyiceberg) and DuckDB: the rows (count, sha256 of the sorted rows),
    /// the live files with every metric (`inspect.files`), every live entry's snapshot id and sequence numbers
    /// (`inspect.entries`), DuckDB's view of the live files (`iceberg_metadata`), and the manifests with their
    /// partition summaries.
    static let fingerprint = Peers.duckDBPrelude + #"""
        import hashlib, json, sys
        from pyiceberg.catalog.sql import SqlCatalog
        warehouse, name = sys.argv[1], sys.argv[2]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        t = catalog.load_table(name)
        def digest(rows):
            return hashlib.sha256("\n".join(sorted(repr(row) for row in rows)).encode()).hexdigest()
        py_rows = [tuple(r.values()) for r in t.scan().to_arrow().to_pylist()]
        duck = duck()
        duck_rows = duck.execute(f"select * from iceberg_scan('{t.metadata_location}')").fetchall()
        metric_columns = ["content", "file_path", "file_format", "spec_id", "partition", "record_count", "file_size_in_bytes",
                          "column_sizes", "value_counts", "null_value_counts", "nan_value_counts", "lower_bounds", "upper_bounds",
                          "split_offsets", "equality_ids", "sort_order_id"]
        files = t.inspect.files().to_pylist()
        entries = [(e["data_file"]["file_path"], e["snapshot_id"], e["sequence_number"], e["file_sequence_number"])
                   for e in t.inspect.entries().to_pylist() if e["status"] != 2]
        duck_files = duck.execute(f"select file_path, record_count, file_format, content from iceberg_metadata('{t.metadata_location}') "
                                  "where status <> 'DELETED'").fetchall()
        manifests = t.inspect.manifests().to_pylist()
        print(json.dumps({"rows": len(py_rows), "pyiceberg": digest(py_rows), "duckdb": digest(duck_rows), "duck_rows": len(duck_rows),
                          "files": digest([tuple(repr(f.get(c)) for c in metric_columns) for f in files]), "file_count": len(files),
                          "entries": digest(entries), "entry_count": len(entries), "duck_files": digest(duck_files),
                          "duck_file_count": len(duck_files), "manifests": len(manifests),
                          "data_manifests": len([m for m in manifests if m["content"] == 0]),
                          "partition_ranges": [[s["lower_bound"], s["upper_bound"]] for m in manifests if m["content"] == 0
                                               for s in m["partition_summaries"][:1]],
                          "snapshots": len(t.snapshots()), "operation": t.current_snapshot().summary.operation.value,
                          "summary": t.current_snapshot().summary.additional_properties}))
        """#

    /// The keys that must not change when manifests are rewritten.
    static let unchanged = ["rows", "pyiceberg", "duckdb", "duck_rows", "files", "file_count", "entries", "entry_count",
        "duck_files", "duck_file_count"]

    static func read(_ root: URL, _ name: String) throws -> JSON {
        try JSON.parse(Array(try Peers.python(fingerprint, arguments: [root.path, name])))
    }

    /// amoro's own reader: every live data file with its sequence numbers, snapshot id and metrics, and the ids it holds.
    static func ours(_ root: URL, _ name: String) async throws -> [String] {
        let catalog = try catalog(root)
        let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: name)))
        return try await DeletesInteropSupport.tasks(table, storage: catalog.storage).map { task in
            let file = task.file
            return "\(file.filePath) \(task.entry.snapshotId ?? -1) \(task.entry.sequenceNumber ?? -1) \(task.entry.fileSequenceNumber ?? -1) "
                + "\(file.recordCount) \(file.fileSizeInBytes) \(file.partition) \(String(describing: file.lowerBounds)) "
                + "\(String(describing: file.upperBounds)) \(String(describing: file.nullValueCounts)) "
                + "\(String(describing: file.valueCounts)) \(String(describing: file.columnSizes)) \(file.firstRowId ?? -1) "
                + "\(try DeletesInteropSupport.ids(file.filePath))"
        }
    }

    static func catalog(_ root: URL) throws -> SQLCatalog {
        try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
    }

    static func config(_ root: URL) throws -> String {
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        return config.path
    }

    static func amoro(_ root: URL, _ arguments: [String]) throws -> (status: Int32, document: JSON, stderr: String) {
        let result = try AmoroBinary.run(arguments + ["--config", try config(root), "--lock-dir", "\(root.path)/locks"])
        return (result.status, try JSON.parse(result.stdout), result.stderr)
    }

    static let options = RewriteManifestsAction.Options(dryRun: false, triggered: false, targetSizeBytes: nil) {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    @Test func hundredsOfOneEntryManifestsBecomeAHandful() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rewrite-manifests")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeMany, arguments: [root.path, "120"])
        let before = try Self.read(root, "db.many")
        let oursBefore = try await Self.ours(root, "db.many")
        #expect(before["data_manifests"] == .int(120))

        // The scan reports the pile-up; the schedule runs the job on this table (its writer does not merge).
        let scan = try Self.amoro(root, ["scan", "db.many"]).document
        #expect(scan["manifests"]?["data"]?["manifests"] == .int(120))
        #expect(scan["manifests"]?["small"] == .int(120))
        #expect(scan["manifests"]?["rewrite_due"] == .bool(true))
        let schedule = try AmoroBinary.run(["schedule", "db.many", "--config", try Self.config(root)])
        #expect(schedule.stdout.contains("rewrite-manifests") && schedule.stdout.contains("--triggered"), "\(schedule.stdout)")

        // A dry run says what it would do and changes nothing.
        let dry = try Self.amoro(root, ["rewrite-manifests", "db.many", "--dry-run", "--target-size-bytes", "5000"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.document["status"] == .string("dry-run"))
        #expect(try Self.read(root, "db.many")["snapshots"] == before["snapshots"])

        // A small target makes several manifests, each covering its own range of partitions.
        let run = try Self.amoro(root, ["rewrite-manifests", "db.many", "--target-size-bytes", "5000"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = run.document
        #expect(document["status"] == .string("committed"))
        #expect(document["manifests_replaced"] == .int(120))
        #expect(document["entries_processed"] == .int(120))
        let created = try #require(document["manifests_created"]?.int64Value)
        let sizes = document["created"]?.arrayValue?.compactMap { $0["size"]?.int64Value } ?? []
        // About 70 bytes an entry: a handful of manifests of about the target (each has its own header).
        #expect(created >= 2 && created <= 8 && sizes.count == Int(created), "\(sizes)")
        #expect(sizes.allSatisfy { $0 <= 7_000 }, "\(sizes)")

        let after = try Self.read(root, "db.many")
        for key in Self.unchanged { #expect(after[key] == before[key], "\(key)") }
        #expect(after["manifests"] == .int(created))
        #expect(after["operation"] == .string("replace"))
        #expect(after["summary"]?["manifests-replaced"] == .string("120"))
        #expect(after["summary"]?["manifests-created"] == .string(String(created)))
        #expect(after["summary"]?["manifests-kept"] == .string("0"))
        #expect(after["summary"]?["total-records"] == before["summary"]?["total-records"])
        let ranges = try #require(after["partition_ranges"]?.arrayValue)
        for (lhs, rhs) in zip(ranges, ranges.dropFirst()) {
            // Clustered: each manifest's last region is at most the next one's first.
            let upper = lhs.arrayValue?.last?.stringValue ?? "", lower = rhs.arrayValue?.first?.stringValue ?? ""
            #expect(upper <= lower, "\(ranges)")
        }
        #expect(try await Self.ours(root, "db.many") == oursBefore)

        // Nothing is left to do: a second run, and the scheduled one, find the manifests at size.
        let again = try Self.amoro(root, ["rewrite-manifests", "db.many", "--target-size-bytes", "5000"])
        #expect(again.status == 0 && again.document["status"] == .string("nothing-to-do"), "\(again.document)")
        let triggered = try Self.amoro(root, ["rewrite-manifests", "db.many", "--triggered"])
        #expect(triggered.document["status"] == .string("nothing-to-do"), "\(triggered.document)")
        #expect(try Self.amoro(root, ["scan", "db.many"]).document["manifests"]?["rewrite_due"] == .bool(false))
    }

    @Test func aConcurrentAppendIsKeptAndAConcurrentRewriteIsRefused() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rewrite-manifests-race")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeMany, arguments: [root.path, "30"])
        let catalog = try Self.catalog(root)
        let identifier = try #require(TableIdentifier(parsing: "db.many"))

        // Planned and written, then PyIceberg appends before the commit: its manifest is kept beside the new one.
        let prepared = try await RewriteManifestsAction.prepare(identifier, catalog: catalog, options: Self.options)
        #expect(prepared.result.replaced.count == 30)
        try Peers.python(Self.change, arguments: [root.path, "db.many", "append", "1000,1001"])
        let raced = try Self.read(root, "db.many")
        let committed = try await RewriteManifestsAction.commit(prepared, catalog: catalog, nowMs: Self.options.nowMs)
        #expect(committed.commitAttempts == 1)
        let after = try Self.read(root, "db.many")
        for key in Self.unchanged { #expect(after[key] == raced[key], "\(key)") }
        #expect(after["rows"] == .int(32))
        #expect(after["manifests"] == .int(2))
        #expect(after["summary"]?["manifests-kept"] == .string("1"))

        // Two appends more, planned; then PyIceberg deletes a row, rewriting the manifests that hold it: refused.
        try Peers.python(Self.change, arguments: [root.path, "db.many", "append", "2000"])
        try Peers.python(Self.change, arguments: [root.path, "db.many", "append", "2001"])
        let second = try await RewriteManifestsAction.prepare(identifier, catalog: catalog, options: Self.options)
        #expect(second.result.replaced.count >= 2)
        try Peers.python(Self.change, arguments: [root.path, "db.many", "delete", "3"])
        let deleted = try Self.read(root, "db.many")
        await #expect(throws: AmoroError.self) {
            _ = try await RewriteManifestsAction.commit(second, catalog: catalog, nowMs: Self.options.nowMs)
        }
        let untouched = try Self.read(root, "db.many")
        for key in Self.unchanged + ["manifests", "snapshots"] { #expect(untouched[key] == deleted[key], "\(key)") }
        #expect(untouched["rows"] == .int(33))
        // What the refused rewrite wrote is gone.
        for manifest in second.result.created { #expect(!FileManager.default.fileExists(atPath: manifest.path)) }
    }

    @Test func v3RowLineageAndDeletionVectorsSurvive() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rewrite-manifests-v3")
        defer { try? FileManager.default.removeItem(at: root) }
        let (catalog, table, ids) = try await DeletesInteropSupport.makeV3TableWithDeletionVectors(root)
        let identifier = table.identifier
        // Two more appends, each its own manifest whose files inherit their first row ids.
        for (index, range) in [Array(Int64(200)..<Int64(205)), Array(Int64(300)..<Int64(307))].enumerated() {
            let file = try await DeletesInteropSupport.writeDataFile(ids: range,
                to: "\(table.metadata.location)/data/extra-\(index).parquet", storage: catalog.storage)
            _ = try await DeletesInteropSupport.commit([file], content: .data, operation: .append, table: identifier, catalog: catalog)
        }
        let before = try await Self.ours(root, "db.v3")
        #expect(before.allSatisfy { !$0.contains(" -1 ") }, "\(before)")
        let loaded = try await catalog.loadTable(identifier)
        let survivors = try await Self.survivingIds(loaded, storage: catalog.storage)
        #expect(survivors == (ids + Array(200..<205) + Array(300..<307)).sorted())

        let result = try await RewriteManifestsAction.run(identifier, catalog: catalog, options: Self.options)
        #expect(result.status == .committed)
        #expect(result.created.count == 1 && result.created[0].content == .data)
        #expect(try await Self.ours(root, "db.v3") == before)
        let rewritten = try await catalog.loadTable(identifier)
        #expect(try await Self.survivingIds(rewritten, storage: catalog.storage) == survivors)
        let snapshot = try #require(rewritten.metadata.currentSnapshot)
        #expect(snapshot.firstRowId == loaded.metadata.nextRowId)
        #expect(rewritten.metadata.nextRowId == (loaded.metadata.nextRowId ?? 0) + (snapshot.addedRows ?? 0))
    }

    /// The ids amoro reads from a table, its deletes applied.
    static func survivingIds(_ table: LoadedTable, storage: any Storage) async throws -> [Int64] {
        let rowDeletes = RowDeletes(storage: storage)
        var survivors: [Int64] = []
        for task in try await DeletesInteropSupport.tasks(table, storage: storage) {
            let deleted = try await rowDeletes.deletedPositions(of: task.file, deletes: task.deletes)
            for (position, id) in try DeletesInteropSupport.ids(task.file.filePath).enumerated() where !deleted.contains(Int64(position)) {
                survivors.append(id)
            }
        }
        return survivors.sorted()
    }
}
