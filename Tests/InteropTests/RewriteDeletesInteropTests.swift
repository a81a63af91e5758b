import Catalogs
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Parquet
import Storage
import Synchronization
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
        let parent = table.metadata.currentSnapshot?.parentSnapshotId.flatMap(table.metadata.snapshot(id:))
        #expect(summary["total-records"] != nil && summary["total-records"] == parent?.summary["total-records"])

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

extension RewriteDeletesInteropTests {
    /// The v3 table of `DeletesInteropSupport` (two data files, one Puffin file with a vector for each) plus a global
    /// equality delete of ids 5 and 101. Returns the surviving ids and the equality delete's path.
    static func makeV3TableWithEqualityDelete(_ root: URL) async throws -> (SQLCatalog, [Int64], String) {
        let (catalog, table, survivors) = try await DeletesInteropSupport.makeV3TableWithDeletionVectors(root)
        let ids: [Int64] = [5, 101]
        let sink = MemorySink()
        let writer = try ParquetFileWriter(
            schema: try ParquetSchema([.primitive("id", .int64, repetition: .required, fieldID: 1)]), sink: sink)
        try writer.write([ColumnData(values: .int64(ids))])
        try writer.close()
        let location = "\(table.metadata.location)/data/amoro-equality-deletes.parquet"
        try await catalog.storage.write(location, bytes: sink.bytes, mode: .createNew)
        var file = DataFile(content: .equalityDeletes, filePath: location, fileFormat: "PARQUET", specId: 0, partition: [],
            recordCount: Int64(ids.count), fileSizeInBytes: Int64(sink.bytes.count))
        file.equalityIds = [1]
        _ = try await DeletesInteropSupport.commit([file], content: .deletes, operation: .delete, table: table.identifier, catalog: catalog)
        return (catalog, survivors.filter { !ids.contains($0) }, location)
    }

    static func duckDBIds(_ catalog: SQLCatalog) async throws -> JSON {
        let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: "db.v3")))
        return try JSON.parse(Array(try Peers.python(DeletesInteropTests.duckDBIds, arguments: [table.metadataLocation])))
    }

    /// Every data file of the table as built ends with exactly one delete: a deletion vector.
    static func expectOneVectorPerDataFile(_ catalog: SQLCatalog) async throws {
        let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: "db.v3")))
        for task in try await DeletesInteropSupport.tasks(table, storage: catalog.storage) where task.file.filePath.contains("/data/amoro-") {
            #expect(task.deletes.count == 1 && task.deletes[0].file.isDeletionVector, "\(task.file.filePath): \(task.deletes.map(\.file.filePath))")
        }
    }

    @Test func v3EqualityDeletesAndVectorsBecomeOneVectorPerDataFile() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-v3")
        defer { try? FileManager.default.removeItem(at: root) }
        let (catalog, expected, _) = try await Self.makeV3TableWithEqualityDelete(root)
        #expect(try await Self.duckDBIds(catalog) == .array(expected.map(JSON.int)), "DuckDB applies both before")
        let (run, result) = try Self.rewrite(root, ["db.v3"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(result?["status"] == .string("committed"), "\(run.stdout)")
        #expect(result?["layout"] == .string("deletion-vectors"))
        #expect(result?["delete_files_in"]?["equality_deletes"] == .int(1) && result?["delete_files_in"]?["deletion_vectors"] == .int(1))
        #expect(result?["delete_files_out"]?["deletion_vectors"] == .int(1) && result?["entries_out"] == .int(Int64(30 - expected.count)))
        #expect(try await Self.duckDBIds(catalog) == .array(expected.map(JSON.int)), "DuckDB reads the same rows after")
        try await Self.expectOneVectorPerDataFile(catalog)
        let (_, again) = try Self.rewrite(root, ["db.v3"])
        #expect(again?["status"] == .string("nothing-to-do"))

        // --apply: both data files lost 20% of their rows, more than the table's 10%.
        let (applied, rewritten) = try Self.rewrite(root, ["db.v3", "--apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(rewritten?["data_files_rewritten"] == .int(2) && rewritten?["delete_files_in"]?["deletion_vectors"] == .int(1))
        #expect(try await Self.duckDBIds(catalog) == .array(expected.map(JSON.int)), "DuckDB reads the same rows after --apply")
        let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: "db.v3")))
        #expect(try await DeletesInteropSupport.tasks(table, storage: catalog.storage).allSatisfy(\.deletes.isEmpty))
        #expect(table.metadata.currentSnapshot?.summary["removed-dvs"] == "2")
    }
}

