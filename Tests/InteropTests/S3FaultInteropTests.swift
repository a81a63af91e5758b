import Foundation
import JSONCoding
import Testing
import TestSupport

/// Issue 6's faults on S3, through the command line: a bucket that does not exist, and a server whose connections
/// drop in the middle of an upload (a loopback proxy cuts them). Each ends with its documented exit code and one
/// line on stderr, or succeeds through retries; the table is left as it was and no multipart upload is left open.
@Suite(.enabled(if: (Peers.isAvailable && S3TestServer.isAvailable) || Peers.areRequired), .serialized)
struct S3FaultInteropTests {
    /// `db.big`: three appends of incompressible rows, about 7 MB together, so that one compacted file goes up in
    /// two parts of 5 MB.
    static let makeBigTable = #"""
        import base64, json, os, sys, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        catalog = load_catalog("default", **json.loads(sys.argv[1]))
        catalog.create_namespace("db")
        t = catalog.create_table("db.big", Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "blob", StringType())))
        for i in range(3):
            ids = list(range(i * 800, i * 800 + 800))
            t.append(pa.table({"id": ids, "blob": [base64.b64encode(os.urandom(2400)).decode() for _ in ids]},
                              schema=t.schema().as_arrow()))
        """#

    /// The table's metadata location and row digest.
    static let tableState = #"""
        import hashlib, json, sys
        from pyiceberg.catalog import load_catalog
        t = load_catalog("default", **json.loads(sys.argv[1])).load_table("db.big")
        rows = sorted(repr(tuple(r.values())) for r in t.scan().to_arrow().to_pylist())
        print(json.dumps({"metadata": t.metadata_location, "digest": hashlib.sha256("\n".join(rows).encode()).hexdigest()}))
        """#

    /// Every object in the bucket and the multipart uploads open there, as boto3 lists them.
    static let bucketState = #"""
        import boto3, json, sys
        properties = json.loads(sys.argv[1])
        s3 = boto3.client("s3", endpoint_url=properties["s3.endpoint"], region_name="us-east-1",
                          aws_access_key_id=properties["s3.access-key-id"], aws_secret_access_key=properties["s3.secret-access-key"])
        bucket = properties["warehouse"].split("/")[2]
        keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket) for o in page.get("Contents", [])]
        print(json.dumps({"objects": sorted(keys), "open_uploads": len(s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []))}))
        """#

    /// The table and the bucket as PyIceberg and boto3 see them, straight from the server.
    static func state(_ environment: CatalogEnvironment) throws -> (table: JSON, bucket: JSON) {
        let arguments = [environment.propertiesJSON]
        return (try JSON.parse(Array(try Peers.python(Self.tableState, arguments: arguments))),
            try JSON.parse(Array(try Peers.run(S3TestServer.python, arguments: ["-c", Self.bucketState] + arguments))))
    }

    /// amoro's config for the table, its S3 requests sent to `endpoint` and files of over 5 MB uploaded in parts.
    static func config(_ environment: CatalogEnvironment, endpoint: String) throws -> String {
        let proxied = environment.replacing(["s3.endpoint": endpoint, "s3.multipart.part-size-bytes": "5242880"])
        return try proxied.writeAmoroConfig(in: environment.directory).path
    }

    /// What a run wrote to stderr besides its summary log line ("... info amoro compact db.big: failed, 6 s").
    static func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { !$0.contains(" info amoro ") }
    }

    static func compact(_ config: String) throws -> AmoroBinary.Result {
        let plan = try AmoroBinary.run(["plan", "--config", config, "--json", "db.big", "--level", "full"])
        #expect(plan.status == 0, "\(plan.stderr)")
        return try AmoroBinary.run(["compact", "--config", config, "--json"], input: plan.stdout)
    }

    @Test func droppedUploadsAreRetriedOrLeaveTheTableAsItWas() async throws {
        try await CatalogEnvironment.with(.motoSQLite) { environment in
            try Peers.python(Self.makeBigTable, arguments: [environment.propertiesJSON])
            let before = try Self.state(environment)
            let upstream = try #require(environment.s3?.endpoint)

            // Every upload of part 2 is cut off: retried, then abandoned; the upload is aborted, nothing committed.
            try await DroppingProxy.with(upstream: upstream, cutting: ["partNumber=2"]) { proxy in
                let failed = try Self.compact(try Self.config(environment, endpoint: proxy))
                #expect(failed.status == 69, "storage unavailable: \(failed.status) \(failed.stderr)")
                #expect(failed.stderr.contains("did not answer"), "\(failed.stderr)")
                #expect(Self.errorLines(failed.stderr).count == 1, "one line: \(failed.stderr)")
                #expect(!failed.stderr.contains(S3TestServer.secretAccessKey))
            }
            let afterFailure = try Self.state(environment)
            #expect(afterFailure.table == before.table, "the table is as it was")
            #expect(afterFailure.bucket == before.bucket, "no object added or removed, no multipart upload left open")

            // The first cut only: the part is sent again and the compaction commits.
            try await DroppingProxy.with(upstream: upstream, cutting: ["partNumber=2"], times: 1) { proxy in
                let retried = try Self.compact(try Self.config(environment, endpoint: proxy))
                #expect(retried.status == 0, "\(retried.stderr)")
                #expect(try JSON.parse(retried.stdout)["status"] == .string("committed"), "\(retried.stdout)")
            }
            let afterRetry = try Self.state(environment)
            #expect(afterRetry.table["digest"] == before.table["digest"])
            #expect(afterRetry.table["metadata"] != before.table["metadata"], "compacted")
            #expect(afterRetry.bucket["open_uploads"] == .int(0))
        }
    }

    @Test func aBucketThatDoesNotExistIsAClearError() async throws {
        try await CatalogEnvironment.with(.motoSQLite) { environment in
            let server = try #require(environment.s3)
            let missing = "s3://amoro-missing-bucket/warehouse/db/t"
            let commands = [
                ["scan", "\(missing)/metadata/00001-x.metadata.json"], ["clean-orphans", missing, "--force"],
                ["expire-snapshots", missing, "--older-than", "1ms"],
            ]
            for command in commands {
                let result = try AmoroBinary.run(command + ["--json"], environment: [
                    "AWS_ACCESS_KEY_ID": S3TestServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": S3TestServer.secretAccessKey,
                    "AWS_ENDPOINT_URL": server.endpoint, "AWS_REGION": "us-east-1", "HOME": environment.directory.path,
                    "AMORO_LOCK_DIR": environment.directory.path,
                ])
                #expect(result.status == 69, "\(command[0]): storage unavailable, \(result.status) \(result.stderr)")
                #expect(result.stderr.contains("bucket 'amoro-missing-bucket' does not exist"), "\(command[0]): \(result.stderr)")
                #expect(Self.errorLines(result.stderr).count == 1, "\(command[0]): one line: \(result.stderr)")
            }
        }
    }
}
