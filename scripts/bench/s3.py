"""Compaction of the same small-file table on local disk and on local S3 servers (moto, SeaweedFS), by amoro and by
the PyIceberg peer a user would reach for, iceberg-zamboni.

PyIceberg writes the table (FILES appends of ROWS rows, one data file each) through a SQL catalog whose warehouse is a
local directory or an s3:// bucket; `amoro plan --level full | amoro compact` rewrites it; PyIceberg counts the rows
after. On each S3 server a second copy of the same table (same rows, same catalog, another namespace) is compacted by
zamboni (`zamboni compact --rewrite-all`, from --zamboni-python's virtualenv, through the same SQL catalog and S3
server: its command line only offers REST or local catalogs, so scripts/bench/zamboni_s3.py hands it a PyIceberg
catalog session). Reports wall time, the ratio to local disk and to amoro on the same server, and for moto (whose
access log lists every request) the S3 requests each tool sent, per data file rewritten. Run by scripts/bench-s3.
"""
import argparse, json, os, re, subprocess, sys, time

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField, StringType

KEY, SECRET = "amoro-test", "amoro-test-secret"


def make_table(root, warehouse, props, files, rows, namespace="bench"):
    catalog = SqlCatalog("default", uri=f"sqlite:///{root}/catalog.db", warehouse=warehouse, **props)
    catalog.create_namespace(namespace)
    table = catalog.create_table(f"{namespace}.events", Schema(
        NestedField(1, "id", LongType(), required=True), NestedField(2, "payload", StringType())))
    for i in range(files):
        ids = pa.array(range(i * rows, (i + 1) * rows), pa.int64())
        table.append(pa.table({"id": ids, "payload": pa.array([f"p{j % 97}" for j in range(rows)])},
                              schema=table.schema().as_arrow()))
    return catalog


def run(command, stdin=None):
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:2])} failed: {done.stderr}")
    return done.stdout, time.perf_counter() - started


def requests_in(log, start_line):
    with open(log) as handle:
        lines = handle.readlines()[start_line:]
    return sum(1 for line in lines if re.search(r'"(GET|PUT|POST|HEAD|DELETE) ', line))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--amoro", required=True)
    parser.add_argument("--files", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--server", action="append", default=[], help="kind=endpoint=logfile")
    parser.add_argument("--zamboni-python", help="the interpreter of iceberg-zamboni's virtualenv")
    args = parser.parse_args()
    targets = [("local", None, None)] + [tuple(s.split("=", 2)) for s in args.server]
    results = []
    for kind, endpoint, log in targets:
        root = os.path.join(args.data, kind)
        os.makedirs(root, exist_ok=True)
        props = {} if endpoint is None else {
            "s3.endpoint": endpoint, "s3.access-key-id": KEY, "s3.secret-access-key": SECRET,
            "s3.region": "us-east-1", "s3.path-style-access": "true"}
        warehouse = f"file://{root}/warehouse" if endpoint is None else f"s3://amoro-test/bench-{int(time.time())}"
        catalog = make_table(root, warehouse, props, args.files, args.rows)
        config = os.path.join(root, "amoro.yaml")
        with open(config, "w") as handle:
            handle.write(f"catalog:\n  default:\n    uri: sqlite:///{root}/catalog.db\n    warehouse: {warehouse}\n")
            handle.writelines(f'    {key}: "{value}"\n' for key, value in props.items())
        log_start = sum(1 for _ in open(log)) if log else 0
        plan, plan_seconds = run([args.amoro, "plan", "--config", config, "--json", "--level", "full", "bench.events"])
        result, compact_seconds = run([args.amoro, "compact", "--config", config, "--json"], stdin=plan)
        requests = requests_in(log, log_start) if kind == "moto" else None
        if json.loads(result).get("status") != "committed":
            sys.exit(f"{kind}: amoro did not commit: {result}")
        results.append(measured(kind, "amoro", catalog, "bench.events", plan_seconds + compact_seconds, requests, args))
        if endpoint is None or not args.zamboni_python:
            continue
        catalog = make_table(root, warehouse, props, args.files, args.rows, namespace="peer")
        log_start = sum(1 for _ in open(log))
        properties = json.dumps({"type": "sql", "uri": f"sqlite:///{root}/catalog.db", "warehouse": warehouse, **props})
        _, seconds = run([args.zamboni_python, os.path.join(os.path.dirname(__file__), "zamboni_s3.py"), properties, "peer.events"])
        requests = requests_in(log, log_start) if kind == "moto" else None
        results.append(measured(kind, "zamboni", catalog, "peer.events", seconds, requests, args))
    local = results[0]["seconds"]
    amoro_on = {result["target"]: result["seconds"] for result in results if result["tool"] == "amoro"}
    for result in results:
        result["ratio_to_local"] = round(result["seconds"] / local, 2)
        result["ratio_to_amoro"] = round(result["seconds"] / amoro_on[result["target"]], 2)
        print(json.dumps(result))


def measured(target, tool, catalog, name, seconds, requests, args):
    """One tool's run on one target, after checking that every row is still there."""
    table = catalog.load_table(name)
    rows_after = len(table.scan().to_arrow())
    if rows_after != args.files * args.rows:
        sys.exit(f"{tool} on {target}: {rows_after} rows after compaction, {args.files * args.rows} before")
    return {"target": target, "tool": tool, "seconds": round(seconds, 3), "files_rewritten": args.files,
            "files_after": len(table.inspect.files()), "s3_requests": requests,
            "requests_per_file": None if requests is None else round(requests / args.files, 2)}


main()
