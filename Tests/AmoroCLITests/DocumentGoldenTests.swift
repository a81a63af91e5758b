import Foundation
import Documents
import JSONCoding
import Planning
import Testing
import TestSupport

/// One example of every document kind and version, as the built binary prints it for a fixed table, against the
/// golden files in `Snapshots/documents/` (`AMORO_UPDATE_SNAPSHOTS=1` rewrites them): a change to any document's
/// members, their order, names or types is a visible diff. Only what `DocumentNormaliser` names is normalised.
@Suite(.enabled(if: Peers.isAvailable)) struct DocumentGoldenTests {
    /// `db.t` (format v2, partitioned by region): appends, a tag, equality deletes (sidequery-pyiceberg), with every
    /// UUID PyIceberg makes (table, snapshot ids, file names) drawn from a seeded generator, so that the table is
    /// the same on every run but for its timestamps. Two stray files are left in it for `clean-orphans`.
    static let makeTable = #"""
        import random, uuid, sys
        seeded = random.Random(20261207)
        uuid.uuid4 = lambda: uuid.UUID(int=seeded.getrandbits(128), version=4)
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "payload", StringType()), identifier_field_ids=[1, 2])
        t = c.create_table("db.t", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                           properties={"format-version": "2"})
        arrow = t.schema().as_arrow()
        def rows(ids, payload="p"):
            return pa.table({"id": ids, "region": [["eu", "us"][i % 2] for i in ids], "payload": [payload] * len(ids)}, schema=arrow)
        for i in range(4):
            t.append(rows(list(range(i * 10, i * 10 + 10))))
            t = c.load_table("db.t")
            if i == 1:
                t.manage_snapshots().create_tag(t.current_snapshot().snapshot_id, "v1").commit()
                t = c.load_table("db.t")
        t.upsert_by_equality_delete(rows([11, 12], "updated"), join_cols=["id", "region"])
        for name, body in [("data/stray.bin", b"stray bytes"), ("metadata/leftover.tmp", b"half written")]:
            with open(f"{w}/db/t/{name}", "wb") as f:
                f.write(body)
        """#

    static let nowMs = "4102444800000"  // 2100-01-01: every snapshot and file is old

    @Test func everyDocumentKindMatchesItsGoldenFile() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-documents")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(Self.makeTable, arguments: [root.path])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        var normaliser = DocumentNormaliser(root: root.path)
        func run(_ arguments: [String], input: String? = nil) throws -> String {
            let result = try AmoroBinary.run(arguments + ["--config", config.path, "--lock-dir", "\(root.path)/locks"], input: input)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        let scan = try run(["scan", "db.t", "--now-ms", Self.nowMs])
        let plan = try run(["plan", "db.t", "--level", "full", "--budget-bytes", "1073741824", "--now-ms", Self.nowMs])
        let rewriteDeletes = try run(["rewrite-deletes", "db.t", "--dry-run", "--now-ms", Self.nowMs])
        let executed = try run(["compact", "--execute-only", "--parallelism", "1"], input: plan)
        // What the execute stage wrote is never committed: removed, so the later documents see the table as before.
        for line in executed.split(separator: "\n") {
            for file in try JSON.parse(String(line))["data_files"]?.arrayValue ?? [] {
                try FileManager.default.removeItem(atPath: (file["path"]?.stringValue ?? "").replacingOccurrences(of: "file://", with: ""))
            }
        }
        let rewriteManifests = try run(["rewrite-manifests", "db.t", "--dry-run"])
        let compact = try run(["compact", "--parallelism", "1"], input: plan)
        let expire = try run(["expire-snapshots", "db.t", "--dry-run", "--older-than", "1ms", "--now-ms", Self.nowMs])
        let orphans = try run(["clean-orphans", "db.t", "--dry-run", "--older-than", "1d", "--now-ms", Self.nowMs])
        // Data expiration by `id` read as seconds since 1970 (all of it old), and automatic tags (none due yet).
        try Peers.python(#"""
            import sys
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
            with t.transaction() as tx:
                tx.set_properties({"data-expire.enabled": "true", "data-expire.field": "id", "data-expire.retention-time": "1d",
                                   "data-expire.level": "file", "data-expire.datetime-number-format": "TIMESTAMP_S",
                                   "data-expire.base-on-rule": "CURRENT_TIME", "tag.auto-create.enabled": "true"})
            """#, arguments: [root.path])
        let expireData = try run(["expire-data", "db.t", "--dry-run", "--now", Self.nowMs])
        let createTags = try run(["create-tags", "db.t", "--dry-run", "--now", Self.nowMs])
        // A data file compact wrote (its bytes depend on amoro alone, not on the peers' versions): amoro names its
        // files `<uuid>-<n>.parquet`, PyIceberg `00000-<n>-<uuid>.parquet`.
        let directory = root.appendingPathComponent("db/t/data/region=eu")
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .first { $0.hasSuffix(".parquet") && !$0.hasPrefix("00000-") }
        let inspect = try AmoroBinary.run(["inspect", directory.appendingPathComponent(try #require(written)).path, "--json"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        for (name, output) in [
            ("scan", scan), ("plan", plan), ("rewrite-deletes-result", rewriteDeletes), ("rewrite-manifests-result", rewriteManifests),
            ("compact-result", compact),
            ("expire-result", expire), ("clean-orphans-result", orphans), ("inspect", inspect.stdout),
            ("task-result", String(executed.split(separator: "\n").first ?? "")),
            ("expire-data-result", expireData), ("create-tags-result", createTags),
        ] {
            let document = try JSON.parse(output)
            #expect(document["kind"] == .string("amoro.\(name)"))
            try Self.expectGolden(normaliser.normalise(document).rendered(pretty: true) + "\n", name: "\(name).v1.json")
        }
    }

    /// `amoro commit`'s members of the compact-result document, and their round trip.
    @Test func commitStageMembersMatchTheirGoldenFile() throws {
        let document = CompactResultDocument(
            catalog: "default", table: "db.t", status: .incomplete, level: .full, plannedSnapshotId: 1, snapshotId: nil,
            counts: nil,
            stage: .init(tasksCommitted: [], tasksMissing: [2], resultsRefused: [
                .init(taskId: 2, attemptId: "0b0e5d4e-3a52-4a55-8bde-4c1f6e9c2a10",
                    reason: "$ROOT/db/t/data/region=eu/x.parquet: its size, row count or metrics are not what its footer says"),
            ], attemptsDiscarded: 1, filesRemoved: ["$ROOT/db/t/data/region=us/y.parquet"]),
            error: "db.t: refused: no result holds for tasks 2; nothing committed", durationMs: 0)
        try Self.expectGolden(document.json.rendered(pretty: true) + "\n", name: "compact-result.commit.v1.json")
        #expect(try CompactResultDocument(json: document.json) == document)
    }

    static func expectGolden(_ text: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let golden = Fixtures.packageRoot.appendingPathComponent("Tests/AmoroCLITests/Snapshots/documents/\(name)")
        if ProcessInfo.processInfo.environment["AMORO_UPDATE_SNAPSHOTS"] == "1" { try Data(text.utf8).write(to: golden) }
        let expected = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
        #expect(text == expected, "\(name) differs from its golden file:\n\(text)", sourceLocation: sourceLocation)
    }
}
