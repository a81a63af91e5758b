import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Parquet
import Testing
import TestSupport

/// Data files of PyIceberg tables read through amoro's data-file reader (schema evolution by field id) and written
/// back through the rolling writer: PyIceberg's scan, pyarrow and DuckDB must see the same rows, and the metrics
/// amoro computes must equal those PyIceberg recorded in its manifests.
@Suite(.enabled(if: Peers.isAvailable)) struct DataFileInteropTests {
    static let prelude = #"""
        import pyarrow as pa, pyarrow.parquet as pq, json, sys, decimal, datetime, uuid
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import *
        warehouse = sys.argv[1]
        catalog = SqlCatalog("default", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        def describe(t):
            files = []
            for task in t.scan().plan_files():
                f = task.file
                hexed = lambda d: {str(k): v.hex() for k, v in (d or {}).items()}
                files.append({"path": f.file_path, "records": f.record_count,
                              "value_counts": {str(k): v for k, v in (f.value_counts or {}).items()},
                              "null_counts": {str(k): v for k, v in (f.null_value_counts or {}).items()},
                              "column_sizes": {str(k): v for k, v in (f.column_sizes or {}).items()},
                              "lower": hexed(f.lower_bounds), "upper": hexed(f.upper_bounds)})
            print(json.dumps({"schema": json.loads(t.schema().model_dump_json()), "properties": t.properties,
                              "files": sorted(files, key=lambda f: f["path"])}))

        """#

    static let makeEvolvedTable = prelude + #"""
        catalog.create_namespace("db")
        schema = Schema(
            NestedField(1, "id", IntegerType(), required=False),
            NestedField(2, "name", StringType(), required=False),
            NestedField(3, "score", FloatType(), required=False),
            NestedField(4, "tags", ListType(5, StringType(), element_required=False), required=False),
            NestedField(6, "point", StructType(NestedField(7, "x", DoubleType(), required=False)), required=False),
            NestedField(8, "price", DecimalType(9, 2), required=False),
        )
        t = catalog.create_table("db.evolved", schema, properties={"format-version": "2"})
        def batch(start, n):
            rows = []
            names = [f.name for f in t.schema().fields]
            for i in range(start, start + n):
                row = {"id": i, "score": None if i % 5 == 0 else i / 4,
                       "tags": None if i % 6 == 0 else [None if j == 1 else f"t{i}-{j}" for j in range(i % 4)],
                       "point": None if i % 7 == 0 else {"x": i * 1.5, "y": i * 10},
                       "price": None if i % 3 == 0 else decimal.Decimal(i * 37) / 100,
                       "extra": None if i % 2 else f"e{i}"}
                row["label" if "label" in names else "name"] = None if i % 4 == 0 else f"n{i}-é" * (i % 3 + 1)
                rows.append(row)
            return pa.Table.from_pylist(rows, schema=t.schema().as_arrow())
        t.append(batch(0, 10))
        t.append(batch(10, 5))
        with t.update_schema() as update:
            update.add_column("extra", StringType())
        t.append(batch(15, 6))
        with t.update_schema() as update:
            update.rename_column("name", "label")
            update.update_column("id", LongType())
            update.update_column("score", DoubleType())
            update.add_column(("point", "y"), LongType())
        t.append(batch(21, 7))
        describe(catalog.load_table("db.evolved"))
        """#

    static let compare = prelude + Peers.duckDBPrelude + #"""
        t = catalog.load_table(sys.argv[2])
        paths = json.loads(sys.argv[3])
        theirs = t.scan().to_arrow().sort_by("id")
        ours = pa.concat_tables([pq.read_table(p) for p in paths]).sort_by("id")
        problems = []
        if ours.column_names != theirs.column_names:
            problems.append(f"columns {ours.column_names} != {theirs.column_names}")
        elif ours.to_pylist() != theirs.to_pylist():
            problems.append(f"pyarrow rows differ: {ours.to_pylist()[:3]} vs {theirs.to_pylist()[:3]}")
        ids = [int(f.metadata[b"PARQUET:field_id"]) for f in pq.read_schema(paths[0])]
        if ids != [f.field_id for f in t.schema().fields]:
            problems.append(f"field ids {ids}")
        connection = duck()
        connection.register("theirs", theirs)
        # As text: DuckDB needs pytz to hand out time-zone-aware values.
        duck_ours = connection.execute(f"select columns(*)::varchar from read_parquet({paths}) order by id").fetchall()
        duck_theirs = connection.execute("select columns(*)::varchar from theirs order by id").fetchall()
        if duck_ours != duck_theirs:
            problems.append(f"duckdb rows differ: {duck_ours[:3]} vs {duck_theirs[:3]}")
        print(json.dumps({"problems": problems, "rows": len(duck_ours)}))
        """#

    static let makeMetricsTable = prelude + #"""
        catalog.create_namespace("db")
        schema = Schema(
            NestedField(1, "id", LongType(), required=False),
            NestedField(2, "name", StringType(), required=False),
            NestedField(3, "small", IntegerType(), required=False),
            NestedField(4, "ratio", DoubleType(), required=False),
            NestedField(5, "day", DateType(), required=False),
            NestedField(6, "ts", TimestampType(), required=False),
            NestedField(7, "tstz", TimestamptzType(), required=False),
            NestedField(8, "price", DecimalType(9, 2), required=False),
            NestedField(9, "big", DecimalType(25, 3), required=False),
            NestedField(10, "blob", BinaryType(), required=False),
            NestedField(11, "flag", BooleanType(), required=False),
            NestedField(12, "tags", ListType(13, StringType(), element_required=False), required=False),
            NestedField(14, "point", StructType(NestedField(15, "x", FloatType(), required=False),
                NestedField(16, "label", StringType(), required=False)), required=False),
            NestedField(17, "note", StringType(), required=False),
            NestedField(18, "u", UUIDType(), required=False),
            NestedField(19, "attrs", MapType(20, StringType(), 21, LongType(), value_required=False), required=False),
        )
        properties = {"format-version": "2", "write.metadata.metrics.default": sys.argv[2]}
        for pair in sys.argv[3:]:
            key, value = pair.split("=", 1)
            properties["write.metadata.metrics.column." + key] = value
        t = catalog.create_table("db.metrics", schema, properties=properties)
        def batch(start, n):
            rows = []
            for i in range(start, start + n):
                rows.append({"id": i, "name": None if i % 4 == 0 else ("ab" * (i % 13)) + "😀ü" + "z" * (i % 20),
                    "small": -i if i % 2 else i * 3, "ratio": None if i % 6 == 0 else (i - 20) / 7,
                    "day": datetime.date(1969, 12, 25) + datetime.timedelta(days=i),
                    "ts": datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=37 * i),
                    "tstz": datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=i),
                    "price": None if i % 5 == 0 else decimal.Decimal(i * 37 - 500) / 100,
                    "big": decimal.Decimal(i * 10**18 - 7) / 1000,
                    "blob": None if i % 3 == 0 else bytes([255, 255, i % 256]) + bytes(range(i % 20)),
                    "flag": None if i % 7 == 0 else i % 2 == 0,
                    "tags": None if i % 5 == 0 else [f"t{j}" for j in range(i % 3)],
                    "point": None if i % 9 == 0 else {"x": i / 3, "label": f"p{i}"},
                    "note": None, "u": uuid.UUID(int=i * 7919).bytes,
                    "attrs": None if i % 8 == 0 else [(f"k{j}", None if j == 2 else i * j) for j in range(i % 4)]})
            return pa.Table.from_pylist(rows, schema=t.schema().as_arrow())
        t.append(batch(0, 40))
        t.append(batch(40, 25))
        describe(catalog.load_table("db.metrics"))
        """#

    static func localPath(_ location: String) -> String {
        location.hasPrefix("file://") ? String(location.dropFirst("file://".count)) : location
    }

    static func intMap(_ json: JSON?) -> [Int: Int64] {
        Dictionary(uniqueKeysWithValues: (json?.objectValue ?? []).compactMap { key, value in
            Int(key).flatMap { id in value.int64Value.map { (id, $0) } }
        })
    }

    static func hexMap(_ json: JSON?) -> [Int: String] {
        Dictionary(uniqueKeysWithValues: (json?.objectValue ?? []).compactMap { key, value in
            Int(key).flatMap { id in value.stringValue.map { (id, $0) } }
        })
    }

    static func hex(_ map: [Int: [UInt8]]?) -> [Int: String] {
        (map ?? [:]).mapValues { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// Reads every file of a described table with amoro's reader and writes them back with the rolling writer.
    static func rewrite(_ description: JSON, schema: Schema, to directory: String, target: Int64 = 1 << 20) throws
        -> [DataFile]
    {
        let properties = Dictionary(uniqueKeysWithValues: (description["properties"]?.objectValue ?? []).compactMap { key, value in
            value.stringValue.map { (key, $0) }
        })
        let writer = try RollingDataFileWriter(
            schema: schema, properties: try DataWriteProperties(properties: properties, schema: schema),
            targetFileSize: target, directory: directory, specId: 0, partition: [])
        for file in description["files"]?.arrayValue ?? [] {
            let reader = try DataFileReader(path: localPath(file["path"]?.stringValue ?? ""), tableSchema: schema)
            for group in 0..<reader.rowGroupCount { try writer.write(try reader.readRowGroup(group)) }
        }
        return try writer.finish()
    }

    @Test func evolvedTableReadsLikePyIcebergScansIt() throws {
        try Fixtures.withTemporaryDirectory("amoro-datafiles") { root in
            let description = try JSON.parse(Array(try Peers.python(Self.makeEvolvedTable, arguments: [root.path])))
            let schema = try Schema(json: try #require(description["schema"]))
            #expect(description["files"]?.arrayValue?.count == 4)
            let files = try Self.rewrite(description, schema: schema, to: root.path + "/rewritten")
            #expect(files.reduce(0) { $0 + $1.recordCount } == 28)
            let paths = JSON.array(files.map { .string($0.filePath) }).rendered()
            let result = try JSON.parse(Array(try Peers.python(Self.compare, arguments: [root.path, "db.evolved", paths])))
            #expect(result["problems"]?.arrayValue == [], "\(result)")
            #expect(result["rows"]?.int64Value == 28)
        }
    }

    @Test(arguments: [
        ["truncate(16)"],
        ["truncate(4)", "id=none", "name=full", "small=counts", "point.label=truncate(2)", "blob=truncate(2)"],
        ["counts", "ts=full", "tags.element=truncate(1)"],
    ])
    func metricsEqualPyIcebergs(modes: [String]) throws {
        try Fixtures.withTemporaryDirectory("amoro-metrics") { root in
            let description = try JSON.parse(Array(try Peers.python(Self.makeMetricsTable, arguments: [root.path] + modes)))
            let schema = try Schema(json: try #require(description["schema"]))
            let properties = Dictionary(uniqueKeysWithValues: (description["properties"]?.objectValue ?? []).compactMap {
                key, value in value.stringValue.map { (key, $0) }
            })
            let config = MetricsConfig(properties: properties, schema: schema)
            let theirs = try #require(description["files"]?.arrayValue)
            #expect(theirs.count == 2)
            // Two documented differences, where amoro follows Java's ParquetUtil.footerMetrics: PyIceberg keeps no
            // bounds for fields inside structs (Java does), and records column sizes of `none` columns (Java
            // records nothing for them).
            let names = schema.fieldsById()
            let inStructs = Set(names.filter { $0.value.name.contains(".") }.keys)
            let noMetrics = Set(names.filter { config.mode(column: $0.value.name) == .none }.keys)
            func javaBounds(_ bounds: [Int: [UInt8]]?) -> [Int: String] {
                Self.hex(bounds).filter { !inStructs.contains($0.key) }
            }
            func javaSizes(_ json: JSON?) -> [Int: Int64] { Self.intMap(json).filter { !noMetrics.contains($0.key) } }
            #expect(!inStructs.isEmpty && modes.contains("id=none") == !noMetrics.isEmpty)
            // The same footers: amoro's metrics equal PyIceberg's.
            for file in theirs {
                let reader = try ParquetFileReader(path: Self.localPath(file["path"]?.stringValue ?? ""))
                var ours = DataFile(content: .data, filePath: "", fileFormat: "PARQUET", specId: 0, partition: [],
                    recordCount: 0, fileSizeInBytes: 0)
                DataFileMetrics.apply(footer: reader.metadata, parquetSchema: reader.schema, schema: schema, config: config,
                    nanCounts: [:], to: &ours)
                #expect(ours.valueCounts ?? [:] == Self.intMap(file["value_counts"]), "\(modes)")
                #expect(ours.nullValueCounts ?? [:] == Self.intMap(file["null_counts"]), "\(modes)")
                #expect(ours.columnSizes ?? [:] == javaSizes(file["column_sizes"]), "\(modes)")
                #expect(javaBounds(ours.lowerBounds) == Self.hexMap(file["lower"]), "\(modes)")
                #expect(javaBounds(ours.upperBounds) == Self.hexMap(file["upper"]), "\(modes)")
                // Java's rule: struct fields keep their bounds unless their mode says otherwise.
                for name in ["point.x", "point.label"] {
                    let id = try #require(names.first { $0.value.name == name }?.key)
                    #expect((ours.lowerBounds?[id] != nil) == ![.none, .counts].contains(config.mode(column: name)), "\(name)")
                }
            }
            // The same rows written by amoro (one file per input file): equal counts and bounds, and pyarrow and
            // DuckDB read them as PyIceberg's scan reads the table.
            var ourPaths: [JSON] = []
            defer {
                do {
                    let result = try JSON.parse(Array(try Peers.python(Self.compare,
                        arguments: [root.path, "db.metrics", JSON.array(ourPaths).rendered()])))
                    #expect(result["problems"]?.arrayValue == [], "\(result)")
                    #expect(result["rows"]?.int64Value == 65)
                } catch {
                    Issue.record("the comparison script failed: \(error)")
                }
            }
            for (index, file) in theirs.enumerated() {
                let single: JSON = .object([("properties", description["properties"] ?? .null), ("files", .array([file]))])
                let written = try Self.rewrite(single, schema: schema, to: root.path + "/ours-\(index)")
                #expect(written.count == 1)
                let ours = try #require(written.first)
                ourPaths.append(.string(ours.filePath))
                #expect(ours.recordCount == file["records"]?.int64Value)
                #expect(ours.valueCounts ?? [:] == Self.intMap(file["value_counts"]), "\(modes)")
                #expect(ours.nullValueCounts ?? [:] == Self.intMap(file["null_counts"]), "\(modes)")
                #expect(javaBounds(ours.lowerBounds) == Self.hexMap(file["lower"]), "\(modes)")
                #expect(javaBounds(ours.upperBounds) == Self.hexMap(file["upper"]), "\(modes)")
            }
        }
    }
}
