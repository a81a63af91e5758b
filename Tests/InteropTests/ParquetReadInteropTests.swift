import Foundation
import Parquet
import TestSupport
import Testing

/// pyarrow writes files covering every type × encoding × codec × page version it can write; amoro must read the
/// same values (compared through the canonical text rendering). DuckDB-written files are checked the same way.
@Suite(.enabled(if: Peers.isAvailable)) struct ParquetReadInteropTests {
    static let codecs = ["none", "snappy", "gzip", "zstd", "lz4"]
    static let cases: [String] = {
        var names: [String] = []
        for codec in codecs {
            for version in ["1.0", "2.0"] {
                for mode in ["dict", "plain", "delta", "bss"] {
                    names.append("flat-\(codec)-\(version)-\(mode)")
                    names.append("nested-\(codec)-\(version)-\(mode == "delta" ? "plain" : mode)")
                }
            }
        }
        names += ["flat-zstd-1.0-int96", "flat-snappy-2.0-decint", "nested-zstd-1.0-legacy", "nested-zstd-2.0-legacy",
            "flat-snappy-1.0-crc", "nested-zstd-2.0-crc", "flat-zstd-2.0-pageindex", "nested-snappy-1.0-pageindex",
        ]
        for codec in ["uncompressed", "snappy", "gzip", "zstd", "lz4_raw"] {
            names += ["duckdb-\(codec)-v1", "duckdb-\(codec)-v2"]
        }
        return Array(Set(names)).sorted()
    }()

    /// The generated files, made once for all cases.
    static let generated: Result<URL, InteropFailure> = {
        do {
            let directory = try Fixtures.makeTemporaryDirectory("amoro-parquet-read")
            let names = String(decoding: try JSONEncoder().encode(cases + ["flat-brotli-1.0-dict"]), as: UTF8.self)
            let output = try Peers.python(ParquetPeerScripts.generate, arguments: [directory.path, names])
            let errors = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard errors == "{}" else { return .failure(InteropFailure(message: "pyarrow failed: \(errors)")) }
            return .success(directory)
        } catch {
            return .failure(InteropFailure(message: "\(error)"))
        }
    }()

    static func readAll(_ path: String) throws -> (ParquetSchema, [ParquetValue]) {
        let reader = try ParquetFileReader(path: path)
        var rows: [ParquetValue] = []
        for group in 0..<reader.rowGroupCount {
            rows += try RecordAssembler.rows(schema: reader.schema, columns: try reader.readRowGroup(group))
        }
        #expect(rows.count == reader.rowCount)
        return (reader.schema, rows)
    }

    @Test(arguments: cases)
    func readsWhatPeersWrote(name: String) throws {
        let directory = try Self.generated.get()
        let expected = try String(contentsOf: directory.appendingPathComponent(name + ".txt"), encoding: .utf8)
        let (schema, rows) = try Self.readAll(directory.appendingPathComponent(name + ".parquet").path)
        let actual = ParquetCanonical.render(rows: rows, schema: schema)
        #expect(!rows.isEmpty)
        if actual != expected {
            let mismatch = zip(actual.split(separator: "\n"), expected.split(separator: "\n")).enumerated()
                .first { $0.element.0 != $0.element.1 }
            Issue.record("row \(mismatch?.offset ?? -1):\n amoro:   \(mismatch?.element.0 ?? "")\n pyarrow: \(mismatch?.element.1 ?? "")")
        }
    }

    @Test func brotliIsACleanUnsupportedError() throws {
        let directory = try Self.generated.get()
        #expect(throws: ParquetError.unsupported("BROTLI compression")) {
            _ = try Self.readAll(directory.appendingPathComponent("flat-brotli-1.0-dict.parquet").path)
        }
    }

    @Test func layoutMatchesPyarrowMetadata() throws {
        let directory = try Self.generated.get()
        let path = directory.appendingPathComponent("flat-zstd-2.0-dict.parquet").path
        let reader = try ParquetFileReader(path: path)
        let script = #"""
            import sys, json, pyarrow.parquet as pq
            m = pq.ParquetFile(sys.argv[1]).metadata
            out = {'rows': m.num_rows, 'groups': m.num_row_groups, 'created_by': m.created_by,
                   'group_rows': [m.row_group(i).num_rows for i in range(m.num_row_groups)],
                   'sizes': [[m.row_group(i).column(j).total_compressed_size for j in range(m.num_columns)] for i in range(m.num_row_groups)],
                   'nulls': [m.row_group(0).column(j).statistics.null_count if m.row_group(0).column(j).is_stats_set else None for j in range(m.num_columns)]}
            print(json.dumps(out))
            """#
        let output = try Peers.python(script, arguments: [path])
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(json["rows"] as? Int == reader.rowCount)
        #expect(json["groups"] as? Int == reader.rowGroupCount)
        #expect(json["created_by"] as? String == reader.metadata.createdBy)
        #expect(json["group_rows"] as? [Int] == reader.metadata.rowGroups.map { Int($0.numRows) })
        #expect(json["sizes"] as? [[Int]] == reader.metadata.rowGroups.map { $0.columns.map { Int($0.metaData!.totalCompressedSize) } })
        let nulls = try #require(json["nulls"] as? [Any])
        for (index, chunk) in reader.metadata.rowGroups[0].columns.enumerated() {
            if let count = nulls[index] as? Int { #expect(chunk.metaData?.statistics?.nullCount == Int64(count)) }
        }
        let pages = try reader.pages(rowGroup: 0, column: 12)
        #expect(pages.first?.type == .dictionaryPage)
        #expect(pages.dropFirst().allSatisfy { $0.type == .dataPageV2 && $0.encoding == .rleDictionary })
        let plain = try ParquetFileReader(path: directory.appendingPathComponent("flat-zstd-2.0-plain.parquet").path)
        let doubles = try plain.pages(rowGroup: 0, column: 10)
        #expect(doubles.count > 1)
        #expect(doubles.reduce(0) { $0 + $1.valueCount } == Int(plain.metadata.rowGroups[0].numRows))
    }
}

/// A peer-side step of an interop test failed.
struct InteropFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
