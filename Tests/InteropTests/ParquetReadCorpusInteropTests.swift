import Foundation
import Parquet
import TestSupport
import Testing

/// apache/parquet-testing's files (`Tests/ParquetTests/Fixtures/parquet-testing`): every file amoro reads must give
/// the values pyarrow reads, row for row, through the canonical rendering of `ParquetPeerScripts.common`. Files
/// amoro refuses are listed with their error in the folder's `refusals.json` (checked by `ParquetTestingCorpusTests`).
/// Files pyarrow cannot read are listed in `pyarrow-unreadable.json` with pyarrow's reason, and compared with what
/// DuckDB reads instead.
@Suite(.enabled(if: Peers.isAvailable)) struct ParquetReadCorpusInteropTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../ParquetTests/Fixtures/parquet-testing").standardizedFileURL

    /// The files amoro reads, and those of them pyarrow cannot read (with pyarrow's reason).
    static let listing: (compared: [String], unreadableByPyarrow: [String: String]) = {
        let walker = FileManager.default.enumerator(atPath: directory.path)
        let files = (walker?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".parquet") || $0.hasSuffix(".parquet.encrypted") }
        let url = directory.appendingPathComponent("refusals.json")
        let refused = ((try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any]) ?? [:]
        let pyarrowURL = directory.appendingPathComponent("pyarrow-unreadable.json")
        let unreadable =
            ((try? JSONSerialization.jsonObject(with: Data(contentsOf: pyarrowURL))) as? [String: String]) ?? [:]
        return (files.filter { refused[$0] == nil }.sorted(), unreadable)
    }()

    /// The peer rendering of every compared file (pyarrow, or DuckDB where pyarrow cannot), made once for all cases.
    static let rendered: Result<URL, InteropFailure> = {
        do {
            let output = try Fixtures.makeTemporaryDirectory("amoro-parquet-corpus")
            let names = String(decoding: try JSONEncoder().encode(listing.compared), as: UTF8.self)
            let duckdb = String(decoding: try JSONEncoder().encode(listing.unreadableByPyarrow.keys.sorted()), as: UTF8.self)
            let script = ParquetPeerScripts.common + "\n" + #"""
                import os, duckdb
                src, out, names, by_duckdb = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
                def read(path, name):
                    if name not in by_duckdb:
                        return pq.read_table(path)
                    rel = duckdb.sql("select * from read_parquet('%s')" % path.replace("'", "''"))
                    t = rel.fetch_arrow_table() if hasattr(rel, 'fetch_arrow_table') else rel.arrow()
                    return t.read_all() if isinstance(t, pa.RecordBatchReader) else t
                errors = {}
                for name in names:
                    try:
                        text = render(normalize(read(os.path.join(src, name), name)))
                        with open(os.path.join(out, name.replace('/', '__') + '.txt'), 'w') as f:
                            f.write(text)
                    except Exception as e:
                        errors[name] = repr(e)
                print(json.dumps(errors))
                """#
            let result = try Peers.python(script, arguments: [directory.path, output.path, names, duckdb])
            let errors = String(decoding: result, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard errors == "{}" else { return .failure(InteropFailure(message: "the peers failed: \(errors)")) }
            return .success(output)
        } catch {
            return .failure(InteropFailure(message: "\(error)"))
        }
    }()

    @Test(arguments: listing.compared)
    func readsWhatPeersRead(name: String) throws {
        let output = try Self.rendered.get()
        let expected = try String(
            contentsOf: output.appendingPathComponent(name.replacingOccurrences(of: "/", with: "__") + ".txt"),
            encoding: .utf8)
        let reader = try ParquetFileReader(path: Self.directory.appendingPathComponent(name).path)
        var rows: [ParquetValue] = []
        for group in 0..<reader.rowGroupCount {
            rows += try RecordAssembler.rows(schema: reader.schema, columns: try reader.readRowGroup(group))
        }
        #expect(rows.count == reader.rowCount)
        let actual = ParquetCanonical.render(rows: rows, schema: reader.schema)
        let (mine, theirs) = (actual.split(separator: "\n"), expected.split(separator: "\n"))
        #expect(mine.count == theirs.count, "amoro read \(mine.count) rows, the peer \(theirs.count)")
        if let first = zip(mine, theirs).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("row \(first.offset):\n amoro: \(first.element.0)\n peer:  \(first.element.1)")
        }
    }

    /// pyarrow reads every file amoro reads but those listed as unreadable by it.
    @Test func pyarrowReadsAllButTheListedFiles() throws {
        #expect(Self.listing.compared.count == 73, "96 files, 23 of them refused")
        let names = String(decoding: try JSONEncoder().encode(Self.listing.unreadableByPyarrow.keys.sorted()), as: UTF8.self)
        let script = #"""
            import sys, json, os, pyarrow.parquet as pq
            failed = []
            for name in json.loads(sys.argv[2]):
                try:
                    pq.read_table(os.path.join(sys.argv[1], name))
                except Exception:
                    failed.append(name)
            print(json.dumps(failed))
            """#
        let output = try Peers.python(script, arguments: [Self.directory.path, names])
        let failed = try JSONDecoder().decode([String].self, from: output)
        #expect(failed == Self.listing.unreadableByPyarrow.keys.sorted())
    }
}
