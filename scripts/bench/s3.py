"""Compaction of the same small-file table on local disk and on local S3 servers (moto, SeaweedFS).

PyIceberg writes the table (FILES appends of ROWS rows, one data file each) through a SQL catalog whose warehouse is a
local directory or an s3:// bucket; `amoro plan --level full | amoro compact` rewrites it; PyIceberg counts the rows
after. Reports wall time of plan + compact, the ratio to local disk, and for moto (whose access log lists every
request) the S3 requests amoro sent, per data file rewritten. Run by scripts/bench-s3.
"""
import argparse, json, os, re, subprocess, sys, time

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.schema import Schema
from pyiceberg.types import LongType, NestedField, StringType

KEY, SECRET = "amoro-test", "amoro-test-secret"


def make_table(root, warehouse, props, files, rows):
    catalog = SqlCatalog("default", uri=f"sqlite:///{root}/catalog.db", warehouse=warehouse, **props)
    catalog.create_namespace("bench")
    table = catalog.create_table("bench.events", Schema(
        NestedField(1, "id", LongType(), required=True), NestedField(2, "payload", StringType())))
    for i in range(files):
        ids = pa.array(range(i * rows, (i + 1) * rows), pa.int64())
        table.append(pa.table({"id": ids, "payload": pa.array([f"p{j % 97}" for j in range(rows)])},
                              schema=table.schema().as_arrow()))
    return catalog


def run(amoro, config, stdin=None):
    started = time.perf_counter()
    done = subprocess.run([amoro, *config], input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"amoro {' '.join(config)} failed: {done.stderr}")
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
        plan, plan_seconds = run(args.amoro, ["plan", "--config", config, "--json", "--level", "full", "bench.events"])
        result, compact_seconds = run(args.amoro, ["compact", "--config", config, "--json"], stdin=plan)
        requests = requests_in(log, log_start) if kind == "moto" else None
        table = catalog.load_table("bench.events")
        rows_after = len(table.scan().to_arrow())
        document = json.loads(result)
        if document.get("status") != "committed" or rows_after != args.files * args.rows:
            sys.exit(f"{kind}: compaction went wrong: {result} rows after {rows_after}")
        results.append({"target": kind, "plan_seconds": round(plan_seconds, 3), "compact_seconds": round(compact_seconds, 3),
                        "files_rewritten": args.files, "files_after": len(table.inspect.files()),
                        "s3_requests": requests,
                        "requests_per_file": None if requests is None else round(requests / args.files, 2)})
    local = results[0]["plan_seconds"] + results[0]["compact_seconds"]
    for result in results:
        result["ratio_to_local"] = round((result["plan_seconds"] + result["compact_seconds"]) / local, 2)
        print(json.dumps(result))


main()
