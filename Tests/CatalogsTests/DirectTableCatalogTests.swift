import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage
import Testing
import TestSupport

@Suite struct DirectTableCatalogTests {
    @Test func fileSystemTablesCommitAndOthersAreReadOnly() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let schema = Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long))])
        let fs = try FileSystemCatalog(name: "fs", warehouse: root.path, storage: LocalStorage())
        let table = TableIdentifier(namespace: ["db"], name: "t")
        _ = try await fs.createTable(table, metadata: .newTable(location: fs.tableLocation(table), uuid: "u", schema: schema, nowMs: 0))

        let direct = DirectTableCatalog(location: "\(root.path)/db/t/", storage: LocalStorage())
        let loaded = try await direct.loadTable(direct.identifier)
        #expect(loaded.metadataLocation.hasSuffix("/v1.metadata.json"))
        var changed = loaded.metadata
        changed.properties["k"] = "v"
        let committed = try await direct.commit(direct.identifier, base: loaded, metadata: changed)
        #expect(committed.metadataLocation.hasSuffix("/v2.metadata.json"))
        #expect(try await fs.loadTable(table).metadata.properties["k"] == "v", "the file-system catalog sees the commit")
        await #expect(throws: IcebergError.self) { try await direct.commit(direct.identifier, base: loaded, metadata: changed) }

        // A metastore-named metadata file is read-only here.
        let sql = try SQLCatalog(name: "c", databasePath: "\(root.path)/c.db", warehouse: root.path, storage: LocalStorage())
        let other = TableIdentifier(namespace: ["s"], name: "t")
        let created = try await sql.createTable(other, metadata: .newTable(location: sql.defaultLocation(for: other), uuid: "w",
            schema: schema, nowMs: 0))
        let viaPath = DirectTableCatalog(location: created.metadataLocation, storage: LocalStorage())
        let read = try await viaPath.loadTable(viaPath.identifier)
        #expect(read.metadata == created.metadata)
        await #expect(throws: IcebergError.self) { try await viaPath.commit(viaPath.identifier, base: read, metadata: changed) }
        #expect(DirectTableCatalog.isLocation("/w/t") && DirectTableCatalog.isLocation("s3://b/t")
            && DirectTableCatalog.isLocation("m/00001-x.metadata.json") && !DirectTableCatalog.isLocation("db.t"))
    }
}
