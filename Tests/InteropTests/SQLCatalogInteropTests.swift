import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// amoro and PyIceberg's SqlCatalog share one SQLite catalog: each sees, loads and commits the other's tables.
@Suite(.enabled(if: Peers.isAvailable)) struct SQLCatalogInteropTests {
    static let pyIcebergSide = #"""
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        import json, sys
        warehouse, step = sys.argv[1], sys.argv[2]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        if step == "create":
            catalog.create_namespace("db")
            t = catalog.create_table("db.from_pyiceberg", pa.schema([("id", pa.int64()), ("name", pa.string())]))
            t.append(pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}))
            print(json.dumps({"metadata": t.metadata_location}))
        else:
            t = catalog.load_table("db.from_pyiceberg")
            mine = catalog.load_table("db.from_amoro")
            mine.append(pa.table({"id": pa.array([7], pa.int64()), "name": pa.array(["z"])}))
            print(json.dumps({
                "property": t.properties.get("amoro.test"),
                "rows": t.scan().to_arrow().num_rows,
                "tables": sorted(".".join(i) for i in catalog.list_tables("db")),
                "amoro_rows": catalog.load_table("db.from_amoro").scan().to_arrow().num_rows,
            }))
        """#

    @Test func amoroAndPyIcebergShareTheCatalog() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-sql-interop")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Peers.python(Self.pyIcebergSide, arguments: [root.path, "create"])

        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: root.path, storage: LocalStorage())
        let theirs = TableIdentifier(namespace: ["db"], name: "from_pyiceberg")
        #expect(try await catalog.listNamespaces() == [["db"]])
        #expect(try await catalog.listTables(namespace: ["db"]) == [theirs])
        let loaded = try await catalog.loadTable(theirs)
        #expect(loaded.metadata.currentSnapshot?.summary["total-records"] == "3")
        var changed = loaded.metadata
        changed.properties["amoro.test"] = "committed by amoro"
        _ = try await catalog.commit(theirs, base: loaded, metadata: changed)

        let mine = TableIdentifier(namespace: ["db"], name: "from_amoro")
        let schema = Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long)),
            NestedField(id: 2, name: "name", isRequired: false, type: .primitive(.string)),
        ])
        _ = try await catalog.createTable(mine, metadata: .newTable(location: catalog.defaultLocation(for: mine),
            uuid: UUID().uuidString.lowercased(), schema: schema, nowMs: Int64(Date().timeIntervalSince1970 * 1000)))

        let seen = try JSON.parse(Array(try Peers.python(Self.pyIcebergSide, arguments: [root.path, "check"])))
        #expect(seen["property"] == .string("committed by amoro"))
        #expect(seen["rows"] == .int(3))
        #expect(seen["tables"] == .array([.string("db.from_amoro"), .string("db.from_pyiceberg")]))
        #expect(seen["amoro_rows"] == .int(1))
        // PyIceberg's append to amoro's table is a normal commit amoro reads back.
        let appended = try await catalog.loadTable(mine)
        #expect(appended.metadata.currentSnapshot?.summary.operation == .append)
        #expect(appended.metadata.metadataLog.count == 1)
    }
}
