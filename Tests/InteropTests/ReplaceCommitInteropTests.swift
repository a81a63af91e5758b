import Catalogs
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// The replace commit that compaction uses: files swapped for an equivalent file, under concurrent writers.
@Suite(.enabled(if: Peers.isAvailable)) struct ReplaceCommitInteropTests {
    static let makeTable = #"""
        import pyarrow as pa, sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        t = c.create_table("db.t", Schema(NestedField(1, "id", LongType()), NestedField(2, "region", StringType())),
                           partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")))
        for i in range(8):
            t.append(pa.table({"id": pa.array([i * 10 + k for k in range(10)], pa.int64()),
                               "region": pa.array(["eu" if i % 2 == 0 else "us"] * 10)}))
        """#

    /// Writes one Parquet file (with Iceberg field ids) holding every row of the given files; prints its size and rows.
    static let combine = #"""
        import pyarrow as pa, pyarrow.parquet as pq, sys, json, os
        out, inputs = sys.argv[1], sys.argv[2:]
        table = pa.concat_tables([pq.read_table(p) for p in inputs])
        schema = pa.schema([pa.field("id", pa.int64(), metadata={"PARQUET:field_id": "1"}),
                            pa.field("region", pa.string(), metadata={"PARQUET:field_id": "2"})])
        pq.write_table(table.cast(schema), out)
        print(json.dumps({"size": os.path.getsize(out), "rows": table.num_rows}))
        """#

    static let concurrentWrite = #"""
        import pyarrow as pa, sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.expressions import EqualTo
        w, action = sys.argv[1], sys.argv[2]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        t = c.load_table("db.t")
        if action == "append":
            t.append(pa.table({"id": pa.array([1000, 1001], pa.int64()), "region": pa.array(["eu", "eu"])}))
        else:
            t.delete(EqualTo("id", 20))  # copy-on-write: rewrites the eu file holding id 20
        """#

    static let read = Peers.duckDBPrelude + #"""
        import sys, json, hashlib
        from pyiceberg.catalog.sql import SqlCatalog
        w = sys.argv[1]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
        rows = sorted(tuple(r.values()) for r in t.scan().to_arrow().to_pylist())
        duck = sorted(duck().execute(f"select * from iceberg_scan('{t.metadata_location}')").fetchall())
        s = t.current_snapshot()
        print(json.dumps({"rows": len(rows), "same": rows == duck, "ids": [r[0] for r in rows],
                          "files": len(t.inspect.files()), "summary": s.summary.additional_properties,
                          "operation": s.summary.operation.value}))
        """#

    func compactEU(_ root: URL, catalog: SQLCatalog) async throws -> (ReplaceCommit, Int64) {
        try await compact(region: "eu", root, catalog: catalog)
    }

    /// A commit replacing every file of `region` by one file of their rows (written by pyarrow).
    func compact(region: String, _ root: URL, catalog: SQLCatalog) async throws -> (ReplaceCommit, Int64) {
        let table = try await catalog.loadTable(TableIdentifier(namespace: ["db"], name: "t"))
        let snapshot = try #require(table.metadata.currentSnapshot)
        let scan = try #require(try TableScan(table: table, storage: catalog.storage))
        let manifests = try await scan.manifests()
        var files: [DataFile] = []
        try await scan.forEachFile(manifests: manifests, deletes: try await scan.deleteIndex(manifests: manifests)) { task in
            if task.file.partition == [.string(region)] { files.append(task.file) }
        }
        let output = "\(table.metadata.location)/data/region=\(region)/compacted.parquet"
        let local = { (path: String) in path.hasPrefix("file://") ? String(path.dropFirst(7)) : path }
        let written = try JSON.parse(Array(try Peers.python(Self.combine, arguments: [local(output)] + files.map { local($0.filePath) })))
        let combined = DataFile(content: .data, filePath: output, fileFormat: "PARQUET", specId: 0, partition: [.string(region)],
            recordCount: try #require(written["rows"]?.int64Value), fileSizeInBytes: try #require(written["size"]?.int64Value))
        let commit = ReplaceCommit(
            identifier: TableIdentifier(namespace: ["db"], name: "t"), plannedSnapshotId: snapshot.snapshotId,
            dataSequenceNumber: snapshot.sequenceNumber, removedDataFiles: Set(files.map(\.filePath)), removedDeleteFiles: [],
            addedDataFiles: [combined], addedDeleteFiles: [],
            summary: ["snapshot.producer": "OPTIMIZE", "amoro.optimizing.level": "minor", "amoro.optimizing.plan-time-ms": "5"])
        return (commit, Int64(files.count))
    }

    /// The table `makeTable` writes, by PyIceberg or (`sidequery`) by the build that writes row deltas, which
    /// cannot read manifests of the newer one.
    static func setUp(sidequery: Bool = false) throws -> (URL, SQLCatalog) {
        let root = try Fixtures.makeTemporaryDirectory("amoro-replace")
        if sidequery {
            try Peers.sidequery(makeTable, arguments: [root.path])
        } else {
            try Peers.python(makeTable, arguments: [root.path])
        }
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        return (root, catalog)
    }

    @Test func replacingFilesKeepsEveryRowAndTheTotals() async throws {
        let (root, catalog) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try JSON.parse(Array(try Peers.python(Self.read, arguments: [root.path])))
        let (commit, removed) = try await compactEU(root, catalog: catalog)
        #expect(removed == 4)
        _ = try await commit.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
        let after = try JSON.parse(Array(try Peers.python(Self.read, arguments: [root.path])))
        #expect(after["ids"] == before["ids"])
        #expect(after["same"] == .bool(true), "PyIceberg and DuckDB agree")
        #expect(after["files"] == .int(5), "4 us files and the compacted eu file")
        #expect(after["operation"] == .string("replace"))
        #expect(after["summary"]?["total-data-files"] == .string("5"))
        #expect(after["summary"]?["total-records"] == .string("80"))
        #expect(after["summary"]?["deleted-data-files"] == .string("4"))
        #expect(after["summary"]?["snapshot.producer"] == .string("OPTIMIZE"))
        // amoro's own scan now knows when minor optimizing last ran.
        let table = try await catalog.loadTable(TableIdentifier(namespace: ["db"], name: "t"))
        #expect(OptimizingHistoryProbe.lastMinor(table.metadata) == 5)
    }

    /// The removed files of the four single-commit manifests share one manifest of DELETED entries, and the next
    /// commit drops it, as Java drops manifests with no live file: manifests do not pile up across compactions.
    @Test func removedEntriesShareOneManifestThatTheNextCommitDrops() async throws {
        let (root, catalog) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        let identifier = TableIdentifier(namespace: ["db"], name: "t")
        func manifests() async throws -> [(content: ManifestFile.Content, statuses: [ManifestEntry.Status])] {
            let table = try await catalog.loadTable(identifier)
            let scan = try #require(try TableScan(table: table, storage: catalog.storage))
            var listed: [(ManifestFile.Content, [ManifestEntry.Status])] = []
            for manifest in try await scan.manifests() { listed.append((manifest.content, try await scan.entries(of: manifest).map(\.status))) }
            return listed
        }
        #expect(try await manifests().count == 8)
        let (eu, _) = try await compact(region: "eu", root, catalog: catalog)
        _ = try await eu.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
        let afterEU = try await manifests()
        #expect(afterEU.count == 6, "4 us manifests reused, one of the 4 removed eu files, one of the compacted file")
        #expect(afterEU.filter { $0.statuses == [.deleted, .deleted, .deleted, .deleted] }.count == 1)
        let (us, _) = try await compact(region: "us", root, catalog: catalog)
        _ = try await us.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
        let afterUS = try await manifests()
        #expect(afterUS.count == 3, "the eu file's manifest, one of the removed us files, one of the compacted us file")
        #expect(afterUS.map(\.statuses).sorted { $0.count < $1.count } == [[.added], [.added], [.deleted, .deleted, .deleted, .deleted]])
        let read = try JSON.parse(Array(try Peers.python(Self.read, arguments: [root.path])))
        #expect(read["rows"] == .int(80))
        #expect(read["same"] == .bool(true), "PyIceberg and DuckDB agree")
        #expect(read["files"] == .int(2))
    }

    @Test func concurrentAppendsSurviveTheCommit() async throws {
        let (root, catalog) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        let (commit, _) = try await compactEU(root, catalog: catalog)
        try Peers.python(Self.concurrentWrite, arguments: [root.path, "append"])
        _ = try await commit.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
        let after = try JSON.parse(Array(try Peers.python(Self.read, arguments: [root.path])))
        #expect(after["rows"] == .int(82))
        #expect(after["same"] == .bool(true))
        #expect(after["ids"]?.arrayValue?.contains(.int(1000)) == true)
    }

    /// A concurrent writer's row delta: two rows for `region` and a position-delete file of one row, naming by
    /// its `file_path` bounds alone (no `referenced_data_file`, as older writers do) either the new data file
    /// (`new`) or the region's first existing file (`existing`, or `existing-alias`: its `file:/` spelling).
    static let positionDeleteWrite = #"""
        import itertools, os, sys, uuid
        import pyarrow as pa, pyarrow.parquet as pq
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.expressions import EqualTo
        from pyiceberg.io.pyarrow import _dataframe_to_data_files
        from pyiceberg.manifest import DataFile, DataFileContent, FileFormat
        w, region, target = sys.argv[1:4]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
        write = uuid.uuid4()
        rows = pa.table({"id": pa.array([2000, 2001], pa.int64()), "region": pa.array([region] * 2)})
        data = list(_dataframe_to_data_files(table_metadata=t.metadata, df=rows, io=t.io, write_uuid=write,
                                             counter=itertools.count(0)))
        existing = sorted(task.file.file_path for task in t.scan(row_filter=EqualTo("region", region)).plan_files())
        named = data[0].file_path if target == "new" else existing[0]
        if target == "existing-alias":  # the same file, written file:/x instead of file:///x
            named = "file:" + named.removeprefix("file://")
        local = os.path.join(os.path.dirname(data[0].file_path.removeprefix("file://")), f"{write}-deletes.parquet")
        schema = pa.schema([pa.field("file_path", pa.string(), False, {b"PARQUET:field_id": b"2147483546"}),
                            pa.field("pos", pa.int64(), False, {b"PARQUET:field_id": b"2147483545"})])
        pq.write_table(pa.table({"file_path": [named], "pos": [0]}, schema=schema), local)
        bounds = {2147483546: named.encode(), 2147483545: (0).to_bytes(8, "little")}
        deletes = DataFile.from_args(content=DataFileContent.POSITION_DELETES, file_path="file://" + local,
            file_format=FileFormat.PARQUET, partition=data[0].partition, record_count=1,
            file_size_in_bytes=os.path.getsize(local), spec_id=t.metadata.default_spec_id,
            lower_bounds=bounds, upper_bounds=dict(bounds))
        with t.transaction() as transaction:
            with transaction.update_snapshot().row_delta() as delta:
                delta.commit_uuid = write
                for file in data + [deletes]:
                    delta.append_data_file(file)
        """#

    /// Position deletes committed after planning stop the commit only when they may apply to a rewritten file;
    /// `file_path` bounds naming one file say which, as Java reads them.
    @Test(arguments: [("us", "new", true), ("eu", "new", true), ("eu", "existing", false), ("eu", "existing-alias", false)])
    func concurrentPositionDeletesStopOnlyCommitsTheyApplyTo(region: String, target: String, commits: Bool) async throws {
        let (root, catalog) = try Self.setUp(sidequery: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let (commit, _) = try await compactEU(root, catalog: catalog)
        try Peers.sidequery(Self.positionDeleteWrite, arguments: [root.path, region, target])
        if commits {
            _ = try await commit.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
            let after = try JSON.parse(Array(try Peers.python(Self.read, arguments: [root.path])))
            #expect(after["rows"] == .int(81), "80 rows, 2 new, the first of them deleted")
            #expect(after["same"] == .bool(true))
        } else {
            await #expect {
                try await commit.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
            } throws: { error in
                "\(error)".contains("a position delete for") && "\(error)".contains("was committed after planning")
            }
        }
    }

    @Test func aConcurrentRewriteOfAPlannedFileIsRefused() async throws {
        let (root, catalog) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        let (commit, _) = try await compactEU(root, catalog: catalog)
        try Peers.python(Self.concurrentWrite, arguments: [root.path, "delete"])
        let metadataFiles = try FileManager.default.contentsOfDirectory(atPath: "\(root.path)/db/t/metadata").sorted()
        await #expect {
            try await commit.run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
        } throws: { error in
            "\(error)".contains("no longer match")
        }
        let after = try JSON.parse(Array(try Peers.python(Self.read, arguments: [root.path])))
        #expect(after["rows"] == .int(79), "the delete stands; nothing was resurrected")
        #expect(after["ids"]?.arrayValue?.contains(.int(20)) == false)
        // The refused attempt left nothing behind: the metadata folder is as the concurrent writer left it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root.path)/db/t/metadata").sorted() == metadataFiles)
    }
}

import Planning

enum OptimizingHistoryProbe {
    static func lastMinor(_ metadata: TableMetadata) -> Int64? { OptimizingHistory(snapshots: metadata.snapshots).lastMinorMs }
}
