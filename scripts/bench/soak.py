"""Streaming-table soak benchmark: does a table written by a streaming job stay as fast to read as a freshly
compacted one, and at what cost?

Every arm's table starts from the same base rows (the history a streaming table has: one file per partition,
above the fragment size of the amoro arm's 16 MiB target, scaled down from Amoro's 128 MiB like the intervals). A
seeded writer (sidequery-pyiceberg) then commits a small batch every TICK seconds, for DURATION seconds, in two
variants: updates and deletes as equality deletes (as Flink writes a CDC stream),
and a position-delete variant (rows updated within one commit: Flink's same-checkpoint updates, written as a
position-delete file beside the data file). Every arm gets the same commits, in the same order, on its own table:

  none       no maintenance;
  amoro      the jobs `amoro schedule` prints for the table (optimizing, snapshot expiry, orphan cleaning),
             run by a cron-like loop at scaled-down intervals;
  amoro-commit  the same jobs, but optimizing (minor, and full on its interval) runs after every commit, as a
             writer would call it: what reading like the reference costs;
  zamboni    iceberg-zamboni's `maintenance` on the optimizing cadence (it refuses equality deletes: the
             refusal is recorded and the arm dropped from that variant);
  reference  `amoro plan --level full | amoro compact` after every commit: the best read time achievable.

Every SAMPLE seconds each arm's current snapshot is queried by DuckDB (iceberg extension, loaded from its
package, nothing downloaded) and by PyIceberg: a full-scan aggregate, a filter on the partition column and a
point lookup. The answers must agree across the arms of a variant (the same commits were applied), else the run
fails. Recorded: read latency, data and delete file counts, metadata bytes (metadata file, manifest list,
manifests), and the maintenance cost: CPU seconds of the maintenance processes (their own rusage) and bytes they
committed (the `added-files-size` of every snapshot the writer did not make). Output: result JSON, a terminal
table and (by scripts/bench/soak_plot.py) a PNG.
"""
import argparse
import datetime
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import CommitFailedException
from pyiceberg.expressions import And, EqualTo
from pyiceberg.manifest import DataFile, DataFileContent, FileFormat
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import IdentityTransform
from pyiceberg.typedef import Record
from pyiceberg.types import DoubleType, LongType, NestedField, StringType, TimestampType

PARTITIONS = 4
# Once an engine's three queries take longer than this on an arm, that engine no longer reads the arm: the writer
# waits while samples run, and a minute-long read has made its point (the unmaintained arm with equality deletes).
SLOW_READ_S = 20
ARMS = ("none", "amoro", "amoro-commit", "zamboni", "reference")
START = datetime.datetime(2026, 11, 20)
# The partition column is a long: DuckDB 1.5.5's iceberg extension fails an internal assertion ("Expected unified
# vector format of type INT32, but found type INT64") applying equality deletes keyed on an int column.
SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "part", LongType(), required=True),
    NestedField(3, "ts", TimestampType(), required=True),
    NestedField(4, "user", StringType(), required=False),
    NestedField(5, "amount", DoubleType(), required=False),
    identifier_field_ids=[1, 2],
)
SPEC = PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "part"))
ARROW = SCHEMA.as_arrow()


class Arm:
    """One table receiving the stream, and what its maintenance cost."""

    def __init__(self, variant, name, root, catalog_name):
        self.variant, self.name, self.root = variant, name, root
        self.catalog = SqlCatalog(catalog_name, uri=f"sqlite:///{root}/catalog.db", warehouse=f"file://{root}")
        self.identifier = f"soak.{variant}"
        self.writer_snapshots = set()
        self.counted_snapshots = set()
        self.maintenance_bytes = 0
        self.maintenance_cpu = 0.0
        self.maintenance_runs = 0
        self.maintenance_failures = []
        self.read_errors = []
        self.samples = []
        self.too_slow = {}  # engine -> the sample time its three queries first took over SLOW_READ_S
        self.lock = threading.Lock()

    @property
    def label(self):
        return f"{self.variant}/{self.name}"

    def table(self):
        return self.catalog.load_table(self.identifier)

    def count_maintenance_bytes(self, table):
        """Adds the bytes of snapshots made since the last look by anyone but the writer."""
        with self.lock:
            for snapshot in table.metadata.snapshots:
                if snapshot.snapshot_id in self.counted_snapshots:
                    continue
                self.counted_snapshots.add(snapshot.snapshot_id)
                if snapshot.snapshot_id not in self.writer_snapshots and snapshot.summary is not None:
                    self.maintenance_bytes += int(snapshot.summary.get("added-files-size", "0") or 0)


