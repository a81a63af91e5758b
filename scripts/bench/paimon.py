"""Paimon maintenance benchmark driver (scripts/bench-paimon): builds the table, times amoro and the listing floor."""
import argparse, json, os, resource, shutil, subprocess, sys, time, uuid

import pyarrow as pa
from pypaimon import CatalogFactory, Schema

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--amoro", required=True)
parser.add_argument("--snapshots", type=int, default=5000)
parser.add_argument("--orphans", type=int, default=100000)
parser.add_argument("--commits", type=int, default=40, help="real pypaimon commits under the copies")
parser.add_argument("--small", action="store_true", help="a tenth of the sizes")
args = parser.parse_args()
if args.small:
    args.snapshots, args.orphans, args.commits = args.snapshots // 10, args.orphans // 10, max(10, args.commits // 4)

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


os.makedirs(args.data, exist_ok=True)
base = f"{args.data}/base"
print(f"building {args.snapshots} snapshots ({args.commits} real commits)...", file=sys.stderr)
root = build(base)
expected = rows(base)
lock_dir = f"{args.data}/locks"

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
