"""Writes the generated seeds of Tests/Fuzz (run with the peers' Python: /path/to/.venv/bin/python generate-seeds.py).

Small real files from pyarrow, fastavro and PyIceberg, and hand-written amoro documents; a few files of the bad-file
fixtures are copied beside them by hand. Seeds found by fuzzing (crash-*, timeout-*) are committed as they are.
"""
import datetime
import decimal
import io
import json
import os
import shutil
import struct
import tempfile

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))


def out(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


def parquet_files():
    flat = pa.table({
        "id": pa.array([1, 2, None, 4, 5, 6], pa.int64()),
        "name": pa.array(["a", "bb", "a", None, "ccc", "a"]),
        "score": pa.array([1.5, float("nan"), -0.0, 3.25, None, 2.0]),
        "flag": pa.array([True, False, None, True, True, False]),
    })
    nested = pa.table({
        "tags": pa.array([["x", "y"], [], None, ["z"]], pa.list_(pa.string())),
        "point": pa.array([{"x": 1, "y": 2.0}, None, {"x": 3, "y": None}, {"x": 4, "y": 5.0}],
                          pa.struct([("x", pa.int32()), ("y", pa.float64())])),
        "attrs": pa.array([[("k", 1)], None, [("a", 2), ("b", 3)], []], pa.map_(pa.string(), pa.int64())),
    })
    logical = pa.table({
        "amount": pa.array([decimal.Decimal("1.25"), None, decimal.Decimal("-99.99")], pa.decimal128(9, 2)),
        "big": pa.array([decimal.Decimal("12345678901234567890.5"), None, decimal.Decimal("0.0")], pa.decimal128(38, 1)),
        "day": pa.array([datetime.date(2024, 5, 1), None, datetime.date(1970, 1, 1)]),
        "ts": pa.array([datetime.datetime(2024, 5, 1, 12), None, datetime.datetime(1999, 12, 31)], pa.timestamp("us", tz="UTC")),
        "raw": pa.array([b"\x00\x01", None, b""], pa.binary()),
        "uuid": pa.array([b"0123456789abcdef", None, b"fedcba9876543210"], pa.binary(16)),
    })
    deltas = pa.table({
        "n": pa.array(list(range(0, 200, 7)), pa.int64()),
        "m": pa.array([i * 3 - 50 for i in range(29)], pa.int32()),
        "s": pa.array([f"prefix-{i:03}" for i in range(29)]),
        "f": pa.array([i / 8 for i in range(29)], pa.float32()),
    })
    files = {
        "flat-snappy-v1.parquet": (flat, dict(compression="snappy", data_page_version="1.0")),
        "flat-zstd-v2-page-index.parquet": (flat, dict(compression="zstd", data_page_version="2.0", write_page_index=True)),
        "nested-gzip.parquet": (nested, dict(compression="gzip")),
        "nested-plain-v2.parquet": (nested, dict(compression="none", use_dictionary=False, data_page_version="2.0")),
        "logical-lz4.parquet": (logical, dict(compression="lz4")),
        "delta-encodings.parquet": (deltas, dict(compression="none", use_dictionary=False, column_encoding={
            "n": "DELTA_BINARY_PACKED", "m": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY", "f": "BYTE_STREAM_SPLIT"})),
        "row-groups.parquet": (deltas, dict(compression="snappy", row_group_size=10, data_page_size=64)),
    }
    result = {}
    for name, (table, options) in files.items():
        sink = io.BytesIO()
        pq.write_table(table, sink, **options)
        result[name] = sink.getvalue()
    return result


def thrift_seeds(parquet):
    """Footers and page headers cut out of the Parquet seeds."""
    for name, data in parquet.items():
        (length,) = struct.unpack("<I", data[-8:-4])
        footer = data[-8 - length:-8]
        out("Thrift", name.replace(".parquet", ".footer"), footer)
        out("Thrift", name.replace(".parquet", ".page-header"), data[4:4 + 48])


def avro_seeds():
    schema = {
        "type": "record", "name": "Row", "namespace": "fuzz", "fields": [
            {"name": "id", "type": "long"},
            {"name": "name", "type": ["null", "string"], "default": None},
            {"name": "score", "type": ["null", "double"], "default": None},
            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
            {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "attrs", "type": {"type": "map", "values": "int"}},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
            {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
            {"name": "inner", "type": ["null", {"type": "record", "name": "Inner", "fields": [
                {"name": "flag", "type": "boolean"}, {"name": "ratio", "type": "float"}]}], "default": None},
        ]}
    rows = [{
        "id": i, "name": None if i % 3 == 0 else f"n{i}", "score": i / 4 if i % 2 else None, "kind": "ABC"[i % 3],
        "hash": bytes([i, i + 1, i + 2, i + 3]), "tags": [f"t{j}" for j in range(i % 3)], "attrs": {f"k{j}": j for j in range(i % 2)},
        "day": datetime.date(2024, 1, 1 + i), "ts": datetime.datetime(2024, 1, 1, i, tzinfo=datetime.timezone.utc),
        "amount": decimal.Decimal(f"{i}.{i:02}"), "inner": {"flag": i % 2 == 0, "ratio": i / 2} if i % 2 else None,
    } for i in range(6)]
    for codec in ["null", "deflate", "snappy", "zstandard"]:
        sink = io.BytesIO()
        try:
            fastavro.writer(sink, fastavro.parse_schema(schema), rows, codec=codec, sync_interval=200)
        except ValueError:
            continue
        out("Avro", f"rows-{codec}.avro", sink.getvalue())
    sink = io.BytesIO()
    fastavro.writer(sink, fastavro.parse_schema({"type": "record", "name": "Tree", "fields": [
        {"name": "value", "type": "int"},
        {"name": "children", "type": {"type": "array", "items": "Tree"}}]}),
        [{"value": 1, "children": [{"value": 2, "children": [{"value": 3, "children": []}]}]}])
    out("Avro", "recursive.avro", sink.getvalue())


def iceberg_seeds():
    from pyiceberg.catalog.sql import SqlCatalog
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table.sorting import SortField, SortOrder
    from pyiceberg.transforms import BucketTransform, DayTransform, IdentityTransform, TruncateTransform
    from pyiceberg.types import DateType, LongType, NestedField, StringType

    with tempfile.TemporaryDirectory() as tmp:
        catalog = SqlCatalog("fuzz", uri=f"sqlite:///{tmp}/catalog.db", warehouse=f"file://{tmp}/warehouse")
        catalog.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType(), required=False), NestedField(2, "name", StringType(), required=False),
                        NestedField(3, "day", DateType(), required=False))
        spec = PartitionSpec(PartitionField(3, 1000, DayTransform(), "day_day"), PartitionField(1, 1001, BucketTransform(4), "id_bucket"),
                             PartitionField(2, 1002, TruncateTransform(2), "name_trunc"))
        for version in [1, 2]:
            table = catalog.create_table(f"db.t{version}", schema, partition_spec=spec,
                                         sort_order=SortOrder(SortField(source_id=1, transform=IdentityTransform())),
                                         properties={"format-version": str(version)})
            for batch in range(2):
                table.append(pa.table({
                    "id": pa.array([batch * 10 + i for i in range(3)], pa.int64()),
                    "name": pa.array(["alpha", None, "beta"]),
                    "day": pa.array([datetime.date(2024, 5, 1 + batch), datetime.date(2024, 5, 2), None]),
                }))
            table.delete("id = 1")
            table.manage_snapshots().create_tag(table.current_snapshot().snapshot_id, "release").commit()
            table = catalog.load_table(f"db.t{version}")
            with open(table.metadata_location.removeprefix("file://"), "rb") as f:
                out("TableMetadata", f"v{version}.metadata.json", f.read())
            snapshot = table.current_snapshot()
            list_path = snapshot.manifest_list.removeprefix("file://")
            with open(list_path, "rb") as f:
                out("Manifest", f"v{version}-manifest-list.avro", f.read())
            for index, manifest in enumerate(snapshot.manifests(table.io)[:2]):
                with open(manifest.manifest_path.removeprefix("file://"), "rb") as f:
                    out("Manifest", f"v{version}-manifest-{index}.avro", f.read())


def document_seeds():
    plan = {
        "kind": "amoro.plan", "version": 1, "catalog": "default", "table": "db.events", "table_uuid": "6c7e2e8a-0000-4000-8000-000000000001",
        "location": "/warehouse/db/events", "metadata_location": "/warehouse/db/events/metadata/00003.metadata.json",
        "snapshot_id": 3, "sequence_number": 3, "level": "minor", "planned_at_ms": 1700000000000, "target_size": 134217728,
        "task_capacity": 1073741824, "sort_order": None, "budget_bytes": 1073741824, "max_tasks": None, "pending_partitions": 1,
        "planned_partitions": 1, "tasks": [{
            "id": 0, "spec_id": 0, "partition": "day=2024-05-01", "partition_values": {"day": "2024-05-01"}, "input_bytes": 300,
            "rewrite_data_files": [
                {"path": "/warehouse/db/events/data/a.parquet", "size": 100, "records": 10, "sequence_number": 1, "deletes": []},
                {"path": "/warehouse/db/events/data/b.parquet", "size": 200, "records": 20, "sequence_number": 2,
                 "deletes": ["/warehouse/db/events/data/d.parquet"]}],
            "rewrite_position_files": [],
            "delete_files": [{"path": "/warehouse/db/events/data/d.parquet", "content": "equality", "size": 50, "records": 2,
                              "sequence_number": 3, "removed": True}]}],
        "removed_delete_files": ["/warehouse/db/events/data/d.parquet"]}
    empty = dict(plan, tasks=[], removed_delete_files=[], snapshot_id=None, level=None)
    out("PlanDocument", "plan.ndjson", (json.dumps(plan) + "\n").encode())
    out("PlanDocument", "plans.ndjson", (json.dumps(empty) + "\n\n" + json.dumps(plan) + "\n").encode())
    expire = {
        "kind": "amoro.expire-result", "version": 1, "catalog": "default", "table": "db.events",
        "table_uuid": "6c7e2e8a-0000-4000-8000-000000000001", "status": "dry-run", "cutoff_ms": 2500,
        "retention": {"expire_older_than_ms": 2500, "min_snapshots_to_keep": 1, "max_ref_age_ms": 9223372036854775807,
                      "flink_checkpoint_retention_ms": 604800000},
        "snapshots_removed": [{"snapshot_id": 1, "timestamp_ms": 1000, "reason": "age"}],
        "refs_removed": [{"name": "t", "type": "tag", "snapshot_id": 1, "reason": "max-ref-age", "max_ref_age_ms": 10}],
        "files": [{"path": "/t/m1.avro", "class": "manifest-list", "size": 3000, "reason": "reached only by expired snapshots"},
                  {"path": "file:///t/data/../data/a.parquet", "class": "data", "size": 100, "reason": "reached only by expired snapshots"},
                  {"path": "/t/metadata/00001.metadata.json", "class": "metadata", "size": None, "reason": "dropped from the metadata log"}],
        "files_deleted": {}, "files_kept": None, "files_skipped": [], "delete_failures": [], "commit_attempts": 0, "error": None,
        "duration_ms": 12}
    orphans = {
        "kind": "amoro.clean-orphans-result", "version": 1, "catalog": "default", "table": "db.events", "table_uuid": None,
        "status": "dry-run", "grace_ms": 259200000, "files_found": 3, "files_reachable": 2, "files_kept_young": 0,
        "prefix_mismatches": [], "orphans": [{"path": "s3a://bucket/t/data/x.parquet", "size": 10, "age_ms": 300000000}],
        "orphan_bytes": 10, "files_deleted": 0, "bytes_deleted": 0, "delete_failures": [], "directories_removed": [], "files_skipped": [],
        "dangling_deletes": {"status": "dry-run", "snapshot_id": None, "removals": [
            {"path": "/t/data/del.parquet", "kind": "position", "records": 1, "bytes": 20, "reason": "no live data file"}]},
        "error": None, "duration_ms": 3}
    out("Audit", "expire-dry-run.ndjson", (json.dumps(expire) + "\n").encode())
    out("Audit", "clean-orphans-dry-run.ndjson", (json.dumps(orphans) + "\n").encode())
    expire_data = {
        "kind": "amoro.expire-data-result", "version": 1, "catalog": "default", "table": "db.events",
        "table_uuid": "6c7e2e8a-0000-4000-8000-000000000001", "status": "dry-run",
        "settings": {"field": "ts", "level": "partition", "base_on_rule": "LAST_COMMIT_TIME", "retention_ms": 86400000},
        "snapshot_id": None, "note": None, "base_time_ms": 3000, "cutoff_ms": -86397000, "planned_snapshot_id": 3,
        "data_files_expired": 1, "records_expired": 5, "bytes_expired": 100, "data_files_fresh": 1,
        "data_files_partition_kept": 0, "data_files_undecided": 1, "delete_files_removed": 1, "commit_attempts": 0,
        "files": [{"path": "file:///t/data/../data/a.parquet", "partition": "ts_day=1970-01-01", "records": 5, "bytes": 100,
                   "verdict": "expired", "reason": "upper bound at or before the cut-off"},
                  {"path": "/t/data/b.parquet", "partition": "ts_day=1970-01-01", "records": 2, "bytes": 50,
                   "verdict": "undecided", "reason": "no upper bound"}],
        "delete_files": [{"path": "/t/data/del.parquet", "kind": "position-deletes", "records": 1, "bytes": 20,
                          "reason": "applies only to expired data files (1)"}],
        "error": None, "duration_ms": 3}
    out("Audit", "expire-data-dry-run.ndjson", (json.dumps(expire_data) + "\n").encode())
    result = {
        "kind": "amoro.task-result", "version": 1, "catalog": "default", "table": "db.events",
        "table_uuid": "6c7e2e8a-0000-4000-8000-000000000001", "planned_snapshot_id": 3, "planned_at_ms": 1700000000000,
        "task_id": 0, "attempt_id": "0b0e5d4e-3a52-4a55-8bde-4c1f6e9c2a10", "status": "succeeded", "host": "worker-1",
        "rewritten_files": ["/warehouse/db/events/data/a.parquet", "/warehouse/db/events/data/b.parquet"],
        "reexpressed_files": ["/warehouse/db/events/data/c.parquet"], "deletes_applied": ["/warehouse/db/events/data/d.parquet"],
        "data_files": [{"content": "data", "path": "/warehouse/db/events/data/x-0.parquet", "format": "PARQUET", "size": 900,
                        "records": 28, "column_sizes": {"1": 120, "2": 80}, "value_counts": {"1": 28, "2": 28},
                        "null_value_counts": {"1": 0, "2": 4}, "nan_value_counts": None,
                        "lower_bounds": {"1": "0100000000000000", "2": "6575"}, "upper_bounds": {"1": "1E00000000000000", "2": "7573"},
                        "split_offsets": [4], "sort_order_id": 0, "referenced_data_file": None, "content_offset": None,
                        "content_size": None}],
        "delete_files": [{"content": "position_deletes", "path": "/warehouse/db/events/data/c-delete-1.puffin", "format": "PUFFIN",
                          "size": 400, "records": 2, "column_sizes": None, "value_counts": None, "null_value_counts": None,
                          "nan_value_counts": None, "lower_bounds": None, "upper_bounds": None, "split_offsets": None,
                          "sort_order_id": None, "referenced_data_file": "/warehouse/db/events/data/c.parquet",
                          "content_offset": 4, "content_size": 42}],
        "records_in": 30, "data_files_merged": 0, "error": None, "duration_ms": 40}
    failed = dict(result, status="failed", data_files=[], delete_files=[], error="disk full")
    out("TaskResult", "task-results.ndjson", (json.dumps(result) + "\n" + json.dumps(failed) + "\n").encode())


parquet = parquet_files()
for name, data in parquet.items():
    out("Parquet", name, data)
thrift_seeds(parquet)
avro_seeds()
iceberg_seeds()
document_seeds()
