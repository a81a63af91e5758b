import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro expire-data` on PyIceberg tables of every field type Amoro expires by (timestamp, timestamptz, long in
/// milliseconds and seconds, strings in two patterns, date), partitioned by day and not, at levels file and
/// partition, with equality deletes: the rows left are exactly those of the data files a ground truth keeps, a
/// ground truth computed independently by reading every data file with pyarrow and filtering its rows in Python
/// (a file goes when all its rows are at or before the cut-off and none is null; at level partition, only with
/// every file of its partition; with string bounds truncated to 16 characters, PyIceberg's default, nothing goes). PyIceberg and DuckDB read the same rows afterwards.
@Suite(.enabled(if: Peers.isAvailable)) struct ExpireDataInteropTests {
    typealias Support = MaintenanceInteropSupport

    /// Tables `db.<type>_<layout>_<level>` in warehouse `argv[1]`; every row has a unique `uid`. Batches (one
    /// append each): four rows on each day of 2024-01-01…08, one row exactly at the cut-off (2024-01-05T00:00Z),
    /// one a millisecond after it, one batch straddling the cut-off (01-02 and 01-07), one with a null beside an old
    /// value (unpartitioned tables); day-partitioned timestamp tables also get equality deletes (an upsert) in an old and a fresh day.
    static let makeTables = Peers.duckDBPrelude + #"""
        import pyarrow as pa, sys, json, datetime as dt
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType, TimestampType, TimestamptzType, DateType
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import DayTransform
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        UTC = dt.timezone.utc
        base = dt.datetime(2024, 1, 1, tzinfo=UTC)
        cutoff = base + dt.timedelta(days=4)
        types = {
            "ts": (TimestampType(), pa.timestamp("us"), lambda t: t.replace(tzinfo=None), {}),
            "tstz": (TimestamptzType(), pa.timestamp("us", tz="UTC"), lambda t: t, {}),
            "longms": (LongType(), pa.int64(), lambda t: int(t.timestamp() * 1000), {}),
            "longs": (LongType(), pa.int64(), lambda t: int(t.timestamp()), {"data-expire.datetime-number-format": "TIMESTAMP_S"}),
            "str": (StringType(), pa.string(), lambda t: t.strftime("%Y-%m-%d %H:%M:%S"),
                    {"data-expire.datetime-string-pattern": "yyyy-MM-dd HH:mm:ss", "write.metadata.metrics.default": "full"}),
            # The same with PyIceberg's default string bounds, truncated to 16 characters: nothing decides, all kept.
            "strcut": (StringType(), pa.string(), lambda t: t.strftime("%Y-%m-%d %H:%M:%S"),
                       {"data-expire.datetime-string-pattern": "yyyy-MM-dd HH:mm:ss"}),
            "strday": (StringType(), pa.string(), lambda t: t.strftime("%Y-%m-%d"), {}),
            "date": (DateType(), pa.date32(), lambda t: t.date(), {}),
        }
        times = [[base + dt.timedelta(days=d, hours=h, minutes=59 if h == 23 else 0, seconds=59 if h == 23 else 0)
                  for h in (1, 7, 13, 23)] for d in range(8)]
        times += [[cutoff], [cutoff + dt.timedelta(milliseconds=1)],
                  [base + dt.timedelta(days=1, hours=10), base + dt.timedelta(days=6, hours=10)], [None, base]]
        uid = 0
        names = []
        for name, (itype, atype, convert, props) in types.items():
            layouts = ["none", "day"] if name in ("ts", "tstz", "date") else ["none"]
            for layout in layouts:
                for level in ("file", "partition"):
                    schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "uid", LongType(), required=True),
                                    NestedField(3, "f", itype))
                    spec = PartitionSpec(PartitionField(3, 1000, DayTransform(), "f_day")) if layout == "day" else PartitionSpec()
                    table_name = f"db.{name}_{layout}_{level}"
                    t = c.create_table(table_name, schema, partition_spec=spec, properties={
                        "format-version": "2", "data-expire.enabled": "true", "data-expire.field": "f",
                        "data-expire.retention-time": "4d", "data-expire.level": level, "data-expire.base-on-rule": "CURRENT_TIME",
                        **props})
                    arrow = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("uid", pa.int64(), nullable=False),
                                       pa.field("f", atype)])
                    start = uid
                    # DuckDB cannot read a null partition value, so the null batch goes to unpartitioned tables only.
                    for batch in times if layout == "none" else times[:-1]:
                        ids = list(range(uid, uid + len(batch)))
                        t.append(pa.table({"id": ids, "uid": ids, "f": [None if v is None else convert(v) for v in batch]},
                                          schema=arrow))
                        uid += len(batch)
                        t = c.load_table(table_name)
                    if name == "ts" and layout == "day":
                        # Replace one old row (01-02) and one fresh row (01-07) through equality deletes on (id, f).
                        rows = pa.table({"id": [start + 4, start + 24], "uid": [uid, uid + 1],
                                         "f": [convert(times[1][0]), convert(times[6][0])]}, schema=arrow)
                        t.upsert_by_equality_delete(rows, join_cols=["id", "f"])
                        uid += 2
                    names.append(table_name)
        print(json.dumps({"tables": names, "cutoff_ms": int(cutoff.timestamp() * 1000)}))
        """#

    /// For each table: the uids it shows now (PyIceberg), and the uids a ground truth keeps, computed by reading
    /// every live data file with pyarrow and filtering its rows in Python (argv: warehouse, cut-off ms, tables).
    static let groundTruth = #"""
        import pyarrow.parquet as pq, sys, json, datetime as dt
        from pyiceberg.catalog.sql import SqlCatalog
        w, cutoff, names = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        def ms(name, v):
            kind = name.split("_")[0]
            if kind in ("ts", "tstz"):
                v = v if v.tzinfo else v.replace(tzinfo=dt.timezone.utc)
                micros = (v - EPOCH) // dt.timedelta(microseconds=1)
                return micros / 1000
            if kind == "longms": return v
            if kind == "longs": return v * 1000
            if kind == "strcut": return None
            if kind == "str": return (dt.datetime.strptime(v, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc) - EPOCH) // dt.timedelta(milliseconds=1)
            if kind == "strday": return (dt.datetime.strptime(v, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc) - EPOCH) // dt.timedelta(milliseconds=1)
            if kind == "date": return (v - dt.date(1970, 1, 1)).days * 86400000
            raise ValueError(kind)
        out = {}
        for name in names:
            t = c.load_table(name)
            short = name.split(".")[1]
            level = short.split("_")[2]
            visible = sorted(r["uid"] for r in t.scan().to_arrow().to_pylist())
            files = [f for f in t.inspect.files().to_pylist() if f["content"] == 0]
            by_partition, uids_of = {}, {}
            for f in files:
                rows = pq.read_table(f["file_path"].removeprefix("file://")).to_pylist()
                expired = all(r["f"] is not None and ms(short, r["f"]) is not None and ms(short, r["f"]) <= cutoff for r in rows)
                key = json.dumps(f["partition"], default=str, sort_keys=True)
                by_partition.setdefault(key, []).append(expired)
                uids_of[f["file_path"]] = ({r["uid"] for r in rows}, expired, key)
            gone = set()
            for path, (uids, expired, key) in uids_of.items():
                if expired and (level == "file" or all(by_partition[key])):
                    gone |= uids
            out[name] = {"visible": visible, "expected": sorted(u for u in visible if u not in gone),
                         "data_files": len(files), "expired_files": sum(1 for _, e, k in uids_of.values()
                                                                        if e and (level == "file" or all(by_partition[k])))}
        print(json.dumps(out))
        """#

    /// Each table's uids as PyIceberg and DuckDB read them, and its current snapshot's operation and summary.
    static let readBack = Peers.duckDBPrelude + #"""
        import sys, json
        from pyiceberg.catalog.sql import SqlCatalog
        w, names = sys.argv[1], json.loads(sys.argv[2])
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        con = duck()
        out = {}
        for name in names:
            t = c.load_table(name)
            s = t.current_snapshot()
            out[name] = {"pyiceberg": sorted(r["uid"] for r in t.scan().to_arrow().to_pylist()),
                         "duckdb": sorted(r[0] for r in con.execute(f"select uid from iceberg_scan('{t.metadata_location}')").fetchall()),
                         "operation": s.summary.operation.value, "producer": s.summary.additional_properties.get("snapshot.producer"),
                         "delete_files": len([f for f in t.inspect.files().to_pylist() if f["content"] != 0])}
        print(json.dumps(out))
        """#

    @Test func everyFieldTypeKeepsExactlyTheGroundTruthsRows() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-expire-data")
        defer { try? FileManager.default.removeItem(at: root) }
        let made = try JSON.parse(Array(try Peers.sidequery(Self.makeTables, arguments: [root.path])))
        let listed = made["tables"]?.arrayValue?.compactMap { $0.stringValue }
        let tables = try #require(listed)
        let cutoff = try #require(made["cutoff_ms"]?.int64Value)
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        let names = JSON.array(tables.map(JSON.string)).rendered()
        let truth = try JSON.parse(Array(try Peers.sidequery(Self.groundTruth, arguments: [root.path, String(cutoff), names])))
        let now = "2024-01-09T00:00:00Z"

        // A dry run lists what the run then removes, and changes nothing.
        let dry = try Support.amoro(config: config.path, ["expire-data", "--config", config.path, "db.*", "--now", now, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        var dryExpired: [String: Int64] = [:]
        for line in dry.stdout.split(separator: "\n") {
            let document = try JSON.parse(String(line))
            dryExpired[document["table"]?.stringValue ?? ""] = document["data_files_expired"]?.int64Value
            #expect(document["cutoff_ms"]?.int64Value == cutoff, "\(document)")
        }
        let unchanged = try JSON.parse(Array(try Peers.sidequery(Self.readBack, arguments: [root.path, names])))
        for table in tables { #expect(unchanged[table]?["pyiceberg"] == truth[table]?["visible"], "\(table): a dry run changes nothing") }

        let run = try Support.amoro(config: config.path, ["expire-data", "--config", config.path, "db.*", "--now", now])
        #expect(run.status == 0, "\(run.stderr)")
        var documents: [String: JSON] = [:]
        for line in run.stdout.split(separator: "\n") {
            let document = try JSON.parse(String(line))
            documents[document["table"]?.stringValue ?? ""] = document
        }
        let after = try JSON.parse(Array(try Peers.sidequery(Self.readBack, arguments: [root.path, names])))
        var expiredSomewhere = 0
        for table in tables {
            let expected = try #require(truth[table]?["expected"])
            #expect(after[table]?["pyiceberg"] == expected, "\(table): rows left differ from the ground truth; \(documents[table] ?? .null)")
            #expect(after[table]?["duckdb"] == expected, "\(table): DuckDB reads other rows")
            let expiredFiles = truth[table]?["expired_files"]?.int64Value ?? -1
            #expect(documents[table]?["data_files_expired"]?.int64Value == expiredFiles, "\(table)")
            #expect(dryExpired[table] == expiredFiles, "\(table): the dry run listed other files")
            if expiredFiles > 0 {
                expiredSomewhere += 1
                #expect(documents[table]?["status"] == .string("committed"))
                #expect(after[table]?["operation"] == .string("delete"))
                #expect(after[table]?["producer"] == .string("DATA_EXPIRATION"))
            } else {
                #expect(documents[table]?["status"] == .string("nothing-to-do"), "\(table)")
            }
        }
        #expect(expiredSomewhere >= tables.count / 2, "most tables lose their old files")
        // Truncated string bounds decide nothing: every file of those tables is kept, as undecided.
        #expect(documents["db.strcut_none_file"]?["data_files_undecided"]?.int64Value == 12, "\(documents["db.strcut_none_file"] ?? .null)")
        // The null batch and the straddling unpartitioned batch are kept as undecided or fresh.
        #expect(documents["db.ts_none_file"]?["data_files_undecided"]?.int64Value == 1)
        // Equality deletes of the expired day went with its files; the fresh day's stayed.
        let deletes = try #require(documents["db.ts_day_file"]?["delete_files"]?.arrayValue)
        #expect(deletes.count == 1, "\(deletes)")
        #expect(after["db.ts_day_file"]?["delete_files"]?.int64Value ?? 0 >= 1)

        // Running again finds nothing more.
        let again = try Support.amoro(config: config.path, ["expire-data", "--config", config.path, "db.*", "--now", now])
        #expect(again.status == 0)
        for line in again.stdout.split(separator: "\n") {
            #expect(try JSON.parse(String(line))["status"] == .string("nothing-to-do"))
        }
    }

    /// `LAST_COMMIT_TIME` measures from the newest data commit, never from the run's own snapshot: a second run
    /// reports the same base time, and `gc.enabled=false` turns the command off.
    @Test func lastCommitTimeIgnoresTheRunsOwnSnapshot() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-expire-data-base")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(#"""
            import pyarrow as pa, sys, time, datetime as dt
            from pyiceberg.catalog.sql import SqlCatalog
            from pyiceberg.schema import Schema
            from pyiceberg.types import NestedField, LongType, TimestamptzType
            w = sys.argv[1]
            c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
            c.create_namespace("db")
            schema = Schema(NestedField(1, "uid", LongType(), required=True), NestedField(2, "f", TimestamptzType(), required=True))
            for name, gc in (("db.t", "true"), ("db.off", "false")):
                t = c.create_table(name, schema, properties={"format-version": "2", "data-expire.enabled": "true",
                    "data-expire.field": "f", "data-expire.retention-time": "3d", "data-expire.level": "file", "gc.enabled": gc})
                now = dt.datetime.now(dt.timezone.utc)
                for d in range(6, 0, -1):
                    t.append(pa.table({"uid": [d], "f": [now - dt.timedelta(days=d)]},
                                      schema=pa.schema([pa.field("uid", pa.int64(), nullable=False),
                                                        pa.field("f", pa.timestamp("us", tz="UTC"), nullable=False)])))
                    t = c.load_table(name)
            """#, arguments: [root.path])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        let first = try Support.document(try Support.amoro(config: config.path, ["expire-data", "--config", config.path, "db.t"]))
        #expect(first["status"] == .string("committed"), "\(first)")
        #expect(first["data_files_expired"]?.int64Value == 4, "rows 6, 5, 4 and 3 days older than the script's clock: \(first)")
        let base = try #require(first["base_time_ms"]?.int64Value)
        let second = try Support.document(try Support.amoro(config: config.path, ["expire-data", "--config", config.path, "db.t"]))
        #expect(second["status"] == .string("nothing-to-do"))
        #expect(second["base_time_ms"]?.int64Value == base, "the base time stays the last append's, not the expiry's own")
        let off = try Support.document(try Support.amoro(config: config.path, ["expire-data", "--config", config.path, "db.off"]))
        #expect(off["status"] == .string("disabled"))
        #expect(off["note"] == .string("gc.enabled=false"))
    }
}
