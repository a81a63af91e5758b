import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro plan | amoro compact` end to end on tables PyIceberg and sidequery-pyiceberg write: PyIceberg (or
/// sidequery-pyiceberg, for equality deletes) and DuckDB read exactly the same rows before and after, the file
/// counts move as the plan said, and a second plan at once finds nothing to do.
@Suite(.enabled(if: Peers.isAvailable)) struct CompactInteropTests {
    /// Small target sizes make the few-KB files of a test table fragments, undersized segments and segments.
    static let makeTables = #"""
        import pyarrow as pa, sys, datetime, decimal
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform, DayTransform
        from pyiceberg.table.sorting import SortOrder, SortField
        w, kind = sys.argv[1], sys.argv[2]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        if kind == "evolving":
            for version in (1, 2):
                t = c.create_table(f"db.evolving_v{version}", Schema(NestedField(1, "id", IntegerType()), NestedField(2, "name", StringType()),
                    NestedField(3, "tags", ListType(4, StringType(), element_required=False)),
                    NestedField(5, "attrs", MapType(6, StringType(), 7, LongType(), value_required=False)),
                    NestedField(8, "price", DecimalType(10, 2))),
                    partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "name")),
                    properties={"format-version": str(version)})
                def rows(start, n, extra=None):
                    cols = {"id": pa.array(range(start, start + n), pa.int32() if extra is None else pa.int64()),
                            "name": pa.array(["a" if i % 3 else "b" for i in range(n)]),
                            "tags": pa.array([["x", None][: i % 3] for i in range(n)], pa.list_(pa.string())),
                            "attrs": pa.array([{"k": i} if i % 2 else None for i in range(n)], pa.map_(pa.string(), pa.int64())),
                            "price": pa.array([decimal.Decimal(i) / 4 for i in range(n)], pa.decimal128(10, 2))}
                    return pa.table(cols)
                for i in range(6):
                    t.append(rows(i * 10, 10))
                with t.update_schema() as u:
                    u.add_column("note", StringType())
                    u.update_column("id", LongType())
                    u.rename_column("name", "label")
                t = c.load_table(f"db.evolving_v{version}")
                extra = rows(100, 10, extra=True).rename_columns(["id", "label", "tags", "attrs", "price"])
                extra = extra.append_column("note", pa.array(["n"] * 10))
                for i in range(7):
                    t.append(extra)
        elif kind == "sorted":
            schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType()))
            t = c.create_table("db.sorted", schema, sort_order=SortOrder(SortField(source_id=1)))
            for i in range(5):
                t.append(pa.table({"id": pa.array([50 - i * 10 - k for k in range(10)], pa.int64()), "v": pa.array(["v"] * 10)},
                                  schema=t.schema().as_arrow()))
        """#

    static let makeEqualityDeletes = #"""
        import pyarrow as pa, sys, datetime
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        w, target = sys.argv[1], sys.argv[2]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "payload", StringType()), identifier_field_ids=[1, 2])
        t = c.create_table("db.upserts", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                           properties={"format-version": "2", "self-optimizing.target-size": target})
        arrow = t.schema().as_arrow()
        def rows(ids, payload):
            return pa.table({"id": ids, "region": [["eu", "us"][i % 2] for i in ids], "payload": [payload * (1 + i % 7) for i in ids]}, schema=arrow)
        t.append(rows(list(range(0, 400)), "big"))      # large files: segments
        for k in range(14):
            t.append(rows(list(range(1000 + k * 4, 1004 + k * 4)), "s"))   # fragments
        t.upsert_by_equality_delete(rows([1, 2, 3, 1001, 1002], "updated"), join_cols=["id", "region"], delete_df=rows([10, 11], "x"))
        t.upsert_by_equality_delete(rows([5, 1010], "again"), join_cols=["id", "region"])
        """#

    static let fingerprint = Peers.duckDBPrelude + #"""
        import hashlib, json, sys
        from pyiceberg.catalog.sql import SqlCatalog
        w, name = sys.argv[1], sys.argv[2]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(name)
        def digest(rows):
            return hashlib.sha256("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest()
        py = [tuple(r.values()) for r in t.scan().to_arrow().to_pylist()]
        dk = duck().execute(f"select * from iceberg_scan('{t.metadata_location}')").fetchall()
        files = t.inspect.files().to_pylist()
        print(json.dumps({"rows": len(py), "pyiceberg": digest(py), "duckdb": digest(dk), "duck_rows": len(dk),
                          "data_files": sum(1 for f in files if f["content"] == 0),
                          "delete_files": sum(1 for f in files if f["content"] != 0)}))
        """#

    static func config(_ root: URL) throws -> String {
        let path = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8).write(to: path)
        return path.path
    }

    func check(_ root: URL, table: String, sidequery: Bool = false, level: String = "auto", expectFiles: (Int64, Int64) -> Bool)
        throws -> JSON
    {
        let config = try Self.config(root)
        let read: () throws -> JSON = {
            let output = sidequery
                ? try Peers.sidequery(Self.fingerprint, arguments: [root.path, table])
                : try Peers.python(Self.fingerprint, arguments: [root.path, table])
            return try JSON.parse(Array(output))
        }
        let before = try read()
        let plan = try AmoroBinary.run(["plan", "--config", config, table, "--level", level])
        #expect(plan.status == 0, "\(plan.stderr)")
        let planned = try JSON.parse(plan.stdout)
        #expect((planned["tasks"]?.arrayValue?.count ?? 0) > 0, "\(table): the plan has work")
        let compact = try AmoroBinary.run(["compact", "--config", config], input: plan.stdout)
        #expect(compact.status == 0, "\(compact.stderr)")
        let result = try JSON.parse(compact.stdout)
        #expect(result["status"] == .string("committed"), "\(compact.stdout)")
        let after = try read()
        for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] {
            #expect(after[key] == before[key], "\(table): \(key) changed")
        }
        #expect(expectFiles(before["data_files"]?.int64Value ?? 0, after["data_files"]?.int64Value ?? 0),
            "\(table): \(before["data_files"]!) → \(after["data_files"]!) data files")
        // Nothing left to do at once.
        let again = try JSON.parse(try AmoroBinary.run(["plan", "--config", config, table, "--level", level == "full" ? "major" : level]).stdout)
        #expect(again["tasks"]?.arrayValue?.isEmpty == true, "\(table): a second plan is empty")
        let stale = try AmoroBinary.run(["compact", "--config", config], input: plan.stdout)
        #expect(stale.status == 65, "replaying the plan is refused: \(stale.stderr)")
        return result
    }

    @Test func evolvedTablesKeepEveryRow() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "evolving"])
        for table in ["db.evolving_v1", "db.evolving_v2"] {
            _ = try check(root, table: table) { before, after in after < before }
        }
    }

    @Test func equalityDeletesAreAppliedOrReexpressed() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-eq")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(Self.makeEqualityDeletes, arguments: [root.path, "6000"])
        let result = try check(root, table: "db.upserts", sidequery: true) { before, after in after < before }
        #expect((result["delete_files_removed"]?.int64Value ?? 0) > 0)
        let after = try JSON.parse(Array(try Peers.sidequery(Self.fingerprint, arguments: [root.path, "db.upserts"])))
        #expect(after["delete_files"]?.int64Value == result["delete_files_added"]?.int64Value,
            "only amoro's own re-expressed position deletes remain")
    }

    /// Files registered by PyIceberg's add_files carry no field ids: equality deletes find their keys through the
    /// table's name mapping, so compaction drops the deleted rows instead of bringing them back.
    static let makeImportedWithEqualityDeletes = #"""
        import pyarrow as pa, pyarrow.parquet as pq, os, sys
        from pyiceberg.catalog.sql import SqlCatalog
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        arrow = pa.schema([pa.field("id", pa.int64()), pa.field("v", pa.string())])
        t = c.create_table("db.imported", arrow, properties={"format-version": "2"})
        os.makedirs(f"{w}/db/imported/data", exist_ok=True)
        paths = []
        for i in range(4):
            path = f"{w}/db/imported/data/imported-{i}.parquet"
            pq.write_table(pa.table({"id": list(range(i * 10, i * 10 + 10)), "v": ["v"] * 10}, schema=arrow), path)
            paths.append(path)
        t.add_files(file_paths=paths)
        t = c.load_table("db.imported")
        t.upsert_by_equality_delete(pa.table({"id": pa.array([], pa.int64()), "v": pa.array([], pa.string())}),
                                    join_cols=["id"], delete_df=pa.table({"id": pa.array([3, 17, 25], pa.int64())}))
        """#

    @Test func equalityDeletesApplyToImportedFilesWithoutFieldIds() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-imported")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(Self.makeImportedWithEqualityDeletes, arguments: [root.path])
        let result = try check(root, table: "db.imported", sidequery: true, level: "full") { before, after in after < before }
        #expect(result["records_out"]?.int64Value == 37, "\(result)")
    }

    @Test func fullOptimizingSortsByTheTableOrder() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-full")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "sorted"])
        _ = try check(root, table: "db.sorted", level: "full") { _, after in after == 1 }
        let ids = try Peers.python(#"""
            import sys, pyarrow.parquet as pq
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.sorted")
            path = t.inspect.files().to_pylist()[0]["file_path"].removeprefix("file://")
            print(pq.read_table(path).column("id").to_pylist())
            """#, arguments: [root.path])
        let values = String(decoding: ids, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let numbers = values.dropFirst().dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        #expect(numbers.count == 50)
        #expect(numbers == numbers.sorted(), "written in the table's sort order (the input arrived descending)")
    }

    @Test func badPlansAreRefusedBeforeAnythingIsWritten() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "sorted"])
        let config = try Self.config(root)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.sorted"]).stdout
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()
        func compact(_ text: String) throws -> AmoroBinary.Result {
            try AmoroBinary.run(["compact", "--config", config], input: text)
        }
        #expect(try compact("{not json").status == 65)
        #expect(try compact(#"{"kind":"amoro.scan","version":1}"#).status == 65)
        #expect(try compact(plan.replacingOccurrences(of: "\"table_uuid\":\"", with: "\"table_uuid\":\"0")).status == 65)
        let outside = plan.replacingOccurrences(of: "/db/sorted/data/", with: "/elsewhere/data/")
        let refused = try compact(outside)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("is not a live data file"))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted() == files, "nothing was written")
    }
}

extension CompactInteropTests {
    static let writerLoop = #"""
        import pyarrow as pa, sys, json
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.expressions import EqualTo
        w, rounds = sys.argv[1], int(sys.argv[2])
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        appended, deleted = [], []
        for i in range(rounds):
            t = c.load_table("db.sorted")
            ids = [10_000 + i * 2, 10_001 + i * 2]
            for attempt in range(20):
                try:
                    t.append(pa.table({"id": pa.array(ids, pa.int64()), "v": pa.array(["w", "w"])}, schema=t.schema().as_arrow()))
                    appended += ids
                    break
                except Exception:
                    t = c.load_table("db.sorted")
            if i % 3 == 2:
                victim = 1 + i
                for attempt in range(20):
                    try:
                        c.load_table("db.sorted").delete(EqualTo("id", victim))
                        deleted.append(victim)
                        break
                    except Exception:
                        pass
        print(json.dumps({"appended": appended, "deleted": deleted}))
        """#

    /// A writer appending and deleting in a loop while plan and compact run: no row is lost, duplicated or
    /// resurrected, whatever the outcome of each compaction (committed, or refused because the writer rewrote
    /// a planned file).
    @Test func aConcurrentWriterLosesNothing() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-race")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "sorted"])
        let config = try Self.config(root)
        let writer = Process()
        writer.executableURL = try #require(Peers.python)
        writer.arguments = ["-c", Self.writerLoop, root.path, "12"]
        let output = Pipe()
        writer.standardOutput = output
        try writer.run()
        var outcomes: [String] = []
        for _ in 0..<4 {
            let plan = try AmoroBinary.run(["plan", "--config", config, "db.sorted", "--level", "full"])
            let compact = try AmoroBinary.run(["compact", "--config", config], input: plan.stdout)
            if let status = (try? JSON.parse(compact.stdout))?["status"]?.stringValue { outcomes.append(status) }
            #expect([0, 65, 75].contains(compact.status), "\(compact.stderr)")
        }
        let written = try JSON.parse(Array(output.fileHandleForReading.readDataToEndOfFile()))
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        let appended = (written["appended"]?.arrayValue ?? []).compactMap(\.int64Value)
        let deleted = Set((written["deleted"]?.arrayValue ?? []).compactMap(\.int64Value))
        let expected = (Array(1...50).map(Int64.init) + appended).filter { !deleted.contains($0) }.sorted()
        let ids = try Peers.python(Self.fingerprint.replacingOccurrences(of: "print(json.dumps({\"rows\"", with: "print(json.dumps({\"ids\": sorted(r[0] for r in py), \"rows\""),
            arguments: [root.path, "db.sorted"])
        let state = try JSON.parse(Array(ids))
        #expect(state["ids"]?.arrayValue?.compactMap(\.int64Value) == expected, "outcomes: \(outcomes)")
        #expect(state["duck_rows"] == .int(Int64(expected.count)))
        #expect(outcomes.contains("committed"), "at least one compaction got through: \(outcomes)")
    }
}

extension CompactInteropTests {
    /// The process killed at each stage of a compaction: the table reads its old content (or, after the swap, its
    /// new content — the same rows), never a mix, and every reader still agrees.
    @Test(arguments: ["after-data-files", "after-manifests", "before-swap", "after-swap"])
    func aCrashAtAnyStageLeavesTheOldOrTheNewTable(stage: String) throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-crash")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "sorted"])
        let config = try Self.config(root)
        let before = try JSON.parse(Array(try Peers.python(Self.fingerprint, arguments: [root.path, "db.sorted"])))
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.sorted", "--level", "full"]).stdout
        let crashed = try AmoroBinary.run(["compact", "--config", config], input: plan, environment: ["AMORO_CRASH_AT": stage])
        #expect(crashed.status == 137, "killed by SIGKILL: \(crashed.status)")
        let after = try JSON.parse(Array(try Peers.python(Self.fingerprint, arguments: [root.path, "db.sorted"])))
        for key in ["rows", "pyiceberg", "duckdb"] { #expect(after[key] == before[key], "\(stage): \(key)") }
        // The next run of the same command sweeps what the killed one left, then completes the job (or, after the
        // swap, finds its plan stale): no file is left that the table does not reach.
        let retry = try AmoroBinary.run(["compact", "--config", config], input: plan)
        if stage == "after-swap" {
            #expect(after["data_files"] == .int(1), "the swap happened: the new table")
            #expect(retry.status == 65, "the plan was committed already: \(retry.stderr)")
        } else {
            #expect(after["data_files"] == before["data_files"], "\(stage): the old table")
            #expect(retry.status == 0, "\(retry.stderr)")
        }
        #expect(try MaintenanceInteropSupport.unreached(root, table: "db.sorted", sidequery: false) == [], "\(stage): no leftovers")
        let final = try JSON.parse(Array(try Peers.python(Self.fingerprint, arguments: [root.path, "db.sorted"])))
        for key in ["rows", "pyiceberg", "duckdb"] { #expect(final[key] == before[key], "\(stage): \(key)") }
    }

    /// A trap (a failed precondition) ends the process at once with its reason and a hint, not after tens of
    /// seconds of backtrace; documents are flushed table by table, so the earlier table's document was printed
    /// already; the table is as it was and the next run commits.
    @Test func aTrapEndsTheRunAtOnceAndEarlierDocumentsStay() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-trap")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "sorted"])
        let config = try Self.config(root)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.sorted", "--level", "full"]).stdout
        let idle = try Peers.python(#"""
            import json, sys
            plan = json.loads(sys.stdin.read())
            plan["tasks"], plan["removed_delete_files"] = [], []
            print(json.dumps(plan))
            """#, input: Data(plan.utf8))
        let started = Date()
        let trapped = try AmoroBinary.run(["compact", "--config", config], input: String(decoding: idle, as: UTF8.self) + plan,
            environment: ["AMORO_CRASH_AT": "after-data-files:trap"])
        #expect(Date().timeIntervalSince(started) < 10, "no backtrace is symbolicated")
        #expect([132, 133, 134].contains(trapped.status), "ended by the trap's signal: \(trapped.status)")
        #expect(trapped.stderr.contains("Fatal error") && trapped.stderr.contains("SWIFT_BACKTRACE"), "\(trapped.stderr)")
        let lines = trapped.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(trapped.stdout)")
        #expect(try JSON.parse(String(lines.first ?? ""))["status"] == .string("nothing-to-do"))
        #expect(try AmoroBinary.run(["compact", "--config", config], input: plan).status == 0)
    }
}

import Catalogs
import Iceberg
import IcebergSpec
import Storage

extension CompactInteropTests {
    static let pyIcebergPlan = #"""
        import json, sys
        from pyiceberg.catalog.sql import SqlCatalog
        w = sys.argv[1]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.posdel")
        print(json.dumps(sorted([[task.file.file_path, sorted(d.file_path for d in task.delete_files)] for task in t.scan().plan_files()])))
        """#

    /// A table with position deletes (written by amoro, committed as a `delete` snapshot): PyIceberg plans the same
    /// deletes as amoro, and compaction applies them and removes the delete file; PyIceberg and DuckDB read the same
    /// rows before and after.
    @Test func positionDeletesArePlannedLikePyIcebergAndAppliedByCompaction() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-posdel")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Peers.python(DeletesInteropTests.makePositionDeleteTable, arguments: [root.path])
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        let identifier = try #require(TableIdentifier(parsing: "db.posdel"))
        let table = try await catalog.loadTable(identifier)
        let doomed: Set<Int64> = [1, 3, 5, 18, 100, 109]
        var positions: [String: RoaringPositionBitmap] = [:]
        let tasks = try await DeletesInteropSupport.tasks(table, storage: catalog.storage)
        for task in tasks {
            let ids = try DeletesInteropSupport.ids(task.file.filePath)
            positions[task.file.filePath] = RoaringPositionBitmap(ids.indices.filter { doomed.contains(ids[$0]) }.map(Int64.init))
        }
        let deleteFile = try await PositionDeleteFile.write(positions, to: "\(table.metadata.location)/data/deletes.parquet",
            storage: catalog.storage, specId: tasks[0].file.specId, partition: tasks[0].file.partition)
        let committed = try await DeletesInteropSupport.commit([deleteFile], content: .deletes, operation: .delete,
            table: identifier, catalog: catalog)

        // Scan planning agrees with PyIceberg's, delete files included.
        let ours = try await DeletesInteropSupport.tasks(committed, storage: catalog.storage).map { task in
            JSON.array([.string(task.file.filePath), .array(task.deletes.map { .string($0.file.filePath) }.sorted { $0.stringValue! < $1.stringValue! })])
        }
        #expect(try JSON.parse(Array(try Peers.python(Self.pyIcebergPlan, arguments: [root.path]))) == .array(ours))

        _ = try check(root, table: "db.posdel") { before, after in after == 1 && before == 2 }
        let after = try JSON.parse(Array(try Peers.python(Self.fingerprint, arguments: [root.path, "db.posdel"])))
        #expect(after["rows"] == .int(24))
        #expect(after["delete_files"] == .int(0), "the position-delete file went with the files it applied to")
    }
}

extension CompactInteropTests {
    /// A v3 table with deletion vectors: compaction applies them, keeps row lineage, and DuckDB reads the same rows.
    @Test func deletionVectorsAreAppliedByCompactionOfAV3Table() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-dv")
        defer { try? FileManager.default.removeItem(at: root) }
        let (_, committed, expected) = try await DeletesInteropSupport.makeV3TableWithDeletionVectors(root)
        let before = try JSON.parse(Array(try Peers.python(DeletesInteropTests.duckDBIds, arguments: [committed.metadataLocation])))
        #expect(before == .array(expected.map(JSON.int)))
        let config = try Self.config(root)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.v3"])
        let compact = try AmoroBinary.run(["compact", "--config", config], input: plan.stdout)
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(try JSON.parse(compact.stdout)["status"] == .string("committed"))
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: "db.v3")))
        let after = try JSON.parse(Array(try Peers.python(DeletesInteropTests.duckDBIds, arguments: [table.metadataLocation])))
        #expect(after == before)
        let tasks = try await DeletesInteropSupport.tasks(table, storage: catalog.storage)
        #expect(tasks.count == 1 && tasks[0].deletes.isEmpty, "one file, and the deletion vectors are gone")
        #expect(table.metadata.nextRowId ?? 0 >= 30, "v3 row ids advanced")
    }
}

extension CompactInteropTests {
    static let concurrentUpsert = #"""
        import pyarrow as pa, sys
        from pyiceberg.catalog.sql import SqlCatalog
        w = sys.argv[1]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.upserts")
        arrow = t.schema().as_arrow()
        rows = pa.table({"id": [1000, 1004, 7], "region": ["eu", "eu", "us"], "payload": ["late", "late", "late"]}, schema=arrow)
        t.upsert_by_equality_delete(rows, join_cols=["id", "region"])
        """#

    /// Equality deletes committed between plan and commit (a streaming upsert) still apply to the rewritten rows,
    /// because the new files keep the planned data sequence number: the commit succeeds and the old versions of
    /// the upserted rows do not come back.
    @Test func equalityDeletesCommittedDuringCompactionStillApply() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-upsert")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(Self.makeEqualityDeletes, arguments: [root.path, "6000"])
        let config = try Self.config(root)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.upserts"]).stdout
        try Peers.sidequery(Self.concurrentUpsert, arguments: [root.path])
        let expected = try JSON.parse(Array(try Peers.sidequery(Self.fingerprint, arguments: [root.path, "db.upserts"])))
        let compact = try AmoroBinary.run(["compact", "--config", config], input: plan)
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(try JSON.parse(compact.stdout)["status"] == .string("committed"))
        let after = try JSON.parse(Array(try Peers.sidequery(Self.fingerprint, arguments: [root.path, "db.upserts"])))
        for key in ["rows", "pyiceberg", "duckdb"] { #expect(after[key] == expected[key], "\(key)") }
    }
}

extension CompactInteropTests {
    /// A task that fails after another one finished: nothing is committed and no file either task wrote is left.
    @Test func aFailedTaskLeavesNoFilesBehind() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-compact-fail")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path, "evolving"])
        let config = try Self.config(root)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.evolving_v2"]).stdout
        let tasks = try #require(try JSON.parse(plan)["tasks"]?.arrayValue)
        #expect(tasks.count >= 2)
        // Damage a file of the last task, so the first one finishes before the failure.
        let victim = try #require(tasks.last?["rewrite_data_files"]?.arrayValue?.first?["path"]?.stringValue)
        try Data("PAR1 not a parquet file PAR1".utf8).write(to: URL(fileURLWithPath: String(victim.dropFirst("file://".count))))
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()
        let result = try AmoroBinary.run(["compact", "--config", config, "--parallelism", "1"], input: plan)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(try JSON.parse(result.stdout)["status"] == .string("failed"))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted() == files, "nothing left behind")
    }
}
