import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro create-tags` on PyIceberg tables whose snapshots carry commit times the test chose (written into their
/// metadata and registered in the catalog), checked at chosen times with `--now`: the tags PyIceberg's `refs()`
/// then lists are exactly those Amoro's rule selects, computed here independently in Python (first snapshot at or
/// after each period's trigger time, skipped past the maximum delay); a second run changes nothing, and
/// `amoro expire-snapshots` keeps every tagged snapshot readable.
@Suite(.enabled(if: Peers.isAvailable)) struct CreateTagsInteropTests {
    typealias Support = MaintenanceInteropSupport

    /// Tables `argv[2]` (`{name: [properties, [commit times in ms]]}`, one single-row append per time) in warehouse
    /// `argv[1]`, with the snapshots' times rewritten to the given ones.
    static let makeTables = #"""
        import pyarrow as pa, sys, json, uuid
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType
        w, spec = sys.argv[1], json.loads(sys.argv[2])
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "n", LongType(), required=True))
        for name, (props, times) in spec.items():
            t = c.create_table(name, schema, properties={"format-version": "2", **props})
            for i, _ in enumerate(times):
                t.append(pa.table({"n": [i]}, schema=pa.schema([pa.field("n", pa.int64(), nullable=False)])))
                t = c.load_table(name)
            path = t.metadata_location.removeprefix("file://")
            metadata = json.load(open(path))
            by_id = {}
            for snapshot, ms in zip(metadata["snapshots"], times):
                snapshot["timestamp-ms"] = ms
                by_id[snapshot["snapshot-id"]] = ms
            for entry in metadata["snapshot-log"]:
                entry["timestamp-ms"] = by_id[entry["snapshot-id"]]
            metadata["last-updated-ms"] = max(times)
            target = path.rsplit("/", 1)[0] + f"/99999-{uuid.uuid4()}.metadata.json"
            json.dump(metadata, open(target, "w"))
            c.drop_table(name)
            c.register_table(name, "file://" + target)
        """#

    /// Amoro's rule, independently: for each period start (ISO, `argv[3]`) of table `argv[2]` with period
    /// `argv[4]`, offset and max delay in minutes (`argv[5]`, `argv[6]`) and strftime name format `argv[7]`, the
    /// tag name and the snapshot the rule selects (null when skipped). Prints `{name: snapshot id or null}`.
    static let expectedTags = #"""
        import sys, json, datetime as dt
        from pyiceberg.catalog.sql import SqlCatalog
        w, name, starts, period, offset, delay, fmt = sys.argv[1:8]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(name)
        out = {}
        for start in json.loads(starts):
            s = dt.datetime.fromisoformat(start)
            if period == "hourly": end = s + dt.timedelta(hours=1)
            elif period == "daily": end = s + dt.timedelta(days=1)
            else: end = (s.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            trigger = int((end + dt.timedelta(minutes=int(offset))).timestamp() * 1000)
            chosen = next((x for x in t.metadata.snapshots if x.timestamp_ms >= trigger), None)
            if chosen is not None and int(delay) > 0 and chosen.timestamp_ms - trigger > int(delay) * 60000:
                chosen = None
            out[s.strftime(fmt)] = chosen.snapshot_id if chosen else None
        print(json.dumps(out))
        """#

    /// Tags of table `argv[2]`: `{name: [snapshot id, max-ref-age-ms]}`, and whether every tagged snapshot reads.
    static let readTags = #"""
        import sys, json
        from pyiceberg.catalog.sql import SqlCatalog
        w, name = sys.argv[1], sys.argv[2]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(name)
        tags = {n: [r.snapshot_id, r.max_ref_age_ms] for n, r in t.refs().items() if r.snapshot_ref_type.value == "tag"}
        rows = {n: len(t.scan(snapshot_id=r[0]).to_arrow()) for n, r in tags.items()}
        print(json.dumps({"tags": tags, "rows": rows, "snapshots": len(t.metadata.snapshots)}))
        """#

    static func ms(_ iso: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        return Int64(formatter.date(from: iso)!.timeIntervalSince1970 * 1000)
    }

    @Test func tagsAreWhatAmorosRuleSelectsAndSurviveExpiry() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-tags")
        defer { try? FileManager.default.removeItem(at: root) }
        let hourly: [String] = ["00:05", "00:40", "01:12", "01:50", "02:55", "03:20", "05:30"].map { "2024-03-01T\($0):00Z" }
        let daily = ["2024-03-01T10:00:00Z", "2024-03-02T00:30:00Z", "2024-03-03T05:00:00Z", "2024-03-04T00:01:00Z"]
        let spec = JSON.object([
            ("db.h", .array([
                .object([("tag.auto-create.enabled", "true"), ("tag.auto-create.trigger.period", "hourly"),
                    ("tag.auto-create.trigger.offset.minutes", "10"), ("tag.auto-create.trigger.max-delay.minutes", "30")]),
                .array(hourly.map { .int(Self.ms($0)) }),
            ])),
            ("db.d", .array([
                .object([("tag.auto-create.enabled", "true"), ("tag.auto-create.max-age-ms", "864000000"),
                    ("tag.auto-create.tag-format", "'day-'yyyy-MM-dd")]),
                .array(daily.map { .int(Self.ms($0)) }),
            ])),
        ])
        try Peers.python(Self.makeTables, arguments: [root.path, spec.rendered()])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        func createTags(_ table: String, now: String, _ extra: [String] = []) throws -> JSON {
            let result = try Support.amoro(config: config.path, ["create-tags", "--config", config.path, table, "--now", now] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return try Support.document(result)
        }
        func tags(_ table: String) throws -> JSON {
            try JSON.parse(Array(try Peers.python(Self.readTags, arguments: [root.path, table])))
        }
        func expected(_ table: String, _ starts: [String], period: String, offset: Int, delay: Int, format: String) throws -> [String: JSON] {
            let json = try JSON.parse(Array(try Peers.python(Self.expectedTags, arguments: [root.path, table,
                JSON.array(starts.map(JSON.string)).rendered(), period, String(offset), String(delay), format])))
            return Dictionary(uniqueKeysWithValues: (json.objectValue ?? []).map { ($0.0, $0.1) })
        }
        func expectTags(_ table: String, _ wanted: [String: JSON], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let found = try tags(table)["tags"]?.objectValue ?? []
            let created = wanted.filter { $0.value != .null }
            #expect(Set(found.map(\.0)) == Set(created.keys), "\(table): \(found) vs \(wanted)", sourceLocation: sourceLocation)
            for (name, ref) in found { #expect(ref.arrayValue?.first == created[name], "\(table) \(name)", sourceLocation: sourceLocation) }
        }

        // Hourly, offset 10, max delay 30. A dry run at 03:30 names hour 02's tag and writes nothing.
        let dry = try createTags("db.h", now: "2024-03-01T03:30:00Z", ["--dry-run"])
        #expect(dry["status"] == .string("dry-run"))
        try expectTags("db.h", [:])
        // The first run starts with the latest finished period (hour 02: due 03:10, the 03:20 snapshot).
        _ = try createTags("db.h", now: "2024-03-01T03:30:00Z")
        var wanted = try expected("db.h", ["2024-03-01T02:00:00+00:00"], period: "hourly", offset: 10, delay: 30, format: "tag-%Y%m%d%H")
        #expect(wanted["tag-2024030102"] != .null)
        try expectTags("db.h", wanted)
        // Missed runs until 06:00: hour 03 (its first snapshot came 80 minutes late: skipped) and hour 04.
        let caughtUp = try createTags("db.h", now: "2024-03-01T06:00:00Z")
        #expect(caughtUp["status"] == .string("committed"))
        wanted.merge(try expected("db.h", ["2024-03-01T03:00:00+00:00", "2024-03-01T04:00:00+00:00"], period: "hourly",
            offset: 10, delay: 30, format: "tag-%Y%m%d%H")) { $1 }
        #expect(wanted["tag-2024030103"] == .null && wanted["tag-2024030104"] != .null, "\(wanted)")
        try expectTags("db.h", wanted)
        // Idempotent.
        #expect(try createTags("db.h", now: "2024-03-01T06:00:00Z")["status"] == .string("nothing-to-do"))
        try expectTags("db.h", wanted)

        // Daily with a custom format and max-age-ms: 03-01 on 03-02, then 03-02 (late: skipped) and 03-03 on 03-04.
        _ = try createTags("db.d", now: "2024-03-02T08:00:00Z")
        _ = try createTags("db.d", now: "2024-03-04T12:00:00Z")
        let days = try expected("db.d", ["2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00", "2024-03-03T00:00:00+00:00"],
            period: "daily", offset: 0, delay: 60, format: "day-%Y-%m-%d")
        #expect(days["day-2024-03-02"] == .null && days["day-2024-03-01"] != .null && days["day-2024-03-03"] != .null, "\(days)")
        try expectTags("db.d", days)
        let dailyTags = try tags("db.d")
        #expect(dailyTags["tags"]?["day-2024-03-01"]?.arrayValue?.last == .int(864_000_000), "the tag carries max-ref-age-ms")

        // Expiry keeps every tagged snapshot, and each still reads its rows.
        let before = try tags("db.h")
        let expiry = try Support.amoro(config: config.path, ["expire-snapshots", "--config", config.path, "db.h", "--older-than", "1ms"])
        #expect(expiry.status == 0, "\(expiry.stderr)")
        let after = try tags("db.h")
        #expect(after["tags"] == before["tags"])
        #expect(after["rows"] == before["rows"])
        #expect((after["snapshots"]?.int64Value ?? 0) < (before["snapshots"]?.int64Value ?? 0), "untagged snapshots expired")
    }
}
