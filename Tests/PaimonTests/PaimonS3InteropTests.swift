import Catalogs
import Execution
import Foundation
import Iceberg
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

/// A pypaimon table copied into moto's S3 reads, scans and expires through `S3Storage` as it does on local disk;
/// copied back, pypaimon reads the remaining snapshots and the tag unchanged.
@Suite(.enabled(if: Peers.paimonPython != nil && S3TestServer.isAvailable), .serialized)
struct PaimonS3InteropTests {
    static let copy = #"""
        import boto3, os, sys
        direction, endpoint, key, secret, bucket, prefix, local = sys.argv[1:8]
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
        if direction == "up":
            try:
                s3.create_bucket(Bucket=bucket)
            except Exception:
                pass
            for root, _, files in os.walk(local):
                for name in files:
                    path = os.path.join(root, name)
                    s3.upload_file(path, bucket, prefix + "/" + os.path.relpath(path, local))
        else:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/"):
                for item in page.get("Contents", []):
                    path = os.path.join(local, item["Key"][len(prefix) + 1:])
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    s3.download_file(bucket, item["Key"], path)
        """#

    @Test func expiresATableOnS3() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try PaimonInteropTests.warehouse(directory)
            let local = "\(warehouse)/db.db/pk_dedup"
            let before = try PaimonInteropTests.probe(warehouse, "pk_dedup")
            let localHealth = try await PaimonHealth.scan(PaimonTable(location: local, storage: LocalStorage()), catalog: "direct",
                name: "t", nowMs: 0)
            try await S3TestServer.with(.moto) { server in
                func run(_ direction: String, _ path: String) throws { try Self.transfer(direction, "pk_dedup", path, server) }
                try run("up", local)
                let storage = CatalogFactory.storage(properties: server.catalogProperties, environment: [:])
                let location = "s3://\(S3TestServer.bucket)/wh/db.db/pk_dedup"
                #expect(await PaimonTable.isTable(location, storage: storage))
                let table = PaimonTable(location: location, storage: storage)
                var health = try await PaimonHealth.scan(table, catalog: "direct", name: "t", nowMs: 0)
                health.location = localHealth.location
                #expect(health == localHealth)
                var options = PaimonExpire.Options()
                options.retainLast = 1
                options.olderThanMs = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
                let result = try await PaimonExpire.run(table, options: options, nowMs: Int64(Date().timeIntervalSince1970 * 1000))
                #expect(result.status == .expired && result.snapshots.count == 5 && result.deletion?.failed.isEmpty == true)
                #expect(result.deletion?.refused.isEmpty == true && result.files.contains { $0.fileClass == .data })
                try FileManager.default.removeItem(atPath: local)
                try run("down", local)
            }
            let after = try PaimonInteropTests.probe(warehouse, "pk_dedup")
            #expect(after["snapshots"]?.objectValue?.map(\.0) == ["6"])
            #expect(after["snapshots"]?["6"] == before["snapshots"]?["6"] && after["tags"] == before["tags"])
        }
    }

    /// Compaction through `S3Storage`: planned, rewritten and committed on moto (the snapshot created with
    /// `If-None-Match: *`, so a second creation of it is refused); copied back, pypaimon reads the same rows at the
    /// COMPACT snapshot as before it.
    @Test func compactsATableOnS3() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try PaimonCompactInteropTests.warehouse(directory, commits: 8)
            let before = try PaimonCompactInteropTests.probe(warehouse, "ap_fixed")
            try await Self.compactOnS3(warehouse, "ap_fixed") { result, _, table, storage in
                #expect(result.status == .committed && result.snapshotId == 9)
                await #expect(throws: StorageError.alreadyExists(table.snapshotLocation(9))) {
                    try await storage.write(table.snapshotLocation(9), bytes: Array("{}".utf8), mode: .createNew)
                }
            }
            let after = try PaimonCompactInteropTests.probe(warehouse, "ap_fixed")
            #expect(after["snapshots"]?["9"]?["sha"] == before["snapshots"]?["8"]?["sha"] && after["snapshots"]?["9"]?["missing"] == .int(0))
            #expect(after["snapshots"]?["8"] == before["snapshots"]?["8"])
        }
    }

    /// A primary-key bucket merged through `S3Storage`: the inputs staged locally and read a row group at a time, the
    /// merged files staged and uploaded with `If-None-Match: *`; copied back, pypaimon reads the same rows.
    @Test func mergesAPrimaryKeyTableOnS3() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            try Peers.paimon(PaimonCompactInteropTests.generatePrimaryKey, arguments: [warehouse, "9"])
            let before = try PaimonCompactInteropTests.probe(warehouse, "pk_dedup")
            try await Self.compactOnS3(warehouse, "pk_dedup") { result, plan, _, _ in
                #expect(result.status == .committed && result.snapshotId == 10 && result.filesOut == plan.tasks.count)
            }
            let after = try PaimonCompactInteropTests.probe(warehouse, "pk_dedup")
            #expect(after["snapshots"]?["10"]?["sha"] == before["snapshots"]?["9"]?["sha"] && after["snapshots"]?["10"]?["missing"] == .int(0))
        }
    }

    /// Copies table `name` between the local directory `path` and `wh/db.db/<name>` in the server's bucket
    /// (`direction`: `up` or `down`).
    static func transfer(_ direction: String, _ name: String, _ path: String, _ server: S3TestServer) throws {
        _ = try Peers.run(S3TestServer.python, arguments: ["-c", Self.copy, direction, server.endpoint, S3TestServer.accessKeyId,
            S3TestServer.secretAccessKey, S3TestServer.bucket, "wh/db.db/\(name)", path])
    }

    /// Uploads table `name` of `warehouse` to moto, plans `--level full` and compacts it through `S3Storage`, hands
    /// the result to `check` while the table is on S3, and copies the table back over the local one.
    static func compactOnS3(
        _ warehouse: String, _ name: String,
        check: (PaimonCompact.Result, PaimonCompactionPlan, PaimonTable, any Storage) async throws -> Void
    ) async throws {
        let local = "\(warehouse)/db.db/\(name)"
        try await S3TestServer.with(.moto) { server in
            func run(_ direction: String, _ path: String) throws { try Self.transfer(direction, name, path, server) }
            try run("up", local)
            let storage = CatalogFactory.storage(properties: server.catalogProperties, environment: [:])
            let table = PaimonTable(location: "s3://\(S3TestServer.bucket)/wh/db.db/\(name)", storage: storage)
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "t", level: "full",
                limits: PaimonCompactInteropTests.limits, nowMs: 0)
            #expect(!plan.tasks.isEmpty)
            let result = try await PaimonCompact.run(plan, table: table, identifier: PaimonCompactInteropTests.identifier,
                options: .init(parallelism: 2, dryRun: false) { Int64(Date().timeIntervalSince1970 * 1000) })
            try await check(result, plan, table, storage)
            try FileManager.default.removeItem(atPath: local)
            try run("down", local)
        }
    }
}