def run_measured(command, env=None):
    """Runs a shell command line; returns (status, stdout, stderr, CPU seconds of the shell and every process it
    waited for, from wait4's rusage: exact per run, whatever else runs meanwhile)."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(["bash", "-c", command], stdout=out, stderr=err,
                                   env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (process.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                usage.ru_utime + usage.ru_stime)


class Stream:
    """The seeded write stream: the same batches for every arm of a variant."""

    def __init__(self, seed, rows_per_tick, updates_per_tick, deletes_per_tick):
        self.rng = random.Random(seed)
        self.next_id = 0
        self.live = []  # keys written and not deleted (equality variant)
        self.live_index = {}
        self.rows, self.updates, self.deletes = rows_per_tick, updates_per_tick, deletes_per_tick

    def rows_of(self, ids, version):
        rng = self.rng
        return pa.table({
            "id": ids,
            "part": [i % PARTITIONS for i in ids],
            "ts": [START + datetime.timedelta(seconds=i) for i in ids],
            "user": [f"user-{rng.randrange(5000)}" for _ in ids],
            "amount": [round(rng.random() * 1000, 2) + version for _ in ids],
        }, schema=ARROW)

    def _add(self, key):
        self.live_index[key] = len(self.live)
        self.live.append(key)

    def _remove(self, key):
        index = self.live_index.pop(key)
        last = self.live.pop()
        if index < len(self.live):
            self.live[index] = last
            self.live_index[last] = index

    def base(self, count):
        """The table's history before the stream: `count` rows, every key live."""
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        for key in ids:
            self._add(key)
        return self.rows_of(ids, 0)

    def equality_tick(self, tick):
        """New rows, updated rows (an equality delete of the key, then the row) and deleted keys."""
        new = list(range(self.next_id, self.next_id + self.rows))
        self.next_id += self.rows
        updated = self.rng.sample(self.live, min(self.updates, len(self.live)))
        chosen = set(updated)
        deleted = []
        while len(deleted) < min(self.deletes, len(self.live) - len(chosen)):
            key = self.live[self.rng.randrange(len(self.live))]
            if key not in chosen:
                chosen.add(key)
                deleted.append(key)
        for key in deleted:
            self._remove(key)
        for key in new:
            self._add(key)
        rows = self.rows_of(sorted(updated) + new, tick)
        deletes = self.rows_of(sorted(updated + deleted), tick).select(["id", "part"])
        return rows, deletes

    def position_tick(self, tick):
        """New rows, some of them updated again within the same commit: the superseded versions come first
        and are deleted by position."""
        new = list(range(self.next_id, self.next_id + self.rows))
        self.next_id += self.rows
        again = sorted(self.rng.sample(new, min(self.updates, len(new))))
        first = self.rows_of(new, tick)
        second = self.rows_of(again, tick + 0.5)
        return pa.concat_tables([first, second]), set(again)


def commit_retrying(arm, operation):
    """Runs `operation(table)` on a fresh table until its commit succeeds (maintenance may commit between)."""
    for attempt in range(20):
        table = arm.table()
        try:
            return operation(table)
        except CommitFailedException:
            time.sleep(0.05 * (attempt + 1))
    raise SystemExit(f"{arm.label}: the writer could not commit in 20 attempts")


def write_equality(arm, rows, deleted_keys):
    """One change-data commit, as Flink writes a checkpoint of a CDC stream: the new and updated rows as data files,
    and an equality delete per updated or deleted key (the rows' earlier versions), in one row delta."""
    import itertools
    import uuid
    from pyiceberg.io.pyarrow import _dataframe_to_data_files, _dataframe_to_equality_delete_files

    def operation(table):
        commit_uuid, counter = uuid.uuid4(), itertools.count(0)
        delete_files = list(_dataframe_to_equality_delete_files(
            table_metadata=table.metadata, df=deleted_keys, equality_ids=[1, 2], io=table.io, write_uuid=commit_uuid,
            counter=counter)) if deleted_keys.num_rows else []
        data_files = list(_dataframe_to_data_files(
            table_metadata=table.metadata, df=rows, io=table.io, write_uuid=commit_uuid, counter=counter))
        with table.transaction() as transaction:
            with transaction.update_snapshot().row_delta() as delta:
                delta.commit_uuid = commit_uuid
                for file in delete_files + data_files:
                    delta.append_data_file(file)
        return arm.table()
    table = commit_retrying(arm, operation)
    arm.writer_snapshots.add(table.metadata.current_snapshot_id)
    arm.count_maintenance_bytes(table)


