import Foundation
import JSONCoding
import Testing
import TestSupport

/// Tables on S3 (moto and SeaweedFS, each started for the test): PyIceberg writes a table through its SQL catalog
/// with an `s3://` warehouse and its `s3.*` properties; amoro scans, plans and compacts it through the same catalog;
/// PyIceberg and DuckDB (httpfs) read the same rows before and after.
@Suite(.enabled(if: (Peers.isAvailable && S3TestServer.isAvailable) || Peers.areRequired), .serialized)
struct S3TableInteropTests {
    static let makeTable = #"""
        import json, sys, pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        root, props, table_props = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
        c = SqlCatalog("default", uri=f"sqlite:///{root}/catalog.db", warehouse="s3://amoro-test/wh", **props)
        c.create_namespace("db")
        t = c.create_table("db.events", Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType())),
                           properties=table_props)
        for i in range(6):
            t.append(pa.table({"id": pa.array(range(i * 10, i * 10 + 10), pa.int64()), "v": pa.array([f"r{i}"] * 10)},
                              schema=t.schema().as_arrow()))
        print(t.metadata_location)
        """#

    static let pyicebergRows = #"""
        import hashlib, json, sys
        from pyiceberg.catalog.sql import SqlCatalog
        root, props = sys.argv[1], json.loads(sys.argv[2])
        t = SqlCatalog("default", uri=f"sqlite:///{root}/catalog.db", warehouse="s3://amoro-test/wh", **props).load_table("db.events")
        rows = sorted(tuple(r.values()) for r in t.scan().to_arrow().to_pylist())
        print(json.dumps({"rows": len(rows), "digest": hashlib.sha256(repr(rows).encode()).hexdigest(),
                          "files": len(t.inspect.files()), "metadata": t.metadata_location}))
        """#

    /// DuckDB with httpfs from its package (no network), in the servers' virtualenv.
    static let duckDBRows = #"""
        import duckdb, glob, hashlib, json, os, sys
        import duckdb_extension_avro, duckdb_extension_iceberg, duckdb_extension_httpfs
        metadata, endpoint, key, secret = sys.argv[1:5]
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        for module, name in ((duckdb_extension_httpfs, "httpfs"), (duckdb_extension_avro, "avro"), (duckdb_extension_iceberg, "iceberg")):
            con.execute("LOAD '%s'" % glob.glob(os.path.join(os.path.dirname(module.__file__), "extensions", "*", name + ".duckdb_extension"))[0])
        con.execute(f"CREATE SECRET (TYPE s3, KEY_ID '{key}', SECRET '{secret}', REGION 'us-east-1', "
                    f"ENDPOINT '{endpoint.split('//')[1]}', URL_STYLE 'path', USE_SSL false)")
        rows = sorted(con.execute(f"select id, v from iceberg_scan('{metadata}')").fetchall())
        print(json.dumps({"rows": len(rows), "digest": hashlib.sha256(repr(rows).encode()).hexdigest()}))
        """#

    @Test(arguments: S3TestServer.Kind.allCases)
    func pyicebergTableOnS3ScansPlansAndCompacts(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-s3-table")
            defer { try? FileManager.default.removeItem(at: root) }
            let properties = server.catalogProperties
            let propertiesJSON = String(decoding: try JSONSerialization.data(withJSONObject: properties), as: UTF8.self)
            // On SeaweedFS the table asks for Amoro's row-group merge: its row groups are copied from staged inputs.
            let merge = kind == .seaweedfs
            let tableProperties = merge
                ? #"{"self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "true", "# +
                    #""self-optimizing.rewrite.use-parquet-row-group-merge.min-avg-row-group-size-bytes": "1"}"# : "{}"
            try Peers.python(Self.makeTable, arguments: [root.path, propertiesJSON, tableProperties])
            let before = try JSON.parse(Array(try Peers.python(Self.pyicebergRows, arguments: [root.path, propertiesJSON])))
            #expect(before["rows"] == .int(60))
            #expect(before["files"] == .int(6))

            let config = root.appendingPathComponent("amoro.yaml")
            let yaml = "catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: s3://amoro-test/wh\n"
                + properties.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
            try Data(yaml.utf8).write(to: config)

            let scan = try AmoroBinary.run(["scan", "--config", config.path, "--json", "db.events"])
            #expect(scan.status == 0, "\(scan.stderr)")
            let scanned = try JSON.parse(scan.stdout)
            #expect(scanned["kind"] == .string("amoro.scan"))
            #expect(!scan.stdout.contains(S3TestServer.secretAccessKey) && !scan.stderr.contains(S3TestServer.secretAccessKey))

            let plan = try AmoroBinary.run(["plan", "--config", config.path, "--json", "db.events", "--level", "full"])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect((try JSON.parse(plan.stdout)["tasks"]?.arrayValue?.count ?? 0) > 0, "six small files make a plan")
            let compact = try AmoroBinary.run(["compact", "--config", config.path, "--json"], input: plan.stdout)
            #expect(compact.status == 0, "\(compact.stderr)")
            #expect(try JSON.parse(compact.stdout)["status"] == .string("committed"), "\(compact.stdout)")
            #expect(try JSON.parse(compact.stdout)["data_files_merged"] == .int(merge ? 6 : 0), "\(compact.stdout)")

            // A direct table by its s3:// metadata location, credentials from the AWS environment variables.
            let metadata = before["metadata"]?.stringValue ?? ""
            let direct = try AmoroBinary.run(["scan", "--json", metadata], environment: [
                "AWS_ACCESS_KEY_ID": S3TestServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": S3TestServer.secretAccessKey,
                "AWS_ENDPOINT_URL": server.endpoint, "AWS_REGION": "us-east-1", "HOME": root.path,
            ])
            #expect(direct.status == 0, "\(direct.stderr)")

            let after = try JSON.parse(Array(try Peers.python(Self.pyicebergRows, arguments: [root.path, propertiesJSON])))
            #expect(after["digest"] == before["digest"])
            #expect(after["files"] == .int(1), "the six files were compacted into one")
            let compacted = after["metadata"]?.stringValue ?? ""
            #expect(compacted.hasPrefix("s3://amoro-test/wh/") && compacted.contains("/metadata/") && compacted != metadata)
            let duck = try JSON.parse(Array(try Peers.run(S3TestServer.python, arguments: [
                "-c", Self.duckDBRows, compacted, server.endpoint, S3TestServer.accessKeyId, S3TestServer.secretAccessKey,
            ])))
            #expect(duck["rows"] == .int(60))
            #expect(duck["digest"] == before["digest"], "DuckDB and PyIceberg read the same rows")
        }
    }

    @Test func wrongCredentialsFailWithTheStoreCode() async throws {
        try await S3TestServer.with(.seaweedfs) { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-s3-table")
            defer { try? FileManager.default.removeItem(at: root) }
            let propertiesJSON = String(decoding: try JSONSerialization.data(withJSONObject: server.catalogProperties), as: UTF8.self)
            try Peers.python(Self.makeTable, arguments: [root.path, propertiesJSON, "{}"])
            let config = root.appendingPathComponent("amoro.yaml")
            let yaml = "catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: s3://amoro-test/wh\n"
                + "    s3.endpoint: \(server.endpoint)\n    s3.access-key-id: \(S3TestServer.accessKeyId)\n"
                + "    s3.secret-access-key: wrong-secret-value\n"
            try Data(yaml.utf8).write(to: config)
            let scan = try AmoroBinary.run(["scan", "--config", config.path, "--json", "db.events"])
            #expect(scan.status == 69, "the store refused: unavailable (\(scan.status)) \(scan.stderr)")
            #expect(scan.stderr.contains("SignatureDoesNotMatch"))
            #expect(!scan.stderr.contains("wrong-secret-value"))
            #expect(scan.stderr.split(separator: "\n").count == 1, "one line: \(scan.stderr)")
        }
    }
}
