import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// amoro and PyIceberg's SqlCatalog (SQLAlchemy and psycopg2) share one PostgreSQL catalog database: PyIceberg
/// creates and appends, amoro scans, plans and compacts through the same URI, PyIceberg and DuckDB read the same
/// rows afterwards and PyIceberg commits on top of amoro's commit.
@Suite(.enabled(if: (Peers.isAvailable && PostgresTestServer.isAvailable) || Peers.areRequired))
struct PostgresCatalogInteropTests {
    /// `create` makes `db.events` (five appends of ten rows, sorted by id); `append` adds ten rows; every step
    /// prints the table's fingerprint as PyIceberg and DuckDB read it.
    static let pyIceberg = Peers.duckDBPrelude + #"""
        import hashlib, json, sys
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        from pyiceberg.table.sorting import SortOrder, SortField
        uri, w, step = sys.argv[1], sys.argv[2], sys.argv[3]
        c = SqlCatalog("default", uri=uri, warehouse=f"file://{w}")
        if step == "create":
            c.create_namespace("db")
            schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType()))
            t = c.create_table("db.events", schema, sort_order=SortOrder(SortField(source_id=1)))
            for i in range(5):
                t.append(pa.table({"id": pa.array([50 - i * 10 - k for k in range(10)], pa.int64()),
                                   "v": pa.array([f"v{i}"] * 10)}, schema=t.schema().as_arrow()))
        elif step == "append":
            t = c.load_table("db.events")
            t.append(pa.table({"id": pa.array(range(100, 110), pa.int64()), "v": pa.array(["late"] * 10)},
                              schema=t.schema().as_arrow()))
        t = c.load_table("db.events")
        def digest(rows):
            return hashlib.sha256("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest()
        py = [tuple(r.values()) for r in t.scan().to_arrow().to_pylist()]
        dk = duck().execute(f"select * from iceberg_scan('{t.metadata_location}')").fetchall()
        files = t.inspect.files().to_pylist()
        print(json.dumps({"rows": len(py), "pyiceberg": digest(py), "duckdb": digest(dk),
                          "data_files": sum(1 for f in files if f["content"] == 0), "metadata": t.metadata_location}))
        """#

    static func writeConfig(_ root: URL, uri: String) throws -> String {
        let path = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    type: sql\n    uri: \(uri)\n    warehouse: file://\(root.path)\n".utf8).write(to: path)
        return path.path
    }

    func pyIceberg(_ uri: String, _ root: URL, _ step: String) throws -> JSON {
        try JSON.parse(Array(try Peers.python(Self.pyIceberg, arguments: [uri, root.path, step])))
    }

    @Test func pyIcebergWritesAmoroCompactsBothReadTheSameRows() async throws {
        try await PostgresTestServer.with { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-pg-interop")
            defer { try? FileManager.default.removeItem(at: root) }
            // The URI as a PyIceberg user writes it (SQLAlchemy's driver name included) serves both.
            let uri = server.uri.replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
            let config = try Self.writeConfig(root, uri: uri)
            let before = try pyIceberg(uri, root, "create")
            #expect(before["rows"] == .int(50) && before["data_files"] == .int(5))

            let scan = try AmoroBinary.run(["scan", "--config", config, "--all", "--json"])
            #expect(scan.status == 0, "\(scan.stderr)")
            #expect(try JSON.parse(scan.stdout)["table"] == .string("db.events"), "\(scan.stdout)")
            let plan = try AmoroBinary.run(["plan", "--config", config, "db.events", "--level", "full"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let compact = try AmoroBinary.run(["compact", "--config", config], input: plan.stdout)
            #expect(compact.status == 0, "\(compact.stderr)")
            #expect(try JSON.parse(compact.stdout)["status"] == .string("committed"), "\(compact.stdout)")

            let after = try pyIceberg(uri, root, "read")
            for key in ["rows", "pyiceberg", "duckdb"] { #expect(after[key] == before[key], "\(key) changed") }
            #expect(after["data_files"] == .int(1))
            // The commit is the catalog row's conditional swap: it points at amoro's metadata, and back at PyIceberg's.
            let row = try server.psql(
                "SELECT metadata_location || ' ' || previous_metadata_location FROM iceberg_tables WHERE table_name = 'events'")
            #expect(row == "\(after["metadata"]?.stringValue ?? "") \(before["metadata"]?.stringValue ?? "")")

            let appended = try pyIceberg(uri, root, "append")
            #expect(appended["rows"] == .int(60) && appended["data_files"] == .int(2))
            #expect(appended["pyiceberg"] == appended["duckdb"])
        }
    }

    static let pyIcebergOnAmorosTable = #"""
        import json, sys
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        uri, w = sys.argv[1], sys.argv[2]
        c = SqlCatalog("default", uri=uri, warehouse=f"file://{w}")
        t = c.load_table("db.nested.from_amoro")
        t.append(pa.table({"id": pa.array([1, 2], pa.int64()), "name": pa.array(["a", "b"])}))
        print(json.dumps({"namespaces": sorted(".".join(n) for n in c.list_namespaces("db")),
                          "tables": [".".join(i) for i in c.list_tables("db.nested")],
                          "rows": c.load_table("db.nested.from_amoro").scan().to_arrow().num_rows}))
        """#

    /// The other way round: amoro creates the catalog's tables, a nested namespace and a table; PyIceberg finds them,
    /// appends, and amoro reads PyIceberg's commit.
    @Test func pyIcebergUsesTheTablesAmoroCreated() async throws {
        try await PostgresTestServer.with { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-pg-first")
            defer { try? FileManager.default.removeItem(at: root) }
            let catalog = try SQLCatalog(name: "default", postgresURI: server.uri, warehouse: root.path, storage: LocalStorage())
            try await catalog.createNamespace(["db", "nested"])
            let table = TableIdentifier(namespace: ["db", "nested"], name: "from_amoro")
            let schema = Schema(schemaId: 0, fields: [
                NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long)),
                NestedField(id: 2, name: "name", isRequired: false, type: .primitive(.string)),
            ])
            _ = try await catalog.createTable(table, metadata: .newTable(location: catalog.defaultLocation(for: table),
                uuid: UUID().uuidString.lowercased(), schema: schema, nowMs: Int64(Date().timeIntervalSince1970 * 1000)))

            let uri = server.uri.replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
            let seen = try JSON.parse(Array(try Peers.python(Self.pyIcebergOnAmorosTable, arguments: [uri, root.path])))
            #expect(seen["namespaces"] == .array([.string("db.nested")]), "\(seen)")
            #expect(seen["tables"] == .array([.string("db.nested.from_amoro")]))
            #expect(seen["rows"] == .int(2))
            let appended = try await catalog.loadTable(table)
            #expect(appended.metadata.currentSnapshot?.summary["total-records"] == "2")
            await catalog.close()
        }
    }

    @Test func theCommandLineReportsRefusalsAndOutagesAsUnavailable() async throws {
        try await PostgresTestServer.with { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-pg-errors")
            defer { try? FileManager.default.removeItem(at: root) }
            let wrong = try Self.writeConfig(root, uri: server.uri(password: "wrong-secret"))
            let refused = try AmoroBinary.run(["scan", "--config", wrong, "--all"])
            #expect(refused.status == 69, "\(refused.stderr)")
            #expect(refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("wrong-secret"))

            let config = try Self.writeConfig(root, uri: server.uri)
            server.stop()
            let down = try AmoroBinary.run(["scan", "--config", config, "--all"])
            #expect(down.status == 69, "\(down.stderr)")
            #expect(down.stderr.contains("connection refused"), "\(down.stderr)")
            #expect(!down.stderr.contains(PostgresTestServer.password))
            let lines = down.stderr.split(separator: "\n").filter { $0.contains("connection refused") }
            #expect(lines.count == 1, "\(down.stderr)")
        }
    }
}
