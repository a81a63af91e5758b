import Documents
@testable import Execution
import Foundation
import Iceberg
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

/// Paimon's universal compaction as amoro plans it: the picks on made-up buckets (size amplification, size ratio,
/// run count, forced level-0 files, full), and on a pypaimon 2.1 primary-key table a size-ratio pick of the newest
/// runs into level 4 that keeps a retraction of a key living at level 5, checked by the rows pypaimon reads.
struct PaimonUniversalCompactionTests {
    static let settings = try! PaimonUniversalCompaction.Settings(PaimonOptions([:], hasPrimaryKey: true))

    /// A bucket's file: `level`, `size` bytes, sequence numbers from `sequence` on.
    static func file(_ name: String, level: Int, size: Int64, sequence: Int64) -> PaimonManifestEntry {
        PaimonManifestEntry(kind: .add, partition: [], bucket: 0, totalBuckets: 1, file: PaimonDataFile(
            fileName: name, fileSize: size, rowCount: 1, minKey: [], maxKey: [], minSequenceNumber: sequence,
            maxSequenceNumber: sequence + 9, schemaId: 0, level: level, extraFiles: [], creationTimeMs: 0, deleteRowCount: 0,
            fileSource: 0, externalPath: nil))
    }

    /// Level-0 files of `sizes`, newest first, above one level-5 file of `base` bytes.
    static func bucket(level0 sizes: [Int64], base: Int64?) -> [PaimonManifestEntry] {
        var files = sizes.enumerated().map { file("l0-\($0.offset)", level: 0, size: $0.element, sequence: Int64(1000 - 10 * $0.offset)) }
        if let base { files.append(file("l5", level: 5, size: base, sequence: 0)) }
        return files.shuffled()
    }

    /// What the planner leaves alone says why, in the words a plan's `skipped` carries; plain files of either kind
    /// of table, and a primary-key file above level 0, are rewritten.
    @Test func filesAmoroDoesNotRewriteSayWhy() {
        let plain = Self.file("data-1.parquet", level: 0, size: 10, sequence: 0)
        #expect(PaimonCompactionPlanner.ineligibility(plain, primaryKey: true) == nil)
        #expect(PaimonCompactionPlanner.ineligibility(plain, primaryKey: false) == nil)
        var indexed = plain
        indexed.file.extraFiles = ["data-1.parquet.index"]
        #expect(PaimonCompactionPlanner.ineligibility(indexed, primaryKey: false) == nil)
        var upper = plain
        upper.file.level = 3
        #expect(PaimonCompactionPlanner.ineligibility(upper, primaryKey: true) == nil)
        var cases: [(PaimonManifestEntry, Bool, String)] = []
        var entry = plain
        entry.bucket = -2
        cases.append((entry, true, "files of bucket -2, which Paimon assigns to buckets itself"))
        entry = plain
        entry.file.externalPath = "s3://elsewhere/data-1.parquet"
        cases.append((entry, true, "a file with an external path (data-file.external-paths)"))
        entry = plain
        entry.file.extraFiles = ["data-1.parquet.other"]
        cases.append((entry, false, "a file with extra files besides its index"))
        entry = plain
        entry.file.writeCols = ["a"]
        cases.append((entry, true, "a file of some columns only (data evolution, write-cols)"))
        entry = plain
        entry.file.firstRowId = 0
        cases.append((entry, false, "a file with row ids (row tracking)"))
        entry = plain
        entry.file.fileName = "data-1.orc"
        cases.append((entry, true, "a file not in Parquet (data-1.orc)"))
        cases.append((upper, false, "an append file at level 3"))
        entry = plain
        entry.file.deleteRowCount = 2
        cases.append((entry, false, "an append file with deleted rows"))
        for (entry, primaryKey, reason) in cases {
            #expect(PaimonCompactionPlanner.ineligibility(entry, primaryKey: primaryKey) == reason)
        }
    }