/// A catalog that lets a concurrent writer win the race: `beforeCommit` runs once, just before the first commit is
/// forwarded, so that commit loses and is retried against the writer's snapshot.
final class RacingCatalog: Catalog {
    let inner: any Catalog
    private let beforeCommit: Mutex<(@Sendable () async throws -> Void)?>

    init(_ inner: any Catalog, beforeCommit: @escaping @Sendable () async throws -> Void) {
        self.inner = inner
        self.beforeCommit = Mutex(beforeCommit)
    }

    var name: String { inner.name }
    var identity: String { inner.identity }
    var storage: any Storage { inner.storage }
    func listNamespaces() async throws(IcebergError) -> [[String]] { try await inner.listNamespaces() }
    func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] { try await inner.listTables(namespace: namespace) }
    func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable { try await inner.loadTable(identifier) }
    func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable {
        try await inner.createTable(identifier, metadata: metadata)
    }

    func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable {
        if let race = beforeCommit.withLock({ race in defer { race = nil }; return race }) {
            do { try await race() } catch { Issue.record(error, "the concurrent commit failed") }
        }
        return try await inner.commit(identifier, base: base, metadata: metadata)
    }
}

extension RewriteDeletesInteropTests {
    static func options() -> RewriteDeletesAction.Options {
        .init(dryRun: false, apply: false, applyRatio: nil, partitionFilter: nil) { Int64(Date().timeIntervalSince1970 * 1000) }
    }

