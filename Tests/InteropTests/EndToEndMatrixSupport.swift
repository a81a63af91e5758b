import Foundation
import JSONCoding
import Testing
import TestSupport

/// The peers' side of the end-to-end matrix: one table `db.events` in a `CatalogEnvironment`, written, read and
/// checked by PyIceberg (`load_catalog` with the environment's properties) and DuckDB (httpfs on S3), and amoro run
/// against the same catalog with the same properties.
struct EndToEndTable {
    let environment: CatalogEnvironment
    let config: String
    /// Whether sidequery-pyiceberg reaches the catalog: SQL catalogs (SQLite, PostgreSQL) and REST; it then writes the
    /// table and its equality deletes.
    let sidequeryReachesCatalog: Bool
    /// Apache Iceberg Java, reading the table too where it reaches the catalog (SQLite on local disk).
    let java: IcebergJava?

    init(_ environment: CatalogEnvironment, java: IcebergJava? = nil) throws {
        self.environment = environment
        self.java = java
        config = try environment.writeAmoroConfig(in: environment.directory).path
        sidequeryReachesCatalog = ["sql", "rest"].contains(environment.properties["type"] ?? "")
    }

    /// `db.events`, partitioned by region, at the location `argv[2]` (the catalog's default when empty): twelve
    /// appends of ten rows (24 small files), then two copy-on-write deletes of five rows. Writes the files
    /// `argv[3:]` (paths under the table location) as orphans and prints the table location and their locations.
    static let makeTable = #"""
        import json, sys, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        from pyiceberg.expressions import In
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.schema import Schema
        from pyiceberg.transforms import IdentityTransform
        from pyiceberg.types import NestedField, LongType, StringType
        catalog = load_catalog("default", **json.loads(sys.argv[1]))
        catalog.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "payload", StringType()), identifier_field_ids=[1, 2])
        t = catalog.create_table("db.events", schema, location=sys.argv[2] or None, properties={"format-version": "2"},
                                 partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")))
        arrow = t.schema().as_arrow()
        for i in range(12):
            ids = list(range(i * 10, i * 10 + 10))
            t.append(pa.table({"id": ids, "region": [["eu", "us"][n % 2] for n in ids], "payload": [f"a{i}"] * 10}, schema=arrow))
        t.delete(In("id", [3, 44, 95]))
        t.delete(In("id", [17, 18]))
        orphans = [f"{t.location()}/{path}" for path in sys.argv[3:]]
        for path in orphans:
            with t.io.new_output(path).create(overwrite=True) as out:
                out.write(b"orphan" * 10)
        print(json.dumps({"location": t.location(), "orphans": orphans}))
        """#

    /// Two upserts by equality delete (sidequery-pyiceberg): ids 11, 12, 50 and 21 rewritten, 60 and 61 deleted.
    static let equalityDeletes = #"""
        import json, sys, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        catalog = load_catalog("default", **json.loads(sys.argv[1]))
        t = catalog.load_table("db.events")
        arrow = t.schema().as_arrow()
        def rows(ids, payload):
            return pa.table({"id": ids, "region": [["eu", "us"][n % 2] for n in ids], "payload": [payload] * len(ids)}, schema=arrow)
        t.upsert_by_equality_delete(rows([11, 12, 50], "updated"), join_cols=["id", "region"])
        t = catalog.load_table("db.events")
        t.upsert_by_equality_delete(rows([21], "again"), join_cols=["id", "region"], delete_df=rows([60, 61], ""))
        """#

    /// Writes a small file at `argv[2]` through PyIceberg's FileIO (what an in-flight writer leaves).
    static let writeFile = #"""
        import json, sys
        from pyiceberg.io import load_file_io
        properties, path = json.loads(sys.argv[1]), sys.argv[2]
        with load_file_io(properties, path).new_output(path).create(overwrite=True) as out:
            out.write(b"in flight")
        """#

    /// The current rows (count and order-independent digest), the current files and manifests, and every file any snapshot or
    /// the metadata log names that does not exist; then whether each location in `argv[2:]` exists.
    static let read = #"""
        import hashlib, json, sys
        from pyiceberg.catalog import load_catalog
        t = load_catalog("default", **json.loads(sys.argv[1])).load_table("db.events")
        rows = sorted(repr(tuple(r.values())) for r in t.scan().to_arrow().to_pylist())
        tasks = list(t.scan().plan_files())
        exists = lambda path: t.io.new_input(path).exists()
        missing, seen = [], set()
        for snapshot in t.metadata.snapshots:
            if not exists(snapshot.manifest_list):
                missing.append(snapshot.manifest_list)
                continue
            for manifest in snapshot.manifests(t.io):
                if manifest.manifest_path in seen:
                    continue
                seen.add(manifest.manifest_path)
                if not exists(manifest.manifest_path):
                    missing.append(manifest.manifest_path)
                    continue
                missing += [e.data_file.file_path for e in manifest.fetch_manifest_entry(t.io, discard_deleted=True)
                            if not exists(e.data_file.file_path)]
        missing += [e.metadata_file for e in t.metadata.metadata_log if not exists(e.metadata_file)]
        print(json.dumps({"rows": len(rows), "digest": hashlib.sha256("\n".join(rows).encode()).hexdigest(),
                          "metadata": t.metadata_location, "snapshots": len(t.metadata.snapshots), "data_files": len(tasks),
                          "delete_files": len({d.file_path for task in tasks for d in task.delete_files}),
                          "manifests": sorted(m.manifest_path for m in t.current_snapshot().manifests(t.io)) if t.current_snapshot() else [],
                          "missing": sorted(set(missing)), "exists": [exists(path) for path in sys.argv[2:]]}))
        """#

    /// DuckDB's rows of the metadata file `argv[2]` (httpfs with a secret made from the properties on S3).
    static let duckDBRead = #"""
        import duckdb, glob, hashlib, importlib, json, os, sys
        properties, metadata = json.loads(sys.argv[1]), sys.argv[2]
        on_s3 = metadata.startswith(("s3://", "s3a://", "s3n://"))
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        for name in ["avro", "iceberg"] + (["httpfs"] if on_s3 else []):
            module = importlib.import_module(f"duckdb_extension_{name}")
            con.execute("LOAD '%s'" % glob.glob(os.path.join(os.path.dirname(module.__file__), "extensions", "*", name + ".duckdb_extension"))[0])
        if on_s3:
            endpoint = properties["s3.endpoint"]
            con.execute("CREATE SECRET (TYPE s3, KEY_ID ?, SECRET ?, REGION ?, ENDPOINT ?, URL_STYLE 'path', USE_SSL ?)",
                        [properties["s3.access-key-id"], properties["s3.secret-access-key"], properties.get("s3.region", "us-east-1"),
                         endpoint.split("//", 1)[1], endpoint.startswith("https")])
        rows = sorted(repr(tuple(r)) for r in con.execute("select id, region, payload from iceberg_scan(?)", [metadata]).fetchall())
        print(json.dumps({"rows": len(rows), "digest": hashlib.sha256("\n".join(rows).encode()).hexdigest()}))
        """#

    /// Runs a PyIceberg script with the environment's properties as its first argument. sidequery-pyiceberg writes
    /// and reads wherever it reaches the catalog (it reads equality deletes; it cannot read manifests stock PyIceberg
    /// 0.12 wrote, so one of them writes the whole table), stock PyIceberg elsewhere.
    @discardableResult
    func pyiceberg(_ script: String, _ arguments: [String] = []) throws -> Data {
        let arguments = [environment.propertiesJSON] + arguments
        return sidequeryReachesCatalog ? try Peers.sidequery(script, arguments: arguments) : try Peers.python(script, arguments: arguments)
    }

    /// What PyIceberg reads now, with DuckDB's digest of the same metadata file beside it (`duckdb`), and whether
    /// each of `locations` exists (`exists`, in order).
    func read(checking locations: [String] = []) throws -> JSON {
        var state = try JSON.parse(Array(try pyiceberg(Self.read, locations)))
        let metadata = state["metadata"]?.stringValue ?? ""
        let arguments = [environment.propertiesJSON, metadata]
        // DuckDB's httpfs extension is installed beside the S3 servers.
        let output = environment.s3 == nil
            ? try Peers.python(Self.duckDBRead, arguments: arguments)
            : try Peers.run(S3TestServer.python, arguments: ["-c", Self.duckDBRead] + arguments)
        if case .object(var members) = state {
            members.append(("duckdb", try JSON.parse(Array(output))["digest"] ?? .null))
            state = .object(members)
        }
        return state
    }

    /// Runs amoro with the environment's config and a lock directory of its own.
    func amoro(_ arguments: [String], input: String? = nil) throws -> AmoroBinary.Result {
        let locks = environment.directory.appendingPathComponent("locks").path
        let command = arguments.first.map { [$0, "--config", config] + arguments.dropFirst() } ?? []
        return try AmoroBinary.run(command, input: input, environment: ["AMORO_LOCK_DIR": locks])
    }

    /// Runs a table command and returns its one JSON document, expecting exit status 0.
    func document(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let result = try amoro(arguments + ["--json"], input: input)
        #expect(result.status == 0, "\(environment.kind) amoro \(arguments.joined(separator: " ")): \(result.stderr)",
            sourceLocation: sourceLocation)
        return try JSON.parse(result.stdout)
    }

    /// Reads the table after `step` and expects the rows of `baseline`, the same rows from DuckDB and Iceberg Java
    /// (with the same data files), and no referenced file missing. Returns what it read.
    @discardableResult
    func expectSameRows(as baseline: JSON, after step: String, checking locations: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON
    {
        let now = try read(checking: locations)
        let context = "\(environment.kind) after \(step)"
        #expect(now["rows"] == baseline["rows"], "\(context): PyIceberg reads \(now["rows"] ?? .null) rows", sourceLocation: sourceLocation)
        #expect(now["digest"] == baseline["digest"], "\(context): PyIceberg reads other rows", sourceLocation: sourceLocation)
        #expect(now["duckdb"] == baseline["digest"], "\(context): DuckDB reads other rows", sourceLocation: sourceLocation)
        #expect(now["missing"]?.arrayValue == [], "\(context): referenced files missing: \(now["missing"] ?? .null)",
            sourceLocation: sourceLocation)
        if let java {
            let read = try java.read(properties: environment.properties, table: "db.events")
            #expect(read["error"] == nil, "\(context): Iceberg Java refuses the table: \(read["error"] ?? .null)",
                sourceLocation: sourceLocation)
            #expect(read["rows"] == baseline["rows"], "\(context): Iceberg Java reads \(read["rows"] ?? .null) rows",
                sourceLocation: sourceLocation)
            #expect(read["digest"] == baseline["digest"], "\(context): Iceberg Java reads other rows", sourceLocation: sourceLocation)
            let dataFiles = read["files"]?.arrayValue?.filter { $0["content"] == .int(0) }.count
            #expect(dataFiles.map { JSON.int(Int64($0)) } == now["data_files"],
                "\(context): Iceberg Java's files table lists \(dataFiles ?? -1) data files", sourceLocation: sourceLocation)
            let manifests = read["manifests"]?.arrayValue?.compactMap { $0["path"] }.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") }
            #expect(manifests.map(JSON.array) == now["manifests"],
                "\(context): Iceberg Java's manifests table lists other manifests than PyIceberg", sourceLocation: sourceLocation)
        }
        return now
    }
}
