import Catalogs
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// amoro rewrites the manifests of PyIceberg tables (v1, v2, partitioned, evolved, with equality deletes) and
/// commits a `replace` snapshot; PyIceberg, sidequery-pyiceberg and DuckDB read exactly the same rows, files, file
/// metrics and entries before and after, and load the manifest lists and manifests amoro wrote.
@Suite(.enabled(if: Peers.isAvailable)) struct ManifestWriteInteropTests {
    static let makeTables = #"""
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import *
        import sys, datetime, decimal
        warehouse = sys.argv[1]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                        NestedField(3, "ts", TimestampType(), required=False), NestedField(4, "price", DecimalType(12, 3), required=False),
                        identifier_field_ids=[1, 2])
        arrow = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("region", pa.string(), nullable=False),
                           pa.field("ts", pa.timestamp("us")), pa.field("price", pa.decimal128(12, 3))])
        def rows(ids):
            return pa.table({"id": ids, "region": [["eu", "us", "ap"][i % 3] for i in ids],
                             "ts": [datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=5 * i) for i in ids],
                             "price": [decimal.Decimal(i * 1234 - 50000) / 1000 for i in ids]}, schema=arrow)
        spec = PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region"), PartitionField(3, 1001, DayTransform(), "ts_day"),
                             PartitionField(4, 1002, TruncateTransform(10000), "price_trunc"))
        for version in (1, 2):
            t = catalog.create_table(f"db.t_v{version}", schema, partition_spec=spec, properties={"format-version": str(version)})
            for start in range(0, 60, 10):
                t.append(rows(list(range(start, start + 10))))
        t = catalog.load_table("db.t_v2")
        with t.update_spec() as update:
            update.add_field("id", BucketTransform(4), "id_bucket")
        catalog.load_table("db.t_v2").append(rows(list(range(100, 120))))
        """#

    static let addEqualityDeletes = #"""
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        import sys, datetime, decimal
        warehouse = sys.argv[1]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        schema = catalog.load_table("db.t_v1").schema()
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        t = catalog.create_table("db.eq", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                                 properties={"format-version": "2"})
        arrow = t.schema().as_arrow()
        def rows(ids):
            return pa.table({"id": ids, "region": [["eu", "us", "ap"][i % 3] for i in ids],
                             "ts": [datetime.datetime(2024, 1, 1)] * len(ids), "price": [decimal.Decimal(1)] * len(ids)}, schema=arrow)
        t.append(rows(list(range(30))))
        t.upsert_by_equality_delete(rows([1, 2, 4, 7]), join_cols=["id", "region"], delete_df=rows([3, 5]))
        t.append(rows(list(range(30, 40))))
        """#

    @Test func rewrittenManifestsReadTheSameEverywhere() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-manifests")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path])
        try Peers.sidequery(Self.addEqualityDeletes, arguments: [root.path])
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        let stock: (String, [String]) throws -> Data = { try Peers.python($0, arguments: $1) }
        let sidequery: (String, [String]) throws -> Data = { try Peers.sidequery($0, arguments: $1) }
        for (name, reader) in [("db.t_v1", stock), ("db.t_v2", stock), ("db.eq", sidequery)] {
            let before = try JSON.parse(Array(try reader(RewriteManifestsInteropTests.fingerprint, [root.path, name])))
            let identifier = try #require(TableIdentifier(parsing: name))
            let result = try await RewriteManifestsAction.run(identifier, catalog: catalog,
                options: .init(dryRun: false, triggered: false, targetSizeBytes: nil) { Int64(Date().timeIntervalSince1970 * 1000) })
            #expect(result.status == .committed, "\(name)")
            let manifestsAfter = result.manifestsBefore - result.replaced.count + result.created.count
            #expect(manifestsAfter < result.manifestsBefore, "\(name)")
            let after = try JSON.parse(Array(try reader(RewriteManifestsInteropTests.fingerprint, [root.path, name])))
            for key in RewriteManifestsInteropTests.unchanged {
                #expect(after[key] == before[key], "\(name): \(key)")
            }
            #expect(after["manifests"] == .int(Int64(manifestsAfter)), "\(name)")
            #expect(after["snapshots"]?.int64Value == (before["snapshots"]?.int64Value ?? 0) + 1, "\(name)")
            // And amoro reads its own snapshot back to the same files.
            let table = try await catalog.loadTable(identifier)
            #expect(table.metadata.currentSnapshot?.summary.operation == .replace)
            #expect(table.metadata.currentSnapshot?.summary["total-records"] != nil)
        }
    }
}
