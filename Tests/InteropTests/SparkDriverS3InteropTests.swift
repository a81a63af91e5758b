import Foundation
import JSONCoding
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/spark/amoro-spark` with tables on S3 (SeaweedFS, which checks signatures): the executors of a Spark
/// `local-cluster` write their outputs straight to the object store, with the endpoint and credentials of the amoro
/// config the driver ships them; the driver commits each plan once. One driver run serves two tables: one runs
/// cleanly, the other has an execution killed once its files are on S3, which Spark retries. PyIceberg, DuckDB
/// (httpfs) and Iceberg Java (S3A) read the same rows.
@Suite(.enabled(if: (IcebergJava.isS3Available && S3TestServer.isAvailable && Peers.isAvailable) || Peers.areRequired), .serialized)
struct SparkDriverS3InteropTests {
    /// Tables `argv[2:]` partitioned by `v` (four values), six appends of 40 rows each: 24 small files, four tasks.
    static let makeTables = #"""
        import json, sys, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.transforms import IdentityTransform
        catalog = load_catalog("default", **json.loads(sys.argv[1]))
        catalog.create_namespace("db")
        for name in sys.argv[2:]:
            t = catalog.create_table(name, Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType())),
                                     partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "v")))
            for i in range(6):
                ids = list(range(i * 40, i * 40 + 40))
                t.append(pa.table({"id": pa.array(ids, pa.int64()), "v": ["abcd"[k % 4] for k in ids]}, schema=t.schema().as_arrow()))
        """#

    /// Per table `argv[2:]`: rows and their digests (`digest` as `S3TableInteropTests.duckDBRows` computes it,
    /// `lines` as `IcebergJava.read` does), data files,
    /// snapshots, and the objects under the table's location that nothing reaches (not the current metadata file or
    /// one of its log, a statistics file, nor a manifest list, manifest or file of any entry of any snapshot), as
    /// boto3 lists them.
    static let tableState = #"""
        import boto3, hashlib, json, sys
        from pyiceberg.catalog import load_catalog
        properties = json.loads(sys.argv[1])
        catalog = load_catalog("default", **properties)
        s3 = boto3.client("s3", endpoint_url=properties["s3.endpoint"], region_name=properties["s3.region"],
                          aws_access_key_id=properties["s3.access-key-id"], aws_secret_access_key=properties["s3.secret-access-key"])
        def state(name):
            t = catalog.load_table(name)
            rows = sorted(tuple(r.values()) for r in t.scan().to_arrow().to_pylist())
            reached = {t.metadata_location} | {e.metadata_file for e in t.metadata.metadata_log}
            reached |= {s.statistics_path for s in t.metadata.statistics}
            for s in t.metadata.snapshots:
                reached.add(s.manifest_list)
                for m in s.manifests(t.io):
                    reached.add(m.manifest_path)
                    reached |= {e.data_file.file_path for e in m.fetch_manifest_entry(t.io, discard_deleted=False)}
            bucket, _, prefix = t.metadata.location[len("s3://"):].partition("/")
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix.rstrip("/") + "/")
            objects = [f"s3://{bucket}/{o['Key']}" for page in pages for o in page.get("Contents", [])]
            return {"rows": len(rows), "digest": hashlib.sha256(repr(rows).encode()).hexdigest(),
                    "lines": hashlib.sha256("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest(), "metadata": t.metadata_location,
                    "data_files": len(t.inspect.files()), "snapshots": len(t.metadata.snapshots), "objects": len(objects),
                    "unreached": sorted(set(objects) - reached)}
        print(json.dumps({name: state(name) for name in sys.argv[2:]}))
        """#

    static func state(_ environment: CatalogEnvironment) throws -> JSON {
        try JSON.parse(Array(try Peers.python(Self.tableState, arguments: [environment.propertiesJSON, "db.a", "db.b"])))
    }

    /// DuckDB's (httpfs) digest of the rows at `metadata`.
    static func duckDB(_ environment: CatalogEnvironment, metadata: String) throws -> JSON {
        let endpoint = environment.properties["s3.endpoint"] ?? ""
        return try JSON.parse(Array(try Peers.run(S3TestServer.python, arguments: [
            "-c", S3TableInteropTests.duckDBRows, metadata, endpoint, S3TestServer.accessKeyId, S3TestServer.secretAccessKey,
        ])))
    }

    @Test func plansOfTablesOnS3RunOnTheClusterAndCommitOnce() async throws {
        try await CatalogEnvironment.with(.seaweedSQLite) { environment in
            let root = environment.directory
            try Peers.python(Self.makeTables, arguments: [environment.propertiesJSON, "db.a", "db.b"])
            let before = try Self.state(environment)
            for name in ["db.a", "db.b"] {
                #expect(before[name]?["rows"] == .int(240) && before[name]?["data_files"] == .int(24), "\(before)")
                #expect(before[name]?["unreached"]?.arrayValue == [], "\(before)")
                let duck = try Self.duckDB(environment, metadata: before[name]?["metadata"]?.stringValue ?? "")
                #expect(duck["digest"] == before[name]?["digest"], "DuckDB and PyIceberg read the same rows of \(name)")
            }

            let config = try environment.writeAmoroConfig(in: root).path
            let planned = try MaintenanceInteropSupport.amoro(config: config,
                ["plan", "--config", config, "db.a", "db.b", "--level", "full", "--json"])
            #expect(planned.status == 0, "\(planned.stderr)")
            let plans = try planned.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
            #expect(plans.map { $0["tasks"]?.arrayValue?.count } == [4, 4], "one task per partition: \(planned.stdout)")
            let plan = root.appendingPathComponent("plans.ndjson")
            try Data(planned.stdout.utf8).write(to: plan)

            // The first execution of a db.b group is killed once its data files are on S3; Spark runs the group again.
            let crashed = root.appendingPathComponent("crashed-once")
            let wrapper = root.appendingPathComponent("amoro-crashing-once")
            try Data("""
                #!/bin/sh
                if [ "$1" = compact ] && [ "$2" = --execute-only ]; then
                  input=$(cat)
                  case "$input" in
                    *'"table":"db.b"'*) if mkdir "\(crashed.path)" 2>/dev/null; then
                      printf '%s\\n' "$input" | AMORO_CRASH_AT=after-data-files "\(AmoroBinary.url.path)" "$@"; exit $?
                    fi ;;
                  esac
                  printf '%s\\n' "$input" | "\(AmoroBinary.url.path)" "$@"; exit $?
                fi
                exec "\(AmoroBinary.url.path)" "$@"

                """.utf8).write(to: wrapper)
            chmod(wrapper.path, 0o755)
            let driver = try SparkDriverInteropTests.driver(root, config: config, plan: plan.path, binary: wrapper)
            defer { if driver.isRunning { driver.terminate(); driver.waitUntilExit() } }
            // Iceberg Java's JVM starts while the Spark job runs.
            try await IcebergJava.with(s3: true) { java in
                let run = SparkDriverInteropTests.finish(driver)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(FileManager.default.fileExists(atPath: crashed.path), "an execution was killed")
                #expect(!run.stdout.contains(S3TestServer.secretAccessKey) && !run.stderr.contains(S3TestServer.secretAccessKey))
                let results = try run.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
                #expect(results.map { $0["table"] } == [.string("db.a"), .string("db.b")], "\(run.stdout)")
                for result in results {
                    #expect(result["status"] == .string("committed"), "\(result)")
                    #expect(result["tasks_missing"]?.arrayValue == [] && result["results_refused"]?.arrayValue == [], "\(result)")
                }

                let after = try Self.state(environment)
                for name in ["db.a", "db.b"] {
                    #expect(after[name]?["digest"] == before[name]?["digest"] && after[name]?["rows"] == .int(240), "\(name): \(after)")
                    #expect(after[name]?["data_files"] == .int(4), "one file per partition: \(after)")
                    #expect(after[name]?["snapshots"]?.int64Value == (before[name]?["snapshots"]?.int64Value ?? 0) + 1, "one commit")
                    let duck = try Self.duckDB(environment, metadata: after[name]?["metadata"]?.stringValue ?? "")
                    #expect(duck["digest"] == before[name]?["digest"], "DuckDB reads the same rows of \(name) after")
                }
                #expect(after["db.a"]?["unreached"]?.arrayValue == [], "the clean run leaves nothing behind")
                // Apache Iceberg Java reads what the executors wrote, through Hadoop's S3A file system.
                for name in ["db.a", "db.b"] {
                    let read = try java.read(properties: environment.properties, table: name)
                    #expect(read["error"] == nil && read["rows"] == .int(240), "\(name): \(read)")
                    #expect(read["digest"] == after[name]?["lines"], "Iceberg Java reads the same rows of \(name)")
                    #expect(read["files"]?.arrayValue?.count == 4, "\(name): \(read)")
                }
                let leftovers = after["db.b"]?["unreached"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(!leftovers.isEmpty && leftovers.allSatisfy { $0.hasPrefix("s3://amoro-test/warehouse/db/b/data/") },
                    "the killed execution's data files, which no result names: \(leftovers)")

                try await Task.sleep(for: .milliseconds(1100))
                let cleaned = try MaintenanceInteropSupport.amoro(config: config,
                    ["clean-orphans", "--config", config, "db.b", "--older-than", "1s", "--json"])
                #expect(cleaned.status == 0, "\(cleaned.stderr)")
                #expect(try JSON.parse(cleaned.stdout)["files_deleted"] == .int(Int64(leftovers.count)), "\(cleaned.stdout)")
                let cleanedState = try Self.state(environment)
                #expect(cleanedState["db.b"]?["unreached"]?.arrayValue == [], "clean-orphans removes what the killed execution left")
                #expect(cleanedState["db.b"]?["digest"] == before["db.b"]?["digest"])
            }
        }
    }
}
