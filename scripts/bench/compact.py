"""Side-by-side compaction benchmark: amoro, iceberg-zamboni and delta-rs compact the same small files, in three
shapes:

  tiny       one partition of 5,000 tiny files (20 rows each): the cost per input file;
  10mib      128 files of 10 MiB (400,000 rows, one row group each): the cost per byte, and Amoro's row-group merge;
  eqdeletes  10 partitions of 12 files (100,000 rows each) with equality deletes (2 % of the keys, one delete file
             per partition, written by sidequery-pyiceberg): deletes applied while rewriting.

Each table gets its own copy of the same rows as small zstd Parquet files, generated once and kept under
`--sources` (Iceberg tables register copies with PyIceberg's add_files; the Delta tables are the same files turned
into a Delta table by convert_to_deltalake: unpartitioned, and without the equality deletes, which Delta has no
form of). Each tool runs in its own process limited to two threads; wall time, CPU time (user + system, so the CPU
use of both cores is CPU / (2 x wall)) and the process's own peak resident memory are reported. amoro and zamboni
write zstd (the Iceberg default); delta-rs runs twice, with its default (snappy) and with zstd level 3 like the
others, the like-for-like reference. amoro plans the whole table at once (`--budget-bytes` 1 TiB: by Amoro's default
budget of 512 MiB of cost per core it would leave a partition of the eqdeletes shape to its next run), with Amoro's
defaults (every row decoded and re-encoded) and, where
its conditions can hold (no deletes), on a table with Amoro's Parquet row-group merge enabled
(`self-optimizing.rewrite.use-parquet-row-group-merge.enabled=true`, its default 8 MiB minimum average row
group); on the 10mib shape both once more under eatmydata, which makes fsync a no-op, so the difference is what
amoro's durable commits cost. zamboni refuses tables with equality deletes: its refusal is reported. With
`--spark-python` (the Python of .venv-spark, which scripts/setup makes), Apache Iceberg's own `rewrite_data_files`
runs too, in Spark's local mode on two cores (`local[2]`, one JVM, so its CPU time and memory are counted; its
start-up of a few seconds is included, as a user of a one-off job pays it), with the same 128 MiB target as amoro.
It applies the equality deletes while rewriting but leaves the delete files in the table (files after counts them),
where amoro drops those that apply to nothing any more. A refusal by Spark, as by zamboni, is reported.

With `--amoro-bench`, each shape ends with what the compression library alone costs (`amoro-bench
parquet-codec-work`, one core, thread CPU time): decompressing every input page once and compressing every page
amoro and delta-rs (zstd) wrote, again at level 3. Half of amoro's share is the least wall time any rewrite writing
its pages could take on two cores, set beside the speed targets; the rest of each tool's CPU time is its own work.
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


def batch(index, rows, partitions=0):
    rng = random.Random(index)
    columns = {
        "id": pa.array(range(index * rows, (index + 1) * rows), pa.int64()),
        "ts": pa.array([1_700_000_000_000_000 + rng.randrange(86_400_000_000) for _ in range(rows)], pa.timestamp("us")),
        "user": pa.array([f"user-{rng.randrange(100_000)}" for _ in range(rows)]),
        "amount": pa.array([rng.random() * 1000 for _ in range(rows)], pa.float64()),
        "note": pa.array([None if i % 5 == 0 else f"n{rng.randrange(10**9)}" for i in range(rows)]),
    }
    if partitions:
        columns["part"] = pa.array([index % partitions] * rows, pa.int64())
    return pa.table(columns)


SHAPES = {
    "tiny": dict(files=5000, rows=20, partitions=0, deletes=0.0, unsynced=False),
    "10mib": dict(files=128, rows=400_000, partitions=0, deletes=0.0, unsynced=True),
    "eqdeletes": dict(files=120, rows=100_000, partitions=10, deletes=0.02, unsynced=False),
}


def measured(command, env=None, allow_failure=False):
    """Wall time and peak RSS of one child, through a tiny wrapper that reports its child's rusage. Dirty pages
    left by the set-up or by the previous tool are written back first, so no tool pays for another's writes."""
    os.sync()
    wrapper = ("import os, resource, subprocess, sys, time, json\n"
               "start = time.perf_counter()\n"
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "elapsed = time.perf_counter() - start\n"
               "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "sys.stderr.write(p.stderr[-3000:])\n"
               "print(json.dumps({'seconds': elapsed, 'cpu_s': usage.ru_utime + usage.ru_stime, 'peak_mib': usage.ru_maxrss / 1024, 'status': p.returncode, 'out': p.stdout[-3000:]}))\n")
    result = subprocess.run(["python3", "-c", wrapper, *command], capture_output=True, text=True, env={**os.environ, **(env or {})})
    report = json.loads(result.stdout)
    report["err"] = result.stderr[-3000:]
    if report["status"] != 0 and not allow_failure:
        raise SystemExit(f"{command[0]} failed ({report['status']}): {result.stderr[-2000:]}\n{report['out']}")
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="default: every shape")
    parser.add_argument("--files", type=int, help="override the shape's file count (one shape only)")
    parser.add_argument("--rows", type=int, help="override the shape's rows per file (one shape only)")
    parser.add_argument("--sources", required=True, help="folder of the generated small files (kept between runs)")
    parser.add_argument("--amoro", required=True)
    parser.add_argument("--sidequery-python", required=True, help="Python with sidequery-pyiceberg (equality deletes)")
    parser.add_argument("--spark-python", help="Python with PySpark and Iceberg's Spark runtime (.venv-spark): "
                        "adds Iceberg's rewrite_data_files")
    parser.add_argument("--amoro-bench", help="amoro-bench binary: adds what libzstd alone costs (parquet-codec-work)")
    parser.add_argument("--json", help="write the measurements here")
    args = parser.parse_args()
    shapes = args.shape or ["tiny", "10mib", "eqdeletes"]
    results = {}
    for name in shapes:
        shape = dict(SHAPES[name])
        if args.files:
            shape["files"] = args.files
        if args.rows:
            shape["rows"] = args.rows
        results[name] = run_shape(name, shape, args)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)


