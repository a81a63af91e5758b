import Catalogs
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Planning
import Storage
import Testing
import TestSupport

/// The Glue catalog against moto's Glue and S3 server (`CatalogEnvironment.motoGlue`; Glue's optimistic locking,
/// paging and faults added by `scripts/lib/moto_glue_server.py`), sharing tables with PyIceberg's GlueCatalog:
/// listing, loading and committing as PyIceberg does (checked by boto3 and PyIceberg), a lost race retried, Glue's
/// `ConcurrentModificationException` as a conflict, and a lost answer as an unknown outcome. Every command on a Glue
/// table runs in `EndToEndMatrixInteropTests`.
@Suite(.enabled(if: (Peers.isAvailable && S3TestServer.isAvailable) || Peers.areRequired), .serialized)
struct GlueCatalogInteropTests {
    /// Three databases, `db.events` (four appends of ten rows), three more Iceberg tables (more than a page) and
    /// `db.plain`, a Glue table of another kind made by boto3, with a parameter of its own on `db.events`.
    static let makeTables = #"""
        import json, sys, boto3, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        properties = json.loads(sys.argv[1])
        c = load_catalog("default", **properties)
        for name in ["db", "other", "third"]:
            c.create_namespace(name)
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "v", StringType()))
        t = c.create_table("db.events", schema)
        for i in range(4):
            t.append(pa.table({"id": pa.array(range(i * 10, i * 10 + 10), pa.int64()), "v": pa.array([f"r{i}"] * 10)},
                              schema=t.schema().as_arrow()))
        for name in ["t1", "t2", "t3"]:
            c.create_table(f"db.{name}", schema)
        glue = boto3.client("glue", endpoint_url=properties["glue.endpoint"], region_name="us-east-1",
                            aws_access_key_id="a", aws_secret_access_key="b")
        glue.create_table(DatabaseName="db", TableInput={"Name": "plain", "TableType": "EXTERNAL_TABLE",
                                                          "Parameters": {"classification": "csv"}})
        table = glue.get_table(DatabaseName="db", Name="events")["Table"]
        table["Parameters"]["owner.team"] = "lake"
        glue.update_table(DatabaseName="db", TableInput={"Name": "events", "TableType": table["TableType"],
                          "Parameters": table["Parameters"], "StorageDescriptor": table["StorageDescriptor"]})
        print(t.metadata_location)
        """#

    /// PyIceberg's view of `db.events` (rows, properties, metadata location) and boto3's of its Glue table.
    static let read = #"""
        import hashlib, json, sys, boto3
        from pyiceberg.catalog import load_catalog
        properties = json.loads(sys.argv[1])
        t = load_catalog("default", **properties).load_table("db.events")
        rows = sorted(tuple(r.values()) for r in t.scan().to_arrow().to_pylist())
        glue = boto3.client("glue", endpoint_url=properties["glue.endpoint"], region_name="us-east-1",
                            aws_access_key_id="a", aws_secret_access_key="b")
        table = glue.get_table(DatabaseName="db", Name="events")["Table"]
        print(json.dumps({"rows": len(rows), "digest": hashlib.sha256(repr(rows).encode()).hexdigest(),
                          "metadata": t.metadata_location, "properties": t.properties, "snapshots": len(t.metadata.snapshots),
                          "parameters": table["Parameters"], "version": table["VersionId"],
                          "columns": [[c["Name"], c["Type"], c["Parameters"]["iceberg.field.id"]]
                                      for c in table["StorageDescriptor"]["Columns"]],
                          "location": table["StorageDescriptor"]["Location"]}))
        """#

    /// One more append of ten rows to `db.events` by PyIceberg (a concurrent writer).
    static let append = #"""
        import json, sys, pyarrow as pa
        from pyiceberg.catalog import load_catalog
        t = load_catalog("default", **json.loads(sys.argv[1])).load_table("db.events")
        t.append(pa.table({"id": pa.array(range(100, 110), pa.int64()), "v": pa.array(["late"] * 10)}, schema=t.schema().as_arrow()))
        """#

    static func read(_ environment: CatalogEnvironment) throws -> JSON {
        try JSON.parse(Array(try Peers.python(read, arguments: [environment.propertiesJSON])))
    }

    static let events = TableIdentifier(namespace: ["db"], name: "events")

    /// The table's metadata with one property set, as a commit of it would carry.
    static func withProperty(_ base: LoadedTable, _ key: String, _ value: String) -> TableMetadata {
        var next = base.metadata
        next.properties[key] = value
        next.lastUpdatedMs = max(next.lastUpdatedMs, Int64(Date().timeIntervalSince1970 * 1000))
        next.metadataLog.append(MetadataLogEntry(timestampMs: base.metadata.lastUpdatedMs, metadataFile: base.metadataLocation))
        return next
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test func listsLoadsAndCommitsAsPyIcebergDoes() async throws {
        try await CatalogEnvironment.with(.motoGlue) { environment in
            let created = String(decoding: try Peers.python(Self.makeTables, arguments: [environment.propertiesJSON]), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let before = try Self.read(environment)
            #expect(before["rows"] == .int(40) && before["metadata"] == .string(created))

            let catalog = try CatalogFactory.make(name: "default", properties: environment.properties, currentDirectory: "/")
            #expect(try await catalog.listNamespaces() == [["db"], ["other"], ["third"]], "every page of databases")
            #expect(try await catalog.listTables(namespace: ["db"]).map(\.name) == ["events", "t1", "t2", "t3"],
                "Iceberg tables only, across pages")
            #expect(try await catalog.listTables(namespace: ["other"]) == [])
            await #expect(throws: IcebergError.self) { try await catalog.listTables(namespace: ["nope"]) }
            do {
                _ = try await catalog.loadTable(TableIdentifier(namespace: ["db"], name: "plain"))
                Issue.record("a Glue table that is not Iceberg's was loaded")
            } catch { #expect("\(error)".contains("not an Iceberg table"), "\(error)") }
            do throws(IcebergError) {
                _ = try await catalog.loadTable(TableIdentifier(namespace: ["db"], name: "nope"))
                Issue.record("a missing table was loaded")
            } catch { guard case .tableNotFound = error else { Issue.record("\(error)"); return } }

            let base = try await catalog.loadTable(Self.events)
            #expect(base.metadataLocation == created)
            let committed = try await catalog.commit(Self.events, base: base, metadata: Self.withProperty(base, "amoro.glue", "yes"))
            let after = try Self.read(environment)
            #expect(after["metadata"] == .string(committed.metadataLocation), "PyIceberg loads what amoro committed")
            #expect(after["rows"] == before["rows"] && after["digest"] == before["digest"])
            #expect(after["properties"]?["amoro.glue"] == .string("yes"))
            let parameters = after["parameters"]
            #expect(parameters?["table_type"] == .string("ICEBERG"))
            #expect(parameters?["metadata_location"] == .string(committed.metadataLocation))
            #expect(parameters?["previous_metadata_location"] == .string(created))
            #expect(parameters?["owner.team"] == .string("lake"), "the Glue table's own parameters stay")
            #expect(parameters?["amoro.glue"] == .string("yes"), "table properties are parameters, as PyIceberg writes them")
            #expect(after["columns"] == .array([.array(["id", "bigint", "1"]), .array(["v", "string", "2"])]))
            #expect(after["location"] == .string(base.metadata.location))
            #expect(after["version"] != before["version"])

            // PyIceberg commits on top of amoro's commit, and amoro loads PyIceberg's.
            try Peers.python(Self.append, arguments: [environment.propertiesJSON])
            let appended = try Self.read(environment)
            #expect(appended["rows"] == .int(50) && appended["properties"]?["amoro.glue"] == .string("yes"))
            #expect(appended["parameters"]?["previous_metadata_location"] == .string(committed.metadataLocation))
            #expect(try await catalog.loadTable(Self.events).metadataLocation == appended["metadata"]?.stringValue)
        }
    }

    @Test func aLostRaceIsRetriedAndGlueRefusalsAreConflicts() async throws {
        try await CatalogEnvironment.with(.motoGlue) { environment in
            try Peers.python(Self.makeTables, arguments: [environment.propertiesJSON])
            let catalog = try CatalogFactory.make(name: "default", properties: environment.properties, currentDirectory: "/")
            let server = try #require(environment.s3)

            // A commit on a base another writer has moved past is refused before anything is written.
            let stale = try await catalog.loadTable(Self.events)
            try Peers.python(Self.append, arguments: [environment.propertiesJSON])
            do throws(IcebergError) {
                _ = try await catalog.commit(Self.events, base: stale, metadata: Self.withProperty(stale, "amoro.glue", "stale"))
                Issue.record("a commit on a stale base went through")
            } catch { #expect(error.isRetryable, "\(error)") }

            // Glue's own check: another writer updates the table between amoro's read and its UpdateTable.
            let base = try await catalog.loadTable(Self.events)
            try server.injectGlueFaults(["UpdateTable": [["concurrent": true]]])
            do throws(IcebergError) {
                let next = Self.withProperty(base, "amoro.glue", "raced")
                _ = try await catalog.commit(Self.events, base: base, metadata: next)
                Issue.record("Glue's VersionId check did not refuse the commit")
            } catch { #expect(error.isRetryable && "\(error)".contains("another writer"), "\(error)") }
            let afterRefusal = try Self.read(environment)
            #expect(afterRefusal["metadata"] == .string(base.metadataLocation), "the table is unchanged")
            #expect(afterRefusal["properties"]?["amoro.glue"] == nil)

            // A concurrent PyIceberg append between amoro's load and its commit: expire-snapshots retries and wins.
            let racing = RacingCatalog(catalog) { _ = try Peers.python(Self.append, arguments: [environment.propertiesJSON]) }
            var options = ExpireSnapshotsAction.Options()
            options.olderThan = .age(1)
            options.retainLast = 1
            let result = try await ExpireSnapshotsAction.run(
                Self.events, catalog: racing, catalogProperties: environment.properties, options: options, nowMs: Self.nowMs)
            #expect(result.status == .expired && result.commitAttempts == 2, "\(result.status) \(result.commitAttempts)")
            let expired = try Self.read(environment)
            #expect(expired["rows"] == .int(60), "both concurrent appends' rows are there")
            #expect(expired["snapshots"] == .int(1))
        }
    }

    @Test func aLostAnswerIsAnUnknownOutcomeUnlessTheTableShowsTheCommitAndRefusalsAreRetried() async throws {
        try await CatalogEnvironment.with(.motoGlue) { environment in
            try Peers.python(Self.makeTables, arguments: [environment.propertiesJSON])
            let catalog = try CatalogFactory.make(name: "default", properties: environment.properties, currentDirectory: "/")
            let server = try #require(environment.s3)

            // HTTP 500 without the update: unknown, the new metadata file kept, the table where it was.
            let base = try await catalog.loadTable(Self.events)
            let metadataFiles = { () async throws -> [String] in
                try await catalog.storage.list(prefix: "\(base.metadata.location)/metadata/").map(\.location)
                    .filter { $0.hasSuffix(".metadata.json") }
            }
            let writtenBefore = try await metadataFiles()
            try server.injectGlueFaults(["UpdateTable": [["status": 500]]])
            let next = Self.withProperty(base, "amoro.glue", "unknown")
            do throws(IcebergError) {
                _ = try await catalog.commit(Self.events, base: base, metadata: next)
                Issue.record("a commit answered 500 succeeded")
            } catch { #expect(error.mayHaveCommitted, "\(error)") }
            #expect(try Self.read(environment)["metadata"] == .string(base.metadataLocation))
            let written = try await metadataFiles()
            #expect(written.count == writtenBefore.count + 1, "the file of the unknown commit is kept: \(written)")

            // HTTP 500 after the update: the table points at the new file, so the commit is known to have happened.
            try server.injectGlueFaults(["UpdateTable": [["status": 500, "apply": true]]])
            let committed = try await catalog.commit(Self.events, base: base, metadata: Self.withProperty(base, "amoro.glue", "applied"))
            let after = try Self.read(environment)
            #expect(after["metadata"] == .string(committed.metadataLocation))
            #expect(after["properties"]?["amoro.glue"] == .string("applied") && after["rows"] == .int(40))

            // Throttling proves a request had no effect: even UpdateTable goes again. Reads go again after a 5xx.
            try server.injectGlueFaults([
                "GetTable": [["status": 503], ["status": 500]],
                "UpdateTable": [["status": 400, "type": "ThrottlingException"]],
            ])
            let retried = try await catalog.commit(
                Self.events, base: committed, metadata: Self.withProperty(committed, "amoro.glue", "throttled"))
            #expect(try Self.read(environment)["metadata"] == .string(retried.metadataLocation))
        }
    }
}
