"""Side-by-side benchmark of the compaction data path: amoro's DataFileReader -> delete filter -> RollingDataFileWriter
(through amoro-bench datafile-rewrite) against pyarrow doing the same on the same file: read each row group, drop
every tenth position, write zstd Parquet. One core; best of several runs; ratio above 1 means amoro is faster.
"""
import argparse
import json
import os
import subprocess
import time

import random
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

pa.set_cpu_count(1)
pa.set_io_thread_count(1)

SCHEMA = {"type": "struct", "schema-id": 0, "fields": [
    {"id": 1, "name": "id", "required": False, "type": "long"},
    {"id": 2, "name": "small", "required": False, "type": "int"},
    {"id": 3, "name": "amount", "required": False, "type": "double"},
    {"id": 4, "name": "name", "required": False, "type": "string"},
    {"id": 5, "name": "user", "required": False, "type": "string"},
    {"id": 6, "name": "ts", "required": False, "type": "timestamptz"},
    {"id": 7, "name": "price", "required": False, "type": "decimal(12, 2)"},
    {"id": 8, "name": "tags", "required": False, "type": {"type": "list", "element-id": 9, "element": "int",
                                                          "element-required": False}},
]}


def table(rows):
    rng = random.Random(42)
    words = ["ice", "berg", "amoro", "lake", "house", "stream", "compact", "snapshot"]
    ids = lambda i: {b"PARQUET:field_id": str(i).encode()}
    fields = [
        pa.field("id", pa.int64(), metadata=ids(1)), pa.field("small", pa.int32(), metadata=ids(2)),
        pa.field("amount", pa.float64(), metadata=ids(3)), pa.field("name", pa.string(), metadata=ids(4)),
        pa.field("user", pa.string(), metadata=ids(5)),
        pa.field("ts", pa.timestamp("us", tz="UTC"), metadata=ids(6)),
        pa.field("price", pa.decimal128(12, 2), metadata=ids(7)),
        pa.field("tags", pa.list_(pa.field("element", pa.int32(), metadata=ids(9))), metadata=ids(8)),
    ]
    import decimal
    return pa.table([
        pa.array(range(rows), pa.int64()),
        pa.array([rng.randint(-1000, 999) for _ in range(rows)], pa.int32()),
        pa.array([rng.random() * 1000 for _ in range(rows)]),
        pa.array([f"{rng.choice(words)}-{i % 1000}" for i in range(rows)]),
        pa.array([None if i % 7 == 0 else f"user{i % 5000}" for i in range(rows)]),
        pa.array([1_700_000_000_000_000 + i * 1000 for i in range(rows)], type=pa.timestamp("us", tz="UTC")),
        pa.array([decimal.Decimal(i % 100000) / 100 for i in range(rows)], type=pa.decimal128(12, 2)),
        pa.array([[i, i + 1, i + 2][: i % 4] for i in range(rows)], type=pa.list_(pa.int32())),
    ], schema=pa.schema(fields))


def pyarrow_rewrite(path, out):
    source = pq.ParquetFile(path)
    writer = None
    start = 0
    for group in range(source.num_row_groups):
        batch = source.read_row_group(group)
        positions = pa.array(range(start, start + batch.num_rows), pa.int64())
        start += batch.num_rows
        remainder = pc.subtract(positions, pc.multiply(pc.divide(positions, 10), 10))
        kept = batch.filter(pc.not_equal(remainder, 0))
        if writer is None:
            writer = pq.ParquetWriter(out, kept.schema, compression="zstd")
        writer.write_table(kept, row_group_size=1 << 20)
    writer.close()
    os.remove(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", required=True)
    parser.add_argument("--amoro-bench", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.data, exist_ok=True)
    path = os.path.join(args.data, f"datafile-{args.rows}.parquet")
    if not os.path.exists(path):
        pq.write_table(table(args.rows), path, compression="zstd", row_group_size=250_000)
    out_dir = os.path.join(args.data, "out")
    os.makedirs(out_dir, exist_ok=True)
    times = []
    for _ in range(args.repeats):
        begin = time.perf_counter()
        pyarrow_rewrite(path, os.path.join(out_dir, "pyarrow.parquet"))
        times.append(time.perf_counter() - begin)
    theirs = min(times)
    ours = json.loads(subprocess.run([args.amoro_bench, "datafile-rewrite", path, json.dumps(SCHEMA), out_dir],
                                     check=True, capture_output=True, text=True).stdout)
    print(json.dumps({"rows": args.rows, "amoro_s": round(ours["seconds"], 3), "pyarrow_s": round(theirs, 3),
                      "ratio": round(theirs / ours["seconds"], 2)}))


if __name__ == "__main__":
    main()