def position_delete_file(table, data_file, positions, path):
    """A position-delete file for `positions` of `data_file` (same partition), written with pyarrow."""
    schema = pa.schema([
        pa.field("file_path", pa.string(), nullable=False, metadata={b"PARQUET:field_id": b"2147483546"}),
        pa.field("pos", pa.int64(), nullable=False, metadata={b"PARQUET:field_id": b"2147483545"}),
    ])
    rows = pa.table({"file_path": [data_file.file_path] * len(positions), "pos": sorted(positions)}, schema=schema)
    pq.write_table(rows, path, compression="zstd")
    return DataFile.from_args(
        content=DataFileContent.POSITION_DELETES,
        file_path=f"file://{path}" if data_file.file_path.startswith("file:") else path,
        file_format=FileFormat.PARQUET, partition=data_file.partition, record_count=len(positions),
        file_size_in_bytes=os.path.getsize(path), spec_id=table.metadata.default_spec_id,
        lower_bounds={2147483546: data_file.file_path.encode(), 2147483545: min(positions).to_bytes(8, "little", signed=True)},
        upper_bounds={2147483546: data_file.file_path.encode(), 2147483545: max(positions).to_bytes(8, "little", signed=True)},
    )


def write_position(arm, rows, updated_again):
    """Data files for `rows` plus, in the same commit, position deletes of the first version of each key
    updated again within the batch."""
    import itertools
    import uuid
    from pyiceberg.io.pyarrow import _dataframe_to_data_files

    def operation(table):
        commit_uuid = uuid.uuid4()
        data_files = list(_dataframe_to_data_files(
            table_metadata=table.metadata, df=rows, io=table.io, write_uuid=commit_uuid, counter=itertools.count(0)))
        delete_files = []
        for data_file in data_files:
            local = data_file.file_path.removeprefix("file://")
            ids = pq.read_table(local, columns=["id"]).column("id").to_pylist()
            counts = {}
            for key in ids:
                counts[key] = counts.get(key, 0) + 1
            first = {}
            for position, key in enumerate(ids):
                if key in updated_again and counts[key] > 1 and key not in first:
                    first[key] = position
            positions = sorted(first.values())
            if positions:
                delete_files.append(position_delete_file(
                    table, data_file, positions, local.removesuffix(".parquet") + "-deletes.parquet"))
        with table.transaction() as transaction:
            with transaction.update_snapshot().row_delta() as delta:
                delta.commit_uuid = commit_uuid
                for file in data_files + delete_files:
                    delta.append_data_file(file)
        return arm.table()
    table = commit_retrying(arm, operation)
    arm.writer_snapshots.add(table.metadata.current_snapshot_id)
    arm.count_maintenance_bytes(table)


def duckdb_connection():
    import duckdb_extension_avro
    import duckdb_extension_iceberg
    connection = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                                        "threads": 2})
    for module, name in ((duckdb_extension_avro, "avro"), (duckdb_extension_iceberg, "iceberg")):
        connection.execute("LOAD '%s'" % glob.glob(os.path.join(
            os.path.dirname(module.__file__), "extensions", "*", name + ".duckdb_extension"))[0])
    return connection


def timed(function):
    """The faster of two runs (one when the first takes over a second), and the answer."""
    best, value = None, None
    for _ in range(2):
        start = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        if elapsed > 1:
            break
    return best, value


