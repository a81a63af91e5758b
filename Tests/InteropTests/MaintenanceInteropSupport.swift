import Foundation
import JSONCoding
import Testing
import TestSupport

/// Tables and independent readers for the expire-snapshots and clean-orphans interop tests. Everything runs in
/// sidequery-pyiceberg's virtualenv, the one peer that writes equality deletes (and reads them back).
enum MaintenanceInteropSupport {
    /// `db.t` partitioned by region: appends, a tag `v2`, a branch `audit` with two commits of its own, a
    /// copy-on-write delete, equality deletes and a last append. `argv[2]` holds extra table properties as JSON.
    static let makeTable = #"""
        import pyarrow as pa, sys, json
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        from pyiceberg.expressions import In
        w, props = sys.argv[1], json.loads(sys.argv[2])
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "payload", StringType()), identifier_field_ids=[1, 2])
        t = c.create_table("db.t", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                           properties={"format-version": "2", **props})
        arrow = t.schema().as_arrow()
        def rows(ids, payload="p"):
            return pa.table({"id": ids, "region": [["eu", "us"][i % 2] for i in ids], "payload": [payload] * len(ids)}, schema=arrow)
        for i in range(8):
            t.append(rows(list(range(i * 10, i * 10 + 10))))
            if i == 2:
                t.manage_snapshots().create_tag(t.current_snapshot().snapshot_id, "v2").commit()
            if i == 4:
                t.manage_snapshots().create_branch(t.current_snapshot().snapshot_id, "audit").commit()
                t = c.load_table("db.t")
                t.append(rows([900, 901]), branch="audit")
                t.append(rows([902]), branch="audit")
            t = c.load_table("db.t")
        t.delete(In("id", [3, 73]))
        t = c.load_table("db.t")
        t.upsert_by_equality_delete(rows([11, 12], "updated"), join_cols=["id", "region"])
        t = c.load_table("db.t")
        t.append(rows([100, 101, 102]))
        """#

    /// Every ref and every snapshot read by PyIceberg and DuckDB (row digests), and a walk of every snapshot and
    /// of the metadata log: manifest lists, manifests, files of live entries and logged metadata files that do
    /// not exist.
    static let readAll = Peers.duckDBPrelude + #"""
        import hashlib, json, sys, os
        from pyiceberg.catalog.sql import SqlCatalog
        w = sys.argv[1]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
        def local(p):
            return os.path.normpath(p[len("file:"):] if p.startswith("file:") else p)
        def digest(rows):
            return hashlib.sha256("\n".join(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
        con = duck()
        def read(snapshot_id):
            py = [tuple(r.values()) for r in t.scan(snapshot_id=snapshot_id).to_arrow().to_pylist()]
            dk = con.execute(f"select * from iceberg_scan('{t.metadata_location}', snapshot_from_id={snapshot_id})").fetchall()
            return {"rows": len(py), "pyiceberg": digest(py), "duckdb": digest(dk)}
        missing = []
        for s in t.metadata.snapshots:
            if not os.path.exists(local(s.manifest_list)):
                missing.append(s.manifest_list)
            for m in s.manifests(t.io):
                if not os.path.exists(local(m.manifest_path)):
                    missing.append(m.manifest_path)
                    continue
                for e in m.fetch_manifest_entry(t.io, discard_deleted=True):
                    if not os.path.exists(local(e.data_file.file_path)):
                        missing.append(e.data_file.file_path)
        missing += [e.metadata_file for e in t.metadata.metadata_log if not os.path.exists(local(e.metadata_file))]
        print(json.dumps({"refs": {name: dict(read(ref.snapshot_id), snapshot=ref.snapshot_id) for name, ref in t.metadata.refs.items()},
                          "snapshots": {str(s.snapshot_id): read(s.snapshot_id) for s in t.metadata.snapshots},
                          "missing": sorted(set(missing)), "location": t.metadata.location,
                          "properties": t.properties}))
        """#

    /// Files under a table's location that nothing reaches, as PyIceberg sees the table: not the current metadata
    /// file, one of its log or the version hint, and not a manifest list, manifest, statistics file or file of any
    /// entry (deleted ones too) of any snapshot. `argv`: warehouse, table name.
    static let unreachedFiles = #"""
        import sys, os, json
        from pyiceberg.catalog.sql import SqlCatalog
        w, name = sys.argv[1], sys.argv[2]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(name)
        def local(p):
            # file:///x as PyIceberg writes it, file:/x as Hadoop (Spark) does
            return os.path.normpath(p[len("file:"):] if p.startswith("file:") else p)
        reached = {local(t.metadata_location)} | {local(e.metadata_file) for e in t.metadata.metadata_log}
        reached |= {local(s.statistics_path) for s in t.metadata.statistics}
        for s in t.metadata.snapshots:
            reached.add(local(s.manifest_list))
            for m in s.manifests(t.io):
                reached.add(local(m.manifest_path))
                for e in m.fetch_manifest_entry(t.io, discard_deleted=False):
                    reached.add(local(e.data_file.file_path))
        root = local(t.metadata.location)
        found = []
        for d, _, files in os.walk(root):
            for f in files:
                p = os.path.join(d, f)
                if p not in reached and f != "version-hint.text":
                    found.append(p)
        print(json.dumps(sorted(found)))
        """#

    /// The files of table `name` in warehouse `root` that nothing reaches (`unreachedFiles`).
    static func unreached(_ root: URL, table name: String = "db.t", sidequery: Bool = true) throws -> [String] {
        let output = sidequery
            ? try Peers.sidequery(unreachedFiles, arguments: [root.path, name])
            : try Peers.python(unreachedFiles, arguments: [root.path, name])
        return (try JSON.parse(Array(output))).arrayValue?.compactMap(\.stringValue) ?? []
    }

    static func makeTable(properties: [String: String] = [:]) throws -> (root: URL, config: String) {
        let root = try Fixtures.makeTemporaryDirectory("amoro-maintenance")
        let json = JSON.object(properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        try Peers.sidequery(makeTable, arguments: [root.path, json.rendered()])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        return (root, config.path)
    }

    /// Runs amoro with a lock directory of the warehouse's own: tests of other warehouses use the same catalog
    /// and table names, and would otherwise hold each other's table locks.
    static func amoro(config: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws
        -> AmoroBinary.Result
    {
        let locks = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent("locks").path
        return try AmoroBinary.run(arguments, input: input, environment: environment.merging(["AMORO_LOCK_DIR": locks]) { own, _ in own })
    }

    static func read(_ root: URL) throws -> JSON { try JSON.parse(Array(try Peers.sidequery(readAll, arguments: [root.path]))) }

    /// Checks that every ref and every snapshot still in `after` reads the same rows as in `before`, that
    /// PyIceberg and DuckDB agree, and that no retained snapshot references a missing file.
    static func expectSameData(_ before: JSON, _ after: JSON, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(after["missing"]?.arrayValue == [], "retained snapshots reference missing files: \(after["missing"]!)",
            sourceLocation: sourceLocation)
        for (name, ref) in after["refs"]?.objectValue ?? [] {
            #expect(ref["pyiceberg"] == ref["duckdb"], "ref \(name): PyIceberg and DuckDB disagree", sourceLocation: sourceLocation)
            #expect(ref["pyiceberg"] == before["refs"]?[name]?["pyiceberg"], "ref \(name) changed", sourceLocation: sourceLocation)
        }
        for (id, snapshot) in after["snapshots"]?.objectValue ?? [] {
            #expect(snapshot["pyiceberg"] == snapshot["duckdb"], "snapshot \(id): PyIceberg and DuckDB disagree",
                sourceLocation: sourceLocation)
            #expect(snapshot == before["snapshots"]?[id], "snapshot \(id) changed", sourceLocation: sourceLocation)
        }
    }

    /// The single document a command printed for one table.
    static func document(_ result: AmoroBinary.Result, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stdout)\n\(result.stderr)", sourceLocation: sourceLocation)
        return try JSON.parse(String(lines.first ?? ""))
    }

    /// A local path for a location as PyIceberg writes it.
    static func local(_ path: String) -> String { path.hasPrefix("file://") ? String(path.dropFirst(7)) : path }

    /// Sets the modification time of every file under `directory` to `daysAgo` days ago (so that only
    /// reachability, not the grace period, protects them).
    static func age(_ directory: URL, daysAgo: Double) throws {
        let date = Date(timeIntervalSinceNow: -daysAgo * 86_400)
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
        }
    }
}
