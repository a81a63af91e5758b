import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// Tables with equality deletes, written by sidequery-pyiceberg (stock PyIceberg cannot), are planned by amoro
/// exactly as sidequery-pyiceberg plans them: the same data files with the same delete files each.
@Suite(.enabled(if: Peers.isAvailable)) struct EqualityDeleteInteropTests {
    static let makeTables = #"""
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import *
        import json, sys
        warehouse = sys.argv[1]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "value", LongType(), required=False), identifier_field_ids=[1, 2])
        arrow = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("region", pa.string(), nullable=False),
                           pa.field("value", pa.int64())])
        def rows(ids, value):
            return pa.table({"id": ids, "region": [["eu", "us"][i % 2] for i in ids], "value": [value] * len(ids)}, schema=arrow)
        names = []
        for label, spec in (("plain", PartitionSpec()), ("by_region", PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")))):
            name = f"db.{label}"
            t = catalog.create_table(name, schema, partition_spec=spec, properties={"format-version": "2"})
            t.append(rows(list(range(40)), 0))
            t.upsert_by_equality_delete(rows([1, 2, 3, 10], 1), join_cols=["id", "region"])
            t.append(rows(list(range(40, 50)), 2))
            t.upsert_by_equality_delete(rows([2, 41], 3), join_cols=["id", "region"], delete_df=rows([5, 44], 0))
            names.append(name)
        print(json.dumps(names))
        """#

    static let planFiles = #"""
        from pyiceberg.catalog.sql import SqlCatalog
        import json, sys
        warehouse, name = sys.argv[1], sys.argv[2]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        t = catalog.load_table(name)
        files = [{"path": task.file.file_path, "deletes": sorted(d.file_path for d in task.delete_files)}
                 for task in t.scan().plan_files()]
        rows = t.scan().to_arrow().num_rows
        print(json.dumps({"files": sorted(files, key=lambda f: f["path"]), "rows": rows}))
        """#

    static let duckDBCount = Peers.duckDBPrelude + #"""
        import sys
        print(duck().execute(f"select count(*) from iceberg_scan('{sys.argv[1]}')").fetchone()[0])
        """#

    @Test func amoroAppliesEqualityDeletesAsTheirWriterDoes() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-eqdelete")
        defer { try? FileManager.default.removeItem(at: root) }
        let names = try JSON.parse(Array(try Peers.sidequery(Self.makeTables, arguments: [root.path])))
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        for name in try #require(names.arrayValue).compactMap(\.stringValue) {
            let theirs = try JSON.parse(Array(try Peers.sidequery(Self.planFiles, arguments: [root.path, name])))
            let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: name)))
            let scan = try #require(try TableScan(table: table, storage: catalog.storage))
            let manifests = try await scan.manifests()
            let deletes = try await scan.deleteIndex(manifests: manifests)
            #expect(deletes.count >= 2, "\(name) has equality deletes")
            var ours: [JSON] = []
            var deleteCount = 0
            try await scan.forEachFile(manifests: manifests, deletes: deletes) { task in
                deleteCount += task.deletes.count
                #expect(task.deletes.allSatisfy { $0.file.content == .equalityDeletes && $0.file.equalityIds == [1, 2] })
                ours.append(.object([
                    ("path", .string(task.file.filePath)),
                    ("deletes", .array(task.deletes.map(\.file.filePath).sorted().map(JSON.string))),
                ]))
            }
            ours.sort { ($0["path"]?.stringValue ?? "") < ($1["path"]?.stringValue ?? "") }
            #expect(JSON.array(ours) == theirs["files"], "\(name)")
            #expect(deleteCount > 0)
            // DuckDB applies the same deletes: the row counts agree (40 + 4 + 10 + 2 - 4 - 2 - 2 = 48).
            let duck = try Peers.python(Self.duckDBCount, arguments: [table.metadataLocation])
            #expect(String(decoding: duck, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "48")
            #expect(theirs["rows"] == .int(48))
        }
    }
}
