import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage
import Testing
import TestSupport

@Suite struct SQLCatalogTests {
    static func schema() -> Schema {
        Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
            NestedField(id: 2, name: "name", isRequired: false, type: .primitive(.string)),
        ])
    }

    static func makeCatalog(_ root: URL, name: String = "default") throws -> SQLCatalog {
        try SQLCatalog(name: name, databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: root.path, storage: LocalStorage())
    }

    static func newMetadata(_ catalog: SQLCatalog, _ table: TableIdentifier) -> TableMetadata {
        .newTable(location: catalog.defaultLocation(for: table), uuid: UUID().uuidString.lowercased(),
            schema: schema(), nowMs: 1_700_000_000_000)
    }

    @Test func createsListsLoadsAndCommits() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try Self.makeCatalog(root)
        let table = TableIdentifier(namespace: ["db"], name: "events")
        try catalog.createNamespace(["db"])
        try catalog.createNamespace(["other", "nested"])
        let created = try await catalog.createTable(table, metadata: Self.newMetadata(catalog, table))
        #expect(created.metadataLocation.hasPrefix("\(root.path)/db/events/metadata/00000-"))
        #expect(try await catalog.listNamespaces() == [["db"], ["other", "nested"]])
        #expect(try await catalog.listTables(namespace: ["db"]) == [table])
        let loaded = try await catalog.loadTable(table)
        #expect(loaded.metadata == created.metadata)

        var changed = loaded.metadata
        changed.properties["self-optimizing.enabled"] = "true"
        let committed = try await catalog.commit(table, base: loaded, metadata: changed)
        #expect(committed.metadataLocation.contains("/metadata/00001-"))
        #expect(try await catalog.loadTable(table).metadata.properties["self-optimizing.enabled"] == "true")
        await #expect(throws: IcebergError.self) {
            try await catalog.createTable(table, metadata: Self.newMetadata(catalog, table))
        }
        await #expect(throws: IcebergError.self) {
            try await catalog.loadTable(TableIdentifier(namespace: ["db"], name: "missing"))
        }
    }

    @Test func aStaleBaseConflictsAndLeavesNoMetadataFileBehind() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try Self.makeCatalog(root)
        let table = TableIdentifier(namespace: ["db"], name: "t")
        let base = try await catalog.createTable(table, metadata: Self.newMetadata(catalog, table))
        // Sixteen writers race from the same base: exactly one may win.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for writer in 0..<16 {
                group.addTask {
                    var metadata = base.metadata
                    metadata.properties["writer"] = String(writer)
                    do {
                        _ = try await catalog.commit(table, base: base, metadata: metadata)
                        return true
                    } catch let error as IcebergError {
                        #expect(error.isRetryable, "\(error)")
                        return false
                    } catch {
                        Issue.record(error)
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        let files = try await LocalStorage().list(prefix: "\(base.metadata.location)/metadata")
        #expect(files.count == 2, "only the first and the winning metadata files remain")
    }

    @Test func catalogsWithOtherNamesDoNotSeeEachOthersTables() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Self.makeCatalog(root, name: "one")
        let second = try Self.makeCatalog(root, name: "two")
        let table = TableIdentifier(namespace: ["db"], name: "t")
        _ = try await first.createTable(table, metadata: Self.newMetadata(first, table))
        #expect(try await second.listTables(namespace: ["db"]).isEmpty)
        await #expect(throws: IcebergError.self) { try await second.loadTable(table) }
    }
}
