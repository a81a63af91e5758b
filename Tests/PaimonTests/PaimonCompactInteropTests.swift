import Documents
import Execution
import Foundation
import Iceberg
import JSONCoding
import Paimon
import Parquet
import Storage
import Testing
import TestSupport

/// `amoro plan | amoro compact` on append tables pypaimon 2.1 writes: pypaimon reads exactly the same rows at the
/// new COMPACT snapshot and at every older one, file counts drop, a second plan is empty, a pypaimon append between
/// plan and commit is kept, an overwrite in between makes the compaction a conflict that commits nothing, and
/// plans that do not fit the table are refused.
@Suite(.enabled(if: Peers.paimonPython != nil)) struct PaimonCompactInteropTests {
    /// `WAREHOUSE COMMITS`: three append tables, COMMITS commits each of three rows over three partitions (where
    /// partitioned): `ap_unaware` (bucket -1, unpartitioned), `ap_evolved` (bucket -1, partitioned by dt, a column
    /// added halfway) and `ap_fixed` (two fixed buckets on id, partitioned by dt).
    static let generate = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory, Schema
        from pypaimon.schema.schema_change import SchemaChange
        from pypaimon.schema.data_types import AtomicType
        wh, commits = sys.argv[1], int(sys.argv[2])
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        base = pa.schema([('id', pa.int64()), ('dt', pa.string()), ('v', pa.string()), ('n', pa.int32())])
        specs = {
          'db.ap_unaware': dict(partition_keys=None, options={}),
          'db.ap_evolved': dict(partition_keys=['dt'], options={}),
          'db.ap_fixed': dict(partition_keys=['dt'], options={'bucket': '2', 'bucket-key': 'id'}),
        }
        for name, spec in specs.items():
            cat.create_table(name, Schema.from_pyarrow_schema(base, partition_keys=spec['partition_keys'], options=spec['options']), True)
            schema = base
            for i in range(commits):
                if i == commits // 2 and name == 'db.ap_evolved':
                    cat.alter_table(name, [SchemaChange.add_column('extra', AtomicType('BIGINT'))])
                    schema = pa.schema(list(base) + [pa.field('extra', pa.int64())])
                rows = [{'id': i * 10 + k, 'dt': ['2024-01-01', '2024-01-02', 'a long partition value'][k],
                         'v': f'value {i}-{k} with some text' if (i + k) % 4 else None, 'n': (i * 7 + k) % 5 - 2} for k in range(3)]
                if 'extra' in schema.names:
                    for k, r in enumerate(rows): r['extra'] = i * 1000 + k
                t = cat.get_table(name)
                wb = t.new_batch_write_builder()
                w = wb.new_write(); c = wb.new_commit()
                w.write_arrow(pa.Table.from_pylist(rows, schema=schema))
                c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    /// `WAREHOUSE db.table MODE`: one more commit, an append (`append`) or an overwrite of the whole table
    /// (`overwrite`).
    static let write = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory
        wh, name, mode = sys.argv[1], sys.argv[2], sys.argv[3]
        t = CatalogFactory.create({'warehouse': wh}).get_table(name)
        schema = pa.schema([('id', pa.int64()), ('dt', pa.string()), ('v', pa.string()), ('n', pa.int32())])
        wb = t.new_batch_write_builder()
        if mode == 'overwrite': wb = wb.overwrite({})
        w = wb.new_write(); c = wb.new_commit()
        w.write_arrow(pa.Table.from_pylist([{'id': 9000 + k, 'dt': '2024-01-01', 'v': 'late', 'n': k} for k in range(4)], schema=schema))
        c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    /// `WAREHOUSE COMMITS [BUCKET]`: `pk_dedup`, a primary-key table (deduplicate; keys dt and id, partitioned by dt,
    /// two buckets, or with `-1` dynamic buckets of at most three keys each) whose commits upsert overlapping keys
    /// and, every third commit, delete some (`rowkind.field`).
    static let generatePrimaryKey = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory, Schema
        wh, commits = sys.argv[1], int(sys.argv[2])
        bucket = sys.argv[3] if len(sys.argv) > 3 else '2'
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        schema = pa.schema([pa.field('id', pa.int64(), nullable=False), pa.field('dt', pa.string(), nullable=False), ('v', pa.string()), ('op', pa.string())])
        dynamic = {'dynamic-bucket.target-row-num': '3'} if bucket == '-1' else {}
        cat.create_table('db.pk_dedup', Schema.from_pyarrow_schema(schema, partition_keys=['dt'], primary_keys=['dt', 'id'],
                         options={'bucket': bucket, 'rowkind.field': 'op', **dynamic}), True)
        for i in range(commits):
            rows = [{'id': (i * 3 + k) % 10, 'dt': ['a', 'b'][k % 2], 'v': f'v{i}-{k}' if k % 3 else None,
                     'op': '-D' if i % 3 == 2 and k < 2 else '+I'} for k in range(6)]
            t = cat.get_table('db.pk_dedup')
            wb = t.new_batch_write_builder()
            w = wb.new_write(); c = wb.new_commit()
            w.write_arrow(pa.Table.from_pylist(rows, schema=schema))
            c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    static func warehouse(_ directory: URL, commits: Int = 12) throws -> String {
        let path = directory.appendingPathComponent("warehouse").path
        try Peers.paimon(Self.generate, arguments: [path, String(commits)])
        return path
    }

    static func probe(_ warehouse: String, _ table: String) throws -> JSON {
        try JSON.parse(Array(try Peers.paimon(PaimonPeer.probe, arguments: [warehouse, "db.\(table)"])))
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static let limits = PaimonCompactionPlanner.Limits(budgetBytes: 1 << 40, maxTasks: nil)
    static let identifier = TableIdentifier(namespace: ["db"], name: "t")

    /// Plans, sends the plan through its document form, and compacts.
    static func compact(_ table: PaimonTable, level: String = "auto") async throws -> (PaimonCompactionPlan, PaimonCompact.Result) {
        let planned = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: level, limits: limits, nowMs: now())
        let decoded = try PaimonPlanDocument(json: try JSON.parse(PaimonPlanDocument(planned).json.rendered())).plan
        #expect(decoded == planned)
        let result = try await PaimonCompact.run(decoded, table: table, identifier: identifier,
            options: .init(parallelism: 2, dryRun: false) { now() })
        return (decoded, result)
    }

    static func files(_ probe: JSON) -> [String: Int64] {
        var files: [String: Int64] = [:]
        for (key, value) in probe["buckets"]?.objectValue ?? [] { files[key] = value["files"]?.int64Value ?? -1 }
        return files
    }

    @Test(arguments: ["ap_unaware", "ap_evolved", "ap_fixed"])
    func compactionKeepsEveryRowAtEverySnapshot(name: String) async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory)
            let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
            let before = try Self.probe(warehouse, name)
            let (plan, result) = try await Self.compact(table)
            #expect(!plan.tasks.isEmpty && plan.snapshotId == 12, "\(name)")
            if name == "ap_evolved" {
                #expect(plan.tasks.count == 6, "two schemas in three partitions: \(plan.tasks.map(\.files.count))")
            }
            #expect(result.status == .committed && result.snapshotId == 13 && result.retries == 0)
            #expect(result.filesOut == plan.tasks.count && result.filesIn == plan.tasks.reduce(0) { $0 + $1.files.count })
            let snapshot = try await table.snapshot(13)
            #expect(snapshot.commitKind == .compact && snapshot.totalRecordCount == 36 && snapshot.deltaRecordCount == 0)
            #expect(await table.hint("LATEST") == 13)
            let after = try Self.probe(warehouse, name)
            for (id, fingerprint) in before["snapshots"]?.objectValue ?? [] {
                #expect(after["snapshots"]?[id] == fingerprint, "\(name) snapshot \(id)")
            }
            let latest = after["snapshots"]?["13"]
            #expect(latest?["rows"] == .int(36) && latest?["sha"] == before["snapshots"]?["12"]?["sha"], "\(name)")
            #expect(latest?["missing"] == .int(0))
            let filesBefore = Self.files(before).values.reduce(0, +)
            let filesAfter = Self.files(after).values.reduce(0, +)
            #expect(filesAfter == filesBefore - Int64(result.filesIn) + Int64(result.filesOut) && filesAfter < filesBefore, "\(name)")
            #expect(Set(Self.files(after).keys) == Set(Self.files(before).keys))
            // Paimon's triggers hold nowhere any more.
            let again = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "auto", limits: Self.limits,
                nowMs: Self.now())
            #expect(again.tasks.isEmpty, "\(name): \(again.tasks.map(\.reason))")
            // The outputs carry Paimon's metadata: level 0, COMPACT source, sequence numbers and value statistics.
            let files = PaimonSnapshotFiles(table: table)
            let added = try await files.entries(ofList: snapshot.deltaManifestList).filter { $0.kind == .add }
            #expect(added.count == result.filesOut && added.allSatisfy { $0.file.fileSource == 1 && $0.file.level == 0 })
            #expect(added.allSatisfy { $0.file.valueStats.nullCounts?.isEmpty == false })

            // Expiry down to the compacted snapshot deletes exactly the compacted-away inputs, and orphan cleaning
            // then finds nothing: amoro's COMPACT snapshot is read by its own maintenance as by pypaimon.
            let inputs = Set(plan.tasks.flatMap { $0.files.map(\.fileName) })
            var expiry = PaimonExpire.Options()
            expiry.retainLast = 1
            expiry.olderThanMs = Self.now() + 1
            expiry.run.force = true
            let expired = try await PaimonExpire.run(table, options: expiry, nowMs: Self.now())
            #expect(expired.status == .expired && expired.earliest == 13, "\(name): \(expired.status)")
            let deleted = expired.files.filter { $0.fileClass == .data }.map(\.path)
            #expect(Set(deleted.map { String($0.split(separator: "/").last ?? "") }) == inputs && deleted.count == inputs.count,
                "\(name): expiry deletes the compacted inputs and nothing else")
            #expect(deleted.allSatisfy { !FileManager.default.fileExists(atPath: Location($0)?.path ?? $0) })
            var orphans = CleanOrphansAction.Options()
            orphans.olderThanMs = 0
            let cleaned = try await PaimonOrphanClean.run(table, options: orphans, enabled: true, nowMs: Self.now() + 1)
            #expect(cleaned.outcome.orphans.isEmpty, "\(name): \(cleaned.outcome.orphans.map(\.location))")
            let maintained = try Self.probe(warehouse, name)
            #expect(maintained["snapshots"]?["13"] == latest, "\(name): pypaimon reads the same rows after expiry and orphan cleaning")
        }
    }

    /// `WAREHOUSE COMMITS ROWS`: `ap_groups`, an append table with `parquet.block.size` 64 KiB, written in COMMITS
    /// commits of ROWS rows each, every file in row groups of 100 rows.
    static let generateGroups = #"""
        import pyarrow as pa, pyarrow.parquet as pq, sys
        from pypaimon import CatalogFactory, Schema
        original = pq.write_table
        pq.write_table = lambda table, where, **kwargs: original(table, where, **{**kwargs, 'row_group_size': 100})
        wh, commits, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        schema = pa.schema([('id', pa.int64()), ('v', pa.string())])
        cat.create_table('db.ap_groups', Schema.from_pyarrow_schema(schema, options={'parquet.block.size': '65536'}), True)
        for i in range(commits):
            t = cat.get_table('db.ap_groups')
            wb = t.new_batch_write_builder()
            w = wb.new_write(); c = wb.new_commit()
            w.write_arrow(pa.Table.from_pylist([{'id': i * count + k, 'v': f'value {i} of {k} ' * 3} for k in range(count)], schema=schema))
            c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    /// Eight append files of 2000 rows (row groups of 100) rewritten into one file of a 128 MiB target: the output
    /// streams to disk in row groups of the table's `parquet.block.size` (64 KiB), so the rewrite holds one input
    /// row group and one output row group at a time, not the file (which held all 16000 rows before it was
    /// written); the entry counts every row in sequence order, and pypaimon reads the same rows after the commit.
    @Test func anAppendRewriteHoldsAboutOneRowGroup() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            try Peers.paimon(Self.generateGroups, arguments: [warehouse, "8", "2000"])
            let table = PaimonTable(location: "\(warehouse)/db.db/ap_groups", storage: LocalStorage())
            let before = try Self.probe(warehouse, "ap_groups")
            let schema = try await table.latestSchema()
            let options = try PaimonOptions(schema.options, hasPrimaryKey: false)
            #expect(options.parquetBlockSize == 65536)
            let live = try await PaimonSnapshotFiles(table: table).liveFiles(try await table.snapshot(8))
                .sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
            #expect(live.count == 8 && live.reduce(0) { $0 + $1.file.rowCount } == 16000)
            let memory = PaimonMergeMemory()
            let outputs = try await PaimonAppendRewrite.run(
                live, directory: try table.bucketDirectory(partition: live[0].partition, bucket: 0, schema: schema, options: options),
                schema: schema, storage: table.storage, targetFileSize: 128 << 20, compression: .zstd, nowMs: Self.now(),
                memory: memory, written: { _ in })
            #expect(outputs.count == 1)
            let output = try #require(outputs.first)
            #expect(output.entry.file.rowCount == 16000 && output.entry.file.minSequenceNumber == live[0].file.minSequenceNumber)
            #expect(output.entry.file.maxSequenceNumber == live[0].file.minSequenceNumber + 15999)
            let footer = try ParquetFileReader(path: Location(output.location)?.path ?? output.location).metadata
            let size = try FileManager.default.attributesOfItem(atPath: Location(output.location)?.path ?? output.location)[.size]
            #expect((size as? NSNumber)?.int64Value == output.entry.file.fileSize)
            let largestGroup = footer.rowGroups.map { Int($0.numRows) }.max() ?? 0
            #expect(footer.rowGroups.count > 2 && largestGroup < 16000 / 2, "\(footer.rowGroups.map(\.numRows))")
            #expect(memory.peakRows > 100 && memory.peakRows <= 100 + largestGroup, "held \(memory.peakRows) rows at once")
            _ = try await PaimonCommit.compact(table, deleted: live, added: outputs.map(\.entry), commitUser: "test", nowMs: { Self.now() })
            let after = try Self.probe(warehouse, "ap_groups")
            #expect(after["snapshots"]?["9"]?["sha"] == before["snapshots"]?["8"]?["sha"])
            #expect(after["snapshots"]?["9"]?["rows"] == .int(16000) && after["snapshots"]?["9"]?["missing"] == .int(0))
        }
    }

    /// Deduplicate primary-key buckets merged to the top level: pypaimon reads the same rows (merge-on-read before,
    /// one run after) at the new snapshot and every older one, each bucket is one file at level 5 without
    /// retractions, and a second plan, even at level full, is empty.
    @Test(arguments: ["auto", "full"])
    func primaryKeyBucketsMergeToOneRun(level: String) async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            try Peers.paimon(Self.generatePrimaryKey, arguments: [warehouse, "9"])
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_dedup", storage: LocalStorage())
            let before = try Self.probe(warehouse, "pk_dedup")
            let (plan, result) = try await Self.compact(table, level: level)
            #expect(!plan.tasks.isEmpty && result.status == .committed && result.snapshotId == 10, "\(plan.tasks.map(\.reason))")
            #expect(result.rowsOut < result.rows, "older versions and deletes are gone")
            let after = try Self.probe(warehouse, "pk_dedup")
            for (id, fingerprint) in before["snapshots"]?.objectValue ?? [] {
                #expect(after["snapshots"]?[id] == fingerprint, "snapshot \(id)")
            }
            #expect(after["snapshots"]?["10"]?["sha"] == before["snapshots"]?["9"]?["sha"])
            #expect(after["snapshots"]?["10"]?["missing"] == .int(0))
            let compacted = Set(plan.tasks.map { "\($0.partition)#\($0.bucket)" })
            for (bucket, files) in Self.files(after) where compacted.contains(bucket) {
                #expect(files == 1, "\(bucket)")
            }
            let snapshot = try await table.snapshot(10)
            let added = try await PaimonSnapshotFiles(table: table).entries(ofList: snapshot.deltaManifestList).filter { $0.kind == .add }
            #expect(added.allSatisfy { $0.file.level == 5 && $0.file.fileSource == 1 && ($0.file.minKey != $0.file.maxKey || $0.file.rowCount == 1) })
            let live = try await PaimonSnapshotFiles(table: table).liveFiles(snapshot)
            #expect(snapshot.totalRecordCount == live.reduce(0) { $0 + $1.file.rowCount })
            for again in ["auto", "full"] {
                let next = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: again, limits: Self.limits,
                    nowMs: Self.now())
                #expect(next.tasks.isEmpty, "\(again): \(next.tasks.map(\.reason))")
            }
            // Snapshot ordering and changelog producers are refused, not approximated.
            let schema0 = try String(contentsOfFile: "\(table.location)/schema/schema-0", encoding: .utf8)
            for (option, value) in [("sequence.snapshot-ordering", "true"), ("changelog-producer", "lookup")] {
                let evolved = schema0.replacingOccurrences(of: "\"version\": 3,\n  \"id\": 0,", with: "\"version\": 3,\n  \"id\": 1,")
                    .replacingOccurrences(of: "\"bucket\": \"2\"", with: "\"bucket\": \"2\", \"\(option)\": \"\(value)\"")
                #expect(evolved.contains("\"id\": 1,"))
                #expect(evolved.contains(option))
                try evolved.write(toFile: "\(table.location)/schema/schema-1", atomically: true, encoding: .utf8)
                await #expect(throws: PaimonError.self, "\(option)") {
                    _ = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "full", limits: Self.limits,
                        nowMs: Self.now())
                }
            }
        }
    }

    /// `WAREHOUSE`: one more commit to `pk_dedup`: updates of every key written so far and new keys.
    static let upsertPrimaryKeys = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory
        t = CatalogFactory.create({'warehouse': sys.argv[1]}).get_table('db.pk_dedup')
        schema = pa.schema([pa.field('id', pa.int64(), nullable=False), pa.field('dt', pa.string(), nullable=False), ('v', pa.string()), ('op', pa.string())])
        wb = t.new_batch_write_builder(); w = wb.new_write(); c = wb.new_commit()
        w.write_arrow(pa.Table.from_pylist([{'id': k, 'dt': dt, 'v': f'late {k}', 'op': '+I'} for k in range(14) for dt in ['a', 'b']], schema=schema))
        c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    /// A dynamic-bucket primary-key table (`bucket = -1`, keys spread over several buckets by pypaimon's hash index):
    /// every bucket merges to one run and pypaimon reads the same rows at every snapshot; the hash index is carried
    /// over, so a later pypaimon commit updating every key reads the same on the compacted table as on a copy never
    /// compacted (a key the index lost would come back as a second row); and a second plan is empty.
    @Test func dynamicBucketTablesMergeAndTakeLaterWrites() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let control = directory.appendingPathComponent("control").path
            try Peers.paimon(Self.generatePrimaryKey, arguments: [warehouse, "9", "-1"])
            try FileManager.default.copyItem(atPath: warehouse, toPath: control)
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_dedup", storage: LocalStorage())
            let before = try Self.probe(warehouse, "pk_dedup")
            #expect(Self.files(before).count > 2, "the keys are spread over several buckets: \(Self.files(before))")
            let (plan, result) = try await Self.compact(table, level: "full")
            #expect(plan.tasks.count > 2 && result.status == .committed && result.snapshotId == 10)
            let after = try Self.probe(warehouse, "pk_dedup")
            for (id, fingerprint) in before["snapshots"]?.objectValue ?? [] {
                #expect(after["snapshots"]?[id] == fingerprint, "snapshot \(id)")
            }
            #expect(after["snapshots"]?["10"]?["sha"] == before["snapshots"]?["9"]?["sha"])
            #expect(Self.files(after).values.allSatisfy { $0 == 1 }, "\(Self.files(after))")
            let latest = try await table.snapshot(10)
            let previous = try await table.snapshot(9)
            #expect(latest.indexManifest != nil && latest.indexManifest == previous.indexManifest)
            let next = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "full", limits: Self.limits,
                nowMs: Self.now())
            #expect(next.tasks.isEmpty, "\(next.tasks.map(\.reason))")
            try Peers.paimon(Self.upsertPrimaryKeys, arguments: [warehouse])
            try Peers.paimon(Self.upsertPrimaryKeys, arguments: [control])
            let compacted = try Self.probe(warehouse, "pk_dedup")["snapshots"]?["11"]
            let untouched = try Self.probe(control, "pk_dedup")["snapshots"]?["10"]
            #expect(compacted?["sha"] != nil && compacted?["sha"] == untouched?["sha"] && compacted?["rows"] == .int(28))
        }
    }

    @Test func aWriterBetweenPlanAndCommitIsKept() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory, commits: 8)
            let table = PaimonTable(location: "\(warehouse)/db.db/ap_unaware", storage: LocalStorage())
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "auto", limits: Self.limits,
                nowMs: Self.now())
            #expect(plan.tasks.count == 1 && plan.snapshotId == 8)
            try Peers.paimon(Self.write, arguments: [warehouse, "db.ap_unaware", "append"])
            let appended = try Self.probe(warehouse, "ap_unaware")
            let result = try await PaimonCompact.run(plan, table: table, identifier: Self.identifier,
                options: .init(parallelism: 1, dryRun: false) { Self.now() })
            #expect(result.status == .committed && result.snapshotId == 10)
            let after = try Self.probe(warehouse, "ap_unaware")
            #expect(after["snapshots"]?["10"]?["sha"] == appended["snapshots"]?["9"]?["sha"])
            #expect(after["snapshots"]?["10"]?["rows"] == .int(28))
            #expect(Self.files(after)["#0"] == 2, "the compacted file and the writer's")
        }
    }

    /// Another writer takes `snapshot-N` just before amoro's commit creates it: the no-replace write fails, amoro
    /// re-reads the head, finds its inputs still live and commits `snapshot-N+1`; the other writer's snapshot stays.
    @Test func aLostRaceIsRetriedOnTheNewHead() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory, commits: 6)
            let location = "\(warehouse)/db.db/ap_unaware"
            let racing = RacingStorage(location: location)
            let table = PaimonTable(location: location, storage: racing)
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "auto", limits: Self.limits,
                nowMs: Self.now())
            let before = try Self.probe(warehouse, "ap_unaware")
            let result = try await PaimonCompact.run(plan, table: table, identifier: Self.identifier,
                options: .init(parallelism: 1, dryRun: false) { Self.now() })
            #expect(result.status == .committed && result.snapshotId == 8 && result.retries == 1)
            let rival = try await table.snapshot(7)
            let ours = try await table.snapshot(8)
            #expect(rival.commitUser == "rival" && ours.commitKind == .compact)
            let after = try Self.probe(warehouse, "ap_unaware")
            #expect(after["snapshots"]?["8"]?["sha"] == before["snapshots"]?["6"]?["sha"] && after["snapshots"]?["8"]?["missing"] == .int(0))
            // The losing attempt's manifests are gone: every manifest file is reached by a snapshot.
            var clean = CleanOrphansAction.Options()
            clean.olderThanMs = 0
            clean.run.dryRun = true
            let orphans = try await PaimonOrphanClean.run(PaimonTable(location: location, storage: LocalStorage()), options: clean,
                enabled: true, nowMs: Self.now() + 3_600_000)
            #expect(orphans.outcome.orphans.map(\.location) == [])
        }
    }

    /// What a killed compaction journaled is swept by the next locked run: files no snapshot reaches go; the
    /// table's data, manifests, snapshots and hints stay, and pypaimon reads the same rows.
    @Test func leftoversOfAKilledRunAreSwept() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory, commits: 6)
            let table = PaimonTable(location: "\(warehouse)/db.db/ap_unaware", storage: LocalStorage())
            let before = try Self.probe(warehouse, "ap_unaware")
            let stray = ["\(table.location)/bucket-0/data-killed-0.parquet", "\(table.location)/manifest/manifest-killed-0"]
            for path in stray { try Data("half written".utf8).write(to: URL(fileURLWithPath: path)) }
            let latest = try await table.snapshot(6)
            let live = try await PaimonSnapshotFiles(table: table).liveFiles(latest)
            let kept = ["\(table.location)/bucket-0/\(live[0].file.fileName)", table.manifestLocation(latest.deltaManifestList),
                table.snapshotLocation(6), "\(table.snapshotDirectory)/LATEST", "\(table.location)/schema/schema-0"]
            let removed = try await PaimonLeftoverSweep.run(stray + kept + ["\(table.location)/bucket-0/never-written"], table: table,
                parallelism: 2)
            #expect(Set(removed) == Set(stray))
            for path in kept { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
            #expect(try Self.probe(warehouse, "ap_unaware") == before)
        }
    }

    @Test func anOverwriteBetweenPlanAndCommitIsAConflict() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory, commits: 6)
            let table = PaimonTable(location: "\(warehouse)/db.db/ap_unaware", storage: LocalStorage())
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "auto", limits: Self.limits,
                nowMs: Self.now())
            try Peers.paimon(Self.write, arguments: [warehouse, "db.ap_unaware", "overwrite"])
            let bucket = "\(table.location)/bucket-0"
            let filesBefore = try FileManager.default.contentsOfDirectory(atPath: bucket).sorted()
            await #expect {
                _ = try await PaimonCompact.run(plan, table: table, identifier: Self.identifier,
                    options: .init(parallelism: 1, dryRun: false) { Self.now() })
            } throws: { error in
                if case AmoroError.conflict = error { true } else { false }
            }
            #expect(try await table.snapshotFiles().map(\.id) == Array(1...7), "nothing committed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: bucket).sorted() == filesBefore, "nothing written")
        }
    }

    @Test func plansThatDoNotFitTheTableAreRefused() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory, commits: 6)
            let table = PaimonTable(location: "\(warehouse)/db.db/ap_fixed", storage: LocalStorage())
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "full", limits: Self.limits,
                nowMs: Self.now())
            #expect(!plan.tasks.isEmpty)
            var mutations: [(String, PaimonCompactionPlan)] = []
            var escaping = plan
            escaping.tasks[0].files[0].fileName = "../../escape.parquet"
            mutations.append(("path", escaping))
            var resized = plan
            resized.tasks[0].files[0].size += 1
            mutations.append(("size", resized))
            var twice = plan
            twice.tasks[0].files.append(twice.tasks[0].files[0])
            mutations.append(("twice", twice))
            var gap = plan
            gap.tasks[0].files.remove(at: 1)
            mutations.append(("gap", gap))
            var elsewhere = plan
            elsewhere.location = "\(warehouse)/db.db/ap_unaware"
            mutations.append(("location", elsewhere))
            var bucket = plan
            bucket.tasks[0].bucket = 7
            mutations.append(("bucket", bucket))
            for (what, mutated) in mutations {
                await #expect(throws: AmoroError.self, "\(what)") {
                    _ = try await PaimonCompact.run(mutated, table: table, identifier: Self.identifier,
                        options: .init(parallelism: 1, dryRun: false) { Self.now() })
                }
            }
            #expect(try await table.snapshotFiles().count == 6, "nothing committed")
            let missing = PaimonTable(location: "\(warehouse)/db.db/none", storage: LocalStorage())
            await #expect(throws: PaimonError.self) {
                _ = try await PaimonCompactionPlanner.plan(missing, catalog: "direct", name: "t", level: "auto", limits: Self.limits, nowMs: 0)
            }
        }
    }
}

