import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Parquet
import Storage
import Testing
import TestSupport

/// Row-level deletes against other engines: sidequery-pyiceberg's equality deletes, amoro's position-delete files
/// read by DuckDB and PyIceberg, and a Puffin footer compressed by pyarrow's LZ4 frame codec.
@Suite(.enabled(if: Peers.isAvailable)) struct DeletesInteropTests {
    static let makeEqualityDeleteTables = #"""
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
            if label == "plain":  # keys without the partition source need an unpartitioned table
                t.upsert_by_equality_delete(rows([7], 4), join_cols=["id"])
            names.append(name)
        print(json.dumps(names))
        """#

    static let scanRows = #"""
        from pyiceberg.catalog.sql import SqlCatalog
        import json, sys
        warehouse, name = sys.argv[1], sys.argv[2]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        table = catalog.load_table(name).scan().to_arrow()
        print(json.dumps(sorted([row["id"], row["region"], row["value"]] for row in table.to_pylist())))
        """#

    /// Rows of a data file that survive `deleted`: (id, region, value) read with amoro's Parquet reader.
    static func survivors(_ location: String, deleted: RoaringPositionBitmap) throws -> [[JSON]] {
        let reader = try ParquetFileReader(path: DeletesInteropSupport.path(location))
        let columns = try reader.readColumns(try reader.columnIndices(fieldIDs: [1, 2, 3]))
        guard case .int64(let ids) = columns[0].values, case .byteArray(let regions) = columns[1].values,
            case .int64(let values) = columns[2].values
        else { throw IcebergError.invalidFile(location, "unexpected column types") }
        var valueIndex = 0
        var rows: [[JSON]] = []
        for row in 0..<ids.count {
            var value = JSON.null
            if columns[2].definitionLevels.isEmpty || columns[2].definitionLevels[row] > 0 {
                value = .int(values[valueIndex])
                valueIndex += 1
            }
            if !deleted.contains(Int64(row)) {
                rows.append([.int(ids[row]), .string(String(decoding: regions[row], as: UTF8.self)), value])
            }
        }
        return rows
    }

    /// (a) For every data file, the rows `RowDeletes` marks are exactly those sidequery-pyiceberg's scan removes.
    @Test func equalityDeletesMatchSidequery() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-eqrows")
        defer { try? FileManager.default.removeItem(at: root) }
        let names = try JSON.parse(Array(try Peers.sidequery(Self.makeEqualityDeleteTables, arguments: [root.path])))
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        for name in try #require(names.arrayValue).compactMap(\.stringValue) {
            let theirs = try JSON.parse(Array(try Peers.sidequery(Self.scanRows, arguments: [root.path, name])))
            let table = try await catalog.loadTable(try #require(TableIdentifier(parsing: name)))
            let rowDeletes = RowDeletes(storage: catalog.storage)
            var ours: [[JSON]] = []
            var deletedRows: Int64 = 0
            for task in try await DeletesInteropSupport.tasks(table, storage: catalog.storage) {
                let deleted = try await rowDeletes.deletedPositions(of: task.file, deletes: task.deletes)
                deletedRows += deleted.cardinality
                ours += try Self.survivors(task.file.filePath, deleted: deleted)
            }
            let expected = try #require(theirs.arrayValue).map { try #require($0.arrayValue) }
            #expect(deletedRows > 0)
            #expect(ours.count == expected.count, "\(name)")
            #expect(Set(ours.map { JSON.array($0).rendered() }) == Set(expected.map { JSON.array($0).rendered() }), "\(name)")
            // Each file's equality deletes were parsed once and then served from the cache.
            #expect(rowDeletes.cache.statistics.hits > 0)
        }
    }

    static let makePositionDeleteTable = #"""
        import pyarrow as pa, json, sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        warehouse = sys.argv[1]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "name", StringType(), required=False))
        t = catalog.create_table("db.posdel", schema, properties={"format-version": "2"})
        arrow = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("name", pa.string())])
        t.append(pa.table({"id": list(range(20)), "name": [f"n{i}" for i in range(20)]}, schema=arrow))
        t.append(pa.table({"id": list(range(100, 110)), "name": [None] * 10}, schema=arrow))
        print(json.dumps(t.metadata_location))
        """#

    static let duckDBIds = Peers.duckDBPrelude + #"""
        import sys, json
        print(json.dumps([row[0] for row in duck().execute(f"select id from iceberg_scan('{sys.argv[1]}') order by id").fetchall()]))
        """#

    static let pyIcebergIds = #"""
        from pyiceberg.catalog.sql import SqlCatalog
        import json, sys
        warehouse, name = sys.argv[1], sys.argv[2]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        print(json.dumps(sorted(catalog.load_table(name).scan().to_arrow().column("id").to_pylist())))
        """#

    /// (b) A v2 position-delete file amoro writes for a PyIceberg table, committed as a `delete` snapshot, hides
    /// its rows from DuckDB and PyIceberg; amoro reads the file back.
    @Test func positionDeletesAreAppliedByDuckDBAndPyIceberg() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-posdel")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try Peers.python(Self.makePositionDeleteTable, arguments: [root.path])
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        let identifier = try #require(TableIdentifier(parsing: "db.posdel"))
        let table = try await catalog.loadTable(identifier)
        let tasks = try await DeletesInteropSupport.tasks(table, storage: catalog.storage)
        #expect(tasks.count == 2)
        let doomed: Set<Int64> = [1, 3, 5, 18, 100, 109]
        var positions: [String: RoaringPositionBitmap] = [:]
        for task in tasks {
            let ids = try DeletesInteropSupport.ids(task.file.filePath)
            positions[task.file.filePath] = RoaringPositionBitmap(ids.indices.filter { doomed.contains(ids[$0]) }.map(Int64.init))
        }
        let location = "\(table.metadata.location)/data/amoro-position-deletes.parquet"
        let deleteFile = try await PositionDeleteFile.write(positions, to: location, storage: catalog.storage,
            specId: tasks[0].file.specId, partition: tasks[0].file.partition)
        #expect(deleteFile.recordCount == 6 && deleteFile.referencedDataFile == nil)
        let committed = try await DeletesInteropSupport.commit([deleteFile], content: .deletes, operation: .delete,
            table: identifier, catalog: catalog)

        let expected = (0..<20).map(Int64.init).filter { !doomed.contains($0) } + (100..<110).map(Int64.init).filter { !doomed.contains($0) }
        let duck = try JSON.parse(Array(try Peers.python(Self.duckDBIds, arguments: [committed.metadataLocation])))
        #expect(duck == .array(expected.map(JSON.int)))
        let pyiceberg = try JSON.parse(Array(try Peers.python(Self.pyIcebergIds, arguments: [root.path, "db.posdel"])))
        #expect(pyiceberg == .array(expected.map(JSON.int)))

        #expect(try await PositionDeleteFile.read(location, storage: catalog.storage) == positions)
        // amoro's own scan plans the delete for both files and RowDeletes removes the same rows.
        let rowDeletes = RowDeletes(storage: catalog.storage)
        var survivors: [Int64] = []
        for task in try await DeletesInteropSupport.tasks(committed, storage: catalog.storage) {
            #expect(task.deletes.map(\.file.filePath) == [location])
            let deleted = try await rowDeletes.deletedPositions(of: task.file, deletes: task.deletes)
            let ids = try DeletesInteropSupport.ids(task.file.filePath)
            survivors += ids.indices.filter { !deleted.contains(Int64($0)) }.map { ids[$0] }
        }
        #expect(survivors.sorted() == expected)
        #expect(rowDeletes.cache.statistics.misses == 1 && rowDeletes.cache.statistics.hits == 1)
    }

    static let lz4Puffin = #"""
        import pyarrow as pa, json, struct, sys
        payload = json.dumps({"blobs": [{"type": "deletion-vector-v1", "fields": [2147483645], "snapshot-id": -1,
            "sequence-number": -1, "offset": 4, "length": 2, "properties": {"cardinality": "0"}}],
            "properties": {"created-by": "pyarrow test"}}).encode()
        compressed = pa.compress(payload, codec="lz4", asbytes=True)
        data = b"PFA1" + b"\x00\x00" + b"PFA1" + compressed + struct.pack("<i", len(compressed)) + bytes([1, 0, 0, 0]) + b"PFA1"
        open(sys.argv[1], "wb").write(data)
        """#

    /// Puffin footers compressed as one LZ4 frame are read.
    @Test func lz4CompressedPuffinFooter() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-puffin")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("f.puffin").path
        _ = try Peers.python(Self.lz4Puffin, arguments: [path])
        let footer = try await PuffinFooter.read("file://\(path)", storage: LocalStorage())
        #expect(footer.properties == ["created-by": "pyarrow test"])
        #expect(footer.blobs == [PuffinBlobMetadata(type: "deletion-vector-v1", fields: [2_147_483_645], snapshotId: -1,
            sequenceNumber: -1, offset: 4, length: 2, properties: ["cardinality": "0"])])
    }
}

/// (c) Deletion vectors on a v3 table that amoro creates and fills itself, read back by DuckDB.
@Suite(.enabled(if: Peers.isAvailable)) struct DeletionVectorInteropTests {
    static let duckDBIds = DeletesInteropTests.duckDBIds

    @Test func duckDBAppliesAmorosDeletionVectors() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-dv-v3")
        defer { try? FileManager.default.removeItem(at: root) }
        let (catalog, committed, expected) = try await DeletesInteropSupport.makeV3TableWithDeletionVectors(root)
        let after = try JSON.parse(Array(try Peers.python(Self.duckDBIds, arguments: [committed.metadataLocation])))
        #expect(after == .array(expected.map(JSON.int)))

        // amoro plans each DV for its data file and reads it back.
        let rowDeletes = RowDeletes(storage: catalog.storage)
        var survivors: [Int64] = []
        for task in try await DeletesInteropSupport.tasks(committed, storage: catalog.storage) {
            #expect(task.deletes.count == 1 && task.deletes[0].file.referencedDataFile == task.file.filePath)
            let deleted = try await rowDeletes.deletedPositions(of: task.file, deletes: task.deletes)
            let ids = try DeletesInteropSupport.ids(task.file.filePath)
            survivors += ids.indices.filter { !deleted.contains(Int64($0)) }.map { ids[$0] }
        }
        #expect(survivors.sorted() == expected)
    }
}

/// The portable 64-bit Roaring format against CRoaring (pyroaring's `BitMap64`, run-optimised, sparse keys), and
/// amoro's DV Puffin files read by PyIceberg's deletion-vector reader.
@Suite(.enabled(if: Peers.isAvailable)) struct RoaringInteropTests {
    static let writeRoaring = #"""
        import pyroaring, json, random, sys
        random.seed(7)
        bitmap = pyroaring.BitMap64(range(10, 70000))                             # runs across two containers
        bitmap.update(random.sample(range(70000, 1 << 20), 3000))                 # arrays
        bitmap.update(range(1 << 21, (1 << 21) + 9000, 2))                        # a dense bitset
        bitmap.update([(1 << 32) + 7, (5 << 32) + 65536 * 3 + 1, (5 << 32) + 2])  # sparse high keys
        bitmap.run_optimize()
        open(sys.argv[1], "wb").write(bitmap.serialize())
        print(json.dumps({"count": len(bitmap), "sum": sum(bitmap) % (1 << 61), "first": list(bitmap)[:5], "last": list(bitmap)[-3:]}))
        """#

    static let readOurs = #"""
        import pyroaring, json, sys
        from pyiceberg.table.puffin import PuffinFile
        bitmap = pyroaring.BitMap64.deserialize(open(sys.argv[1], "rb").read())
        vectors = PuffinFile(open(sys.argv[2], "rb").read()).to_vector()
        print(json.dumps({"count": len(bitmap), "sum": sum(bitmap) % (1 << 61),
                          "puffin": {path: sorted(v.to_pylist()) for path, v in vectors.items()}}))
        """#

    @Test func croaringAndAmoroReadEachOther() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-roaring")
        defer { try? FileManager.default.removeItem(at: root) }
        let theirsPath = root.appendingPathComponent("theirs.bin").path
        let summary = try JSON.parse(Array(try Peers.python(Self.writeRoaring, arguments: [theirsPath])))
        let theirs = try RoaringPositionBitmap(serialized: Array(try Data(contentsOf: URL(fileURLWithPath: theirsPath))))
        let positions = theirs.positions
        #expect(summary["count"] == .int(theirs.cardinality))
        #expect(summary["sum"] == .int(positions.reduce(Int64(0)) { ($0 + $1) % (1 << 61) }))
        #expect(summary["first"] == .array(positions.prefix(5).map(JSON.int)))
        #expect(summary["last"] == .array(positions.suffix(3).map(JSON.int)))
        #expect(theirs.contains(10) && theirs.contains(69999) && !theirs.contains(9))

        // Written back by amoro (dense keys, no runs), CRoaring reads the same set; PyIceberg reads amoro's DVs.
        let oursPath = root.appendingPathComponent("ours.bin").path
        try Data(theirs.serialized()).write(to: URL(fileURLWithPath: oursPath))
        let vectors = [
            DeletionVector.Vector(dataFilePath: "file:///t/a.parquet", positions: RoaringPositionBitmap([3, 1, 70000, 1 << 33]), specId: 0, partition: []),
            DeletionVector.Vector(dataFilePath: "file:///t/b.parquet", positions: RoaringPositionBitmap((0..<5000).map { Int64($0 * 2) }), specId: 0, partition: []),
        ]
        let puffinPath = root.appendingPathComponent("dvs.puffin").path
        _ = try await DeletionVector.write(vectors, to: "file://\(puffinPath)", storage: LocalStorage())
        let read = try JSON.parse(Array(try Peers.python(Self.readOurs, arguments: [oursPath, puffinPath])))
        #expect(read["count"] == summary["count"] && read["sum"] == summary["sum"])
        for vector in vectors {
            #expect(read["puffin"]?[vector.dataFilePath] == .array(vector.positions.positions.map(JSON.int)))
        }
    }
}
