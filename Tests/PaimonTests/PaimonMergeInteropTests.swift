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

    /// `WAREHOUSE COMMITS ROWS`: `pk_runs`, a deduplicate table of one bucket (key id), COMMITS commits of ROWS
    /// upserts over overlapping keys (every fifth a delete), each file written by pyarrow in row groups of 100 rows
    /// (as a writer with a small `parquet.block.size` would); prints the number of row groups written.
    static let generateRuns = #"""
        import pyarrow as pa, pyarrow.parquet as pq, random, sys
        from pypaimon import CatalogFactory, Schema
        groups = [0]
        original = pq.write_table
        def small_groups(table, where, **kwargs):
            groups[0] += (table.num_rows + 99) // 100
            return original(table, where, **{**kwargs, 'row_group_size': 100})
        pq.write_table = small_groups
        wh, commits, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        schema = pa.schema([pa.field('id', pa.int64(), nullable=False), ('v', pa.string()), ('n', pa.int64()), ('op', pa.string())])
        cat.create_table('db.pk_runs', Schema.from_pyarrow_schema(schema, primary_keys=['id'],
                         options={'bucket': '1', 'rowkind.field': 'op'}), True)
        rng = random.Random(7)
        for i in range(commits):
            ids = rng.sample(range(count * 3), count)
            rows = [{'id': k, 'v': f'value {i} of {k} ' * 3, 'n': i * count + j, 'op': '-D' if j % 5 == 4 else '+I'} for j, k in enumerate(ids)]
            t = cat.get_table('db.pk_runs')
            wb = t.new_batch_write_builder()
            w = wb.new_write(); c = wb.new_commit()
            w.write_arrow(pa.Table.from_pylist(rows, schema=schema))
            c.commit(w.prepare_commit()); w.close(); c.close()
        print(groups[0])
        """#

    /// `WAREHOUSE`: five primary-key tables of two buckets (key id) over several commits, upserts with nulls, and
    /// deletes where the engine takes them: `pk_partial` (partial-update), `pk_agg` (aggregation with sum, min, max,
    /// last_value, last_non_null_value, first_value, first_non_null_value, bool_and, bool_or and listagg),
    /// `pk_first` (first-row, ignore-delete), `pk_agg_retract` (aggregation with -D/-U records: sum, count,
    /// last_value, and min with ignore-retract) and `pk_partial_ignore` (partial-update, ignore-delete). Options
    /// pypaimon's writer refuses are set after the writes. Prints, per table, the rows each engine's definition
    /// gives for what was written (computed here, per key in commit order).
    static let generateEngines = #"""
        import pyarrow as pa, json, random, sys
        from pypaimon import CatalogFactory, Schema
        from pypaimon.schema.schema_change import SchemaChange
        wh = sys.argv[1]
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        rng = random.Random(11)
        def commit(name, schema, rows):
            t = cat.get_table(name)
            wb = t.new_batch_write_builder(); w = wb.new_write(); c = wb.new_commit()
            w.write_arrow(pa.Table.from_pylist(rows, schema=schema)); c.commit(w.prepare_commit()); w.close(); c.close()
        def maybe(v):
            return v if rng.random() < 0.7 else None
        tables = {}
        # partial-update, inserts only: later non-null fields overwrite.
        s = pa.schema([pa.field('id', pa.int64(), nullable=False), ('a', pa.string()), ('b', pa.int64()), ('c', pa.float64())])
        tables['pk_partial'] = (s, {'merge-engine': 'partial-update'}, None, [[{'id': k, 'a': maybe(f'a{i}-{k}'), 'b': maybe(i * 100 + k), 'c': maybe(i + k / 4)} for k in rng.sample(range(40), 20)] for i in range(6)])
        # aggregation, inserts only, the common functions.
        s = pa.schema([pa.field('id', pa.int64(), nullable=False), ('s', pa.int64()), ('mn', pa.int32()), ('mx', pa.string()), ('lv', pa.string()), ('lnn', pa.int64()),
                       ('fv', pa.string()), ('fnn', pa.int32()), ('ba', pa.bool_()), ('bo', pa.bool_()), ('la', pa.string())])
        agg = {'merge-engine': 'aggregation', 'fields.s.aggregate-function': 'sum', 'fields.mn.aggregate-function': 'min', 'fields.mx.aggregate-function': 'max',
               'fields.lv.aggregate-function': 'last_value', 'fields.fv.aggregate-function': 'first_value', 'fields.fnn.aggregate-function': 'first_non_null_value',
               'fields.ba.aggregate-function': 'bool_and', 'fields.bo.aggregate-function': 'bool_or', 'fields.la.aggregate-function': 'listagg',
               'fields.la.list-agg-delimiter': '|'}
        tables['pk_agg'] = (s, agg, None, [[{'id': k, 's': maybe(rng.randint(-50, 50)), 'mn': maybe(rng.randint(-9, 9)), 'mx': maybe(rng.choice(['x', 'yy', 'Z', 'é'])),
            'lv': maybe(f'l{i}'), 'lnn': maybe(i * 10 + k), 'fv': maybe(f'f{i}'), 'fnn': maybe(i), 'ba': maybe(rng.random() < 0.8), 'bo': maybe(rng.random() < 0.2),
            'la': maybe(rng.choice(['p', 'q', ' ', 'r s']))} for k in rng.sample(range(30), 15)] for i in range(6)])
        # first-row with ignore-delete: deletes skipped, the first insert per key stays.
        s = pa.schema([pa.field('id', pa.int64(), nullable=False), ('v', pa.string()), ('op', pa.string())])
        tables['pk_first'] = (s, {'merge-engine': 'first-row', 'ignore-delete': 'true', 'rowkind.field': 'op'}, None,
            [[{'id': k, 'v': f'v{i}-{k}', 'op': '-D' if (i + k) % 4 == 0 else '+I'} for k in rng.sample(range(30), 15)] for i in range(6)])
        # aggregation with retractions (each in a commit of its own: pypaimon's write buffer refuses to fold them): sum and count
        # undo them, last_value forgets, min ignores them (ignore-retract).
        s = pa.schema([pa.field('id', pa.int64(), nullable=False), ('s', pa.int64()), ('n', pa.int64()), ('lv', pa.string()), ('mn', pa.int32()), ('op', pa.string())])
        commits = []
        for i in range(6):
            commits.append([{'id': k, 's': maybe(rng.randint(0, 20)), 'n': maybe(1), 'lv': f'l{i}', 'mn': rng.randint(-5, 5), 'op': '+I'} for k in rng.sample(range(20), 12)])
            if i % 2 == 1:
                commits += [[{'id': k, 's': maybe(rng.randint(0, 5)), 'n': 1, 'lv': 'gone', 'mn': -100, 'op': rng.choice(['-D', '-U'])}] for k in rng.sample(range(20), 3)]
        tables['pk_agg_retract'] = (s, {'merge-engine': 'aggregation', 'rowkind.field': 'op', 'fields.s.aggregate-function': 'sum',
            'fields.lv.aggregate-function': 'last_value', 'fields.mn.aggregate-function': 'min'}, {'fields.mn.ignore-retract': 'true', 'fields.n.aggregate-function': 'count'}, commits)
        # partial-update with ignore-delete (set after the writes, which pypaimon's writer refuses with it).
        s = pa.schema([pa.field('id', pa.int64(), nullable=False), ('a', pa.string()), ('b', pa.int64()), ('op', pa.string())])
        commits = []
        for i in range(6):
            commits.append([{'id': k, 'a': maybe(f'a{i}'), 'b': maybe(i), 'op': '+I'} for k in rng.sample(range(20), 10)])
            if i % 2 == 0:
                commits += [[{'id': k, 'a': 'x', 'b': -1, 'op': '-D'}] for k in rng.sample(range(20), 3)]
        tables['pk_partial_ignore'] = (s, {'merge-engine': 'partial-update', 'rowkind.field': 'op'}, {'ignore-delete': 'true'}, commits)

        def fold(name, options, records):
            """The merge each engine defines, applied per key to the records in commit order."""
            engine = options.get('merge-engine')
            out = []
            for key, recs in records.items():
                if engine == 'first-row':
                    adds = [r for r in recs if r.get('op') not in ('-D', '-U')]
                    if adds: out.append(adds[0])
                elif engine == 'partial-update':
                    row = None
                    for r in recs:
                        if r.get('op') in ('-D', '-U'): continue
                        row = dict(row or {f: None for f in r})
                        for f, v in r.items():
                            if v is not None: row[f] = v
                    if row is not None: out.append(row)
                else:
                    acc, started = {f: None for f in recs[0]}, set()
                    for r in recs:
                        retract = r.get('op') in ('-D', '-U')
                        for f, v in r.items():
                            fn = 'primary-key' if f == 'id' else options.get(f'fields.{f}.aggregate-function', 'last_non_null_value')
                            a = acc.get(f)
                            if retract:
                                if options.get(f'fields.{f}.ignore-retract') == 'true': continue
                                if fn == 'primary-key': acc[f] = v
                                elif fn == 'sum': acc[f] = (-v if v is not None else None) if a is None else (a if v is None else a - v)
                                elif fn == 'count': acc[f] = 1 if a is None else (a if v is None else a - 1)
                                elif fn == 'last_value': acc[f] = None
                                elif fn == 'last_non_null_value': acc[f] = None if v is not None else a
                                else: raise ValueError(fn)
                                continue
                            if fn in ('primary-key', 'last_value'): acc[f] = v
                            elif fn == 'last_non_null_value': acc[f] = a if v is None else v
                            elif fn == 'first_value':
                                if f not in started: started.add(f); acc[f] = v
                            elif fn == 'first_non_null_value':
                                if f not in started and v is not None: started.add(f); acc[f] = v
                            elif fn == 'count': acc[f] = 1 if a is None else (a if v is None else a + 1)
                            elif fn == 'listagg':
                                if v is None or v.strip() == '': pass
                                elif a is None or a.strip() == '': acc[f] = v
                                else: acc[f] = a + options.get(f'fields.{f}.list-agg-delimiter', ',') + v
                            elif a is None or v is None: acc[f] = v if a is None else a
                            elif fn == 'sum': acc[f] = a + v
                            elif fn == 'min': acc[f] = min(a, v)
                            elif fn == 'max': acc[f] = max(a, v, key=lambda t: t.encode())
                            elif fn == 'bool_and': acc[f] = a and v
                            elif fn == 'bool_or': acc[f] = a or v
                    out.append(acc)
            return sorted(json.dumps(r, sort_keys=True) for r in out)

        expected = {}
        for name, (schema, options, later, commits) in tables.items():
            full = 'db.' + name
            cat.create_table(full, Schema.from_pyarrow_schema(schema, primary_keys=['id'], options=dict(options, bucket='2')), True)
            records = {}
            for rows in commits:
                commit(full, schema, rows)
                for r in rows: records.setdefault(r['id'], []).append(r)
            if later:
                cat.alter_table(full, [SchemaChange.set_option(k, v) for k, v in later.items()])
            expected[name] = fold(name, dict(options, **(later or {})), records)
        print(json.dumps(expected))
        """#

    /// `WAREHOUSE db.table`: the rows of the latest snapshot's live files as pyarrow reads them (the table's fields),
    /// their row kinds, and each file's bucket and level.
    static let liveRows = #"""
        import json, os, sys, pyarrow.parquet as pq
        from pypaimon import CatalogFactory
        from pypaimon.manifest.manifest_list_manager import ManifestListManager
        from pypaimon.manifest.manifest_file_manager import ManifestFileManager
        wh, name = sys.argv[1], sys.argv[2]
        table = CatalogFactory.create({'warehouse': wh}).get_table(name)
        latest = table.snapshot_manager().get_latest_snapshot()
        entries = ManifestFileManager(table).read_entries_parallel(ManifestListManager(table).read_all(latest), drop_stats=True)
        fields = [f.name for f in table.table_schema.fields]
        rows, files, kinds = [], [], set()
        for e in entries:
            data = pq.ParquetFile(os.path.join(table.table_path, f'bucket-{e.bucket}', e.file.file_name)).read()
            kinds.update(data.column('_VALUE_KIND').to_pylist())
            rows += data.select(fields).to_pylist()
            files.append({'bucket': e.bucket, 'level': e.file.level})
        print(json.dumps({'rows': sorted(json.dumps(r, sort_keys=True) for r in rows), 'files': files, 'kinds': sorted(kinds)}))
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

    /// A bucket of 8 sorted runs of 2000 rows, each in row groups of 100 rows, merged to the top level into files
    /// rolled at 64 KiB: the merge never holds more than two row groups per input (the bucket has 16000 rows;
    /// reading it whole held them all), and pypaimon reads exactly the rows it read before from the several outputs.
    @Test func aMergeHoldsAboutOneRowGroupPerInput() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let groups = try Peers.paimon(Self.generateRuns, arguments: [warehouse, "8", "2000"])
            #expect(String(decoding: groups, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "160")
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_runs", storage: LocalStorage())
            let before = try PaimonCompactInteropTests.probe(warehouse, "pk_runs")
            let schema = try await table.latestSchema()
            let options = try PaimonOptions(schema.options, hasPrimaryKey: true)
            let live = try await PaimonSnapshotFiles(table: table).liveFiles(try await table.snapshot(8))
                .sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
            #expect(live.count == 8 && live.reduce(0) { $0 + $1.file.rowCount } == 16000)
            let directory = try table.bucketDirectory(partition: live[0].partition, bucket: 0, schema: schema, options: options)
            // Eight inputs need eight descriptors besides the reserve: one fewer is refused before a file is opened.
            let refusal = await #expect(throws: PaimonError.self) {
                _ = try await PaimonPrimaryKeyRewrite.run(
                    live, directory: directory, schema: schema, storage: table.storage, targetFileSize: 64 << 10, compression: .zstd,
                    outputLevel: 5, dropDeletes: true, nowMs: Self.now(), openFileLimit: OpenFileLimit.reserve + 7, written: { _ in })
            }
            #expect(refusal?.description.contains("merging 8 sorted runs at once with an open-file limit of \(OpenFileLimit.reserve + 7)") == true)
            let memory = PaimonMergeMemory()
            let outputs = try await PaimonPrimaryKeyRewrite.run(
                live, directory: directory, schema: schema, storage: table.storage, targetFileSize: 64 << 10, compression: .zstd,
                outputLevel: 5, dropDeletes: true, nowMs: Self.now(), memory: memory, written: { _ in })
            #expect(memory.peakRows > 0 && memory.peakRows <= 8 * 2 * 100, "held \(memory.peakRows) rows at once")
            #expect(outputs.count > 1 && outputs.allSatisfy { $0.entry.file.deleteRowCount == 0 }, "\(outputs.count) files")
            #expect(outputs.reduce(0) { $0 + $1.entry.file.rowCount } < 16000)
            _ = try await PaimonCommit.compact(table, deleted: live, added: outputs.map(\.entry), commitUser: "test", nowMs: { Self.now() })
            let after = try PaimonCompactInteropTests.probe(warehouse, "pk_runs")
            #expect(after["snapshots"]?["9"]?["sha"] == before["snapshots"]?["8"]?["sha"])
            #expect(after["snapshots"]?["9"]?["rows"] == before["snapshots"]?["8"]?["rows"])
        }
    }

    /// Every merge engine compacted by `plan | compact --level full`: the live files then hold exactly the rows the
    /// engine's definition gives for what pypaimon wrote (pyarrow reads them), one file per bucket at the top level
    /// without retractions; where pypaimon can merge the engine itself (partial-update and aggregation without
    /// deletes) it reads the same rows before and after; and a second plan is empty.
    @Test func mergeEnginesCompactAsPaimonMerges() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let expected = try JSON.parse(Array(try Peers.paimon(Self.generateEngines, arguments: [warehouse])))
            for name in ["pk_partial", "pk_agg", "pk_first", "pk_agg_retract", "pk_partial_ignore"] {
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                let readable = name == "pk_partial" || name == "pk_agg"
                let before = readable ? try PaimonCompactInteropTests.probe(warehouse, name) : nil
                if name == "pk_first" {
                    // Below the highest level Paimon's first-row rewriter drops keys the levels above hold (by lookup).
                    let schema = try await table.latestSchema()
                    let latest = try await table.snapshot(try #require(await table.hint("LATEST")))
                    let bucket = try await PaimonSnapshotFiles(table: table).liveFiles(latest).filter { $0.bucket == 0 }
                    await #expect(throws: PaimonError.self) {
                        _ = try await PaimonPrimaryKeyRewrite.run(
                            bucket, directory: "\(table.location)/bucket-0", schema: schema, storage: table.storage, targetFileSize: 1 << 20,
                            compression: .zstd, outputLevel: 1, dropDeletes: false, nowMs: Self.now(), written: { _ in })
                    }
                }
                let (plan, result) = try await PaimonCompactInteropTests.compact(table, level: "full")
                #expect(plan.tasks.count == 2 && result.status == .committed, "\(name)")
                let live = try JSON.parse(Array(try Peers.paimon(Self.liveRows, arguments: [warehouse, "db.\(name)"])))
                #expect(live["rows"] == expected[name], "\(name)")
                #expect(live["kinds"] == .array([.int(0)]), "\(name): \(live["kinds"]?.rendered() ?? "")")
                let files = live["files"]?.arrayValue ?? []
                #expect(files.count == 2 && Set(files.compactMap { $0["bucket"]?.int64Value }) == [0, 1], "\(name)")
                #expect(files.allSatisfy { $0["level"] == .int(5) }, "\(name)")
                if let before, let latest = result.snapshotId {
                    let after = try PaimonCompactInteropTests.probe(warehouse, name)
                    #expect(after["snapshots"]?[String(latest)]?["sha"] == before["snapshots"]?[String(latest - 1)]?["sha"], "\(name)")
                }
                for again in ["auto", "full"] {
                    let next = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: again,
                        limits: PaimonCompactInteropTests.limits, nowMs: Self.now())
                    #expect(next.tasks.isEmpty, "\(name) \(again): \(next.tasks.map(\.reason))")
                }
            }
        }
    }

    /// `WAREHOUSE`: tables ordered by `sequence.field`, two buckets (key id), six commits of upserts whose sequence
    /// fields go up and down between commits (nulls among them): `pk_sf_asc` (deduplicate, `s`, with -D records),
    /// `pk_sf_desc` (the same, `sequence.field.sort-order = descending`) and `pk_sf_partial` (partial-update, `s,u`).
    static let generateSequenceField = #"""
        import pyarrow as pa, random, sys
        from pypaimon import CatalogFactory, Schema
        wh = sys.argv[1]
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        rng = random.Random(5)
        s = pa.schema([pa.field('id', pa.int64(), nullable=False), ('s', pa.int32()), ('u', pa.int64()), ('v', pa.string()), ('op', pa.string())])
        tables = {'pk_sf_asc': {'sequence.field': 's'}, 'pk_sf_desc': {'sequence.field': 's', 'sequence.field.sort-order': 'descending'},
                  'pk_sf_partial': {'sequence.field': 's,u', 'merge-engine': 'partial-update'}}
        for name, options in tables.items():
            cat.create_table(f'db.{name}', Schema.from_pyarrow_schema(s, primary_keys=['id'], options={'bucket': '2', 'rowkind.field': 'op', **options}), True)
            partial = 'merge-engine' in options
            for i in range(6):
                rows = [{'id': k, 's': rng.choice([None, 0, 1, 2, 3, 4]), 'u': rng.randint(0, 2), 'v': rng.choice([None, f'v{i}-{k}', f'w{i}-{k}']),
                         'op': '-D' if not partial and rng.random() < 0.2 else '+I'} for k in rng.sample(range(30), 15)]
                t = cat.get_table(f'db.{name}')
                wb = t.new_batch_write_builder(); w = wb.new_write(); c = wb.new_commit()
                w.write_arrow(pa.Table.from_pylist(rows, schema=s)); c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    /// Tables ordered by `sequence.field` (ascending, descending, and a partial-update one of two fields): pypaimon,
    /// which orders a key's records by them as Paimon does, reads the same rows before and after `plan --level full |
    /// compact`, each bucket is then one file, and a second plan is empty.
    @Test func sequenceFieldTablesReadTheSameAfterCompaction() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            _ = try Peers.paimon(Self.generateSequenceField, arguments: [warehouse])
            for name in ["pk_sf_asc", "pk_sf_desc", "pk_sf_partial"] {
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                let (plan, result) = try await PaimonCompactInteropTests.compact(table, level: "full")
                #expect(plan.tasks.count == 2 && result.status == .committed && result.snapshotId == 7, "\(name)")
                let after = try PaimonCompactInteropTests.probe(warehouse, name)
                let before = after["snapshots"]?["6"]?["sha"]
                #expect(before != nil && after["snapshots"]?["7"]?["sha"] == before, "\(name)")
                #expect(PaimonCompactInteropTests.files(after).values.allSatisfy { $0 == 1 }, "\(name)")
                let next = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "full",
                    limits: PaimonCompactInteropTests.limits, nowMs: Self.now())
                #expect(next.tasks.isEmpty, "\(name)")
            }
        }
    }

    /// Options amoro does not merge as Paimon does are refused with one line, before anything is read.
    @Test(arguments: [
        ["merge-engine": "partial-update", "fields.a.sequence-group": "c"],
        ["merge-engine": "partial-update", "partial-update.remove-record-on-delete": "true", "ignore-delete": "true"],
        ["merge-engine": "aggregation", "fields.a.sequence-group": "b"],
        ["merge-engine": "partial-update", "fields.b.aggregate-function": "sum"],
        ["merge-engine": "aggregation", "fields.b.aggregate-function": "rbm64"],
        ["merge-engine": "aggregation", "fields.a.aggregate-function": "sum"],
        ["merge-engine": "aggregation", "fields.a.aggregate-function": "listagg", "fields.a.distinct": "true"],
        ["merge-engine": "aggregation", "aggregation.remove-record-on-delete": "true"],
        ["merge-engine": "aggregation", "fields.default-aggregate-function": "product"],
        ["merge-engine": "first-row", "sequence.field": "b"],
        ["merge-engine": "deduplicate", "sequence.field": "zz"],
        ["merge-engine": "deduplicate", "sequence.field": "b", "sequence.field.sort-order": "sideways"],
        ["merge-engine": "deduplicate", "sequence.snapshot-ordering": "true"],
    ])
    func unsupportedMergeOptionsAreRefused(options: [String: String]) throws {
        let text = """
            {"version": 3, "id": 0, "fields": [{"id": 0, "name": "id", "type": "BIGINT NOT NULL"}, {"id": 1, "name": "a", "type": "STRING"},
            {"id": 2, "name": "b", "type": "BIGINT"}], "highestFieldId": 2, "partitionKeys": [], "primaryKeys": ["id"], "options": {}}
            """
        var schema = try PaimonSchema(json: try JSON.parse(Array(text.utf8)), location: "schema-0")
        schema.options = options.merging(["bucket": "1"]) { a, _ in a }
        let parsed = try PaimonOptions(schema.options, hasPrimaryKey: true)
        #expect(throws: PaimonError.self, "\(options)") { try PaimonCompactionPlanner.refuseUnsupported(schema, parsed) }
        // The supported neighbours pass.
        schema.options = ["bucket": "1", "merge-engine": "aggregation", "fields.b.aggregate-function": "sum", "fields.a.aggregate-function": "listagg",
            "fields.b.ignore-retract": "true", "ignore-delete": "true"]
        try PaimonCompactionPlanner.refuseUnsupported(schema, try PaimonOptions(schema.options, hasPrimaryKey: true))
    }
}
