import Catalogs
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// `amoro expire-data` replaying an audit and racing a concurrent writer, on PyIceberg tables whose rows carry a
/// `uid` and a UTC time `f` on a known day of January 2024 (retention 4 days, base time `--now` 2024-01-09, so days
/// 1–4 have expired): a replay removes only what the dry run listed, and a writer's commit in between is either kept
/// or makes the run refuse — never a lost row.
@Suite(.enabled(if: Peers.isAvailable)) struct ExpireDataReplayInteropTests {
    typealias Support = MaintenanceInteropSupport
    static let now = "2024-01-09T00:00:00Z"
    static let nowMs: Int64 = 1_704_758_400_000

    /// `db.t` (level file): one append per day 1, 2, 3 and 8, uid = day; `db.p` (level partition, unpartitioned):
    /// days 1 and 2. With argv `append TABLE DAY UID`, one more append instead.
    static let script = #"""
        import pyarrow as pa, sys, datetime as dt
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, TimestamptzType
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        arrow = pa.schema([pa.field("uid", pa.int64(), nullable=False), pa.field("f", pa.timestamp("us", tz="UTC"), nullable=False)])
        def append(name, day, uid):
            c.load_table(name).append(pa.table({"uid": [uid], "f": [dt.datetime(2024, 1, day, 12, tzinfo=dt.timezone.utc)]}, schema=arrow))
        if sys.argv[2] == "append":
            append(sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        else:
            c.create_namespace("db")
            schema = Schema(NestedField(1, "uid", LongType(), required=True), NestedField(2, "f", TimestamptzType(), required=True))
            for name, level, days in (("db.t", "file", (1, 2, 3, 8)), ("db.p", "partition", (1, 2))):
                c.create_table(name, schema, properties={"format-version": "2", "data-expire.enabled": "true",
                    "data-expire.field": "f", "data-expire.retention-time": "4d", "data-expire.level": level,
                    "data-expire.base-on-rule": "CURRENT_TIME"})
                for day in days:
                    append(name, day, day)
        """#

    static func makeTables(_ root: URL) throws -> String {
        try Peers.python(Self.script, arguments: [root.path, "create"])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        return config.path
    }

    static func append(_ root: URL, table: String, day: Int, uid: Int) throws {
        try Peers.python(Self.script, arguments: [root.path, "append", table, String(day), String(uid)])
    }

    /// The uids PyIceberg and DuckDB read from `table`, which must agree.
    static func uids(_ root: URL, _ table: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Int64] {
        let read = try JSON.parse(Array(try Peers.python(Peers.duckDBPrelude + #"""
            import sys, json
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(sys.argv[2])
            py = sorted(r["uid"] for r in t.scan().to_arrow().to_pylist())
            dk = sorted(r[0] for r in duck().execute(f"select uid from iceberg_scan('{t.metadata_location}')").fetchall())
            print(json.dumps({"pyiceberg": py, "duckdb": dk}))
            """#, arguments: [root.path, table])))
        #expect(read["pyiceberg"] == read["duckdb"], "\(table): PyIceberg and DuckDB disagree: \(read)", sourceLocation: sourceLocation)
        return read["pyiceberg"]?.arrayValue?.compactMap(\.int64Value) ?? []
    }

    /// A dry run's document replayed with `--from-audit`: a file that expired after the audit stays (listed as
    /// not-in-audit), a table the audit does not cover, an audit for another table UUID and a document that is not
    /// a dry run's are refused, and a second replay finds nothing left to do.
    @Test func aReplayRemovesOnlyWhatTheDryRunListed() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-expire-data-audit")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try Self.makeTables(root)
        let amoro = { (arguments: [String]) throws -> AmoroBinary.Result in
            try Support.amoro(config: config, ["expire-data", "--config", config, "--now", Self.now] + arguments)
        }
        let dry = try amoro(["db.t", "--dry-run"])
        let audited = try Support.document(dry)
        #expect(audited["status"] == .string("dry-run") && audited["data_files_expired"] == .int(3), "\(audited)")
        let audit = root.appendingPathComponent("audit.ndjson")
        try Data(dry.stdout.utf8).write(to: audit)

        try Self.append(root, table: "db.t", day: 2, uid: 100)
        let replay = try amoro(["db.t", "--from-audit", audit.path])
        let replayed = try Support.document(replay)
        #expect(replay.status == 0 && replayed["status"] == .string("committed"), "\(replay.stderr)")
        #expect(replayed["data_files_expired"] == .int(3))
        let notInAudit = replayed["files"]?.arrayValue?.filter { $0["verdict"] == .string("not-in-audit") } ?? []
        #expect(notInAudit.count == 1 && notInAudit.first?["records"] == .int(1), "\(replayed)")
        #expect(try Self.uids(root, "db.t") == [8, 100], "the audited old files went, the later one stayed")

        let again = try Support.document(try amoro(["db.t", "--from-audit", audit.path]))
        #expect(again["status"] == .string("nothing-to-do"), "\(again)")

        let uncovered = try amoro(["db.p", "--from-audit", audit.path])
        #expect(uncovered.status == 65 && uncovered.stderr.contains("no dry-run document for db.p"), "\(uncovered.stderr)")
        #expect(try Self.uids(root, "db.p") == [1, 2])

        let uuid = try #require(audited["table_uuid"]?.stringValue)
        let foreignAudit = root.appendingPathComponent("foreign.ndjson")
        try Data(dry.stdout.replacingOccurrences(of: uuid, with: "00000000-0000-4000-8000-000000000000").utf8).write(to: foreignAudit)
        let refused = try amoro(["db.t", "--from-audit", foreignAudit.path])
        #expect(refused.status != 0 && refused.stderr.contains("table UUID"), "\(refused.stderr)")

        let committedAudit = root.appendingPathComponent("committed.ndjson")
        try Data(replay.stdout.utf8).write(to: committedAudit)
        let notDry = try amoro(["db.t", "--from-audit", committedAudit.path])
        #expect(notDry.status == 65 && notDry.stderr.contains("--dry-run"), "\(notDry.stderr)")
        #expect(try Self.uids(root, "db.t") == [8, 100], "refused replays change nothing")
    }

    /// A writer appends between amoro's plan and its commit: a fresh file elsewhere is kept (the commit is retried
    /// against the writer's snapshot); a fresh file in a partition being expired whole makes the run refuse.
    @Test func aConcurrentAppendIsKeptOrRefused() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-expire-data-race")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Self.makeTables(root)
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        let nowMs = Self.nowMs

        let file = try #require(TableIdentifier(parsing: "db.t"))
        let appendFresh = RacingCatalog(catalog) { try Self.append(root, table: "db.t", day: 8, uid: 200) }
        let kept = try await ExpireDataAction.run(file, catalog: appendFresh, dryRun: false) { nowMs }
        #expect(kept.status == .committed && kept.commitAttempts == 2, "\(kept)")
        #expect(try Self.uids(root, "db.t") == [8, 200])

        let partition = try #require(TableIdentifier(parsing: "db.p"))
        let appendToPartition = RacingCatalog(catalog) { try Self.append(root, table: "db.p", day: 7, uid: 300) }
        var refusal: AmoroError?
        do throws(AmoroError) { _ = try await ExpireDataAction.run(partition, catalog: appendToPartition, dryRun: false) { nowMs } } catch { refusal = error }
        guard case .conflict? = refusal else {
            Issue.record("expected a conflict, got \(String(describing: refusal))")
            return
        }
        let head = try await catalog.loadTable(partition).metadata.currentSnapshot
        #expect(head?.summary["snapshot.producer"] == nil, "the writer's snapshot is current")
        #expect(try Self.uids(root, "db.p") == [1, 2, 300], "the partition keeps every row once it holds a fresh one")
    }
}