    /// Paimon's writers stall once a bucket's runs exceed `num-sorted-run.stop-trigger` (not when they reach it),
    /// and the stop trigger is never below the compaction trigger (`CoreOptions.numSortedRunStopTrigger`).
    @Test func writesStallBeyondTheStopTrigger() throws {
        let options = try PaimonOptions([:], hasPrimaryKey: true)
        #expect(options.numSortedRunStopTrigger == 8)
        #expect(try PaimonOptions(["num-sorted-run.compaction-trigger": "6", "num-sorted-run.stop-trigger": "2"], hasPrimaryKey: true)
            .numSortedRunStopTrigger == 6)
        #expect(try PaimonOptions(["num-sorted-run.compaction-trigger": "\(Int.max)"], hasPrimaryKey: true).numSortedRunStopTrigger == .max)
        func reason(runs: Int) -> String? {
            // Level-0 files of equal size: universal compaction picks them by run count, the stall check comes first.
            let files = Self.bucket(level0: Array(repeating: 10, count: runs), base: nil)
            let bucket = PaimonHealth.Bucket(partition: "", bucket: 0, files: runs, bytes: 0, records: 0, smallFiles: 0, levels: [0: runs],
                sortedRuns: runs, deleteRows: 0, deletionVectorFiles: 0, deletionVectorRows: 0, pending: nil)
            return PaimonHealth.pending(bucket, files: files, options: options, settings: Self.settings)?.reason
        }
        #expect(reason(runs: 8)?.contains("writes stall") == false)
        #expect(reason(runs: 9) == "9 sorted runs exceed num-sorted-run.stop-trigger 8: writes stall")
    }

    @Test func runsAreNewestFirstThenByLevel() {
        let runs = PaimonUniversalCompaction.runs(Self.bucket(level0: [10, 20, 30], base: 99) + [Self.file("l2", level: 2, size: 5, sequence: 100)])
        #expect(runs.map(\.level) == [0, 0, 0, 2, 5])
        #expect(runs.prefix(3).map { $0.files[0].file.fileName } == ["l0-0", "l0-1", "l0-2"])
    }

    @Test func sizeAmplificationMergesEverythingToTheTop() {
        let runs = PaimonUniversalCompaction.runs(Self.bucket(level0: [100, 100, 100, 100, 100], base: 200))
        let pick = PaimonUniversalCompaction.pick(runs, Self.settings, forceUpLevel0: false)
        #expect(pick?.runCount == 6 && pick?.outputLevel == 5 && pick?.reason.hasPrefix("size amplification") == true)
    }

    @Test func sizeRatioTakesTheNewestRunsIntoTheLevelAboveTheFirstLeftOut() {
        // Newest first, each older run no bigger than the ones before it: all level-0 runs join; level 5 is too big.
        let runs = PaimonUniversalCompaction.runs(Self.bucket(level0: [50, 40, 30, 20, 10], base: 10_000))
        let pick = PaimonUniversalCompaction.pick(runs, Self.settings, forceUpLevel0: false)
        #expect(pick?.runCount == 5 && pick?.outputLevel == 4 && pick?.reason.hasPrefix("size ratio") == true, "\(String(describing: pick))")
        #expect(PaimonUniversalCompaction.unit(runs, runCount: 5, topLevel: 5) == (runCount: 5, outputLevel: 4))
        // A prefix ending inside level 0 grows to the next non-zero level.
        #expect(PaimonUniversalCompaction.unit(runs, runCount: 2, topLevel: 5) == (runCount: 6, outputLevel: 5))
    }

    @Test func theRunCountTakesTheSurplusWhenSizesDoNotLineUp() {
        // Each older level-0 run bigger than the newer ones together: no size-ratio pick, but 7 runs are 2 over 5.
        let runs = PaimonUniversalCompaction.runs(Self.bucket(level0: [1, 3, 9, 27, 81, 243], base: 100_000))
        let pick = PaimonUniversalCompaction.pick(runs, Self.settings, forceUpLevel0: false)
        #expect(pick?.reason.hasPrefix("7 sorted runs") == true && pick?.outputLevel == 4 && pick?.runCount == 6, "\(String(describing: pick))")
    }

    @Test func fewRunsPickNothingUnlessForcedUp() {
        let runs = PaimonUniversalCompaction.runs(Self.bucket(level0: [10, 10], base: 1000))
        #expect(PaimonUniversalCompaction.pick(runs, Self.settings, forceUpLevel0: false) == nil)
        let forced = PaimonUniversalCompaction.pick(runs, Self.settings, forceUpLevel0: true)
        #expect(forced?.runCount == 2 && forced?.outputLevel == 4)
        #expect(PaimonUniversalCompaction.full(runs, Self.settings)?.runCount == 3)
        // One run at the top is done; a single file is never merged into its own level.
        let top = PaimonUniversalCompaction.runs(Self.bucket(level0: [], base: 1000))
        #expect(PaimonUniversalCompaction.full(top, Self.settings) == nil)
        #expect(PaimonUniversalCompaction.pick(top, Self.settings, forceUpLevel0: true) == nil)
    }

    @Test func optionsPaimonWouldNotTakeAreRefused() throws {
        for options in [["compaction.size-ratio": "-1"], ["compaction.max-size-amplification-percent": "-5"],
            ["num-sorted-run.compaction-trigger": "0"], ["num-levels": "1"], ["num-levels": "100000"]]
        {
            #expect(throws: PaimonError.self, "\(options)") {
                try PaimonUniversalCompaction.Settings(PaimonOptions(options, hasPrimaryKey: true))
            }
        }
        #expect(try PaimonUniversalCompaction.Settings(PaimonOptions(["num-levels": "3"], hasPrimaryKey: true)).topLevel == 2)
    }

    @Test func fullCompactionIdentifiersAreCountedAsPaimonCountsThem() {
        #expect(PaimonCompactionPlanner.isFullCompacted(Int64.max, deltaCommits: 7))
        #expect(PaimonCompactionPlanner.isFullCompacted(14, deltaCommits: 7))
        #expect(!PaimonCompactionPlanner.isFullCompacted(15, deltaCommits: 7))
        #expect(!PaimonCompactionPlanner.isFullCompacted(Int64.max - 1, deltaCommits: 2) || !PaimonCompactionPlanner.isFullCompacted(Int64.max - 2, deltaCommits: 2))
    }
}