def equality_deletes(python, warehouse, catalog_name, partitions, rows_per_file, files, fraction):
    """Deletes `fraction` of each partition's keys by one equality-delete file per partition (sidequery-pyiceberg,
    in its own virtualenv): the same keys in every table."""
    script = """
import sys, random, pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
warehouse, name, partitions, rows, files, fraction = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]), float(sys.argv[6])
table = SqlCatalog(name, uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}").load_table("bench.events")
rng = random.Random(19)
keys = sorted(rng.sample(range(files * rows), int(files * rows * fraction)))
parts = [(k // rows) % partitions for k in keys]
table.upsert_by_equality_delete(table.schema().as_arrow().empty_table(), join_cols=["id", "part"],
    delete_df=pa.table({"id": pa.array(keys, pa.int64()), "part": pa.array(parts, pa.int64())}))
print(len(keys))
"""
    out = subprocess.run([python, "-c", script, warehouse, catalog_name, str(partitions), str(rows_per_file), str(files),
                          str(fraction)], check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1])


def run_shape(shape_name, shape, args):
    from deltalake import DeltaTable, convert_to_deltalake
    from pyiceberg.catalog.sql import SqlCatalog
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import IdentityTransform

    files, rows, partitions, fraction = shape["files"], shape["rows"], shape["partitions"], shape["deletes"]
    data = f"{args.data}/{shape_name}-{files}-{rows}"
    sources_dir = f"{args.sources}/{shape_name}-{files}-{rows}"
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    sources = [f"{sources_dir}/small-{i:05}.parquet" for i in range(files)]
    if not all(os.path.exists(path) for path in sources):
        os.makedirs(sources_dir, exist_ok=True)
        for i, path in enumerate(sources):
            pq.write_table(batch(i, rows, partitions), path + ".tmp", compression="zstd")
            os.replace(path + ".tmp", path)
    total_rows = files * rows
    tables = {}
    merge = {"self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "true"}
    arms = [("amoro", "default", {})]
    if not fraction:
        arms.append(("amoro merge", "default", merge))
    if shape["unsynced"]:
        # The unsynced copies run amoro under eatmydata (fsync and friends become no-ops): what durability costs.
        arms += [("amoro unsynced", "default", {}), ("amoro merge unsynced", "default", merge)]
    arms.append(("zamboni", "local", {}))
    if args.spark_python:
        arms.append(("spark", "default", {}))
    schema = pq.read_schema(sources[0])
    deleted = 0
    for name, catalog_name, properties in arms:
        warehouse = f"{data}/{name.replace(' ', '-')}"
        os.makedirs(warehouse)
        catalog = SqlCatalog(catalog_name, uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
        catalog.create_namespace("bench")
        if partitions:
            table = catalog.create_table("bench.events", schema, properties={**properties, "format-version": "2"})
            with table.update_spec() as update:
                update.add_field("part", IdentityTransform(), "part")
            table = catalog.load_table("bench.events")
        else:
            table = catalog.create_table("bench.events", schema, properties=properties)
        paths = []
        for i, source in enumerate(sources):
            path = f"{warehouse}/bench/events/data/small-{i:05}.parquet"
            os.makedirs(os.path.dirname(path), exist_ok=True)
            shutil.copyfile(source, path)
            paths.append(path)
        table.add_files(file_paths=paths)
        if fraction:
            deleted = equality_deletes(args.sidequery_python, warehouse, catalog_name, partitions, rows, files, fraction)
        tables[name] = (warehouse, sum(os.path.getsize(p) for p in paths))
    delta_paths = {"delta-rs": f"{data}/delta", "delta-rs zstd": f"{data}/delta-zstd"}
    for path in delta_paths.values():
        os.makedirs(path)
        for i, source in enumerate(sources):
            shutil.copyfile(source, f"{path}/small-{i:05}.parquet")
        convert_to_deltalake(path)
    expected_rows = total_rows - deleted
    print(f"\n== {shape_name}: {files:,} files, {total_rows:,} rows, {tables['amoro'][1] / 2**20:,.0f} MiB (zstd Parquet)"
          + (f", {partitions} partitions" if partitions else "")
          + (f", {deleted:,} rows deleted by equality deletes" if deleted else ""))

    reports = {}
    merged = {}
    compaction_start = time.time()  # files written after this are the tools' outputs
    for name, _, _ in arms:
        if not name.startswith("amoro"):
            continue
        warehouse = tables[name][0]
        config = f"{warehouse}/amoro.yaml"
        with open(config, "w") as out:
            out.write(f"catalog:\n  default:\n    uri: sqlite:///{warehouse}/catalog.db\n    warehouse: file://{warehouse}\n")
        wrap = "eatmydata " if name.endswith("unsynced") else ""
        reports[name] = measured(["bash", "-c", f"{wrap}'{args.amoro}' plan --config '{config}' bench.events --level full --budget-bytes {2**40} | "
                                  f"{wrap}'{args.amoro}' compact --config '{config}' --parallelism 2 --log-format json"])
        merged[name] = sum(json.loads(line)["data_files_merged"] for line in reports[name]["out"].splitlines()
                           if line.startswith("{"))
        # The rewrite phase alone (between the plan check and the commit), from compact's summary log record.
        summary = [json.loads(line) for line in reports[name]["err"].splitlines() if '"rewrite_ms"' in line]
        if summary:
            reports[name]["rewrite_s"] = int(summary[-1]["rewrite_ms"]) / 1000
            reports[name]["rewrite_cpu_s"] = int(summary[-1]["rewrite_cpu_ms"]) / 1000
    zamboni = measured([os.path.join(os.path.dirname(os.sys.executable), "zamboni"), "compact", "--local-warehouse",
                        f"{data}/zamboni", "--threads", "2", "--rewrite-all", "--yes", "bench.events"],
                       allow_failure=bool(fraction))
    zamboni_refusal = None
    if zamboni["status"] != 0:
        zamboni_refusal = next((line.strip() for line in (zamboni["out"] + zamboni["err"]).splitlines()
                                if "blocker" in line), f"exit {zamboni['status']}")
    else:
        reports["zamboni"] = zamboni
    spark_refusal = None
    if args.spark_python:
        # Amoro's target size (self-optimizing.target-size, 128 MiB), not Iceberg's 512 MiB default.
        script = ("import sys; sys.path.insert(0, sys.argv[3]); from spark import rewrite_with_iceberg; "
                  "import json; print(json.dumps(rewrite_with_iceberg(sys.argv[1], sys.argv[2], table='bench.events', "
                  "master='local[2]', driver_memory='4g')))")
        spark = measured([args.spark_python, "-c", script, tables["spark"][0], str(128 * 2**20), os.path.dirname(__file__)],
                         env={"SPARK_LOCAL_IP": "127.0.0.1"}, allow_failure=bool(fraction))
        if spark["status"] != 0:
            spark_refusal = next((line.strip()[:200] for line in spark["err"].splitlines() if "Exception" in line),
                                 f"exit {spark['status']}")
        else:
            # The JVM is PySpark's child but never waited for: its CPU and memory come from /proc, added to Python's.
            jvm = json.loads(spark["out"].strip().splitlines()[-1])
            spark["cpu_s"] += jvm["cpu_s"]
            spark["peak_mib"] += jvm["peak_mib"]
            reports["spark"] = spark
    for name, codec in (("delta-rs", "None"), ("delta-rs zstd", "WriterProperties(compression='ZSTD', compression_level=3)")):
        reports[name] = measured([os.sys.executable, "-c",
                                  "import sys; from deltalake import DeltaTable, WriterProperties; "
                                  f"print(DeltaTable(sys.argv[1]).optimize.compact(max_concurrent_tasks=2, writer_properties={codec}))",
                                  delta_paths[name]])

    # Every tool kept every row (and dropped the deleted ones).
    def iceberg_counts(name, catalog_name):
        if fraction:  # the equality deletes need sidequery-pyiceberg to be read
            script = ("import sys; from pyiceberg.catalog.sql import SqlCatalog; "
                      "t = SqlCatalog(sys.argv[2], uri=f'sqlite:///{sys.argv[1]}/catalog.db', warehouse=f'file://{sys.argv[1]}')"
                      ".load_table('bench.events'); print(t.scan().count(), len(t.inspect.files()))")
            out = subprocess.run([args.sidequery_python, "-c", script, tables[name][0], catalog_name], check=True,
                                 capture_output=True, text=True).stdout.split()
            return int(out[0]), int(out[1])
        table = SqlCatalog(catalog_name, uri=f"sqlite:///{tables[name][0]}/catalog.db",
                           warehouse=f"file://{tables[name][0]}").load_table("bench.events")
        return table.scan().count(), len(table.inspect.files())

    counts = {name: iceberg_counts(name, "local" if name == "zamboni" else "default") for name in reports
              if not name.startswith("delta")}
    for name, path in delta_paths.items():
        counts[name] = (DeltaTable(path).to_pyarrow_table().num_rows, len(DeltaTable(path).file_uris()))
    print(f"{'tool':<22}{'seconds':>9}{'CPU s':>8}{'CPU use':>9}{'peak MiB':>10}{'rows after':>13}{'files after':>13}"
          f"{'÷ amoro':>9}{'÷ merge':>9}")
    for name, report in reports.items():
        rows_after, files_after = counts[name]
        expected = total_rows if name.startswith("delta") else expected_rows
        assert rows_after == expected, (shape_name, name, rows_after, expected)
        merge_ratio = (f"{report['seconds'] / reports['amoro merge']['seconds']:>8.2f}x" if "amoro merge" in reports
                       else f"{'-':>9}")
        print(f"{name:<22}{report['seconds']:>9.2f}{report['cpu_s']:>8.2f}"
              f"{100 * report['cpu_s'] / (2 * report['seconds']):>8.0f}%{report['peak_mib']:>10.0f}{rows_after:>13,}"
              f"{files_after:>13}{report['seconds'] / reports['amoro']['seconds']:>8.2f}x{merge_ratio}")
    for name, report in reports.items():
        if "rewrite_s" in report and report["rewrite_s"] > 0:
            print(f"{name}: the rewrite itself (plan check and commit left out) {report['rewrite_s']:.2f} s, "
                  f"{report['rewrite_cpu_s']:.2f} CPU s, {100 * report['rewrite_cpu_s'] / (2 * report['rewrite_s']):.0f}% of both cores")
    for name, count in merged.items():
        if "merge" in name:
            print(f"{name}: {count} of {files} files merged as stored row groups")
    if zamboni_refusal:
        print(f"zamboni: refused: {zamboni_refusal}")
    if spark_refusal:
        print(f"spark: refused: {spark_refusal}")
    if shape["unsynced"]:
        for name in ("amoro", "amoro merge"):
            synced, unsynced = reports[name]["seconds"], reports[f"{name} unsynced"]["seconds"]
            print(f"durability ({name}): {synced:.2f} s synced, {unsynced:.2f} s without fsync: {synced / unsynced:.2f}x")
    floor = codec_floor(args, sources, reports, {"amoro": f"{tables['amoro'][0]}/bench/events/data",
                                                 "delta-rs zstd": delta_paths["delta-rs zstd"]},
                        compaction_start) if args.amoro_bench else None
    return {"files": files, "rows": rows, "partitions": partitions, "deleted_rows": deleted,
            "zamboni_refusal": zamboni_refusal, "spark_refusal": spark_refusal, "merged_files": merged,
            "codec_floor": floor,
            "tools": {name: {key: report[key] for key in ("seconds", "cpu_s", "peak_mib", "rewrite_s", "rewrite_cpu_s") if key in report}
                      for name, report in reports.items()}}


def codec_floor(args, sources, reports, output_dirs, since):
    """What libzstd alone costs a rewrite (amoro-bench parquet-codec-work, one core): decompressing the input pages
    once, and compressing each tool's output pages at level 3. No rewrite writing those pages runs under half the sum
    on two cores, whatever its own decoding and encoding cost."""
    def work(paths):
        out = subprocess.run([args.amoro_bench, "parquet-codec-work", "3", *paths], check=True, capture_output=True,
                             text=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    decompress = work(sources)["decompress_cpu_s"]
    floor = {"decompress_inputs_cpu_s": decompress, "tools": {}}
    for name, folder in output_dirs.items():
        written = [os.path.join(root, file) for root, _, names in os.walk(folder) for file in names
                   if file.endswith(".parquet") and os.path.getmtime(os.path.join(root, file)) >= since]
        compress = work(written)["compress_cpu_s"]
        cpu = reports[name]["cpu_s"]
        floor["tools"][name] = {"compress_outputs_cpu_s": compress, "libzstd_cpu_s": decompress + compress,
                                "other_cpu_s": cpu - decompress - compress}
    print(f"libzstd alone (one core): decompressing the inputs {decompress:.2f} CPU s; compressing the pages written at "
          f"level 3: " + ", ".join(f"{name} {tool['compress_outputs_cpu_s']:.2f} CPU s" for name, tool in floor["tools"].items()))
    for name, tool in floor["tools"].items():
        print(f"{name}: {tool['libzstd_cpu_s']:.2f} CPU s in libzstd at least, {tool['other_cpu_s']:.2f} CPU s of its "
              f"{reports[name]['cpu_s']:.2f} for everything else (decoding, encoding, statistics, I/O, commit)")
    least = floor["tools"]["amoro"]["libzstd_cpu_s"] / 2
    floor["amoro_least_seconds"] = least
    targets = [("2x delta-rs zstd", reports["delta-rs zstd"]["seconds"] / 2)]
    if "zamboni" in reports:
        targets.append(("5x zamboni", reports["zamboni"]["seconds"] / 5))
    print(f"amoro cannot finish under {least:.2f} s on two cores with these pages; "
          + "; ".join(f"{label} asks for {seconds:.2f} s" + (" (below that floor)" if seconds < least else
                      f" ({2 * (seconds - least):.2f} CPU s left for everything else)") for label, seconds in targets))
    floor["targets_seconds"] = dict(targets)
    return floor


if __name__ == "__main__":
    main()
