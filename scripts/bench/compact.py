"""Side-by-side compaction benchmark: amoro, iceberg-zamboni and delta-rs compact the same small files.

Each table gets its own copy of the same rows as FILES small zstd Parquet files, generated once and kept under
`--sources` (Iceberg tables register copies with PyIceberg's add_files; the Delta table is written append by
append). Each tool runs in its own process limited to two threads; wall time and the process's own peak resident
memory are reported. amoro and zamboni write zstd (the Iceberg default); delta-rs runs twice, with its default
(snappy) and with zstd level 3 like the others, the like-for-like reference. amoro runs twice too: with Amoro's
defaults (every row decoded and re-encoded), and on a table with Amoro's Parquet row-group merge enabled
(`self-optimizing.rewrite.use-parquet-row-group-merge.enabled=true`, its default 8 MiB minimum average row
group), which copies the row groups as stored when the files qualify; and both once more under eatmydata, which
makes fsync a no-op, so the difference is what amoro's durable commits cost.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import time

import pyarrow as pa
import pyarrow.parquet as pq


def batch(index, rows):
    rng = random.Random(index)
    return pa.table({
        "id": pa.array(range(index * rows, (index + 1) * rows), pa.int64()),
        "ts": pa.array([1_700_000_000_000_000 + rng.randrange(86_400_000_000) for _ in range(rows)], pa.timestamp("us")),
        "user": pa.array([f"user-{rng.randrange(100_000)}" for _ in range(rows)]),
        "amount": pa.array([rng.random() * 1000 for _ in range(rows)], pa.float64()),
        "note": pa.array([None if i % 5 == 0 else f"n{rng.randrange(10**9)}" for i in range(rows)]),
    })


def measured(command, env=None):
    """Wall time and peak RSS of one child, through a tiny wrapper that reports its child's rusage. Dirty pages
    left by the set-up or by the previous tool are written back first, so no tool pays for another's writes."""
    os.sync()
    wrapper = ("import os, resource, subprocess, sys, time, json\n"
               "start = time.perf_counter()\n"
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "elapsed = time.perf_counter() - start\n"
               "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "sys.stderr.write(p.stderr[-3000:])\n"
               "print(json.dumps({'seconds': elapsed, 'peak_mib': usage.ru_maxrss / 1024, 'status': p.returncode, 'out': p.stdout[-3000:]}))\n")
    import json
    result = subprocess.run(["python3", "-c", wrapper, *command], capture_output=True, text=True, env={**os.environ, **(env or {})})
    report = json.loads(result.stdout)
    if report["status"] != 0:
        raise SystemExit(f"{command[0]} failed ({report['status']}): {result.stderr[-2000:]}\n{report['out']}")
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--files", type=int, default=128)
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--sources", required=True, help="folder of the generated small files (kept between runs)")
    parser.add_argument("--amoro", required=True)
    args = parser.parse_args()
    from deltalake import DeltaTable, WriterProperties, write_deltalake
    from pyiceberg.catalog.sql import SqlCatalog

    os.makedirs(args.data)
    sources = [f"{args.sources}/small-{i:05}.parquet" for i in range(args.files)]
    if not all(os.path.exists(path) for path in sources):
        os.makedirs(args.sources, exist_ok=True)
        for i, path in enumerate(sources):
            pq.write_table(batch(i, args.rows), path + ".tmp", compression="zstd")
            os.replace(path + ".tmp", path)
    total_rows = args.files * args.rows
    tables = {}
    merge = {"self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "true"}
    # The unsynced copies run amoro under eatmydata (fsync and friends become no-ops): what durability costs.
    for name, warehouse, catalog_name, properties in (
            ("amoro", f"{args.data}/amoro", "default", {}), ("amoro merge", f"{args.data}/amoro-merge", "default", merge),
            ("amoro unsynced", f"{args.data}/amoro-unsynced", "default", {}),
            ("amoro merge unsynced", f"{args.data}/amoro-merge-unsynced", "default", merge),
            ("zamboni", f"{args.data}/zamboni", "local", {})):
        os.makedirs(warehouse)
        catalog = SqlCatalog(catalog_name, uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("bench")
        table = catalog.create_table("bench.events", pq.read_schema(sources[0]), properties=properties)
        paths = []
        for i, source in enumerate(sources):
            path = f"{warehouse}/bench/events/data/small-{i:05}.parquet"
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copyfile(source, path)
            paths.append(path)
        table.add_files(file_paths=paths)
        tables[name] = (warehouse, sum(os.path.getsize(p) for p in paths))
    delta_paths = {"delta-rs": f"{args.data}/delta", "delta-rs zstd": f"{args.data}/delta-zstd"}
    for source in sources:
        data = pq.read_table(source)
        for path in delta_paths.values():
            write_deltalake(path, data, mode="append")
    print(f"table: {args.files} files, {total_rows:,} rows, {tables['amoro'][1] / 2**20:,.0f} MiB (zstd Parquet)")

    amoros = {}
    for name in ("amoro", "amoro merge", "amoro unsynced", "amoro merge unsynced"):
        warehouse = tables[name][0]
        config = f"{warehouse}/amoro.yaml"
        with open(config, "w") as out:
            out.write(f"catalog:\n  default:\n    uri: sqlite:///{warehouse}/catalog.db\n    warehouse: file://{warehouse}\n")
        wrap = "eatmydata " if name.endswith("unsynced") else ""
        amoros[name] = measured(["bash", "-c", f"{wrap}'{args.amoro}' plan --config '{config}' bench.events --level full | "
                                 f"{wrap}'{args.amoro}' compact --config '{config}' --parallelism 2"])
        merged = json.loads(amoros[name]["out"].splitlines()[-1])["data_files_merged"]
        print(f"{name}: {merged} of {args.files} files merged as stored row groups")
    zamboni = measured([os.path.join(os.path.dirname(os.sys.executable), "zamboni"), "compact", "--local-warehouse",
                        f"{args.data}/zamboni", "--threads", "2", "--rewrite-all", "--yes", "bench.events"])
    deltas = {}
    for name, codec in (("delta-rs", "None"), ("delta-rs zstd", "WriterProperties(compression='ZSTD', compression_level=3)")):
        deltas[name] = measured([os.sys.executable, "-c",
                                 "import sys; from deltalake import DeltaTable, WriterProperties; "
                                 f"print(DeltaTable(sys.argv[1]).optimize.compact(max_concurrent_tasks=2, writer_properties={codec}))",
                                 delta_paths[name]])

    # Every tool kept every row.
    amoro_tables = {name: SqlCatalog("default", uri=f"sqlite:///{tables[name][0]}/catalog.db",
                                     warehouse=f"file://{tables[name][0]}").load_table("bench.events")
                    for name in amoros}
    zamboni_table = SqlCatalog("local", uri=f"sqlite:///{args.data}/zamboni/catalog.db",
                               warehouse=f"file://{args.data}/zamboni").load_table("bench.events")
    counts = {
        **{name: (table.scan().count(), len(table.inspect.files())) for name, table in amoro_tables.items()},
        "zamboni": (zamboni_table.scan().count(), len(zamboni_table.inspect.files())),
        **{name: (DeltaTable(path).to_pyarrow_table().num_rows, len(DeltaTable(path).file_uris()))
           for name, path in delta_paths.items()},
    }
    reports = {**amoros, "zamboni": zamboni, **deltas}
    print(f"{'tool':<15}{'seconds':>10}{'peak MiB':>10}{'rows after':>14}{'files after':>13}"
          f"{'÷ amoro':>10}{'÷ amoro merge':>15}")
    for name, report in reports.items():
        rows_after, files_after = counts[name]
        assert rows_after == total_rows, (name, rows_after, total_rows)
        print(f"{name:<15}{report['seconds']:>10.2f}{report['peak_mib']:>10.0f}{rows_after:>14,}{files_after:>13}"
              f"{report['seconds'] / amoros['amoro']['seconds']:>9.2f}x"
              f"{report['seconds'] / amoros['amoro merge']['seconds']:>14.2f}x")
    for name in ("amoro", "amoro merge"):
        synced, unsynced = amoros[name]["seconds"], amoros[f"{name} unsynced"]["seconds"]
        print(f"durability ({name}): {synced:.2f} s synced, {unsynced:.2f} s without fsync: {synced / unsynced:.2f}x")


if __name__ == "__main__":
    main()
