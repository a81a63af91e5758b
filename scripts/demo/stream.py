"""A streaming writer's leftovers: many small appends and upserts (equality deletes) to demo.events, in the SQLite
catalog amoro uses by default (AMORO_HOME). Run with sidequery-pyiceberg, which writes equality deletes."""
import datetime
import random
import sys

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import DayTransform
from pyiceberg.types import DoubleType, LongType, NestedField, StringType, TimestampType

home = sys.argv[1]
catalog = SqlCatalog("default", uri=f"sqlite:///{home}/catalog.db", warehouse=f"file://{home}/warehouse")
catalog.create_namespace("demo")
schema = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "ts", TimestampType(), required=True),
    NestedField(3, "user", StringType(), required=False),
    NestedField(4, "amount", DoubleType(), required=False),
    identifier_field_ids=[1, 2],
)
table = catalog.create_table(
    "demo.events", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, DayTransform(), "ts_day")),
    properties={"format-version": "2"})
arrow = table.schema().as_arrow()
rng = random.Random(7)
start = datetime.datetime(2026, 11, 20)


def batch(first, count, day):
    return pa.table({
        "id": list(range(first, first + count)),
        "ts": [start + datetime.timedelta(days=day, seconds=rng.randrange(86_400)) for _ in range(count)],
        "user": [f"user-{rng.randrange(500)}" for _ in range(count)],
        "amount": [round(rng.random() * 100, 2) for _ in range(count)],
    }, schema=arrow)


next_id = 0
for tick in range(60):
    day = tick % 4
    rows = batch(next_id, 200, day)
    next_id += 200
    if tick % 10 == 9:
        # An upsert: rows rewritten by key become equality deletes plus new rows.
        previous = table.scan().to_arrow().slice(0, 20)
        table.upsert_by_equality_delete(previous.set_column(3, "amount", pa.array([0.0] * 20)), join_cols=["id", "ts"])
    else:
        table.append(rows)
    table = catalog.load_table("demo.events")
print(f"demo.events: {len(table.snapshots())} snapshots", file=sys.stderr)
