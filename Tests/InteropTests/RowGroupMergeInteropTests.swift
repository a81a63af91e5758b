import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Parquet
import Storage
import Testing
import TestSupport

/// Apache Amoro's Parquet row-group merge (`self-optimizing.rewrite.use-parquet-row-group-merge.*`) on tables
/// PyIceberg and sidequery-pyiceberg write: an eligible task copies its files' row groups as they are stored (the
/// output holds exactly the inputs' row groups and chunk bytes), PyIceberg and DuckDB read the same rows, and the
/// manifest metrics are what the inputs' say; each condition Amoro or amoro sets sends a task to the row rewrite.
@Suite(.enabled(if: Peers.isAvailable)) struct RowGroupMergeInteropTests {
    static let makeTables = #"""
        import pyarrow as pa, sys, decimal, datetime
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        from pyiceberg.table.sorting import SortOrder, SortField
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "name", StringType()),
            NestedField(3, "score", DoubleType()), NestedField(4, "price", DecimalType(9, 2)), NestedField(5, "day", DateType()),
            NestedField(6, "ts", TimestampType()), NestedField(7, "tags", ListType(8, StringType(), element_required=False)),
            NestedField(9, "point", StructType(NestedField(10, "x", DoubleType()))), NestedField(11, "region", StringType()))
        merge = {"self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "true",
                 "self-optimizing.rewrite.use-parquet-row-group-merge.min-avg-row-group-size-bytes": "1"}
        def rows(t, start, n):
            return pa.Table.from_pylist([{"id": i, "name": None if i % 4 == 0 else f"n{i}-é" * (i % 3 + 1),
                "score": float("nan") if i % 9 == 0 else (None if i % 5 == 0 else i / 4),
                "price": None if i % 3 == 0 else decimal.Decimal(i * 37) / 100,
                "day": datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 40),
                "ts": datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i * 7919),
                "tags": None if i % 6 == 0 else [None if j == 1 else f"t{i}-{j}" for j in range(i % 4)],
                "point": None if i % 7 == 0 else {"x": i * 1.5}, "region": ["eu", "us"][i % 2]} for i in range(start, start + n)],
                schema=t.schema().as_arrow())
        def make(name, properties, spec=PartitionSpec(), sort_order=None, appends=6):
            kwargs = {"sort_order": sort_order} if sort_order else {}
            t = c.create_table(f"db.{name}", schema, partition_spec=spec, properties={"format-version": "2", **properties}, **kwargs)
            for k in range(appends):
                t.append(rows(t, k * 50, 50))
            return t
        make("merged", merge)
        make("partitioned", merge, spec=PartitionSpec(PartitionField(11, 1000, IdentityTransform(), "region")))
        make("disabled", {})
        make("small_groups", {"self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "true"})
        make("sorted", merge, sort_order=SortOrder(SortField(source_id=1)))
        make("bloom", {**merge, "write.parquet.bloom-filter-enabled.column.id": "true"})
        t = make("codec", merge)
        with t.transaction() as tx:
            tx.set_properties({"write.parquet.compression-codec": "snappy"})
        t = make("evolved", merge, appends=3)
        with t.update_schema() as u:
            u.add_column("note", StringType())
        t = c.load_table("db.evolved")
        for k in range(3):
            batch = rows(t, 500 + k * 50, 50)
            t.append(batch.set_column(batch.schema.get_field_index("note"), batch.schema.field("note"), pa.array(["x"] * 50, batch.schema.field("note").type)))
        """#

    /// Per data file: row groups, codecs and the manifest metrics, as PyIceberg and pyarrow see them.
    static let describe = #"""
        import json, sys, pyarrow.parquet as pq
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.conversions import from_bytes
        w, name = sys.argv[1], sys.argv[2]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(name)
        types = {f.field_id: f.field_type for f in t.schema().fields}
        for f in t.schema().fields:
            for nested in getattr(f.field_type, "fields", []):
                types[nested.field_id] = nested.field_type
        files = []
        for f in t.inspect.files().to_pylist():
            meta = pq.ParquetFile(f["file_path"].removeprefix("file://")).metadata
            bound = lambda pairs: {str(k): repr(from_bytes(types[k], v)) for k, v in pairs if k in types}
            files.append({"row_groups": meta.num_row_groups, "rows": meta.num_rows,
                "codecs": sorted({meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(meta.num_columns)}),
                "column_sizes": dict((str(k), v) for k, v in f["column_sizes"]), "value_counts": dict((str(k), v) for k, v in f["value_counts"]),
                "null_counts": dict((str(k), v) for k, v in f["null_value_counts"]), "nan_counts": dict((str(k), v) for k, v in f["nan_value_counts"]),
                "lower": bound(f["lower_bounds"]), "upper": bound(f["upper_bounds"])})
        print(json.dumps(files))
        """#

    /// Filtered reads that lean on the restated statistics: DuckDB over the data files (row-group pruning by chunk
    /// statistics) and PyIceberg scans with a row filter (file pruning by manifest bounds), each against the same
    /// predicate evaluated on every row. Prints the predicates whose counts differ.
    static let filteredReads = Peers.duckDBPrelude + #"""
        import json, sys, pyarrow.compute as pc
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.expressions import GreaterThanOrEqual, LessThan, EqualTo, And, IsNull
        w, name = sys.argv[1], sys.argv[2]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table(name)
        everything = t.scan().to_arrow()
        paths = [f["file_path"].removeprefix("file://") for f in t.inspect.files().to_pylist()]
        files = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
        checks = [
            ("id >= 120 and id < 180", And(GreaterThanOrEqual("id", 120), LessThan("id", 180)),
             pc.and_(pc.greater_equal(everything["id"], 120), pc.less(everything["id"], 180))),
            ("name = 'n7-é'", EqualTo("name", "n7-é"), pc.equal(everything["name"], "n7-é")),
            ("price >= 100", GreaterThanOrEqual("price", 100), pc.greater_equal(everything["price"], 100)),
            ("score >= 70 and not isnan(score)", GreaterThanOrEqual("score", 70.0), pc.greater_equal(everything["score"], 70.0)),
            ("name is null", IsNull("name"), pc.is_null(everything["name"])),
        ]
        wrong = []
        for sql, expression, mask in checks:
            expected = pc.sum(pc.cast(pc.fill_null(mask, False), "int64")).as_py() or 0
            duck_count = duck().execute(f"select count(*) from read_parquet({files}) where {sql}").fetchone()[0]
            iceberg_count = t.scan(row_filter=expression).to_arrow().num_rows
            if (duck_count, iceberg_count) != (expected, expected):
                wrong.append(f"{sql}: expected {expected}, DuckDB {duck_count}, PyIceberg {iceberg_count}")
        print(json.dumps(wrong))
        """#

    func compact(_ root: URL, _ table: String, sidequery: Bool = false) throws -> (result: JSON, before: JSON, after: JSON) {
        let config = try CompactInteropTests.config(root)
        let fingerprint = { () throws -> JSON in
            let output = sidequery
                ? try Peers.sidequery(CompactInteropTests.fingerprint, arguments: [root.path, table])
                : try Peers.python(CompactInteropTests.fingerprint, arguments: [root.path, table])
            return try JSON.parse(Array(output))
        }
        let before = try fingerprint()
        let plan = try AmoroBinary.run(["plan", "--config", config, table, "--level", "full"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let compact = try AmoroBinary.run(["compact", "--config", config], input: plan.stdout)
        #expect(compact.status == 0, "\(table): \(compact.stderr)")
        let after = try fingerprint()
        for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] { #expect(after[key] == before[key], "\(table): \(key) changed") }
        #expect((after["data_files"]?.int64Value ?? 0) < (before["data_files"]?.int64Value ?? 0), "\(table): fewer files")
        return (try JSON.parse(compact.stdout), before, after)
    }

    func files(_ root: URL, _ table: String) throws -> [JSON] {
        try JSON.parse(Array(try Peers.python(Self.describe, arguments: [root.path, table]))).arrayValue ?? []
    }

    @Test func eligibleTasksCopyTheirRowGroupsAndKeepEveryMetric() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-merge")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path])
        for table in ["db.merged", "db.partitioned"] {
            let inputs = try files(root, table)
            let (result, _, _) = try compact(root, table)
            #expect(result["data_files_merged"] == result["data_files_in"], "\(table): \(result.rendered())")
            #expect(result["data_files_merged"]?.int64Value == Int64(inputs.count))
            let outputs = try files(root, table)
            let wrong = try JSON.parse(Array(try Peers.python(Self.filteredReads, arguments: [root.path, table])))
            #expect(wrong == .array([]), "\(table): filtered reads over the merged files")
            func total(_ files: [JSON], _ key: String) -> Int64 { files.reduce(0) { $0 + ($1[key]?.int64Value ?? 0) } }
            #expect(total(outputs, "row_groups") == total(inputs, "row_groups"), "\(table): every row group copied, none re-cut")
            #expect(total(outputs, "rows") == total(inputs, "rows"))
            // Each metric of the output is what its inputs' metrics add up to: the chunks are the same bytes.
            for key in ["column_sizes", "value_counts", "null_counts"] {
                var expected: [String: Int64] = [:]
                var actual: [String: Int64] = [:]
                for file in inputs { for (id, value) in file[key]?.objectValue ?? [] { expected[id, default: 0] += value.int64Value ?? 0 } }
                for file in outputs { for (id, value) in file[key]?.objectValue ?? [] { actual[id, default: 0] += value.int64Value ?? 0 } }
                #expect(actual == expected, "\(table) \(key)")
            }
            if table == "db.merged" {
                // One output file: its bounds are the extremes of the inputs' bounds.
                #expect(outputs.count == 1)
                let output = try #require(outputs.first)
                // (amoro also bounds columns nested in structs, which PyIceberg leaves out.)
                for side in ["lower", "upper"] {
                    let bounded = Set(inputs[0][side]?.objectValue?.map(\.0) ?? [])
                    #expect(bounded.isSubset(of: Set(output[side]?.objectValue?.map(\.0) ?? [])), "\(side) bounds kept")
                    for (id, value) in output[side]?.objectValue ?? [] where bounded.contains(id) {
                        #expect(inputs.contains { $0[side]?[id] == value }, "\(side) bound of \(id) is an input's")
                    }
                }
                #expect(output["lower"]?["1"] == .string("0") && output["upper"]?["1"] == .string("299"), "ids span every input")
                #expect(output["nan_counts"]?["3"] == nil, "pyarrow counts no NaNs and PyIceberg records none: unknown, never 0")
            }
        }
    }

    @Test func everyConditionFallsBackToTheRowRewrite() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-merge-fallback")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.python(Self.makeTables, arguments: [root.path])
        for table in ["db.disabled", "db.small_groups", "db.sorted", "db.bloom", "db.codec", "db.evolved"] {
            let (result, _, _) = try compact(root, table)
            #expect(result["data_files_merged"] == .int(0), "\(table): \(result.rendered())")
            let outputs = try files(root, table)
            #expect(outputs.allSatisfy { $0["row_groups"] == .int(1) }, "\(table): rewritten into whole row groups")
            if table == "db.codec" {
                #expect(outputs.allSatisfy { $0["codecs"] == .array([.string("SNAPPY")]) }, "the table's new codec took effect")
            }
        }
    }

    @Test func filesTouchedByEqualityDeletesAreRewritten() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-merge-deletes")
        defer { try? FileManager.default.removeItem(at: root) }
        try Peers.sidequery(CompactInteropTests.makeEqualityDeletes, arguments: [root.path, "6000"])
        try Peers.sidequery(#"""
            import sys
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.upserts")
            with t.transaction() as tx:
                tx.set_properties({"self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "true",
                                   "self-optimizing.rewrite.use-parquet-row-group-merge.min-avg-row-group-size-bytes": "1"})
            """#, arguments: [root.path])
        let (result, _, _) = try compact(root, "db.upserts", sidequery: true)
        #expect((result["delete_files_removed"]?.int64Value ?? 0) > 0)
        #expect(result["data_files_merged"] == .int(0), "every task reads equality deletes: \(result.rendered())")
    }
}

extension RowGroupMergeInteropTests {
    /// NaN counts of copied float columns: from the chunks when they count them (amoro's writer does), else from the
    /// input's manifest entry, else none at all (unknown, never a wrong 0).
    @Test func nanCountsComeFromTheChunksOrTheManifestOrNowhere() throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-merge-nan")
        defer { try? FileManager.default.removeItem(at: root) }
        let foreign = root.appendingPathComponent("pyarrow.parquet").path
        try Peers.python(#"""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            ids = pa.field("id", pa.int64(), nullable=False, metadata={b"PARQUET:field_id": b"1"})
            score = pa.field("score", pa.float64(), metadata={b"PARQUET:field_id": b"2"})
            table = pa.table([pa.array(range(10)), pa.array([float("nan"), 1.0, None, float("nan"), 2.5] * 2)], schema=pa.schema([ids, score]))
            pq.write_table(table, sys.argv[1], compression="zstd")
            """#, arguments: [foreign])
        let schema = Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
            NestedField(id: 2, name: "score", isRequired: false, type: .primitive(.double)),
        ])
        func merged(_ path: String, manifestCounts: [Int: Int64]) throws -> DataFile {
            let directory = root.appendingPathComponent("out-\(UUID().uuidString)").path
            let writer = try RollingDataFileWriter(
                schema: schema, properties: DataWriteProperties(), targetFileSize: 1 << 30, directory: directory, specId: 0,
                partition: [])
            let reader = try DataFileReader(path: path, tableSchema: schema)
            let columns = try #require(reader.storedColumns)
            try writer.appendStored(reader, columns: columns, fileSize: 1, nanCounts: manifestCounts)
            try writer.appendStored(reader, columns: columns, fileSize: 1, nanCounts: manifestCounts)
            return try #require(try writer.finish().first)
        }
        #expect(try merged(foreign, manifestCounts: [2: 4]).nanValueCounts?[2] == 8, "the manifest's count, per copy")
        #expect(try merged(foreign, manifestCounts: [:]).nanValueCounts?[2] == nil, "nobody counted: no count")
        // A file amoro wrote counts NaNs in its chunk statistics: no manifest count needed.
        let own = root.appendingPathComponent("amoro.parquet").path
        let writer = try RollingDataFileWriter(
            schema: schema, properties: DataWriteProperties(), targetFileSize: 1 << 30, directory: root.path + "/own",
            specId: 0, partition: [])
        let reader = try DataFileReader(path: foreign, tableSchema: schema)
        try writer.write(try reader.readRowGroup(0))
        let written = try #require(try writer.finish().first)
        try FileManager.default.moveItem(atPath: try #require(Location(written.filePath)).path, toPath: own)
        #expect(try merged(own, manifestCounts: [:]).nanValueCounts?[2] == 8)
        let copied = try merged(own, manifestCounts: [:])
        #expect(copied.recordCount == 20)
        #expect(copied.nullValueCounts?[2] == 4)
        #expect(copied.lowerBounds?[2] == Literal.double(1.0).binary && copied.upperBounds?[2] == Literal.double(2.5).binary)
    }
}
