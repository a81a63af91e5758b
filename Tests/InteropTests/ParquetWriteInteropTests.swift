import Foundation
import Parquet
import TestSupport
import Testing

/// amoro writes files with every type, codec, encoding and page version; pyarrow and DuckDB must read the same
/// values, pyarrow must see the field ids and agree with the statistics.
@Suite(.enabled(if: Peers.isAvailable)) struct ParquetWriteInteropTests {
    static func schema() throws -> ParquetSchema {
        var id: Int32 = 0
        func next() -> Int32 {
            id += 1
            return id
        }
        func p(_ name: String, _ type: PhysicalType, _ logical: LogicalType? = nil, length: Int = 0,
            repetition: Repetition = .optional) -> SchemaNode
        {
            .primitive(name, type, repetition: repetition, typeLength: length, logicalType: logical, fieldID: next())
        }
        return try ParquetSchema([
            p("b", .boolean), p("i8", .int32, .integer(bitWidth: 8, isSigned: true)),
            p("i16", .int32, .integer(bitWidth: 16, isSigned: true)), p("i32", .int32), p("i64", .int64),
            p("u8", .int32, .integer(bitWidth: 8, isSigned: false)), p("u16", .int32, .integer(bitWidth: 16, isSigned: false)),
            p("u32", .int32, .integer(bitWidth: 32, isSigned: false)), p("u64", .int64, .integer(bitWidth: 64, isSigned: false)),
            p("f", .float), p("d", .double), p("f16", .fixedLenByteArray, .float16, length: 2),
            p("s", .byteArray, .string), p("j", .byteArray, .json), p("bin", .byteArray), p("fx", .fixedLenByteArray, length: 5),
            p("date", .int32, .date), p("tms", .int32, .time(isAdjustedToUTC: false, unit: .millis)),
            p("tus", .int64, .time(isAdjustedToUTC: false, unit: .micros)),
            p("tns", .int64, .time(isAdjustedToUTC: false, unit: .nanos)),
            p("ts_ms", .int64, .timestamp(isAdjustedToUTC: false, unit: .millis)),
            p("ts_us_utc", .int64, .timestamp(isAdjustedToUTC: true, unit: .micros)),
            p("ts_ns", .int64, .timestamp(isAdjustedToUTC: false, unit: .nanos)),
            p("ts_ns_utc", .int64, .timestamp(isAdjustedToUTC: true, unit: .nanos)),
            p("dec32", .int32, .decimal(precision: 9, scale: 2)), p("dec64", .int64, .decimal(precision: 18, scale: 4)),
            p("decfx", .fixedLenByteArray, .decimal(precision: 38, scale: 6), length: 16),
            p("decbin", .byteArray, .decimal(precision: 20, scale: 2)), p("uuid", .fixedLenByteArray, .uuid, length: 16),
            p("i96", .int96), p("req", .int64, repetition: .required),
            .list("li", element: p("element", .int32), fieldID: next()),
            .list(
                "ls", element: .group("element", [p("a", .int32), p("b", .byteArray, .string)], fieldID: next()),
                fieldID: next()),
            .map(
                "m", key: p("key", .byteArray, .string), value: .list("value", element: p("element", .int64), fieldID: next()),
                fieldID: next()),
            .group("st", [p("x", .double), .group("y", [p("z", .byteArray, .string)], fieldID: next())], fieldID: next()),
            .list("ll", element: .list("element", element: p("element", .byteArray, .string), fieldID: next()), fieldID: next()),
        ])
    }

    static func rows(_ schema: ParquetSchema, count: Int) -> [ParquetValue] {
        var random = InteropRandom(seed: 2024)
        return (0..<count).map { index in
            .group(schema.root.children.map { value($0, index, &random) })
        }
    }

    static func value(_ node: SchemaNode, _ row: Int, _ random: inout InteropRandom) -> ParquetValue {
        if node.repetition == .optional && random.chance(0.15) { return .null }
        switch node.kind {
        case .group(let children):
            if node.logicalType == .list {
                let element = children[0].children[0]
                return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in value(element, row, &random) })
            }
            if node.logicalType == .map {
                let pair = children[0].children
                return .map((0..<Int.random(in: 0...3, using: &random)).map { index in
                    .init(key: .string("k\(index)"), value: value(pair[1], row, &random))
                })
            }
            return .group(children.map { value($0, row, &random) })
        case .primitive(let type, let length):
            return primitive(node.name, type, length, node.logicalType, row, &random)
        }
    }

    static func primitive(
        _ name: String, _ type: PhysicalType, _ length: Int, _ logical: LogicalType?, _ row: Int,
        _ random: inout InteropRandom
    ) -> ParquetValue {
        func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
        switch (type, logical) {
        case (.boolean, _): return .boolean(random.chance(0.5))
        case (.int32, .integer(8, true)?): return .int32(Int32.random(in: -128...127, using: &random))
        case (.int32, .integer(16, true)?): return .int32(Int32.random(in: -32768...32767, using: &random))
        case (.int32, .integer(8, false)?): return .int32(Int32.random(in: 0...255, using: &random))
        case (.int32, .integer(16, false)?): return .int32(Int32.random(in: 0...65535, using: &random))
        case (.int32, .date?): return .int32(Int32.random(in: -100_000...100_000, using: &random))
        case (.int32, .time?): return .int32(Int32.random(in: 0..<86_400_000, using: &random))
        case (.int64, .time(_, .micros)?): return .int64(Int64.random(in: 0..<86_400_000_000, using: &random))
        case (.int64, .time(_, .nanos)?): return .int64(Int64.random(in: 0..<86_400_000_000, using: &random) * 1000)
        case (.int64, .timestamp(_, .nanos)?): return .int64(Int64.random(in: -(1 << 40)...(1 << 40), using: &random) * 1000)
        case (.int64, .timestamp?): return .int64(Int64.random(in: -(1 << 40)...(1 << 40), using: &random))
        case (.int32, .decimal?): return .int32(Int32.random(in: -999_999_999...999_999_999, using: &random))
        case (.int64, .decimal?): return .int64(Int64.random(in: -999_999_999_999_999_999...999_999_999_999_999_999, using: &random))
        case (.int32, _): return .int32(random.chance(0.2) ? pick([Int32.min, Int32.max, 0, -1]) : Int32.random(in: -5000...5000, using: &random))
        case (.int64, _): return .int64(random.chance(0.2) ? pick([Int64.min, Int64.max, 0, -1]) : Int64.random(in: -5000...5000, using: &random))
        case (.int96, _):
            return .int96(Int96(nanosecondsOfDay: UInt64.random(in: 0..<86_400_000_000, using: &random) * 1000,
                julianDay: UInt32.random(in: 2_440_000...2_460_000, using: &random)))
        case (.float, _): return .float(random.chance(0.3) ? pick([.nan, -0.0, 0, .infinity, -.infinity, 1.5]) : Float.random(in: -1e6...1e6, using: &random))
        case (.double, _): return .double(random.chance(0.3) ? pick([.nan, -0.0, 0, .infinity, 2.5e300]) : Double.random(in: -1e9...1e9, using: &random))
        case (.fixedLenByteArray, .float16?): return .bytes(pick([[0, 0x38], [0, 0xC0], [0xFF, 0x7B], [0, 0], [0, 0x80], [0x01, 0x7E], [0x66, 0x2E]]))
        case (.fixedLenByteArray, .decimal?):
            // Sign-extended 16-byte two's complement of a value with at most 30 digits.
            let value = Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &random)
            let high: [UInt8] = Array(repeating: value < 0 ? 0xFF : 0, count: 8)
            return .bytes(high + withUnsafeBytes(of: value.bigEndian) { Array($0) })
        case (.byteArray, .decimal?):
            let value = Int32.random(in: -8_000_000...8_000_000, using: &random)
            let bytes = withUnsafeBytes(of: value.bigEndian) { Array($0) }
            return .bytes(Array(bytes.drop(while: { $0 == 0 || $0 == 0xFF }).isEmpty ? [bytes[3]] : bytes))
        case (.byteArray, .string?):
            return .string(pick(["", "a", "ice", "berg\u{e9}", "\u{65e5}\u{672c}", "k\(row % 7)", String(repeating: "x", count: row % 50)]))
        case (.byteArray, .json?): return .string("{\"row\":\(row)}")
        case (.byteArray, _): return .bytes((0..<Int.random(in: 0...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case (.fixedLenByteArray, _): return .bytes((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
    }

    static let codecs: [CompressionKind] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw]
    static let modes = ["dict", "plain", "delta", "bss", "bssfloat"]

    static func encodings(_ schema: ParquetSchema, mode: String) -> [String: Encoding] {
        var result: [String: Encoding] = [:]
        for column in schema.columns {
            var encoding = Encoding.plain
            switch (mode, column.physicalType) {
            case ("delta", .int32), ("delta", .int64): encoding = .deltaBinaryPacked
            case ("delta", .byteArray): encoding = column.logicalType == .string ? .deltaLengthByteArray : .deltaByteArray
            case ("delta", .fixedLenByteArray): encoding = .deltaByteArray
            case ("delta", .boolean): encoding = .rle
            case ("bss", .float), ("bss", .double), ("bss", .int32), ("bss", .int64), ("bss", .fixedLenByteArray),
                ("bssfloat", .float), ("bssfloat", .double):
                encoding = .byteStreamSplit
            default: break
            }
            result[column.dottedPath] = encoding
        }
        return result
    }

    @Test(arguments: codecs, [ParquetWriterOptions.DataPageVersion.v1, .v2])
    func pyarrowAndDuckDBReadWhatAmoroWrote(codec: CompressionKind, version: ParquetWriterOptions.DataPageVersion)
        throws
    {
        let schema = try Self.schema()
        let rows = Self.rows(schema, count: 300)
        let expected = ParquetCanonical.render(rows: rows, schema: schema)
        let columns = try RecordShredder.columns(schema: schema, rows: rows)
        try Fixtures.withTemporaryDirectory("amoro-parquet-write") { directory in
            for mode in Self.modes {
                var options = ParquetWriterOptions()
                options.compression = codec
                options.dataPageVersion = version
                options.rowGroupRows = 120
                options.pageSize = 256
                options.dictionaryEnabled = mode == "dict"
                options.dictionaryPageSizeLimit = 300
                if mode != "dict" { options.columnEncodings = Self.encodings(schema, mode: mode) }
                options.keyValueMetadata = [KeyValue(key: "amoro.test", value: mode)]
                options.writePageIndex = true
                let path = directory.appendingPathComponent("\(mode).parquet").path
                let writer = try ParquetFileWriter(schema: schema, path: path, options: options)
                try writer.write(columns)
                try writer.close()
                let output = try Peers.python(ParquetPeerScripts.check, arguments: [path])
                let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
                let pyarrow = json["pyarrow"] as? String ?? ""
                if pyarrow != expected {
                    let mismatch = zip(pyarrow.split(separator: "\n"), expected.split(separator: "\n")).enumerated()
                        .first { $0.element.0 != $0.element.1 }
                    Issue.record("\(mode): row \(mismatch?.offset ?? -1):\n pyarrow: \(mismatch?.element.0 ?? "")\n amoro:   \(mismatch?.element.1 ?? "")")
                }
                if mode == "bss" {
                    // DuckDB reads BYTE_STREAM_SPLIT only for FLOAT and DOUBLE ("bssfloat" checks those).
                    let diff = "\(json["duckdb_diff"] ?? "")"
                    #expect(json["duckdb_equal"] as? Bool == true || diff.contains("BYTE_STREAM_SPLIT"), "\(diff)")
                } else {
                    #expect(json["duckdb_equal"] as? Bool == true, "\(mode): \(json["duckdb_diff"] ?? "")")
                }
                let ids = try #require(json["field_ids"] as? [String: Int])
                #expect(ids["i8"] == 2)
                #expect(ids["req"] == 31)
                #expect(ids["li"] == 33)
                #expect(ids["st.y.z"] == Int(schema.column(path: ["st", "y", "z"])!.fieldID!))
                // Every column but INT96 (no order) has both page indexes.
                let pageIndex = try #require(json["page_index"] as? [Bool])
                let int96 = try #require(schema.columns.firstIndex { $0.physicalType == .int96 })
                #expect(pageIndex.enumerated().allSatisfy { $0.element == ($0.offset != int96) }, "\(mode): \(pageIndex)")
                let stats = try #require(json["stats"] as? [String: Any])
                #expect(stats.count == 31)
                for (column, verdict) in stats {
                    #expect(verdict as? Bool == true, "\(mode) \(column): \(verdict)")
                }
            }
        }
    }
}

/// A deterministic generator (SplitMix64) so the written data is the same on every run.
struct InteropRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}