def sample(arm, connection, lookup_key, elapsed):
    """Runs the query set on the arm's current snapshot and records the table's shape."""
    table = arm.table()
    arm.count_maintenance_bytes(table)
    location = table.metadata_location
    scan = f"iceberg_scan('{location}')"
    part = lookup_key % PARTITIONS
    duck, duck_answers = {}, None
    if "duckdb" not in arm.too_slow:
        duck["full_scan"], full = timed(lambda: connection.execute(
            f"SELECT count(*), sum(CAST(round(amount * 100) AS BIGINT)) FROM {scan}").fetchone())
        duck["partition"], partition = timed(lambda: connection.execute(
            f"SELECT count(*), max(amount) FROM {scan} WHERE part = {part}").fetchone())
        duck["point"], point = timed(lambda: connection.execute(
            f"SELECT id, amount FROM {scan} WHERE id = {lookup_key} AND part = {part}").fetchall())
        duck_answers = [list(full), list(partition), sorted(map(list, point))]
    py, py_answers = {}, None
    if "pyiceberg" not in arm.too_slow:
        try:
            py["full_scan"], py_full = timed(lambda: table.scan(selected_fields=("amount",)).to_arrow())
            py["partition"], py_partition = timed(lambda: table.scan(
                row_filter=EqualTo("part", part), selected_fields=("amount",)).to_arrow())
            py["point"], py_point = timed(lambda: table.scan(
                row_filter=And(EqualTo("id", lookup_key), EqualTo("part", part)), selected_fields=("id", "amount")).to_arrow())
            py_answers = [[py_full.num_rows, pc.sum(pc.cast(pc.round(pc.multiply(py_full.column("amount"), 100)),
                                                            pa.int64())).as_py()],
                          [py_partition.num_rows], py_point.num_rows]
        except Exception as error:  # a peer that cannot read the table: recorded, not fatal
            py = {}
            message = f"{type(error).__name__}: {error}"
            if message not in arm.read_errors:
                arm.read_errors.append(message)
    for engine, times in (("duckdb", duck), ("pyiceberg", py)):
        if times and sum(times.values()) > SLOW_READ_S:
            arm.too_slow[engine] = round(elapsed, 1)
    answers = {"duckdb": duck_answers, "pyiceberg": py_answers}
    snapshot = table.metadata.current_snapshot()
    summary = snapshot.summary if snapshot else None
    manifests = snapshot.manifests(table.io) if snapshot else []
    metadata_bytes = os.path.getsize(location.removeprefix("file://"))
    if snapshot:
        metadata_bytes += os.path.getsize(snapshot.manifest_list.removeprefix("file://"))
    metadata_bytes += sum(m.manifest_length for m in manifests)
    record = {
        "t": round(elapsed, 2),
        "duckdb_s": {k: round(v, 4) for k, v in duck.items()} or None,
        "pyiceberg_s": {k: round(v, 4) for k, v in py.items()} or None,
        "data_files": int(summary.get("total-data-files", 0)) if summary else 0,
        "delete_files": int(summary.get("total-delete-files", 0)) if summary else 0,
        "snapshots": len(table.metadata.snapshots),
        "manifests": len(manifests),
        "metadata_bytes": metadata_bytes,
        "maintenance_cpu_s": round(arm.maintenance_cpu, 3),
        "maintenance_bytes": arm.maintenance_bytes,
        "rows": duck_answers[0][0] if duck_answers else py_answers[0][0] if py_answers else None,
    }
    arm.samples.append(record)
    return answers


class CronLoop(threading.Thread):
    """A cron-like loop: each job's command runs whenever its interval has passed since it last started, one job
    at a time (cron would start them side by side; the table lock keeps amoro's jobs apart anyway)."""

    def __init__(self, arm, jobs, stop):
        super().__init__(daemon=True)
        self.arm, self.jobs, self.stop = arm, jobs, stop
        self.log = []

    def run(self):
        started = time.monotonic()
        due = {name: started + interval for name, (interval, _) in self.jobs.items()}
        while not self.stop.is_set():
            now = time.monotonic()
            name = min(due, key=due.get)
            if due[name] > now:
                self.stop.wait(min(0.5, due[name] - now))
                continue
            interval, command = self.jobs[name]
            due[name] = max(due[name] + interval, now)
            status, out, err, cpu = run_measured(command)
            with self.arm.lock:
                self.arm.maintenance_cpu += cpu
                self.arm.maintenance_runs += 1
            self.log.append({"t": round(now - started, 1), "job": name, "status": status, "cpu_s": round(cpu, 3)})
            # Exit 2 is "nothing to do" where asked, 4 a locked table: neither is a failure.
            if status not in (0, 2, 4):
                self.arm.maintenance_failures.append({"job": name, "status": status, "error": (err or out or log_tail(
                    self.arm.root))[-800:]})


