import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

/// Tables written by PyIceberg are scanned by amoro, which must agree with PyIceberg's own scan planning on every
/// live file, record count, size, spec, partition value and delete file.
@Suite(.enabled(if: Peers.isAvailable)) struct TableScanInteropTests {
    static let makeTables = #"""
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import *
        from pyiceberg.expressions import LessThan
        import json, sys, datetime, decimal, uuid
        warehouse = sys.argv[1]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("db")
        schema = Schema(
            NestedField(1, "id", LongType(), required=False),
            NestedField(2, "ts", TimestampType(), required=False),
            NestedField(3, "name", StringType(), required=False),
            NestedField(4, "price", DecimalType(9, 2), required=False),
            NestedField(5, "day", DateType(), required=False),
            NestedField(6, "flag", BooleanType(), required=False),
            NestedField(7, "blob", BinaryType(), required=False),
            NestedField(8, "u", UUIDType(), required=False),
        )
        def rows(start, n):
            return pa.table({
                "id": pa.array(range(start, start + n), pa.int64()),
                "ts": pa.array([datetime.datetime(2023, 12, 30) + datetime.timedelta(hours=7 * i) for i in range(n)], pa.timestamp("us")),
                "name": pa.array([None if i % 5 == 0 else f"name-{i % 3}" for i in range(n)]),
                "price": pa.array([decimal.Decimal(i * 37 % 1000) / 100 for i in range(n)], pa.decimal128(9, 2)),
                "day": pa.array([datetime.date(1969, 12, 30) + datetime.timedelta(days=i % 4) for i in range(n)], pa.date32()),
                "flag": pa.array([i % 2 == 0 for i in range(n)]),
                "blob": pa.array([bytes([i % 3, 1]) for i in range(n)], pa.binary()),
                "u": pa.array([uuid.UUID(int=i % 2).bytes for i in range(n)], pa.uuid()),
            })
        specs = {
            "unpartitioned": PartitionSpec(),
            "identity": PartitionSpec(PartitionField(3, 1000, IdentityTransform(), "name"),
                PartitionField(6, 1001, IdentityTransform(), "flag"), PartitionField(5, 1002, IdentityTransform(), "day"),
                PartitionField(4, 1003, IdentityTransform(), "price"), PartitionField(7, 1004, IdentityTransform(), "blob")),
            "hourly": PartitionSpec(PartitionField(2, 1000, HourTransform(), "ts_hour"),
                PartitionField(5, 1001, MonthTransform(), "day_month")),
            "yearly": PartitionSpec(PartitionField(2, 1000, YearTransform(), "ts_year"),
                PartitionField(5, 1001, DayTransform(), "day_day")),
            "hashed": PartitionSpec(PartitionField(1, 1000, BucketTransform(3), "id_bucket"),
                PartitionField(3, 1001, TruncateTransform(3), "name_trunc"), PartitionField(4, 1002, TruncateTransform(50), "price_trunc"),
                PartitionField(8, 1003, BucketTransform(4), "u_bucket")),
        }
        names = []
        for version in (1, 2):
            for label, spec in specs.items():
                name = f"db.{label}_v{version}"
                t = catalog.create_table(name, schema, partition_spec=spec, properties={"format-version": str(version)})
                t.append(rows(0, 20))
                t.append(rows(20, 7))
                names.append(name)
        # Evolution: new column, new partition field, rows after both, then a copy-on-write delete.
        t = catalog.load_table("db.hashed_v2")
        with t.update_schema() as update:
            update.add_column("extra", StringType())
        with t.update_spec() as update:
            update.add_field("ts", DayTransform(), "ts_day")
        t = catalog.load_table("db.hashed_v2")
        t.append(rows(100, 9).append_column("extra", pa.array(["x"] * 9)))
        t.delete(LessThan("id", 3))
        print(json.dumps(names))
        """#

    static let planFiles = #"""
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.conversions import to_bytes
        import json, sys
        warehouse, name = sys.argv[1], sys.argv[2]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        t = catalog.load_table(name)
        files = []
        schema = t.schema()
        for task in t.scan().plan_files():
            f = task.file
            ptype = t.specs()[f.spec_id].partition_type(schema)
            partition = [None if f.partition[i] is None else to_bytes(field.field_type, f.partition[i]).hex()
                         for i, field in enumerate(ptype.fields)]
            files.append({"path": f.file_path, "records": f.record_count, "size": f.file_size_in_bytes, "spec": f.spec_id,
                          "partition": partition, "deletes": sorted(d.file_path for d in task.delete_files)})
        print(json.dumps(sorted(files, key=lambda f: f["path"])))
        """#

    @Test func amoroPlansTheSameFilesAsPyIceberg() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-scan")
        defer { try? FileManager.default.removeItem(at: root) }
        let names = try JSON.parse(Array(try Peers.python(Self.makeTables, arguments: [root.path])))
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        for name in try #require(names.arrayValue).compactMap(\.stringValue) {
            let theirs = try JSON.parse(Array(try Peers.python(Self.planFiles, arguments: [root.path, name])))
            let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: name)))
            let scan = try #require(try TableScan(table: table, storage: catalog.storage))
            let manifests = try await scan.manifests()
            let deletes = try await scan.deleteIndex(manifests: manifests)
            var ours: [JSON] = []
            try await scan.forEachFile(manifests: manifests, deletes: deletes) { task in
                ours.append(.object([
                    ("path", .string(task.file.filePath)), ("records", .int(task.file.recordCount)),
                    ("size", .int(task.file.fileSizeInBytes)), ("spec", .int(Int64(task.file.specId))),
                    ("partition", .array(task.file.partition.map { $0.map { .string(hex($0.binary)) } ?? .null })),
                    ("deletes", .array(task.deletes.map(\.file.filePath).sorted().map(JSON.string))),
                ]))
            }
            ours.sort { ($0["path"]?.stringValue ?? "") < ($1["path"]?.stringValue ?? "") }
            #expect(JSON.array(ours) == theirs, "\(name)")
            #expect(!ours.isEmpty, "\(name)")
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
