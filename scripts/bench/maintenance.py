"""Side-by-side table-maintenance benchmark: snapshot expiry, orphan-file removal and manifest rewriting by amoro,
iceberg-zamboni and iceops on the same tables (and a plain `find` listing of the orphan table's tree as the floor).

Two tables, each in a SQLite catalog named `local` (PyIceberg's schema), built by `amoro-bench` (see
Sources/amoro-bench/Bench+Maintenance.swift):
  - bench.history: thousands of snapshots (small appends, overwrites and deletes), all but the last RECENT older
    than ten days; expiry keeps the snapshots younger than 5 days or among the newest 50 (the same setting for
    every tool), so it must delete the files only the expired snapshots reached;
  - bench.orphans: a tree of 100,000+ files: live data files, orphans 30 days old and young unreferenced files (an
    in-flight write); removal with a 3-day grace period must delete exactly the orphans;
  - bench.manifests: thousands of one-entry manifests (a streaming writer that does not merge them), each tool
    rewriting them with the default 8 MiB target must leave a handful and the same live data files.
Each tool gets a fresh copy of the table (copying is not timed; see `fresh_copy`), runs once in its own process,
and is measured for wall time and peak resident memory (its whole process tree, from rusage); a tool still running
after --timeout seconds is stopped and its time reported as a lower bound. After each run an independent reader
checks the table: PyIceberg walks every remaining snapshot (manifest lists, manifests, live entries, metadata
log) and DuckDB counts the rows; files on disk are compared with what that metadata reaches.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(__file__))

DAY_MS = 86_400_000
OLDER_THAN_DAYS = 5      # expiry: keep snapshots younger than this...
RETAIN_LAST = 50         # ...or among the newest RETAIN_LAST
GRACE_DAYS = 3           # orphan removal: leave files younger than this
TEMPLATE_ROWS = 100

DUCKDB_PRELUDE = """
import duckdb, glob, os
import duckdb_extension_avro, duckdb_extension_iceberg
def duck():
    connection = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    for module, name in ((duckdb_extension_avro, "avro"), (duckdb_extension_iceberg, "iceberg")):
        path = glob.glob(os.path.join(os.path.dirname(module.__file__), "extensions", "*", name + ".duckdb_extension"))[0]
        connection.execute(f"LOAD '{path}'")
    return connection
"""


def write_template(path):
    """The one Parquet file every data file copies: Iceberg field ids 1-3 as the generated tables' schema says."""
    def field(name, kind, field_id):
        return pa.field(name, kind, metadata={"PARQUET:field_id": str(field_id)})
    schema = pa.schema([field("id", pa.int64(), 1), field("ts", pa.timestamp("us"), 2), field("note", pa.string(), 3)])
    pq.write_table(pa.table({
        "id": list(range(TEMPLATE_ROWS)),
        "ts": [1_700_000_000_000_000 + i * 1_000_000 for i in range(TEMPLATE_ROWS)],
        "note": [None if i % 7 == 0 else f"note-{i}" for i in range(TEMPLATE_ROWS)],
    }, schema=schema), path)


