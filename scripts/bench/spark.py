"""Side-by-side: one table's small files compacted by amoro locally, by amoro on a Spark cluster, and by Iceberg's
`rewrite_data_files` on the same cluster.

Each arm gets its own table (own warehouse and SQLite catalog) made by PyIceberg from the same generated rows: FILES
appends of ROWS rows spread over PARTITIONS identity partitions. Wall time of each arm from the first process it
starts to its commit (Spark's start-up included where Spark runs: a user pays it too); rows are counted before and
after by PyIceberg, and the ratios to amoro's local run printed. Spark's master is `local-cluster[2,1,2048]`.
"""
import argparse
import json
import os
import subprocess
import sys
import time

MAKE_TABLE = r"""
import sys, random, pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.schema import Schema
from pyiceberg.types import NestedField, LongType, StringType, DoubleType
from pyiceberg.partitioning import PartitionSpec, PartitionField
from pyiceberg.transforms import IdentityTransform
w, files, rows, partitions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
c.create_namespace("db")
schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "region", StringType(), required=True),
                NestedField(3, "user", StringType()), NestedField(4, "amount", DoubleType()))
t = c.create_table("db.t", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")),
                   properties={"format-version": "2"})
arrow = t.schema().as_arrow()
for i in range(files):
    rng = random.Random(i)
    region = f"r{i % partitions}"
    t.append(pa.table({"id": list(range(i * rows, (i + 1) * rows)), "region": [region] * rows,
                       "user": [f"user-{rng.randrange(100000)}" for _ in range(rows)],
                       "amount": [rng.random() * 1000 for _ in range(rows)]}, schema=arrow))
"""

COUNT = r"""
import sys, json
from pyiceberg.catalog.sql import SqlCatalog
w = sys.argv[1]
t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
files = t.inspect.files().to_pylist()
print(json.dumps({"rows": len(t.scan().to_arrow()), "files": len(files)}))
"""


def jars():
    return open(os.path.join(sys.prefix, "amoro-spark-jars")).read().strip()


def rewrite_with_iceberg(warehouse, target, table="db.t", master="local-cluster[2,1,2048]", driver_memory="1g"):
    """Iceberg's rewrite_data_files of `table` on `master`, through Iceberg's JdbcCatalog on the table's SQLite
    catalog."""
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master(master).appName("iceberg-rewrite")
             .config("spark.driver.memory", driver_memory)
             .config("spark.jars", jars())
             .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
             .config("spark.sql.catalog.default", "org.apache.iceberg.spark.SparkCatalog")
             .config("spark.sql.catalog.default.type", "jdbc")
             .config("spark.sql.catalog.default.uri", f"jdbc:sqlite:{warehouse}/catalog.db")
             .config("spark.sql.catalog.default.jdbc.schema-version", "V1")
             .config("spark.sql.catalog.default.warehouse", f"file://{warehouse}")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    local = spark.sparkContext._jvm.org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext._jsc.hadoopConfiguration())
    local.setWriteChecksum(False)
    spark.sql(f"CALL `default`.system.rewrite_data_files(table => '{table}', "
              f"options => map('rewrite-all', 'true', 'target-file-size-bytes', '{target}'))").collect()
    jvm = jvm_usage(spark.sparkContext._gateway.proc.pid)
    spark.stop()
    return jvm


def jvm_usage(pid):
    """CPU seconds (its own and its reaped children's) and peak resident MiB of the driver's JVM, which PySpark
    starts and never waits for, so that its parent's rusage does not count it."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks  # utime, stime, cutime, cstime
    with open(f"/proc/{pid}/status") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return {"cpu_s": cpu, "peak_mib": peak_kib / 1024}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--files", type=int, default=96)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--amoro", required=True)
    parser.add_argument("--peers-python", required=True)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    arms = ["amoro local", "amoro on Spark", "Iceberg rewrite_data_files on Spark"]
    warehouses = {arm: os.path.join(args.data, arm.split()[0] + "-" + str(index)) for index, arm in enumerate(arms)}
    for warehouse in warehouses.values():
        os.makedirs(warehouse)
        subprocess.run([args.peers_python, "-c", MAKE_TABLE, warehouse, str(args.files), str(args.rows), str(args.partitions)],
                       check=True)
        with open(f"{warehouse}/amoro.yaml", "w") as out:
            out.write(f"catalog:\n  default:\n    uri: sqlite:///{warehouse}/catalog.db\n    warehouse: file://{warehouse}\n")
    before = {arm: json.loads(subprocess.run([args.peers_python, "-c", COUNT, w], check=True, capture_output=True,
                                              text=True).stdout) for arm, w in warehouses.items()}
    env = {**os.environ, "AMORO_LOCK_DIR": f"{args.data}/locks"}
    results = {}
    for arm, warehouse in warehouses.items():
        config = f"{warehouse}/amoro.yaml"
        plan = subprocess.run([args.amoro, "plan", "--config", config, "db.t", "--level", "full", "--json"], check=True,
                              capture_output=True, text=True, env=env).stdout
        target = json.loads(plan)["target_size"]
        with open(f"{warehouse}/plan.json", "w") as out:
            out.write(plan)
        start = time.perf_counter()
        if arm == "amoro local":
            subprocess.run([args.amoro, "compact", "--config", config, "--json"], input=plan, check=True, capture_output=True,
                           text=True, env=env)
        elif arm == "amoro on Spark":
            subprocess.run([sys.executable, os.path.join(here, "..", "spark", "amoro-spark"), "--master", "local-cluster[2,1,2048]",
                            "--amoro", args.amoro, "--config", config, "--plan", f"{warehouse}/plan.json"],
                           check=True, capture_output=True, text=True, env={**env, "SPARK_WORKER_DIR": f"{args.data}/work"})
        else:
            rewrite_with_iceberg(warehouse, target)
        elapsed = time.perf_counter() - start
        after = json.loads(subprocess.run([args.peers_python, "-c", COUNT, warehouse], check=True, capture_output=True,
                                          text=True).stdout)
        if after["rows"] != before[arm]["rows"]:
            raise SystemExit(f"{arm}: {before[arm]['rows']} rows before, {after['rows']} after")
        results[arm] = {"seconds": round(elapsed, 2), "files_before": before[arm]["files"], "files_after": after["files"]}
    base = results["amoro local"]["seconds"]
    print(f"{args.files} files × {args.rows} rows in {args.partitions} partitions, 2 cores, Spark local-cluster[2,1,2048]")
    print(f"{'arm':40} {'seconds':>8} {'× amoro local':>14} {'files':>12}")
    for arm, result in results.items():
        print(f"{arm:40} {result['seconds']:8.2f} {result['seconds'] / base:14.2f} "
              f"{result['files_before']:5} → {result['files_after']:<5}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