    static func dataDirectory(_ root: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("db/v3/data").path).sorted()
    }

    /// A concurrent commit removes the equality delete being merged: refused, the table is the writer's, and the
    /// files the run wrote are gone.
    @Test func aConcurrentRemovalOfAMergedDeleteFileIsRefused() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-race")
        defer { try? FileManager.default.removeItem(at: root) }
        let (catalog, _, equalityDelete) = try await Self.makeV3TableWithEqualityDelete(root)
        let identifier = try #require(TableIdentifier(parsing: "db.v3"))
        let files = try Self.dataDirectory(root)
        let racing = RacingCatalog(catalog) {
            let head = try #require(try await catalog.loadTable(identifier).metadata.currentSnapshot)
            _ = try await ReplaceCommit(identifier: identifier, plannedSnapshotId: head.snapshotId,
                dataSequenceNumber: head.sequenceNumber, removedDataFiles: [], removedDeleteFiles: [equalityDelete],
                addedDataFiles: [], addedDeleteFiles: [], summary: [:]).run(catalog: catalog) { Int64(Date().timeIntervalSince1970 * 1000) }
        }
        var refusal: AmoroError?
        do { _ = try await RewriteDeletesAction.run(identifier, catalog: racing, options: Self.options()) } catch { refusal = error }
        guard case .conflict(_, let why)? = refusal else {
            Issue.record("expected a conflict, got \(String(describing: refusal))")
            return
        }
        #expect(why.contains(equalityDelete))
        let table = try await catalog.loadTable(identifier)
        #expect(table.metadata.currentSnapshot?.summary["snapshot.producer"] == nil, "the writer's snapshot is current")
        #expect(try Self.dataDirectory(root) == files, "the vectors written for the refused commit were deleted")
    }

    /// A concurrent append: the retried commit succeeds and no row is lost.
    @Test func aConcurrentAppendLosesNothing() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-append")
        defer { try? FileManager.default.removeItem(at: root) }
        let (catalog, expected, _) = try await Self.makeV3TableWithEqualityDelete(root)
        let identifier = try #require(TableIdentifier(parsing: "db.v3"))
        let appended: [Int64] = [500, 501, 502]
        let racing = RacingCatalog(catalog) {
            let location = try await catalog.loadTable(identifier).metadata.location
            let file = try await DeletesInteropSupport.writeDataFile(ids: appended, to: "\(location)/data/late.parquet",
                storage: catalog.storage)
            _ = try await DeletesInteropSupport.commit([file], content: .data, operation: .append, table: identifier, catalog: catalog)
        }
        let result = try await RewriteDeletesAction.run(identifier, catalog: racing, options: Self.options())
        #expect(result.status == .committed && result.commitAttempts == 2)
        #expect(try await Self.duckDBIds(catalog) == .array((expected + appended).map(JSON.int)))
        try await Self.expectOneVectorPerDataFile(catalog)
    }

    /// The process killed at each stage: the table reads the same rows, with its old delete files (or, after the
    /// swap, its new ones), and the next run removes the killed run's leftovers and completes the job.
    @Test(arguments: ["after-data-files", "after-manifests", "before-swap", "after-swap"])
    func aCrashAtAnyStageLeavesTheOldOrTheNewTable(stage: String) async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-crash")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.makeTableWithPositionDeletes(root)
        let before = try Self.fingerprint(root, "db.events")
        let (crashed, _) = try Self.rewrite(root, ["db.events"], environment: ["AMORO_CRASH_AT": stage])
        #expect(crashed.status == 137, "killed by SIGKILL: \(crashed.status)")
        let after = try Self.fingerprint(root, "db.events")
        Self.sameRows(before, after, stage)
        #expect(after["delete_files"] == (stage == "after-swap" ? .int(2) : before["delete_files"]), "\(stage)")
        let (retry, result) = try Self.rewrite(root, ["db.events"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(result?["status"] == .string(stage == "after-swap" ? "nothing-to-do" : "committed"))
        // The retry swept what the killed run left: every file under the table is one the table reaches.
        #expect(try MaintenanceInteropSupport.unreached(root, table: "db.events", sidequery: false) == [], "\(stage): no leftovers")
        Self.sameRows(before, try Self.fingerprint(root, "db.events"), "\(stage), after the retry")
    }
}