/// Local storage where another writer commits first: the first time a snapshot file is created, a copy of the
/// newest snapshot under that id (an empty commit by `rival`) appears just before.
final class RacingStorage: Storage, @unchecked Sendable {
    let local = LocalStorage()
    let location: String
    private var raced = false

    init(location: String) { self.location = location }

    func write(_ target: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError) {
        let name = target.split(separator: "/").last.map(String.init) ?? ""
        if !raced, mode == .createNew, target.hasPrefix("\(location)/snapshot/snapshot-"), let id = Int(name.dropFirst("snapshot-".count)) {
            raced = true
            let previous = try await local.read("\(location)/snapshot/snapshot-\(id - 1)")
            var text = String(decoding: previous, as: UTF8.self)
            text = text.replacingOccurrences(of: "\"id\": \(id - 1),", with: "\"id\": \(id),")
            if let user = text.range(of: #""commitUser": "[^"]*""#, options: .regularExpression) {
                text.replaceSubrange(user, with: #""commitUser": "rival""#)
            }
            try await local.write(target, bytes: Array(text.utf8), mode: .createNew)
        }
        try await local.write(target, bytes: bytes, mode: mode)
    }

    func read(_ target: String) async throws(StorageError) -> [UInt8] { try await local.read(target) }
    func read(_ target: String, range: Range<Int64>) async throws(StorageError) -> [UInt8] { try await local.read(target, range: range) }
    func size(_ target: String) async throws(StorageError) -> Int64 { try await local.size(target) }
    func delete(_ target: String) async throws(StorageError) { try await local.delete(target) }
    func list(prefix: String) async throws(StorageError) -> [StoredFile] { try await local.list(prefix: prefix) }
}
