"""Side-by-side codec benchmark: amoro (through amoro-bench) against pyarrow and fastavro on the same files.

Each measurement is the best of several runs on one core (the caller pins the process with taskset);
the report gives throughputs and the ratio amoro / peer, where above 1 means amoro is faster.
"""
import argparse
import datetime
import decimal
import json
import os
import random
import subprocess
import time

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

pa.set_cpu_count(1)
pa.set_io_thread_count(1)


def table(rows):
    rng = random.Random(42)
    words = ["ice", "berg", "amoro", "lake", "house", "stream", "compact", "snapshot"]
    return pa.table({
        "id": pa.array(range(rows), pa.int64()),
        "small": pa.array([rng.randrange(-1000, 1000) for _ in range(rows)], pa.int32()),
        "amount": pa.array([rng.random() * 1000 for _ in range(rows)], pa.float64()),
        "name": pa.array([f"{words[rng.randrange(len(words))]}-{i % 1000}" for i in range(rows)]),
        "user": pa.array([None if i % 7 == 0 else f"user{i % 5000}" for i in range(rows)]),
        "ts": pa.array([1_700_000_000_000_000 + i * 1000 for i in range(rows)], pa.timestamp("us", tz="UTC")),
        "price": pa.array([decimal.Decimal(i % 100000) / 100 for i in range(rows)], pa.decimal128(12, 2)),
        "tags": pa.array([[i, i + 1, i + 2][: i % 4] for i in range(rows)], pa.list_(pa.int32())),
    })


def best(repeats, fn):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def amoro(bench, *args):
    out = subprocess.run([bench, *args], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def avro_records(tbl):
    for row in tbl.to_pylist():
        row = dict(row)
        row["ts"] = row["ts"]
        yield row


AVRO_SCHEMA = {
    "type": "record", "name": "row", "fields": [
        {"name": "id", "type": "long"},
        {"name": "small", "type": "int"},
        {"name": "amount", "type": "double"},
        {"name": "name", "type": "string"},
        {"name": "user", "type": ["null", "string"]},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
        {"name": "tags", "type": {"type": "array", "items": "int"}},
    ],
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", required=True)
    parser.add_argument("--amoro-bench", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    tbl = table(args.rows)
    results = []
    for codec in ["zstd", "snappy"]:
        path = os.path.join(args.data, f"mixed-{codec}.parquet")
        if not os.path.exists(path):
            pq.write_table(tbl, path, compression=codec)
        size = os.path.getsize(path)
        peer_read = best(args.repeats, lambda: pq.read_table(path, use_threads=False))
        ours = amoro(args.amoro_bench, "parquet-decode", path)[-1]
        results.append(("parquet decode", codec, "pyarrow", args.rows / peer_read, ours["rows_s"]))
        out = os.path.join(args.data, f"pyarrow-out-{codec}.parquet")
        peer_write = best(args.repeats, lambda: pq.write_table(tbl, out, compression=codec))
        ours = amoro(args.amoro_bench, "parquet-encode", path, os.path.join(args.data, f"amoro-out-{codec}.parquet"))[-1]
        results.append(("parquet encode", codec, "pyarrow", args.rows / peer_write, ours["rows_s"]))

        avro_path = os.path.join(args.data, f"mixed-{codec}.avro")
        avro_codec = "zstandard" if codec == "zstd" else "snappy"
        if not os.path.exists(avro_path):
            with open(avro_path, "wb") as f:
                fastavro.writer(f, fastavro.parse_schema(AVRO_SCHEMA), avro_records(tbl), codec=avro_codec)

        def read_avro():
            with open(avro_path, "rb") as f:
                for _ in fastavro.reader(f):
                    pass
        peer_avro = best(args.repeats, read_avro)
        ours = amoro(args.amoro_bench, "avro-decode", avro_path)[-1]
        results.append(("avro decode", codec, "fastavro", args.rows / peer_avro, ours["records_per_s"]))

    print(f"{'benchmark':<16}{'codec':<8}{'peer':<10}{'peer rows/s':>14}{'amoro rows/s':>14}{'ratio':>8}")
    for name, codec, peer, theirs, ours in results:
        print(f"{name:<16}{codec:<8}{peer:<10}{theirs:>14,.0f}{ours:>14,.0f}{ours / theirs:>8.2f}")


if __name__ == "__main__":
    main()
