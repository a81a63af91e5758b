/// The pypaimon scripts of the retention tests: tables whose changelogs outlive their snapshots, more commits,
/// consumers written as pypaimon writes them, and a probe of what each snapshot's and long-lived changelog's
/// changelog holds.
enum PaimonRetentionPeer {
    /// `WAREHOUSE COMMITS`: `db.cl_input` (changelog-producer input) and `db.cl_none` (no producer), primary-key
    /// tables partitioned by `dt` with one bucket, COMMITS commits each (the fourth an overwrite of one partition), a
    /// tag `t1` after the second; then, as Paimon's ALTER TABLE does, the options keep two snapshots and six
    /// changelogs (a new schema version with `snapshot.num-retained.min: 2`, `changelog.num-retained.min: 6`).
    static let generate = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory, Schema
        from pypaimon.schema.schema_change import SchemaChange
        wh, commits = sys.argv[1], int(sys.argv[2])
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        schema = pa.schema([('id', pa.int64()), ('dt', pa.string()), ('v', pa.string())])
        for name, producer in [('db.cl_input', 'input'), ('db.cl_none', 'none')]:
            cat.create_table(name, Schema.from_pyarrow_schema(schema, partition_keys=['dt'], primary_keys=['dt', 'id'],
                options={'bucket': '1', 'changelog-producer': producer}), True)
            for i in range(commits):
                t = cat.get_table(name)
                wb = t.new_batch_write_builder()
                rows = [{'id': i % 4 + k, 'dt': ['2024-01-01', '2024-01-02'][(i + k) % 2], 'v': f'v{i}-{k}'} for k in range(3)]
                if i == 3:
                    wb = wb.overwrite({'dt': '2024-01-01'})
                    rows = [r for r in rows if r['dt'] == '2024-01-01']
                w, c = wb.new_write(), wb.new_commit()
                w.write_arrow(pa.Table.from_pylist(rows, schema=schema))
                c.commit(w.prepare_commit()); w.close(); c.close()
                if i == 1:
                    cat.get_table(name).create_tag('t1')
            cat.alter_table(name, [SchemaChange.set_option('snapshot.num-retained.min', '2'),
                SchemaChange.set_option('changelog.num-retained.min', '6')])
        """#

    /// `WAREHOUSE db.table N`: N more commits of new keys.
    static let commit = #"""
        import pyarrow as pa, sys
        from pypaimon import CatalogFactory
        wh, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
        t = CatalogFactory.create({'warehouse': wh}).get_table(name)
        for i in range(n):
            wb = t.new_batch_write_builder(); w, c = wb.new_write(), wb.new_commit()
            w.write_arrow(pa.Table.from_pylist([{'id': 100 + i, 'dt': '2024-01-02', 'v': f'late{i}'}],
                schema=pa.schema([('id', pa.int64()), ('dt', pa.string()), ('v', pa.string())])))
            c.commit(w.prepare_commit()); w.close(); c.close()
        """#

    /// `WAREHOUSE db.table`: JSON with, for every snapshot present and every long-lived changelog pypaimon's
    /// `ChangelogManager` lists, a fingerprint of its changelog — the rows of the files its changelog manifest list
    /// adds, or without one (no producer) the writer-made files its delta adds — with those files and how many are
    /// missing; and the changelog directory's hints.
    static let changelogs = #"""
        import json, sys, os, hashlib
        import pyarrow.parquet as pq
        from pypaimon import CatalogFactory
        from pypaimon.manifest.manifest_list_manager import ManifestListManager
        from pypaimon.manifest.manifest_file_manager import ManifestFileManager
        wh, name = sys.argv[1], sys.argv[2]
        table = CatalogFactory.create({'warehouse': wh}).get_table(name)
        keys = table.table_schema.partition_keys
        lists, manifests = ManifestListManager(table), ManifestFileManager(table)
        def path(e):
            part = '/'.join(f'{k}={v}' for k, v in zip(keys, e.partition.values))
            return (part + '/' if part else '') + f'bucket-{e.bucket}/{e.file.file_name}'
        def held(s):
            if s.changelog_manifest_list:
                entries = manifests.read_entries_parallel(lists.read_changelog(s), drop_stats=True)
            else:
                entries = [e for e in manifests.read_entries_parallel(lists.read_delta(s), drop_stats=True)
                           if e.file.file_source in (None, 0)]
            files = sorted(path(e) for e in entries)
            missing = [f for f in files if not os.path.exists(os.path.join(table.table_path, f))]
            rows = []
            for f in files:
                if f not in missing:
                    rows += [json.dumps(r, sort_keys=True, default=str) for r in pq.ParquetFile(os.path.join(table.table_path, f)).read().to_pylist()]
            rows.sort()
            return {'rows': len(rows), 'sha': hashlib.sha256('\n'.join(rows).encode()).hexdigest(), 'files': files, 'missing': len(missing)}
        out = {'snapshots': {}, 'changelogs': {}}
        snapshots = table.snapshot_manager()
        for f in sorted(os.listdir(os.path.join(table.table_path, 'snapshot'))):
            if f.startswith('snapshot-'):
                out['snapshots'][f[9:]] = held(snapshots.get_snapshot_by_id(int(f[9:])))
        cm = table.changelog_manager()
        for c in cm.safely_get_all_changelogs():
            out['changelogs'][str(c.id)] = held(c)
        out['earliest'] = cm.earliest_long_lived_changelog_id()
        out['latest'] = cm.latest_long_lived_changelog_id()
        print(json.dumps(out))
        """#

    /// `WAREHOUSE db.table`: sets `consumer.expiration-time` to 1 h, writes consumer `old` (next snapshot 2) through
    /// pypaimon's `ConsumerManager`, and prints the consumers pypaimon lists.
    static let consumers = #"""
        import sys, json
        from pypaimon import CatalogFactory
        from pypaimon.consumer.consumer import Consumer
        from pypaimon.schema.schema_change import SchemaChange
        wh, name = sys.argv[1], sys.argv[2]
        cat = CatalogFactory.create({'warehouse': wh})
        if len(sys.argv) > 3 and sys.argv[3] == 'setup':
            cat.alter_table(name, [SchemaChange.set_option('consumer.expiration-time', '1 h')])
            cat.get_table(name).consumer_manager().reset_consumer('old', Consumer(next_snapshot=2))
        print(json.dumps(cat.get_table(name).consumer_manager().consumers()))
        """#
}
