"""Paimon benchmark driver (scripts/bench-paimon): builds the tables; times amoro's expiry and orphan cleaning against
the listing floor, and amoro's compaction against pypaimon's read-merge-write of the same table."""
import argparse, json, os, resource, shlex, shutil, subprocess, sys, time, uuid

import pyarrow as pa
from pypaimon import CatalogFactory, Schema

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--amoro", required=True)
parser.add_argument("--snapshots", type=int, default=5000)
parser.add_argument("--orphans", type=int, default=100000)
parser.add_argument("--commits", type=int, default=40, help="real pypaimon commits under the copies")
parser.add_argument("--compact-commits", type=int, default=400, help="small pypaimon commits in each compaction table")
parser.add_argument("--only", choices=["expire", "orphans", "compact"], action="append", help="run only these parts")
parser.add_argument("--small", action="store_true", help="a tenth of the sizes")
args = parser.parse_args()
if args.small:
    args.snapshots, args.orphans, args.commits = args.snapshots // 10, args.orphans // 10, max(10, args.commits // 4)
    args.compact_commits = max(20, args.compact_commits // 10)
parts = set(args.only or ["expire", "orphans", "compact"])

schema = pa.schema([("id", pa.int64()), ("dt", pa.string()), ("v", pa.string())])


def build(warehouse):
    shutil.rmtree(warehouse, ignore_errors=True)
    catalog = CatalogFactory.create({"warehouse": warehouse})
    catalog.create_database("db", True)
    catalog.create_table("db.t", Schema.from_pyarrow_schema(schema, partition_keys=["dt"], primary_keys=["dt", "id"],
        options={"bucket": "4", "snapshot.expire.limit": "1000000"}), True)
    table = catalog.get_table("db.t")
    for i in range(args.commits):
        builder = table.new_batch_write_builder()
        if i % 10 == 9:
            builder = builder.overwrite({"dt": f"d{i % 7}"})
        write, commit = builder.new_write(), builder.new_commit()
        write.write_arrow(pa.Table.from_pylist([{"id": i * 10 + k, "dt": f"d{(i + k) % 7}", "v": "x"} for k in range(8)], schema=schema))
        commit.commit(write.prepare_commit())
        write.close()
        commit.close()
    root = f"{warehouse}/db.db/t"
    # Copies of the last snapshot under new ids, each with its own manifest lists (copied bytes, new names).
    last = json.load(open(f"{root}/snapshot/snapshot-{args.commits}"))
    for offset in range(1, args.snapshots - args.commits + 1):
        snapshot = dict(last)
        snapshot["id"] = args.commits + offset
        snapshot["timeMillis"] = last["timeMillis"] + offset
        for key in ("baseManifestList", "deltaManifestList"):
            name = f"manifest-list-{uuid.uuid4()}-{key[0]}"
            shutil.copyfile(f"{root}/manifest/{last[key]}", f"{root}/manifest/{name}")
            snapshot[key] = name
        with open(f"{root}/snapshot/snapshot-{snapshot['id']}", "w") as out:
            json.dump(snapshot, out)
    with open(f"{root}/snapshot/LATEST", "w") as out:
        out.write(str(max(args.snapshots, args.commits)))
    return root


def rows(warehouse):
    table = CatalogFactory.create({"warehouse": warehouse}).get_table("db.t")
    builder = table.new_read_builder()
    return sorted(map(str, builder.new_read().to_arrow(builder.new_scan().plan().splits()).to_pylist()))


def timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) // 1024, result.stdout


def floor(root):
    return timed(["find", root, "-type", "f"])[0]




