import Foundation
import TestSupport

/// The pypaimon scripts the interop tests run: one writes a warehouse of test tables, one reads a table back.
enum PaimonPeer {
    /// `WAREHOUSE COMMITS`: five tables (append with bucket -1, append with two fixed buckets and a partition,
    /// primary-key tables with the deduplicate, partial-update and first-row merge engines), COMMITS commits each,
    /// the fourth an overwrite (so deltas delete files), a tag `t1` after the second and, on `pk_dedup`, a second
    /// schema version.
    static let generate = #"""
        import pyarrow as pa, sys, json, os
        from pypaimon import CatalogFactory, Schema
        from pypaimon.schema.schema_change import SchemaChange
        from pypaimon.schema.data_types import AtomicType
        wh = sys.argv[1]
        cat = CatalogFactory.create({'warehouse': wh})
        cat.create_database('db', True)
        base = pa.schema([('id', pa.int64()), ('dt', pa.string()), ('v', pa.string())])
        def commit(name, rows, schema, overwrite=None):
            t = cat.get_table(name)
            wb = t.new_batch_write_builder()
            if overwrite is not None: wb = wb.overwrite(overwrite)
            w = wb.new_write(); c = wb.new_commit()
            w.write_arrow(pa.Table.from_pylist(rows, schema=schema))
            c.commit(w.prepare_commit()); w.close(); c.close()
        specs = {
          'db.append_unaware': dict(partition_keys=None, primary_keys=None, options={}),
          'db.append_fixed': dict(partition_keys=['dt'], primary_keys=None, options={'bucket': '2', 'bucket-key': 'id'}),
          'db.pk_dedup': dict(partition_keys=['dt'], primary_keys=['dt', 'id'], options={'bucket': '2'}),
          'db.pk_partial': dict(partition_keys=None, primary_keys=['id'], options={'bucket': '1', 'merge-engine': 'partial-update'}),
          'db.pk_first': dict(partition_keys=None, primary_keys=['id'], options={'bucket': '1', 'merge-engine': 'first-row'}),
        }
        for name, spec in specs.items():
            cat.create_table(name, Schema.from_pyarrow_schema(base, partition_keys=spec['partition_keys'], primary_keys=spec['primary_keys'], options=spec['options']), True)
            schema = base
            for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 5):
                rows = [{'id': i % 3 + k, 'dt': ['2024-01-01', '2024-01-02', 'a long partition value'][(i + k) % 3], 'v': f'v{i}-{k}' if (i + k) % 4 else None} for k in range(3)]
                if 'extra' in schema.names:
                    for r in rows: r['extra'] = i
                overwrite = None
                if i == 3:
                    overwrite = {'dt': '2024-01-01'} if spec['partition_keys'] else {}
                    rows = [r for r in rows if r['dt'] == '2024-01-01'] if spec['partition_keys'] else rows
                commit(name, rows, schema, overwrite)
                if i == 1:
                    cat.get_table(name).create_tag('t1')
                if i == 2 and name == 'db.pk_dedup':
                    cat.alter_table(name, [SchemaChange.add_column('extra', AtomicType('INT'))])
                    schema = pa.schema([('id', pa.int64()), ('dt', pa.string()), ('v', pa.string()), ('extra', pa.int32())])
            print(name, 'ok')
        """#

    /// `WAREHOUSE db.table`: JSON with, for every snapshot present and every tag, a fingerprint of the rows pypaimon
    /// reads, of the live files its own manifest reader finds and how many of those are missing on disk; and the
    /// files, bytes and records per partition and bucket of the latest snapshot as pypaimon's manifest reader sees
    /// them (its batch scan skips level-0 files of first-row tables, so the plan is not the measure).
    static let probe = #"""
        import json, sys, os, hashlib
        from pypaimon import CatalogFactory
        from pypaimon.manifest.manifest_list_manager import ManifestListManager
        from pypaimon.manifest.manifest_file_manager import ManifestFileManager
        wh, name = sys.argv[1], sys.argv[2]
        cat = CatalogFactory.create({'warehouse': wh})
        table = cat.get_table(name)
        keys = table.table_schema.partition_keys
        lists, manifests = ManifestListManager(table), ManifestFileManager(table)
        def directory(entry):
            part = '/'.join(f'{k}={v}' for k, v in zip(keys, entry.partition.values))
            return (part + '/' if part else '') + f'bucket-{entry.bucket}'
        def live(snapshot):
            return manifests.read_entries_parallel(lists.read_all(snapshot), drop_stats=True)
        def fp(t, snapshot):
            rb = t.new_read_builder()
            data = rb.new_read().to_arrow(rb.new_scan().plan().splits())
            rows = sorted(json.dumps(r, sort_keys=True, default=str) for r in data.to_pylist()) if data is not None else []
            files = sorted(f'{directory(e)}/{e.file.file_name}' for e in live(snapshot))
            missing = [f for f in files if not os.path.exists(os.path.join(table.table_path, f))]
            return {'rows': len(rows), 'sha': hashlib.sha256('\n'.join(rows).encode()).hexdigest(),
                    'files': hashlib.sha256('\n'.join(files).encode()).hexdigest(), 'missing': len(missing)}
        out = {'snapshots': {}, 'tags': {}, 'buckets': {}}
        snapshots = table.snapshot_manager()
        sdir = os.path.join(table.table_path, 'snapshot')
        for f in sorted(os.listdir(sdir)):
            if f.startswith('snapshot-'):
                sid = f[len('snapshot-'):]
                out['snapshots'][sid] = fp(table.copy({'scan.snapshot-id': sid}), snapshots.get_snapshot_by_id(int(sid)))
        tags = table.tag_manager()
        for tag in table.list_tags():
            tname = tag if isinstance(tag, str) else getattr(tag, 'name', str(tag))
            out['tags'][tname] = fp(table.copy({'scan.tag-name': tname}), tags.get(tname))
        latest = snapshots.get_latest_snapshot()
        for entry in (live(latest) if latest else []):
            part = '/'.join(f'{k}={v}' for k, v in zip(keys, entry.partition.values))
            b = out['buckets'].setdefault(f'{part}#{entry.bucket}', {'files': 0, 'bytes': 0, 'records': 0})
            b['files'] += 1; b['bytes'] += entry.file.file_size; b['records'] += entry.file.row_count
        print(json.dumps(out))
        """#
}
