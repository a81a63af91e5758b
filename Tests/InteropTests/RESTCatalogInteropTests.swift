import Catalogs
import Foundation
import Iceberg
import JSONCoding
import Testing
import TestSupport

/// The REST catalog against SeaweedFS's Iceberg REST server and against the mock of `scripts/rest-mock-server`
/// (PyIceberg's SqlCatalog behind the REST API) for what SeaweedFS cannot show: conflict storms, a commit whose
/// outcome is unknown, OAuth2 token refresh and vended credentials. PyIceberg writes through REST, amoro scans,
/// plans and compacts, and PyIceberg and DuckDB read the same rows afterwards.
@Suite(.enabled(if: (Peers.isAvailable && S3TestServer.isAvailable) || Peers.areRequired), .serialized)
struct RESTCatalogInteropTests {
    /// Creates `db` (with a nested `db.inner`) and `db.events` with six appends of ten rows, through
    /// `load_catalog("default", **properties)`; extra table properties come as a third argument.
    static let makeTable = #"""
        import json, sys, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        c = load_catalog("default", **json.loads(sys.argv[1]))
        c.create_namespace("db")
        c.create_namespace(("db", "inner"))
        t = c.create_table("db.events", Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType())),
                           properties=json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})
        for i in range(6):
            t.append(pa.table({"id": pa.array(range(i * 10, i * 10 + 10), pa.int64()), "v": pa.array([f"r{i}"] * 10)},
                              schema=t.schema().as_arrow()))
        print(t.metadata_location)
        """#

    static let rows = #"""
        import hashlib, json, sys
        from pyiceberg.catalog import load_catalog
        t = load_catalog("default", **json.loads(sys.argv[1])).load_table("db.events")
        rows = sorted(tuple(r.values()) for r in t.scan().to_arrow().to_pylist())
        print(json.dumps({"rows": len(rows), "digest": hashlib.sha256(repr(rows).encode()).hexdigest(),
                          "files": len(t.inspect.files()), "metadata": t.metadata_location,
                          "snapshots": len(t.metadata.snapshots)}))
        """#

    static func json(_ properties: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: properties), as: UTF8.self)
    }

    static func read(_ properties: [String: String]) throws -> JSON {
        try JSON.parse(Array(try Peers.python(rows, arguments: [try json(properties)])))
    }

    static func writeConfig(_ properties: [String: String], in root: URL) throws -> String {
        let config = root.appendingPathComponent("amoro.yaml")
        let yaml = "catalog:\n  default:\n" + properties.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
        try Data(yaml.utf8).write(to: config)
        return config.path
    }

    /// `amoro plan --level full` piped into `amoro compact`.
    static func compact(config: String) throws -> AmoroBinary.Result {
        let plan = try AmoroBinary.run(["plan", "--config", config, "--json", "db.events", "--level", "full"])
        #expect(plan.status == 0, "\(plan.stderr)")
        return try AmoroBinary.run(["compact", "--config", config, "--json"], input: plan.stdout)
    }

    /// Every file under a local table directory.
    static func files(under directory: URL) -> Set<String> {
        Set((FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String]) ?? [])
    }

    @Test func seaweedFSRESTCatalogServesPyIcebergAmoroAndDuckDB() async throws {
        try await S3TestServer.with(.seaweedfs, icebergREST: true) { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-rest")
            defer { try? FileManager.default.removeItem(at: root) }
            let properties = server.icebergRESTProperties
            try Peers.python(Self.makeTable, arguments: [try Self.json(properties)])
            let before = try Self.read(properties)
            #expect(before["rows"] == .int(60) && before["files"] == .int(6))

            let catalog = try CatalogFactory.make(name: "default", properties: properties, currentDirectory: root.path)
            let namespaces = try await catalog.listNamespaces()
            #expect(namespaces.contains(["db"]) && namespaces.contains(["db", "inner"]), "\(namespaces)")
            #expect(try await catalog.listTables(namespace: ["db"]) == [TableIdentifier(namespace: ["db"], name: "events")])

            let config = try Self.writeConfig(properties, in: root)
            let scan = try AmoroBinary.run(["scan", "--config", config, "--json", "db.events"])
            #expect(scan.status == 0, "\(scan.stderr)")
            #expect(try JSON.parse(scan.stdout)["kind"] == .string("amoro.scan"))
            let compact = try Self.compact(config: config)
            #expect(compact.status == 0, "\(compact.stderr)")
            #expect(try JSON.parse(compact.stdout)["status"] == .string("committed"), "\(compact.stdout)")
            for output in [scan.stdout, scan.stderr, compact.stdout, compact.stderr] {
                #expect(!output.contains(S3TestServer.secretAccessKey))
            }

            let after = try Self.read(properties)
            #expect(after["digest"] == before["digest"])
            #expect(after["files"] == .int(1), "the six files were compacted into one")
            let metadata = after["metadata"]?.stringValue ?? ""
            #expect(metadata != before["metadata"]?.stringValue && metadata.hasPrefix("s3://\(S3TestServer.bucket)/"))
            let duck = try JSON.parse(Array(try Peers.run(S3TestServer.python, arguments: [
                "-c", S3TableInteropTests.duckDBRows, metadata, server.endpoint, S3TestServer.accessKeyId,
                S3TestServer.secretAccessKey,
            ])))
            #expect(duck["digest"] == before["digest"], "DuckDB and PyIceberg read the same rows")
        }
    }

    /// A local warehouse behind the mock, with the table made by PyIceberg through REST.
    static func withMockTable<T>(tableProperties: [String: String] = [:], _ body: (RESTMockServer, URL, [String: String]) async throws -> T)
        async throws -> T
    {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rest-mock")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await RESTMockServer.with(warehouse: "file://\(root.path)/wh") { mock in
            let properties = ["type": "rest", "uri": mock.uri]
            try Peers.python(Self.makeTable, arguments: [try Self.json(properties), try Self.json(tableProperties)])
            return try await body(mock, root, properties)
        }
    }

    @Test func aConflictStormIsRetriedUntilTheCommitLands() async throws {
        try await Self.withMockTable { mock, root, properties in
            let before = try Self.read(properties)
            try mock.inject(["conflicts": 3])
            let compact = try Self.compact(config: try Self.writeConfig(properties, in: root))
            #expect(compact.status == 0, "\(compact.stderr)")
            #expect(try JSON.parse(compact.stdout)["commit_attempts"] == .int(4), "\(compact.stdout)")
            #expect(try mock.stats()["conflicts_sent"] == 3)
            let after = try Self.read(properties)
            #expect(after["digest"] == before["digest"] && after["files"] == .int(1))
        }
    }

    @Test func endlessConflictsGiveUpAfterTheConfiguredRetriesLeavingNothingBehind() async throws {
        try await Self.withMockTable(tableProperties: ["commit.retry.num-retries": "2", "commit.retry.min-wait-ms": "1"]) {
            mock, root, properties in
            let before = try Self.read(properties)
            let filesBefore = Self.files(under: root.appendingPathComponent("wh"))
            let commitsBefore = try mock.stats()["commits"] ?? 0
            try mock.inject(["conflicts": 1000])
            let compact = try Self.compact(config: try Self.writeConfig(properties, in: root))
            #expect(compact.status == 75, "conflict exit code: \(compact.stderr)")
            #expect(compact.stderr.contains("gave up after 3 attempts"), "\(compact.stderr)")
            #expect(try mock.stats()["commits"] == commitsBefore + 3)
            let after = try Self.read(properties)
            #expect(after["metadata"] == before["metadata"] && after["snapshots"] == before["snapshots"])
            #expect(Self.files(under: root.appendingPathComponent("wh")) == filesBefore, "every written file was deleted")
        }
    }

    @Test func aServerErrorOnCommitLeavesItsOutcomeUnknownAndKeepsTheFiles() async throws {
        try await Self.withMockTable { mock, root, properties in
            let before = try Self.read(properties)
            let filesBefore = Self.files(under: root.appendingPathComponent("wh"))
            let commitsBefore = try mock.stats()["commits"] ?? 0
            try mock.inject(["errors": 1, "error_status": 500])
            let compact = try Self.compact(config: try Self.writeConfig(properties, in: root))
            #expect(compact.status == 69, "unavailable: \(compact.stderr)")
            let errors = compact.stderr.split(separator: "\n").filter { $0.contains(" error ") }
            #expect(errors.count == 1 && errors[0].contains("may or may not have taken effect") && errors[0].contains("HTTP 500"),
                "\(compact.stderr)")
            #expect(try mock.stats()["commits"] == commitsBefore + 1, "a commit POST is never retried blindly")
            let kept = Self.files(under: root.appendingPathComponent("wh")).subtracting(filesBefore)
            #expect(kept.contains { $0.hasSuffix(".parquet") } && kept.contains { $0.contains("/snap-") }, "\(kept.sorted())")
            #expect(try Self.read(properties)["metadata"] == before["metadata"])
        }
    }

    @Test func oauth2TokensAreExchangedReusedAndRefreshedOnceRefused() async throws {
        try await Self.withMockTable { mock, root, properties in
            try mock.inject(["client_id": "amoro-client", "client_secret": "s3cr3t-value", "token_uses": 1])
            var authenticated = properties
            authenticated["credential"] = "amoro-client:s3cr3t-value"
            let scan = try AmoroBinary.run(["scan", "--config", try Self.writeConfig(authenticated, in: root), "--json", "db.events"])
            #expect(scan.status == 0, "\(scan.stderr)")
            let stats = try mock.stats()
            #expect((stats["tokens"] ?? 0) >= 2 && (stats["unauthorized"] ?? 0) >= 1, "a refused token was replaced: \(stats)")

            authenticated["credential"] = "amoro-client:wrong-s3cr3t"
            let refused = try AmoroBinary.run(["scan", "--config", try Self.writeConfig(authenticated, in: root), "--json", "db.events"])
            #expect(refused.status == 69, "\(refused.stderr)")
            #expect(refused.stderr.contains("OAuth2") && refused.stderr.contains("invalid_client"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("wrong-s3cr3t") && !refused.stdout.contains("wrong-s3cr3t"))
        }
    }

    @Test func aBearerTokenAndConfiguredHeadersGoWithEveryRequest() async throws {
        try await Self.withMockTable { mock, root, properties in
            try mock.inject(["static_token": "t0ken-value", "required_header": ["X-Tenant", "lake"]])
            var configured = properties.merging(["token": "t0ken-value", "header.X-Tenant": "lake"]) { $1 }
            let scan = try AmoroBinary.run(["scan", "--config", try Self.writeConfig(configured, in: root), "--json", "db.events"])
            #expect(scan.status == 0, "\(scan.stderr)")

            configured["header.X-Tenant"] = nil
            let forbidden = try AmoroBinary.run(["scan", "--config", try Self.writeConfig(configured, in: root), "--json", "db.events"])
            #expect(forbidden.status == 69 && forbidden.stderr.contains("HTTP 403"), "\(forbidden.stderr)")
            configured["token"] = "wrong-t0ken"
            configured["header.X-Tenant"] = "lake"
            let refused = try AmoroBinary.run(["scan", "--config", try Self.writeConfig(configured, in: root), "--json", "db.events"])
            #expect(refused.status == 69 && refused.stderr.contains("HTTP 401"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("wrong-t0ken") && !refused.stdout.contains("wrong-t0ken"))
        }
    }

    @Test func vendedCredentialsOpenTheTableWhenTheCatalogsOwnDoNot() async throws {
        try await S3TestServer.with(.seaweedfs) { server in
            let root = try Fixtures.makeTemporaryDirectory("amoro-rest-vended")
            defer { try? FileManager.default.removeItem(at: root) }
            try await RESTMockServer.with(warehouse: "s3://\(S3TestServer.bucket)/wh", properties: server.catalogProperties) { mock in
                try Peers.python(Self.makeTable, arguments: [try Self.json(["type": "rest", "uri": mock.uri]
                    .merging(server.catalogProperties) { $1 })])
                var properties = server.catalogProperties.merging(["type": "rest", "uri": mock.uri]) { $1 }
                properties["s3.secret-access-key"] = "not-the-secret"
                let config = try Self.writeConfig(properties, in: root)
                let refused = try AmoroBinary.run(["scan", "--config", config, "--json", "db.events"])
                #expect(refused.status == 69 && refused.stderr.contains("SignatureDoesNotMatch"), "\(refused.stderr)")

                let keyPair = ["s3.access-key-id": S3TestServer.accessKeyId, "s3.secret-access-key": S3TestServer.secretAccessKey]
                try mock.inject(["storage_credentials": [["prefix": "s3://\(S3TestServer.bucket)/wh/db/events", "config": keyPair]]])
                let scoped = try AmoroBinary.run(["scan", "--config", config, "--json", "db.events"])
                #expect(scoped.status == 0, "storage-credentials for the table's prefix: \(scoped.stderr)")

                try mock.inject(["storage_credentials": [], "vended": keyPair])
                let scan = try AmoroBinary.run(["scan", "--config", config, "--json", "db.events"])
                #expect(scan.status == 0, "\(scan.stderr)")
                let compact = try Self.compact(config: config)
                #expect(compact.status == 0, "\(compact.stderr)")
                #expect(!compact.stdout.contains(S3TestServer.secretAccessKey) && !compact.stderr.contains(S3TestServer.secretAccessKey))
            }
        }
    }
}