def measured(command):
    """Wall seconds and peak resident MiB of one command (GNU time: the largest process among its descendants)."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    seconds, kib = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kib) // 1024, result.stdout


def build_compaction_table(warehouse, name, primary_key):
    """`name` with many small commits: an append table (bucket -1) or a primary-key table (4 buckets, upserts over
    a key space a few times smaller than the rows written, and deletes)."""
    catalog = CatalogFactory.create({"warehouse": warehouse})
    catalog.create_database("db", True)
    columns = [pa.field("id", pa.int64(), nullable=not primary_key), ("dt", pa.string()), ("v", pa.string()), ("n", pa.int64())]
    options = {"bucket": "4", "rowkind.field": "op"} if primary_key else {}
    if primary_key:
        columns.append(("op", pa.string()))
    table_schema = pa.schema(columns)
    catalog.create_table(name, Schema.from_pyarrow_schema(table_schema, primary_keys=["id"] if primary_key else None,
        options=options), True)
    table = catalog.get_table(name)
    keys = max(1000, args.compact_commits * 50)
    for i in range(args.compact_commits):
        rows = [{"id": (i * 997 + k * 13) % keys, "dt": f"d{k % 7}", "v": f"value {i}-{k} " * 4, "n": i * k} for k in range(200)]
        if primary_key:
            for k, row in enumerate(rows):
                row["op"] = "-D" if i % 10 == 9 and k < 20 else "+I"
        builder = table.new_batch_write_builder()
        write, commit = builder.new_write(), builder.new_commit()
        write.write_arrow(pa.Table.from_pylist(rows, schema=table_schema))
        commit.commit(write.prepare_commit())
        write.close()
        commit.close()


# pypaimon's only way to compact: read the whole table (merged on read) and overwrite it with what it read.
READ_MERGE_WRITE = """
import sys
from pypaimon import CatalogFactory
table = CatalogFactory.create({'warehouse': sys.argv[1]}).get_table(sys.argv[2])
read = table.new_read_builder()
rows = read.new_read().to_arrow(read.new_scan().plan().splits())
builder = table.new_batch_write_builder().overwrite({})
write, commit = builder.new_write(), builder.new_commit()
write.write_arrow(rows)
commit.commit(write.prepare_commit())
write.close()
commit.close()
"""


def table_rows(warehouse, name):
    table = CatalogFactory.create({"warehouse": warehouse}).get_table(name)
    builder = table.new_read_builder()
    found = builder.new_read().to_arrow(builder.new_scan().plan().splits()).to_pylist()
    return sorted(str({k: v for k, v in row.items() if k != "op"}) for row in found)


def data_files(root):
    return sum(1 for _, _, files in os.walk(root) for f in files if f.endswith(".parquet"))


def compaction():
    base = f"{args.data}/compact-base"
    shutil.rmtree(base, ignore_errors=True)
    for name, primary_key in (("db.append", False), ("db.pk", True)):
        print(f"building {name} ({args.compact_commits} commits of 200 rows)...", file=sys.stderr)
        build_compaction_table(base, name, primary_key)
        expected = table_rows(base, name)
        directory = f"{name.split('.')[0]}.db/{name.split('.')[1]}"
        files_before = data_files(f"{base}/{directory}")
        ours, theirs = f"{args.data}/compact-amoro", f"{args.data}/compact-pypaimon"
        for copy in (ours, theirs):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
        table = f"{ours}/{directory}"
        amoro, locks = shlex.quote(args.amoro), shlex.quote(f"{args.data}/locks")
        pipeline = f"{amoro} plan --json --level full {shlex.quote(table)} | {amoro} compact --json --lock-dir {locks}"
        amoro_s, amoro_mib, out = measured(["bash", "-c", f"set -o pipefail; {pipeline}"])
        result = json.loads(out.splitlines()[0])
        assert result["status"] == "committed", result
        assert table_rows(ours, name) == expected, f"{name}: rows changed by amoro"
        python_s, python_mib, _ = measured([sys.executable, "-c", READ_MERGE_WRITE, theirs, name])
        assert table_rows(theirs, name) == expected, f"{name}: rows changed by pypaimon's read-merge-write"
        print(json.dumps({"bench": "paimon-compact", "table": "primary-key (4 buckets)" if primary_key else "append (bucket -1)",
            "commits": args.compact_commits, "rows": len(expected), "files_before": files_before,
            "amoro_files_in": result["data_files_in"], "amoro_files_out": result["data_files_out"],
            "amoro_s": amoro_s, "amoro_mib": amoro_mib, "pypaimon_s": python_s, "pypaimon_mib": python_mib,
            "pypaimon_to_amoro_time": round(python_s / max(amoro_s, 0.01), 1),
            "pypaimon_to_amoro_memory": round(python_mib / max(amoro_mib, 1), 1)}))


os.makedirs(args.data, exist_ok=True)
if parts & {"expire", "orphans"}:
    base = f"{args.data}/base"
    print(f"building {args.snapshots} snapshots ({args.commits} real commits)...", file=sys.stderr)
    root = build(base)
    expected = rows(base)
    lock_dir = f"{args.data}/locks"

if "expire" in parts:
    copy = f"{args.data}/expire"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base, copy)
    table = f"{copy}/db.db/t"
    files_before = sum(len(f) for _, _, f in os.walk(table))
    listing = floor(table)
    seconds, memory, out = timed([args.amoro, "expire-snapshots", "--json", "--lock-dir", lock_dir, "--retain-last", "1",
        "--older-than", "2099-01-01T00:00:00Z", table])
    document = json.loads(out.splitlines()[0])
    deleted = sum(c["files"] for c in document["files_deleted"].values())
    assert rows(copy) == expected, "rows changed"
    print(json.dumps({"bench": "paimon-expire", "snapshots": args.snapshots, "expired": len(document["snapshots_removed"]),
        "files_deleted": deleted, "files_before": files_before, "amoro_s": round(seconds, 3), "amoro_mib": memory,
        "find_s": round(listing, 3), "ratio_to_find": round(seconds / listing, 1)}))

if "orphans" in parts:
    copy = f"{args.data}/orphans"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base, copy)
    table = f"{copy}/db.db/t"
    old = time.time() - 3 * 86400
    buckets = [d for d, _, _ in os.walk(table) if os.path.basename(d).startswith("bucket-")]
    for i in range(args.orphans):
        path = f"{buckets[i % len(buckets)]}/data-orphan-{i}.parquet"
        with open(path, "w") as out:
            out.write("x")
        os.utime(path, (old, old))
    young = f"{buckets[0]}/data-in-flight.parquet"
    open(young, "w").write("x")
    files_total = sum(len(f) for _, _, f in os.walk(table))
    listing = floor(table)
    seconds, memory, out = timed([args.amoro, "clean-orphans", "--json", "--lock-dir", lock_dir, "--older-than", "1d", table])
    document = json.loads(out.splitlines()[0])
    deleted = document.get("files_deleted")
    assert rows(copy) == expected, "rows changed"
    assert os.path.exists(young), "the in-flight file was deleted"
    left = sum(1 for d in buckets for f in os.listdir(d) if "orphan" in f)
    print(json.dumps({"bench": "paimon-clean-orphans", "files": files_total, "orphans": args.orphans, "deleted": deleted,
        "orphans_left": left,
        "amoro_s": round(seconds, 3), "amoro_mib": memory, "find_s": round(listing, 3), "ratio_to_find": round(seconds / listing, 1)}))
if "compact" in parts:
    compaction()