/// The interop half: pypaimon writes, amoro plans and compacts, pypaimon reads.
@Suite(.enabled(if: Peers.paimonPython != nil)) struct PaimonMinorCompactionInteropTests {
    /// `WAREHOUSE STEP`: `db.pk_minor` (deduplicate, one bucket, key id, `rowkind.field` op,
    /// `full-compaction.delta-commits` 6). STEP `base`: one commit of 3000 keys; `small`: five commits, newest the
    /// biggest, updating keys and deleting key 7 in the newest; `one`: one more small commit.
    static let write = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory, Schema
        wh, step = sys.argv[1], sys.argv[2]
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        schema = pa.schema([pa.field('id', pa.int64(), nullable=False), ('v', pa.string()), ('op', pa.string())])
        cat.create_table('db.pk_minor', Schema.from_pyarrow_schema(schema, primary_keys=['id'],
                         options={'bucket': '1', 'rowkind.field': 'op', 'full-compaction.delta-commits': '6'}), True)
        def commit(rows):
            t = cat.get_table('db.pk_minor')
            wb = t.new_batch_write_builder()
            w = wb.new_write(); c = wb.new_commit()
            w.write_arrow(pa.Table.from_pylist(rows, schema=schema))
            c.commit(w.prepare_commit()); w.close(); c.close()
        if step == 'base':
            commit([{'id': k, 'v': f'base value {k} ' * 3, 'op': '+I'} for k in range(3000)])
        elif step == 'small':
            for i in range(5):
                rows = [{'id': (i * 37 + k * 11) % 3000 + (k % 2), 'v': f'update {i}-{k}', 'op': '+I'} for k in range(4 + 6 * i)]
                rows = [r for r in rows if r['id'] != 7]
                if i == 4: rows.append({'id': 7, 'v': None, 'op': '-D'})
                commit(rows)
        else:
            commit([{'id': 5000 + k, 'v': 'late', 'op': '+I'} for k in range(3)])
        """#

    static let limits = PaimonCompactionPlanner.Limits(budgetBytes: 1 << 40, maxTasks: nil)
    static let identifier = TableIdentifier(namespace: ["db"], name: "pk_minor")
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func plan(_ table: PaimonTable, _ level: String) async throws -> PaimonCompactionPlan {
        let planned = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "db.pk_minor", level: level, limits: limits,
            nowMs: now())
        let decoded = try PaimonPlanDocument(json: try JSON.parse(PaimonPlanDocument(planned).json.rendered())).plan
        #expect(decoded == planned)
        return decoded
    }

    static func run(_ plan: PaimonCompactionPlan, _ table: PaimonTable) async throws -> PaimonCompact.Result {
        try await PaimonCompact.run(plan, table: table, identifier: identifier, options: .init(parallelism: 1, dryRun: false) { now() })
    }

    static func probe(_ warehouse: String) throws -> JSON {
        try JSON.parse(Array(try Peers.paimon(PaimonPeer.probe, arguments: [warehouse, "db.pk_minor"])))
    }

    static func levels(_ table: PaimonTable) async throws -> [Int] {
        let head = try await table.snapshot(try await table.snapshotFiles().last!.id)
        return try await PaimonSnapshotFiles(table: table).liveFiles(head).map(\.file.level).sorted()
    }

    @Test func aSizeRatioPickMergesTheNewestRunsBelowTheTopAndKeepsTheirRetractions() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_minor", storage: LocalStorage())
            try Peers.paimon(Self.write, arguments: [warehouse, "base"])
            let first = try await Self.plan(table, "full")
            #expect(first.tasks.count == 1 && first.tasks[0].outputLevel == 5)
            #expect(try await Self.run(first, table).status == .committed)
            #expect(try await table.snapshot(2).commitIdentifier == Int64.max, "a full compaction is full-compacted for Paimon")
            try Peers.paimon(Self.write, arguments: [warehouse, "small"])
            #expect(try await Self.levels(table) == [0, 0, 0, 0, 0, 5])
            let before = try Self.probe(warehouse)

            // Five delta commits since the full compaction, six due: auto is minor, and minor picks by size ratio.
            let plan = try await Self.plan(table, "auto")
            #expect(plan.snapshotId == 7 && plan.tasks.count == 1)
            let task = try #require(plan.tasks.first)
            #expect(task.outputLevel == 4 && task.files.count == 5 && task.reason.hasPrefix("size ratio"), "\(task.reason)")
            let health = try await PaimonHealth.scan(table, catalog: "direct", name: "db.pk_minor", nowMs: Self.now())
            #expect(health.buckets.map { $0.pending?.reason } == [task.reason], "the scan names the compaction the plan makes")

            // A first-row table is merged into the top level only: the same pick becomes every run.
            let schema0 = try String(contentsOfFile: "\(table.location)/schema/schema-0", encoding: .utf8)
            let firstRow = schema0.replacingOccurrences(of: "\"version\": 3,\n  \"id\": 0,", with: "\"version\": 3,\n  \"id\": 1,")
                .replacingOccurrences(of: "\"bucket\": \"1\"", with: "\"bucket\": \"1\", \"merge-engine\": \"first-row\"")
            #expect(firstRow.contains("first-row") && firstRow.contains("\"id\": 1,"))
            try firstRow.write(toFile: "\(table.location)/schema/schema-1", atomically: true, encoding: .utf8)
            let whole = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "db.pk_minor", level: "minor",
                limits: Self.limits, nowMs: Self.now())
            #expect(whole.tasks.map(\.outputLevel) == [5] && whole.tasks.first?.files.count == 6, "\(whole.tasks.map(\.reason))")
            try FileManager.default.removeItem(atPath: "\(table.location)/schema/schema-1")

            // The executor takes only what Paimon would: a prefix of the runs, into the level Paimon gives it.
            var mutations: [(String, PaimonCompactionPlan)] = []
            var deeper = plan
            deeper.tasks[0].outputLevel = 5
            mutations.append(("top level for a prefix", deeper))
            var shallower = plan
            shallower.tasks[0].outputLevel = 3
            mutations.append(("level 3", shallower))
            var none = plan
            none.tasks[0].outputLevel = nil
            mutations.append(("no level", none))
            let runs = try await PaimonUniversalCompaction.runs(PaimonSnapshotFiles(table: table).liveFiles(table.snapshot(7)))
            for (what, index) in [("a middle run left out", 2), ("the oldest level-0 run left out", 4)] {
                var gap = plan
                gap.tasks[0].files.removeAll { $0.fileName == runs[index].files[0].file.fileName }
                mutations.append((what, gap))
            }
            for (what, mutated) in mutations {
                await #expect(throws: AmoroError.self, "\(what)") { _ = try await Self.run(mutated, table) }
            }
            #expect(try await table.snapshotFiles().count == 7, "nothing committed")

            let result = try await Self.run(plan, table)
            #expect(result.status == .committed && result.snapshotId == 8)
            #expect(try await Self.levels(table) == [4, 5])
            let snapshot = try await table.snapshot(8)
            #expect(snapshot.commitIdentifier != Int64.max
                && !PaimonCompactionPlanner.isFullCompacted(snapshot.commitIdentifier, deltaCommits: 6), "a minor compaction is not full")
            let after = try Self.probe(warehouse)
            #expect(after["snapshots"]?["8"]?["sha"] == before["snapshots"]?["7"]?["sha"], "pypaimon reads the same rows; key 7 stays deleted")
            #expect(after["snapshots"]?["8"]?["rows"] == before["snapshots"]?["7"]?["rows"])
            #expect(try await Self.plan(table, "minor").tasks.isEmpty, "two runs: nothing due")

            // A sixth delta commit since the full compaction makes auto full: everything to level 5, deletes gone.
            try Peers.paimon(Self.write, arguments: [warehouse, "one"])
            let full = try await Self.plan(table, "auto")
            #expect(full.tasks.count == 1 && full.tasks[0].outputLevel == 5 && full.tasks[0].files.count == 3, "\(full.tasks.map(\.reason))")
            let merged = try await Self.run(full, table)
            #expect(merged.status == .committed && merged.rowsOut < merged.rows)
            #expect(try await Self.levels(table) == [5])
            let last = try Self.probe(warehouse)
            #expect(last["snapshots"]?["10"]?["sha"] == last["snapshots"]?["9"]?["sha"])
            #expect(last["snapshots"]?["10"]?["missing"] == .int(0))
        }
    }
}
