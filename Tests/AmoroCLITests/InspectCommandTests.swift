import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro inspect` on files pyarrow and fastavro write: rows in Iceberg's JSON single-value form, layouts, errors.
@Suite(.enabled(if: Peers.isAvailable)) struct InspectCommandTests {
    static let writeParquet = #"""
        import pyarrow as pa, pyarrow.parquet as pq, datetime, decimal, uuid, sys
        table = pa.table({
            "i": pa.array([1, None], pa.int32()),
            "u8": pa.array([255, 0], pa.uint8()),
            "f": pa.array([float("nan"), float("-inf")], pa.float64()),
            "d": pa.array([decimal.Decimal("-12.345"), decimal.Decimal("0.001")], pa.decimal128(20, 3)),
            "day": pa.array([datetime.date(1969, 12, 31), datetime.date(2024, 2, 29)]),
            "ts": pa.array([datetime.datetime(2017, 11, 16, 22, 31, 8, 123456), None], pa.timestamp("us")),
            "tstz": pa.array([datetime.datetime(2017, 11, 16, 22, 31, 8, 1000, tzinfo=datetime.timezone.utc)] * 2, pa.timestamp("ms", tz="UTC")),
            "ns": pa.array([1, 2], pa.timestamp("ns")),
            "t": pa.array([datetime.time(1, 2, 3, 4)] * 2, pa.time64("us")),
            "b": pa.array([b"\x00\xff", b""], pa.binary()),
            "id": pa.array([uuid.UUID("f79c3e09-677c-4bbd-a479-3f349cb785e7").bytes] * 2, pa.uuid()),
            "tags": pa.array([["a", None], []], pa.list_(pa.string())),
            "m": pa.array([[("k", 1)], None], pa.map_(pa.string(), pa.int64())),
            "s": pa.array([{"x": 1, "y": "z"}, None], pa.struct([("x", pa.int64()), ("y", pa.string())])),
        })
        pq.write_table(table, sys.argv[1], row_group_size=1, compression="snappy")
        """#

    static let expectedParquetRows = [
        #"{"i":1,"u8":255,"f":"NaN","d":"-12.345","day":"1969-12-31","ts":"2017-11-16T22:31:08.123456","tstz":"2017-11-16T22:31:08.001000+00:00","ns":"1970-01-01T00:00:00.000000001","t":"01:02:03.000004","b":"00FF","id":"f79c3e09-677c-4bbd-a479-3f349cb785e7","tags":["a",null],"m":{"keys":["k"],"values":[1]},"s":{"x":1,"y":"z"}}"#,
        #"{"i":null,"u8":0,"f":"-Infinity","d":"0.001","day":"2024-02-29","ts":null,"tstz":"2017-11-16T22:31:08.001000+00:00","ns":"1970-01-01T00:00:00.000000002","t":"01:02:03.000004","b":"","id":"f79c3e09-677c-4bbd-a479-3f349cb785e7","tags":[],"m":null,"s":null}"#,
    ]

    @Test func parquetRowsUseIcebergsJSONForms() throws {
        try Fixtures.withTemporaryDirectory { root in
            let path = root.appendingPathComponent("all.parquet").path
            try Peers.python(Self.writeParquet, arguments: [path])
            let result = try AmoroBinary.run(["inspect", path, "--rows"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.split(separator: "\n").map(String.init) == Self.expectedParquetRows)
            let projected = try AmoroBinary.run(["inspect", path, "--rows", "--columns", "d,s", "--limit", "1"])
            #expect(projected.stdout == #"{"d":"-12.345","s":{"x":1,"y":"z"}}"# + "\n")
            #expect(try AmoroBinary.run(["inspect", path, "--rows", "--columns", "nope"]).status == 65)
        }
    }

    @Test func parquetLayoutNamesEverything() throws {
        try Fixtures.withTemporaryDirectory { root in
            let path = root.appendingPathComponent("all.parquet").path
            try Peers.python(Self.writeParquet, arguments: [path])
            let document = try JSON.parse(try AmoroBinary.run(["inspect", path, "--pages"]).stdout)
            #expect(document["kind"] == .string("amoro.inspect"))
            #expect(document["rows"] == .int(2))
            let groups = try #require(document["row_groups"]?.arrayValue)
            #expect(groups.count == 2)
            let d = try #require(groups[0]["columns"]?.arrayValue?.first { $0["path"] == .string("d") })
            #expect(d["codec"] == .string("SNAPPY"))
            #expect(d["statistics"]?["min"] == .string("-12.345"))
            #expect(d["pages"]?.arrayValue?.isEmpty == false)
            let schema = try #require(document["schema"]?.arrayValue)
            #expect(schema.first { $0["path"] == .string("tstz") }?["logical_type"] == .string("TIMESTAMP(MILLIS,true)"))
            #expect(schema.first { $0["path"] == .string("m.key_value.key") } != nil)
        }
    }

    static let writeAvro = #"""
        import fastavro, sys, datetime, decimal, uuid
        schema = {"type": "record", "name": "r", "fields": [
            {"name": "l", "type": "long"},
            {"name": "opt", "type": ["null", "string"]},
            {"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
            {"name": "local", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
            {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
            {"name": "m", "type": {"type": "map", "values": "int"}},
            {"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}},
        ]}
        records = [{"l": -1, "opt": None, "d": decimal.Decimal("1.50"), "day": datetime.date(2000, 1, 1),
                    "ts": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc), "local": datetime.datetime(2020, 1, 1, 0, 0, 0, 5000),
                    "e": "B", "m": {"a": 1}, "f": b"\x01\x02"}]
        with open(sys.argv[1], "wb") as out:
            fastavro.writer(out, schema, records * 3, codec="deflate", sync_interval=1)
        """#

    @Test func avroRowsAndBlocks() throws {
        try Fixtures.withTemporaryDirectory { root in
            let path = root.appendingPathComponent("r.avro").path
            try Peers.python(Self.writeAvro, arguments: [path])
            let rows = try AmoroBinary.run(["inspect", path, "--rows", "--limit", "2"])
            #expect(rows.stdout.split(separator: "\n").count == 2)
            #expect(rows.stdout.split(separator: "\n").first.map(String.init)
                == #"{"l":-1,"opt":null,"d":"1.50","day":"2000-01-01","ts":"2020-01-01T00:00:00.000000+00:00","local":"2020-01-01T00:00:00.005000","e":"B","m":{"keys":["a"],"values":[1]},"f":"0102"}"#)
            let document = try JSON.parse(try AmoroBinary.run(["inspect", path, "--json"]).stdout)
            #expect(document["format"] == .string("avro"))
            #expect(document["codec"] == .string("deflate"))
            #expect(document["records"] == .int(3))
            #expect((document["blocks"]?.arrayValue?.count ?? 0) >= 1)
            #expect(document["schema"]?["name"] == .string("r"))
        }
    }

    /// A real Spark file whose INT96 timestamps lie far outside Int64 nanoseconds prints every row as an instant
    /// (the Julian day is never multiplied out), where amoro used to trap.
    @Test func sparksInt96TimestampsPrintAtAnyDistance() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Tests/ParquetTests/Fixtures/parquet-testing/int96_from_spark.parquet").path
        let result = try AmoroBinary.run(["inspect", path, "--rows"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n")
        #expect(rows.count == 6)
        #expect(rows.first == #"{"a":"2024-01-01T20:34:56.123456000+00:00"}"#)
        #expect(rows.last == #"{"a":"11465252-07-22T14:32:44.157935616+00:00"}"#)
    }

    @Test func badFilesGetOneLineErrors() throws {
        try Fixtures.withTemporaryDirectory { root in
            let path = root.appendingPathComponent("all.parquet").path
            try Peers.python(Self.writeParquet, arguments: [path])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let truncated = root.appendingPathComponent("truncated.parquet")
            try bytes.prefix(bytes.count / 2).write(to: truncated)
            let result = try AmoroBinary.run(["inspect", truncated.path])
            #expect(result.status == 65)
            #expect(result.stderr.contains("amoro inspect: \(truncated.path): corrupt Parquet"))
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(try AmoroBinary.run(["inspect", root.appendingPathComponent("none").path]).status == 66)
            let text = root.appendingPathComponent("text.avro")
            try Data("hello".utf8).write(to: text)
            #expect(try AmoroBinary.run(["inspect", text.path]).status == 65)
            #expect(try AmoroBinary.run(["inspect", path, "--limit", "3"]).status == 64)
            // A file with an encrypted footer starts and ends with PARE: named as such, not as an unknown format.
            let encrypted = root.appendingPathComponent("encrypted.parquet")
            try (Data("PARE".utf8) + bytes.dropFirst(4).dropLast(4) + Data("PARE".utf8)).write(to: encrypted)
            let refused = try AmoroBinary.run(["inspect", encrypted.path])
            #expect(refused.stderr.contains("\(encrypted.path): unsupported Parquet feature: encrypted footers"))
        }
    }
}