def log_tail(root):
    """The last lines of the arm's job log (cron lines append their output there)."""
    for path in (f"{root}/log/amoro.log", f"{root}/zamboni.log"):
        if os.path.exists(path):
            with open(path, errors="replace") as file:
                return "".join(file.readlines()[-6:])
    return ""


def amoro_jobs(amoro, config, identifier, intervals, home):
    """The lines `amoro schedule` prints for the table (with AMORO_HOME set to the arm's folder, which holds the
    lock directory and the log), each on its scaled-down interval."""
    result = subprocess.run([amoro, "schedule", "--config", config, identifier], capture_output=True, text=True,
                            check=True, env={**os.environ, "AMORO_HOME": home})
    jobs = {}
    for line in result.stdout.splitlines():
        if not line or line.startswith("#"):
            continue
        command = line.split(None, 5)[5]
        for job in ("compact", "expire-snapshots", "clean-orphans", "rewrite-deletes"):
            if f" {job} " in command:
                if job == "compact":  # the plan is told the cadence it runs at, scaled down like the rest
                    command, told = re.subn(r"--scheduled-every \S+", f"--scheduled-every {intervals[job]}s", command)
                    if told != 1:
                        raise SystemExit(f"soak: amoro schedule's optimizing line lacks --scheduled-every: {line}")
                jobs[job] = (intervals[job], command)
                break
        else:
            raise SystemExit(f"soak: unexpected line from amoro schedule: {line}")
    return jobs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--amoro", required=True)
    parser.add_argument("--zamboni", required=True)
    parser.add_argument("--plot-python", required=True, help="Python with matplotlib, for soak_plot.py")
    parser.add_argument("--output", required=True, help="folder for soak.json and soak.png")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--base-rows", type=int, help="rows the table holds before the stream starts (default: "
                        "1,600,000, about 5 MiB of Parquet per partition; --quick: 100,000)")
    args = parser.parse_args()
    quick = args.quick
    base_rows = args.base_rows if args.base_rows is not None else (100_000 if quick else 1_600_000)
    duration = 90 if quick else 600
    tick = 2.0 if quick else 5.0
    sample_every = 10 if quick else 60
    rows, updates, deletes = (300, 30, 10) if quick else (1000, 100, 30)
    intervals = {  # scaled down from Amoro's hour/day cadences
        "compact": 10 if quick else 30,
        "expire-snapshots": 20 if quick else 60,
        "clean-orphans": 40 if quick else 180,
        "rewrite-deletes": 40 if quick else 180,
    }
    full_interval_ms = (60 if quick else 300) * 1000
    target_mib = 16  # scaled down from Amoro's 128 MiB like the intervals: fragments up to 2 MiB, the base above
    settings = {"duration_s": duration, "tick_s": tick, "sample_s": sample_every, "base_rows": base_rows,
                "target_size_mib": target_mib, "rows_per_tick": rows,
                "updates_per_tick": updates, "deletes_per_tick": deletes, "partitions": PARTITIONS,
                "intervals_s": intervals, "full_interval_s": full_interval_ms // 1000, "seed": args.seed}

    shutil.rmtree(args.data, ignore_errors=True)
    os.makedirs(args.data)
    os.makedirs(args.output, exist_ok=True)
    amoro_properties = {
        "self-optimizing.enabled": "true",
        "self-optimizing.target-size": str(target_mib << 20),
        "self-optimizing.minor.trigger.interval": str(intervals["compact"] * 1000),
        "self-optimizing.full.trigger.interval": str(full_interval_ms),
        "snapshot.keep.duration": "1min",
        "clean-orphan-file.enabled": "true",
        "clean-orphan-file.min-existing-time-minutes": "1",
        "clean-dangling-delete-files.enabled": "true",
    }
    arms = {}
    for variant in ("equality", "position"):
        for name in ARMS:
            root = f"{args.data}/{variant}-{name}"
            os.makedirs(f"{root}/log")  # amoro schedule's log folder under AMORO_HOME
            arm = Arm(variant, name, root, "local" if name == "zamboni" else "default")
            arm.catalog.create_namespace("soak")
            properties = {"format-version": "2"}
            if name == "amoro":
                properties.update(amoro_properties)
            elif name == "amoro-commit":
                properties.update(amoro_properties, **{"self-optimizing.minor.trigger.interval": "0"})
            arm.catalog.create_table(arm.identifier, SCHEMA, partition_spec=SPEC, properties=properties)
            with open(f"{root}/amoro.yaml", "w") as out:
                out.write(f"catalog:\n  default:\n    uri: sqlite:///{root}/catalog.db\n    warehouse: file://{root}\n")
            arms[(variant, name)] = arm
            if name == "zamboni":
                with open(f"{root}/table-config.json", "w") as out:
                    json.dump({"version": 2, "warehouse": "local",
                               "defaults": {"partition_evolution": {"enabled": False, "rules": []}},
                               "namespaces": {"soak": {"tables": {variant: {
                                   "partition": [{"column": "part", "transform": "identity"}],
                                   "min_input_files": 2}}}}}, out)

    stop = threading.Event()
    loops = []
    zamboni_refusals = {}

    def zamboni_command(arm):
        return (f"cd {arm.root} && '{args.zamboni}' maintenance --table-config table-config.json --local-warehouse "
                f"{arm.root} --db local --yes --threads 2 {arm.identifier}")

    after_commit = {}  # per variant and arm: the command run right after each commit
    for (variant, name), arm in arms.items():
        if name in ("amoro", "amoro-commit"):
            cadence = dict(intervals, compact=int(tick)) if name == "amoro-commit" else intervals
            jobs = amoro_jobs(args.amoro, f"{arm.root}/amoro.yaml", arm.identifier, cadence, arm.root)
            settings.setdefault("amoro_jobs", {}).setdefault(name, {})[variant] = {
                job: command for job, (_, command) in jobs.items()}
            if name == "amoro-commit":
                after_commit[(variant, name)] = jobs.pop("compact")[1]
        elif name == "zamboni" and variant == "position":
            jobs = {"maintenance": (intervals["compact"], zamboni_command(arm) + f" >> {arm.root}/zamboni.log 2>&1")}
        else:
            continue
        loops.append(CronLoop(arm, jobs, stop))

    streams = {variant: Stream(args.seed, rows, updates, deletes) for variant in ("equality", "position")}
    # The history a streaming table has: every arm starts from the same base rows, appended in one commit.
    for variant, stream in streams.items():
        base = stream.base(base_rows)
        for (arm_variant, _), arm in arms.items():
            if arm_variant == variant:
                table = commit_retrying(arm, lambda table: (table.append(base), arm.table())[1])
                arm.writer_snapshots.add(table.metadata.current_snapshot_id)
                arm.count_maintenance_bytes(table)
    print(f"soak: every arm starts from {base_rows} rows", file=sys.stderr)
    for variant in ("equality", "position"):
        reference = arms[(variant, "reference")]
        after_commit[(variant, "reference")] = (
            f"'{args.amoro}' plan --config {reference.root}/amoro.yaml --level full soak.{variant} | "
            f"'{args.amoro}' compact --config {reference.root}/amoro.yaml")
    connection = duckdb_connection()
    started = time.monotonic()
    for loop in loops:
        loop.start()
    next_sample = started + sample_every
    commits = 0
    disagreements = []
    print(f"soak: {duration} s, a commit every {tick} s per arm, samples every {sample_every} s", file=sys.stderr)
    while time.monotonic() - started < duration:
        tick_start = time.monotonic()
        for variant, stream in streams.items():
            if variant == "equality":
                upserts, deleted = stream.equality_tick(commits)
                batch = (upserts, deleted)
            else:
                batch = stream.position_tick(commits)
            for name in ARMS:
                if (variant, name) not in arms:
                    continue
                arm = arms[(variant, name)]
                (write_equality if variant == "equality" else write_position)(arm, *batch)
            for name in ("amoro-commit", "reference"):
                arm = arms[(variant, name)]
                status, out, err, cpu = run_measured(after_commit[(variant, name)])
                with arm.lock:
                    arm.maintenance_cpu += cpu
                    arm.maintenance_runs += 1
                if status not in (0, 2, 4):
                    arm.maintenance_failures.append({"job": "optimizing after the commit", "status": status,
                                                     "error": (err or log_tail(arm.root))[-800:]})
        commits += 1
        # zamboni on the equality variant: run once the table has equality deletes; a refusal is recorded and
        # removes the arm, else it joins the cron loop like the position variant's.
        if commits == 2:
            arm = arms[("equality", "zamboni")]
            status, out, err, cpu = run_measured(zamboni_command(arm))
            arm.maintenance_cpu += cpu
            blocker = [line.strip() for line in (out + err).splitlines() if "blocker" in line]
            if status != 0 and blocker:
                zamboni_refusals["equality"] = {"status": status, "message": blocker[0]}
                arms.pop(("equality", "zamboni"))
            else:
                loop = CronLoop(arm, {"maintenance": (intervals["compact"], zamboni_command(arm)
                                                      + f" >> {arm.root}/zamboni.log 2>&1")}, stop)
                loops.append(loop)
                loop.start()
        if time.monotonic() >= next_sample:
            elapsed = time.monotonic() - started
            for variant, stream in streams.items():
                lookup = random.Random(commits).randrange(max(1, stream.next_id))
                answers = {}
                # amoro first, right after the commit and at whatever point its cron loop is: the slow reads of
                # the arm without maintenance, last, would otherwise give amoro's jobs time to catch up unseen.
                for name in ("amoro", "amoro-commit", "reference", "zamboni", "none"):
                    if (variant, name) in arms:
                        answers[name] = sample(arms[(variant, name)], connection, lookup, elapsed)
                for engine in ("duckdb", "pyiceberg"):
                    read = {name: answer[engine] for name, answer in answers.items() if answer[engine] is not None}
                    # The unmaintained arm's answer, or the reference's once that engine stopped reading it.
                    judge = "none" if "none" in read else "reference"
                    expected = read.get(judge)
                    for name, answer in read.items():
                        if answer != expected:
                            disagreements.append({"t": round(elapsed, 1), "variant": variant, "engine": engine,
                                                  "arm": name, "answer": answer, f"expected ({judge})": expected})
            line = "  ".join(f"{arm.label} {ms(read_latency(arm.samples[-1], 'duckdb'))} ms "
                             f"{arm.samples[-1]['data_files']}+{arm.samples[-1]['delete_files']}f"
                             for arm in arms.values())
            print(f"t={elapsed:5.0f}s commits={commits}  {line}", file=sys.stderr)
            next_sample = time.monotonic() + sample_every
        time.sleep(max(0.0, tick - (time.monotonic() - tick_start)))
    stop.set()
    for loop in loops:
        loop.join()
    total = time.monotonic() - started

    result = {"kind": "amoro.bench-soak", "version": 2, "settings": settings, "commits": commits,
              "seconds": round(total, 1), "zamboni_refusals": zamboni_refusals, "disagreements": disagreements,
              "arms": {arm.label: {"samples": arm.samples, "maintenance_runs": arm.maintenance_runs,
                                   "maintenance_cpu_s": round(arm.maintenance_cpu, 2),
                                   "maintenance_bytes": arm.maintenance_bytes,
                                   "maintenance_failures": arm.maintenance_failures[:20],
                                   "stopped_reading": arm.too_slow,
                                   "read_errors": arm.read_errors}
                       for arm in arms.values()},
              "cron_logs": {loop.arm.label: loop.log for loop in loops}}
    result["goal"] = goal(result, arms, intervals["compact"])
    with open(f"{args.output}/soak.json", "w") as out:
        json.dump(result, out, indent=1)
    report(result, arms)
    subprocess.run([args.plot_python, os.path.join(os.path.dirname(__file__), "soak_plot.py"),
                    f"{args.output}/soak.json", f"{args.output}/soak.png"], check=True)
    print(f"soak: {args.output}/soak.json, {args.output}/soak.png", file=sys.stderr)
    if disagreements:
        raise SystemExit(f"soak: {len(disagreements)} answers differ between arms (see soak.json)")


def ms(value):
    return f"{value * 1000:.0f}" if value is not None else "-"


def read_latency(sample, engine):
    """The three queries' seconds summed; None when the engine could not read the snapshot."""
    times = sample[f"{engine}_s"]
    return sum(times.values()) if times else None


def goal(result, arms, first_interval):
    """amoro within 1.1x of the reference at every sample after the first interval, and less than a tenth of
    its rewrite bytes."""
    verdicts = {}
    for variant, name in ((v, n) for v in ("equality", "position") for n in ("amoro", "amoro-commit")):
        amoro, reference = arms.get((variant, name)), arms.get((variant, "reference"))
        if not amoro or not reference:
            continue
        verdict = {}
        for engine in ("duckdb", "pyiceberg"):
            ratios = [read_latency(a, engine) / max(1e-9, read_latency(r, engine))
                      for a, r in zip(amoro.samples, reference.samples)
                      if a["t"] > first_interval and read_latency(a, engine) and read_latency(r, engine)]
            verdict[engine] = {
                "max_ratio": round(max(ratios), 2) if ratios else None,
                "median_ratio": round(sorted(ratios)[len(ratios) // 2], 2) if ratios else None,
                "samples_over_1_1": sum(1 for r in ratios if r > 1.1), "samples": len(ratios)}
        verdict["bytes_ratio"] = round(amoro.maintenance_bytes / max(1, reference.maintenance_bytes), 4)
        verdict["cpu_ratio"] = round(amoro.maintenance_cpu / max(1e-9, reference.maintenance_cpu), 4)
        verdict["met"] = (verdict["duckdb"]["samples_over_1_1"] == 0 and verdict["pyiceberg"]["samples_over_1_1"] == 0
                          and verdict["bytes_ratio"] < 0.1)
        verdicts.setdefault(variant, {})[name] = verdict
    return verdicts


def report(result, arms):
    print(f"\n{result['commits']} commits per arm in {result['seconds']:.0f} s")
    header = (f"{'arm':<22}{'data':>6}{'del':>6}{'meta KiB':>10}{'duckdb ms':>11}{'pyice ms':>10}"
              f"{'÷ ref':>7}{'maint CPU s':>13}{'written MiB':>13}{'÷ ref':>8}")
    print(header)
    for arm in arms.values():
        last = arm.samples[-1]
        reference = arms[(arm.variant, "reference")]
        duck, ref_duck = read_latency(last, "duckdb"), read_latency(reference.samples[-1], "duckdb")
        ratio = f"{duck / max(1e-9, ref_duck):>6.2f}x" if duck is not None and ref_duck is not None else f"{'-':>7}"
        print(f"{arm.label:<22}{last['data_files']:>6}{last['delete_files']:>6}{last['metadata_bytes'] / 1024:>10.0f}"
              f"{ms(duck):>11}{ms(read_latency(last, 'pyiceberg')):>10}{ratio}"
              f"{arm.maintenance_cpu:>13.1f}{arm.maintenance_bytes / 2**20:>13.1f}"
              f"{arm.maintenance_bytes / max(1, reference.maintenance_bytes):>7.3f}x")
        for error in arm.read_errors:
            print(f"  {arm.label}: PyIceberg could not read it: {error[:200]}")
        for engine, since in arm.too_slow.items():
            print(f"  {arm.label}: {engine} stopped reading it at {since:.0f} s (three queries over {SLOW_READ_S} s)")
    for variant, refusal in result["zamboni_refusals"].items():
        print(f"{variant}/zamboni: refused (exit {refusal['status']}): {refusal['message']}")
    for variant, name, verdict in ((v, n, x) for v, by_arm in result["goal"].items() for n, x in by_arm.items()):
        print(f"goal ({variant}/{name}): ÷ reference read time after the first interval: DuckDB max "
              f"{verdict['duckdb']['max_ratio']}x (median {verdict['duckdb']['median_ratio']}x, "
              f"{verdict['duckdb']['samples_over_1_1']}/{verdict['duckdb']['samples']} samples over 1.1x), PyIceberg max "
              f"{verdict['pyiceberg']['max_ratio']}x (median {verdict['pyiceberg']['median_ratio']}x, "
              f"{verdict['pyiceberg']['samples_over_1_1']}/{verdict['pyiceberg']['samples']} over 1.1x); "
              f"bytes written {verdict['bytes_ratio']}x of the reference's; {'met' if verdict['met'] else 'NOT met'}")
    for arm in arms.values():
        for failure in arm.maintenance_failures[:3]:
            print(f"{arm.label}: {failure['job']} failed ({failure['status']}): {failure['error'][-300:]}", file=sys.stderr)


if __name__ == "__main__":
    main()
