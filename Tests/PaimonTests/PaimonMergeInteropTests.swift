import Execution
import Foundation
import JSONCoding
import Paimon
import Parquet
import Storage
import Testing
import TestSupport

/// Primary-key merges of pypaimon 2.1's tables, checked by pypaimon reading the table and pyarrow reading the
/// merged files.
@Suite(.enabled(if: Peers.paimonPython != nil)) struct PaimonMergeInteropTests {
    /// `FILE...`: per Parquet file, its row count and how many of its `_VALUE_KIND`s retract (`-U`, `-D`), as
    /// pyarrow reads them.
    static let kinds = #"""
        import json, sys, pyarrow.parquet as pq
        out = {}
        for path in sys.argv[1:]:
            kinds = pq.ParquetFile(path).read(columns=['_VALUE_KIND']).column(0).to_pylist()
            out[path] = {'rows': len(kinds), 'retracts': sum(1 for k in kinds if k in (1, 3))}
        print(json.dumps(out))
        """#

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Paimon's `dropDelete`: only an output above level 0 that is at least the bucket's highest non-empty level.
    @Test func deletesAreDroppedOnlyAtTheHighestLevel() {
        #expect(!PaimonPrimaryKeyRewrite.dropsDeletes(outputLevel: 0, highestLevel: 0))
        #expect(!PaimonPrimaryKeyRewrite.dropsDeletes(outputLevel: 3, highestLevel: 5))
        #expect(PaimonPrimaryKeyRewrite.dropsDeletes(outputLevel: 3, highestLevel: 3))
        #expect(PaimonPrimaryKeyRewrite.dropsDeletes(outputLevel: 5, highestLevel: 2))
    }

    /// Every bucket of a deduplicate table with deleted keys merged twice: to level 1 keeping retractions and to the
    /// top level dropping them. Below the top, the `-D` winners stay in the file (pyarrow counts them) and in its
    /// delete row count, so readers still merge the file; the top-level merge holds exactly the other rows. Committed
    /// at level 1, pypaimon reads the same rows as before.
    @Test func retractionsBelowTheTopLevelAreKept() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            try Peers.paimon(PaimonCompactInteropTests.generatePrimaryKey, arguments: [warehouse, "9"])
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_dedup", storage: LocalStorage())
            let before = try PaimonCompactInteropTests.probe(warehouse, "pk_dedup")
            let schema = try await table.latestSchema()
            let options = try PaimonOptions(schema.options, hasPrimaryKey: true)
            let live = try await PaimonSnapshotFiles(table: table).liveFiles(try await table.snapshot(9))
            let buckets = Dictionary(grouping: live) { "\(PaimonCompactionPlan.hex($0.partition))#\($0.bucket)" }
            var added: [PaimonManifestEntry] = []
            var retracts = 0
            for (_, entries) in buckets.sorted(by: { $0.key < $1.key }) {
                let inputs = entries.sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
                let bucketDirectory = try table.bucketDirectory(partition: inputs[0].partition, bucket: inputs[0].bucket, schema: schema,
                    options: options)
                func merge(dropDeletes: Bool) async throws -> (outputs: [PaimonAppendRewrite.Output], kinds: JSON) {
                    let outputs = try await PaimonPrimaryKeyRewrite.run(
                        inputs, directory: bucketDirectory, schema: schema, storage: table.storage, targetFileSize: 128 << 20,
                        compression: .zstd, outputLevel: dropDeletes ? 5 : 1, dropDeletes: dropDeletes, nowMs: Self.now(), written: { _ in })
                    let paths = outputs.map { Location($0.location)?.path ?? $0.location }
                    return (outputs, try JSON.parse(Array(try Peers.paimon(Self.kinds, arguments: paths))))
                }
                let kept = try await merge(dropDeletes: false)
                let dropped = try await merge(dropDeletes: true)
                func count(_ merged: (outputs: [PaimonAppendRewrite.Output], kinds: JSON), _ member: String) -> Int64 {
                    merged.kinds.objectValue?.reduce(Int64(0)) { $0 + ($1.1[member]?.int64Value ?? 0) } ?? -1
                }
                for output in kept.outputs {
                    let counted = kept.kinds[Location(output.location)?.path ?? output.location]?["retracts"]?.int64Value
                    #expect(counted == output.entry.file.deleteRowCount && output.entry.file.level == 1)
                }
                #expect(count(dropped, "retracts") == 0)
                #expect(dropped.outputs.allSatisfy { $0.entry.file.deleteRowCount == 0 && $0.entry.file.level == 5 })
                #expect(count(dropped, "rows") == count(kept, "rows") - count(kept, "retracts"))
                retracts += Int(count(kept, "retracts"))
                for output in dropped.outputs { try await table.storage.delete(output.location) }
                added += kept.outputs.map(\.entry)
            }
            #expect(retracts > 0, "the table's newest version of some keys is a delete")
            _ = try await PaimonCommit.compact(table, deleted: live, added: added, commitUser: "test", nowMs: { Self.now() })
            let after = try PaimonCompactInteropTests.probe(warehouse, "pk_dedup")
            #expect(after["snapshots"]?["10"]?["sha"] == before["snapshots"]?["9"]?["sha"])
            #expect(after["snapshots"]?["10"]?["missing"] == .int(0))
        }
    }
}
