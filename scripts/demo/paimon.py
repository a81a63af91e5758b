"""The main job's Paimon table: `write WAREHOUSE` makes demo.orders (primary key day and id, partitioned by day, two
buckets) with pypaimon and leaves 30 small commits of upserts and deletes in it, as a writer without compaction
(pypaimon, `write-only` jobs) does; `read WAREHOUSE` prints the rows pypaimon reads, merged on read, as a count and
a fingerprint."""
import hashlib
import sys

import pyarrow as pa
from pypaimon import CatalogFactory, Schema

mode, warehouse = sys.argv[1], sys.argv[2]
catalog = CatalogFactory.create({"warehouse": warehouse})
name = "demo.orders"
schema = pa.schema([pa.field("day", pa.string(), nullable=False), pa.field("id", pa.int64(), nullable=False),
                    ("amount", pa.int64()), ("note", pa.string()), ("op", pa.string())])
if mode == "write":
    catalog.create_database("demo", True)
    catalog.create_table(name, Schema.from_pyarrow_schema(schema, partition_keys=["day"], primary_keys=["day", "id"],
                         options={"bucket": "2", "rowkind.field": "op"}), True)
    for i in range(30):
        rows = [{"day": f"2024-05-0{1 + (i + k) % 3}", "id": (i * 7 + k) % 50, "amount": i * 100 + k,
                 "note": f"batch {i} row {k}", "op": "-D" if i % 5 == 4 and k < 3 else "+I"} for k in range(20)]
        write_builder = catalog.get_table(name).new_batch_write_builder()
        write, commit = write_builder.new_write(), write_builder.new_commit()
        write.write_arrow(pa.Table.from_pylist(rows, schema=schema))
        commit.commit(write.prepare_commit())
        write.close()
        commit.close()
    print(f"{name}: 30 commits of 20 rows (upserts, and deletes every fifth commit)")
else:
    table = catalog.get_table(name)
    read_builder = table.new_read_builder()
    rows = read_builder.new_read().to_arrow(read_builder.new_scan().plan().splits()).to_pylist()
    lines = sorted(f"{r['day']}|{r['id']}|{r['amount']}|{r['note']}" for r in rows)
    fingerprint = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    print(f"{name}: pypaimon reads {len(rows)} rows, fingerprint {fingerprint}")