extension RewriteDeletesInteropTests {
    static let dropPartition = #"""
        import sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.expressions import EqualTo
        w = sys.argv[1]
        SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.events").delete(EqualTo("region", "us"))
        """#

    /// PyIceberg drops partition us whole: its four position-delete files apply to nothing. The library action
    /// clean-orphans uses removes exactly those (gated by the properties), and rewrite-deletes limited to that
    /// partition commits the same removal.
    @Test func danglingDeleteFilesAreRemovedByTheirOwnCommit() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rwdel-dangling")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.makeTableWithPositionDeletes(root)
        try Peers.python(Self.dropPartition, arguments: [root.path])
        let before = try Self.fingerprint(root, "db.events")
        #expect(before["delete_files"] == .int(8))
        let catalog = try Self.catalog(root)
        let identifier = try #require(TableIdentifier(parsing: "db.events"))
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

        for off in [["table.gc.enabled": "false"], ["table.clean-dangling-delete-files.enabled": "false"]] {
            let disabled = try await DanglingDeleteCleanup.run(identifier, catalog: catalog, catalogProperties: off, dryRun: false, nowMs: now)
            #expect(disabled.status == .disabled && disabled.removals.isEmpty, "\(off)")
        }
        let dry = try await DanglingDeleteCleanup.run(identifier, catalog: catalog, dryRun: true, nowMs: now)
        #expect(dry.status == .dryRun && dry.removals.count == 4 && dry.snapshotId == nil)
        #expect(dry.removals.allSatisfy { $0.kind == "position-deletes" && $0.path.contains("amoro-deletes-") })

        let optedOut = try await RewriteDeletesAction.run(identifier, catalog: catalog,
            catalogProperties: ["table.self-optimizing.enabled": "false"], options: Self.options())
        #expect(optedOut.status == .disabled, "a table out of self-optimizing is left alone")

        // rewrite-deletes on partition us alone: only the dangling files, committed as Amoro's dangling cleanup.
        let (run, result) = try Self.rewrite(root, ["db.events", "--partition", "region=us"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(result?["status"] == .string("committed"), "\(run.stdout)")
        #expect(result?["delete_files"]?.arrayValue?.map { $0["path"]?.stringValue } == dry.removals.map(\.path))
        #expect(result?["entries_dropped_as_dangling"] == result?["entries_in"])
        let table = try await catalog.loadTable(identifier)
        #expect(table.metadata.currentSnapshot?.summary["snapshot.producer"] == DanglingDeleteCleanup.producer)
        #expect(table.metadata.currentSnapshot?.summary["total-delete-files"] == "4")
        let after = try Self.fingerprint(root, "db.events")
        Self.sameRows(before, after, "dangling removal")
        #expect(after["delete_files"] == .int(4))
        let none = try await DanglingDeleteCleanup.run(identifier, catalog: catalog, dryRun: false, nowMs: now)
        #expect(none.status == .nothingToDo)
    }

    /// clean-orphans runs the dangling pass after the orphan pass, whether orphan cleaning is on or not: its dry run
    /// lists them, an audit replay removes only the listed ones, a plain run the rest.
    @Test func cleanOrphansRemovesDanglingDeleteFilesThroughACommit() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-orphans-dangling")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.makeTableWithPositionDeletes(root)
        try Peers.python(Self.dropPartition, arguments: [root.path])
        let before = try Self.fingerprint(root, "db.events")
        let config = try CompactInteropTests.config(root)
        func clean(_ arguments: [String]) throws -> JSON {
            let run = try AmoroBinary.run(["clean-orphans", "--config", config, "db.events"] + arguments)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return try JSON.parse(run.stdout)
        }

        let dry = try clean(["--dry-run"])
        #expect(dry["status"] == .string("disabled"), "orphan cleaning is off for this table")
        let listed = try #require(dry["dangling_deletes"]?["removals"]?.arrayValue)
        #expect(dry["dangling_deletes"]?["status"] == .string("dry-run") && listed.count == 4)
        #expect(try Self.fingerprint(root, "db.events")["delete_files"] == .int(8), "a dry run commits nothing")

        // The reviewed audit keeps three of the four: only those go.
        var audit = dry
        if case .object(var members) = dry, let index = members.firstIndex(where: { $0.0 == "dangling_deletes" }) {
            members[index].1 = .object([("status", .string("dry-run")), ("removals", .array(Array(listed.prefix(3))))])
            audit = .object(members)
        }
        let auditFile = root.appendingPathComponent("audit.json")
        try Data(audit.rendered().utf8).write(to: auditFile)
        let replay = try clean(["--from-audit", auditFile.path])
        #expect(replay["dangling_deletes"]?["status"] == .string("committed"))
        #expect(replay["dangling_deletes"]?["removals"]?.arrayValue?.map { $0["path"] } == listed.prefix(3).map { $0["path"] })
        #expect(try Self.fingerprint(root, "db.events")["delete_files"] == .int(5))

        let rest = try clean([])
        #expect(rest["dangling_deletes"]?["removals"]?.arrayValue?.map { $0["path"] } == [listed[3]["path"]])
        let table = try await Self.catalog(root).loadTable(try #require(TableIdentifier(parsing: "db.events")))
        #expect(table.metadata.currentSnapshot?.summary["snapshot.producer"] == DanglingDeleteCleanup.producer)
        #expect(try clean([])["dangling_deletes"]?["status"] == .string("nothing-to-do"))
        let after = try Self.fingerprint(root, "db.events")
        Self.sameRows(before, after, "clean-orphans dangling pass")
        #expect(after["delete_files"] == .int(4))
    }
}