def measured(command, env=None, timeout=None):
    """Wall time and peak resident memory of one command's process tree, through a wrapper that reports the
    rusage of its waited-for descendants (so a shell pipeline or a Python CLI is measured whole)."""
    wrapper = ("import json, resource, subprocess, sys, time\n"
               "start = time.perf_counter()\n"
               "p = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]) or None)\n"
               "elapsed = time.perf_counter() - start\n"
               "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "print(json.dumps({'seconds': elapsed, 'peak_mib': usage.ru_maxrss / 1024, 'status': p.returncode,"
               " 'out': p.stdout[-4000:], 'err': p.stderr[-4000:]}))\n")
    result = subprocess.run([sys.executable, "-c", wrapper, str(timeout or 0), *command], capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:  # the wrapper itself failed: a timeout, or a command that cannot start
        failure = "timeout" if "TimeoutExpired" in result.stderr else "failed to start"
        return {"seconds": float(timeout or 0), "peak_mib": 0, "status": failure, "out": "", "err": result.stderr[-2000:]}
    return json.loads(result.stdout)


def local(path):
    return path[len("file://"):] if path.startswith("file://") else path


def load(warehouse, name):
    from pyiceberg.catalog.sql import SqlCatalog
    catalog = SqlCatalog("local", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
    return catalog.load_table(name)


def reachable(table):
    """Every file the table's metadata reaches: the metadata file and its log, statistics files, and for every
    snapshot its manifest list, its manifests and their live (added or existing) entries."""
    from pyiceberg.manifest import ManifestFile
    metadata = table.metadata
    paths = {table.metadata_location, *(entry.metadata_file for entry in metadata.metadata_log)}
    paths |= {s.statistics_path for s in metadata.statistics}
    paths |= {s.statistics_path for s in getattr(metadata, "partition_statistics", [])}
    seen = set()
    for snapshot in metadata.snapshots:
        paths.add(snapshot.manifest_list)
        for manifest in snapshot.manifests(table.io):
            if manifest.manifest_path in seen:
                continue
            seen.add(manifest.manifest_path)
            paths.add(manifest.manifest_path)
            for entry in manifest.fetch_manifest_entry(table.io, discard_deleted=True):
                paths.add(entry.data_file.file_path)
    return {local(p) for p in paths}


def listing(directory):
    return {os.path.join(root, name) for root, _, names in os.walk(directory) for name in names}


def duckdb_rows(metadata_location):
    namespace = {}
    exec(DUCKDB_PRELUDE, namespace)
    connection = namespace["duck"]()
    return connection.execute(f"SELECT count(*) FROM iceberg_scan('{local(metadata_location)}')").fetchone()[0]


def inspect(warehouse, name, read_rows_with_pyiceberg, walk=True):
    """What an independent reader sees: snapshots, rows (DuckDB, and PyIceberg reading every file when asked),
    files on disk and, when `walk`, the files the metadata reaches and the reached files that are missing."""
    table = load(warehouse, name)
    on_disk = listing(local(table.location()))
    state = {
        "snapshots": len(table.metadata.snapshots),
        "rows_duckdb": duckdb_rows(table.metadata_location),
        "files": len(on_disk),
    }
    if walk:
        reached = reachable(table)
        state |= {"reachable": len(reached & on_disk), "unreachable_left": sorted(on_disk - reached),
                  "missing": sorted(reached - on_disk)}
    if read_rows_with_pyiceberg:
        state["rows_pyiceberg"] = table.scan().to_arrow().num_rows
    return state, table


def by_kind(paths):
    """'1,234 (1,200 data, 34 manifests)': how many files, of which kinds."""
    counts = {}
    for path in paths:
        name = os.path.basename(path)
        kind = ("data" if name.endswith(".parquet") else "metadata" if name.endswith(".metadata.json")
                else "lists" if name.startswith("snap-") and name.endswith(".avro")
                else "manifests" if name.endswith(".avro") else "other")
        counts[kind] = counts.get(kind, 0) + 1
    detail = ", ".join(f"{n:,} {kind}" for kind, n in sorted(counts.items(), key=lambda item: -item[1]))
    return f"{len(paths):,}" + (f" ({detail})" if detail else "")


def fresh_copy(pristine, warehouse):
    """The pristine warehouse copied to the path its metadata names, as hard links (modification times kept, and
    seconds instead of minutes for 100,000 files): the tools only create and unlink table files, never write one in
    place; the catalog database, which they do update in place, is copied for real."""
    shutil.rmtree(warehouse, ignore_errors=True)
    subprocess.run(["cp", "-al", pristine, warehouse], check=True)
    os.unlink(f"{warehouse}/catalog.db")
    shutil.copy2(f"{pristine}/catalog.db", f"{warehouse}/catalog.db")


class Tools:
    """The command line of each tool for each operation, with the same retention settings."""

    def __init__(self, amoro, venv_bin, data):
        self.amoro = amoro
        self.venv_bin = venv_bin
        self.data = data

    def amoro_config(self, warehouse):
        path = f"{self.data}/amoro-{os.path.basename(warehouse)}.yaml"
        with open(path, "w") as out:
            out.write(f"catalog:\n  local:\n    uri: sqlite:///{warehouse}/catalog.db\n    warehouse: file://{warehouse}\n")
        return path

    def iceops_env(self, warehouse):
        path = f"{self.data}/iceops-{os.path.basename(warehouse)}.toml"
        with open(path, "w") as out:
            out.write(f'[catalogs.local]\ntype = "sql"\nuri = "sqlite:///{warehouse}/catalog.db"\n'
                      f'warehouse = "file://{warehouse}"\n')
        return {"ICEOPS_CONFIG": path}

    def expire(self, warehouse, table):
        return {
            "amoro": ([self.amoro, "expire-snapshots", "--config", self.amoro_config(warehouse), table,
                       "--older-than", f"{OLDER_THAN_DAYS}d", "--retain-last", str(RETAIN_LAST)], None),
            "zamboni": ([f"{self.venv_bin}/zamboni", "expire", "--local-warehouse", warehouse, "--threads", "2",
                         "--max-snapshot-age-days", str(OLDER_THAN_DAYS), "--min-snapshots-to-keep", str(RETAIN_LAST),
                         "--yes", table], None),
            "iceops": ([f"{self.venv_bin}/iceops", "expire", table, "--catalog", "local", "--older-than",
                        f"{OLDER_THAN_DAYS}d", "--retain-last", str(RETAIN_LAST), "--yes", "--json"],
                       self.iceops_env(warehouse)),
        }

    def clean_orphans(self, warehouse, table, location):
        return {
            "amoro": ([self.amoro, "clean-orphans", "--config", self.amoro_config(warehouse), table,
                       "--older-than", f"{GRACE_DAYS}d", "--force"], None),
            "zamboni": ([f"{self.venv_bin}/zamboni", "remove-orphans", "--local-warehouse", warehouse, "--threads", "2",
                         "--older-than-days", str(GRACE_DAYS), "--yes", table], None),
            "iceops": ([f"{self.venv_bin}/iceops", "clean-orphans", table, "--catalog", "local", "--older-than",
                        f"{GRACE_DAYS}d", "--yes", "--json"], self.iceops_env(warehouse)),
            "find": (["bash", "-c", f"find '{location}' -type f -mtime +{GRACE_DAYS} | wc -l"], None),
        }


    def rewrite_manifests(self, warehouse, table):
        return {
            "amoro": ([self.amoro, "rewrite-manifests", "--config", self.amoro_config(warehouse), table], None),
            "zamboni": ([f"{self.venv_bin}/zamboni", "rewrite-manifests", "--local-warehouse", warehouse, "--threads", "2",
                         "--yes", table], None),
            "iceops": ([f"{self.venv_bin}/iceops", "rewrite-manifests", table, "--catalog", "local", "--yes", "--json"],
                       self.iceops_env(warehouse)),
        }


def run(name, command, env, timeout):
    report = measured(command, env, timeout)
    if report["status"] != 0:
        tail = (report["err"] or report["out"]).strip().splitlines()[-3:]
        print(f"  {name}: {status(report)}: {' | '.join(tail)}", file=sys.stderr)
    return report


def status(report):
    code = report["status"]
    return "ok" if code == 0 else code if isinstance(code, str) else f"exit {code}"


def pristine_view(pristine, warehouse):
    """The pristine table, seen where its metadata says it lives (a fresh copy at that path)."""
    fresh_copy(pristine, warehouse)
    return warehouse


def bench_expire(tools, data, args):
    """expire-snapshots by each tool: (tool, report, outcome) rows."""
    pristine, warehouse, name = f"{data}/history.pristine", f"{data}/history", "bench.history"
    before, table = inspect(pristine_view(pristine, warehouse), name, False, walk=False)
    newest = sorted((s.timestamp_ms for s in table.metadata.snapshots), reverse=True)
    cutoff = args.now_ms - OLDER_THAN_DAYS * DAY_MS
    expected_left = sum(1 for i, ts in enumerate(newest) if i < RETAIN_LAST or ts >= cutoff)
    print(f"expire-snapshots on {name}: {before['snapshots']:,} snapshots, {before['files']:,} files, "
          f"{before['rows_duckdb']:,} rows; keep those younger than {OLDER_THAN_DAYS} days or among the newest "
          f"{RETAIN_LAST} (expected: {expected_left} left)", flush=True)
    rows = []
    for tool, (command, env) in tools.expire(warehouse, name).items():
        fresh_copy(pristine, warehouse)
        report = run(tool, command, env, args.timeout)
        outcome = ""
        if report["status"] == 0:
            after = inspect(warehouse, name, True)[0]
            rows_ok = after["rows_duckdb"] == after["rows_pyiceberg"] == before["rows_duckdb"]
            outcome = (f"{after['snapshots']:,} snapshots left, rows {'same' if rows_ok else 'DIFFER'}, "
                       f"{len(after['missing']):,} missing, unreachable left {by_kind(after['unreachable_left'])}")
        rows.append(("expire-snapshots", tool, report, outcome))
    return rows


def bench_orphans(tools, data, args):
    """clean-orphans by each tool, and the `find` listing: (tool, report, outcome) rows."""
    pristine, warehouse, name = f"{data}/orphans.pristine", f"{data}/orphans", "bench.orphans"
    with open(f"{pristine}/expected.json") as handle:
        expected = json.load(handle)
    orphans = [local(p) for p in expected["orphans"]]
    young = [local(p) for p in expected["young"]]
    before, table = inspect(pristine_view(pristine, warehouse), name, False)
    location = local(table.location())
    print(f"clean-orphans on {name}: {before['files']:,} files under the table location: {before['reachable']:,} "
          f"reachable, {len(orphans):,} orphans 30 days old, {len(young):,} unreferenced files written now; "
          f"{before['rows_duckdb']:,} rows; grace period {GRACE_DAYS} days", flush=True)
    rows = []
    for tool, (command, env) in tools.clean_orphans(warehouse, name, location).items():
        fresh_copy(pristine, warehouse)
        report = run(tool, command, env, args.timeout)
        outcome = ""
        if tool == "find":
            outcome = f"lists {report['out'].strip()} files older than the grace period"
        elif report["status"] == 0:
            after = inspect(warehouse, name, False)[0]
            deleted = sum(1 for p in orphans if not os.path.exists(p))
            kept = sum(1 for p in young if os.path.exists(p))
            outcome = (f"orphans deleted {deleted:,}/{len(orphans):,}, young kept {kept:,}/{len(young):,}, "
                       f"{len(after['missing']):,} live missing, rows "
                       f"{'same' if after['rows_duckdb'] == before['rows_duckdb'] else 'DIFFER'}")
        rows.append(("clean-orphans", tool, report, outcome))
    return rows


def live_files(table):
    """The current snapshot's manifests and its live data files (path, record count, size), as PyIceberg reads them."""
    snapshot = table.current_snapshot()
    manifests = snapshot.manifests(table.io)
    files = set()
    for manifest in manifests:
        for entry in manifest.fetch_manifest_entry(table.io, discard_deleted=True):
            files.add((entry.data_file.file_path, entry.data_file.record_count, entry.data_file.file_size_in_bytes))
    return manifests, files


def bench_manifests(tools, data, args):
    """rewrite-manifests by each tool: (tool, report, outcome) rows."""
    pristine, warehouse, name = f"{data}/manifests.pristine", f"{data}/manifests", "bench.manifests"
    before, table = inspect(pristine_view(pristine, warehouse), name, False, walk=False)
    manifests, files = live_files(table)
    print(f"rewrite-manifests on {name}: {len(manifests):,} manifests of {len(files):,} live data files, "
          f"{before['snapshots']:,} snapshots, {before['rows_duckdb']:,} rows; target 8 MiB", flush=True)
    rows = []
    for tool, (command, env) in tools.rewrite_manifests(warehouse, name).items():
        fresh_copy(pristine, warehouse)
        report = run(tool, command, env, args.timeout)
        outcome = ""
        if report["status"] == 0:
            after, table = inspect(warehouse, name, True, walk=False)
            rewritten, files_after = live_files(table)
            rows_ok = after["rows_duckdb"] == after["rows_pyiceberg"] == before["rows_duckdb"]
            outcome = (f"{len(rewritten):,} manifests left ({table.current_snapshot().summary.operation.value}), "
                       f"live files {'same' if files_after == files else 'DIFFER'}, rows {'same' if rows_ok else 'DIFFER'}")
        rows.append(("rewrite-manifests", tool, report, outcome))
    return rows


def summary(rows, timeout):
    """One table: each tool's time, its ratio to amoro's on the same operation, peak memory and outcome."""
    amoro = {operation: report for operation, tool, report, _ in rows if tool == "amoro" and report["status"] == 0}
    print(f"\n{'operation':<18}{'tool':<9}{'result':>8}{'seconds':>9}{'vs amoro':>10}{'peak MiB':>10}  outcome")
    for operation, tool, report, outcome in rows:
        base = amoro.get(operation)
        seconds, vs = f"{report['seconds']:.2f}", "-"
        if report["status"] == "timeout":
            seconds = f">{timeout:.0f}"
            vs = f">{timeout / base['seconds']:.1f}x" if base else "-"
        elif base and report["status"] == 0:
            vs = f"{report['seconds'] / base['seconds']:.1f}x"
        peak = f"{report['peak_mib']:.0f}" if report["status"] != "timeout" else "-"
        print(f"{operation:<18}{tool:<9}{status(report):>8}{seconds:>9}{vs:>10}{peak:>10}  {outcome}")
    print("(vs amoro: the tool's time over amoro's; missing: files the remaining metadata reaches that are gone; "
          "unreachable left: files on disk that no remaining snapshot, metadata file or log entry reaches)")


def generate(args, data):
    template = f"{data}/template.parquet"
    write_template(template)
    rows = str(TEMPLATE_ROWS)
    started = time.perf_counter()
    commands = {
        "history": ["make-history-table", f"{data}/history", str(args.snapshots), str(args.recent), template, rows],
        "orphans": ["make-orphan-table", f"{data}/orphans", str(args.live), str(args.orphans), str(args.young), template, rows],
        "manifests": ["make-manifest-table", f"{data}/manifests", str(args.manifests), template, rows],
    }
    for table, command in commands.items():
        if table in args.only:
            subprocess.run([args.amoro_bench, *command, str(args.now_ms)], check=True, stdout=subprocess.DEVNULL)
            os.rename(f"{data}/{table}", f"{data}/{table}.pristine")
    print(f"generated the tables in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--amoro", required=True)
    parser.add_argument("--amoro-bench", required=True)
    parser.add_argument("--peers-bin", required=True, help="bin directory of the virtualenv with zamboni and iceops")
    parser.add_argument("--small", action="store_true", help="a quick check: a tenth of the sizes")
    parser.add_argument("--timeout", type=float, default=180, help="seconds one tool may run")
    parser.add_argument("--only", default="history,orphans,manifests",
                        help="the tables to benchmark, comma separated (history, orphans, manifests)")
    args = parser.parse_args()
    scale = 10 if args.small else 1
    args.snapshots, args.recent = 5_000 // scale, 100 if scale == 1 else 60
    args.live, args.orphans, args.young = 90_000 // scale, 10_000 // scale, 1_000 // scale
    args.manifests = 3_000 // scale
    data = os.path.abspath(args.data)
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(data)
    args.now_ms = int(time.time() * 1000)
    args.only = set(args.only.split(","))
    generate(args, data)
    tools = Tools(args.amoro, args.peers_bin, data)
    benches = {"history": bench_expire, "orphans": bench_orphans, "manifests": bench_manifests}
    summary([row for table, bench in benches.items() if table in args.only for row in bench(tools, data, args)], args.timeout)
    print(f"whole benchmark: {(time.time() * 1000 - args.now_ms) / 60_000:.1f} min")


if __name__ == "__main__":
    main()
