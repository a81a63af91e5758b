import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage
import Testing
import TestSupport

/// The SQL catalog's behaviour, the same on both databases it runs on: SQLite, and PostgreSQL (a throwaway cluster
/// from `scripts/postgres-server` per test).
@Suite struct SQLCatalogTests {
    enum Database: String, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    /// PostgreSQL runs where its server is installed, and must where peers are required (CI).
    static let databases: [Database] = PostgresTestServer.isAvailable || Peers.areRequired ? [.sqlite, .postgres] : [.sqlite]

    static func schema() -> Schema {
        Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
            NestedField(id: 2, name: "name", isRequired: false, type: .primitive(.string)),
        ])
    }

    /// Runs `body` with a warehouse folder and a maker of catalogs (by name) on one fresh database, each catalog
    /// with a connection of its own.
    static func withCatalogs(_ database: Database, _ body: (URL, (String) throws -> SQLCatalog) async throws -> Void)
        async throws
    {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        switch database {
        case .sqlite:
            try await body(root) { name in try makeCatalog(root, name: name) }
        case .postgres:
            try await PostgresTestServer.with { server in
                try await body(root) { name in
                    try SQLCatalog(name: name, postgresURI: server.uri, warehouse: root.path, storage: LocalStorage())
                }
            }
        }
    }

    static func makeCatalog(_ root: URL, name: String = "default") throws -> SQLCatalog {
        try SQLCatalog(name: name, databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: root.path, storage: LocalStorage())
    }

    static func newMetadata(_ catalog: SQLCatalog, _ table: TableIdentifier) -> TableMetadata {
        .newTable(location: catalog.defaultLocation(for: table), uuid: UUID().uuidString.lowercased(),
            schema: schema(), nowMs: 1_700_000_000_000)
    }

    @Test(arguments: databases) func createsListsLoadsAndCommits(database: Database) async throws {
        try await Self.withCatalogs(database) { root, makeCatalog in
            let catalog = try makeCatalog("default")
            let table = TableIdentifier(namespace: ["db"], name: "events")
            try await catalog.createNamespace(["db"])
            try await catalog.createNamespace(["other", "nested"])
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
    }

    @Test(arguments: databases) func aStaleBaseConflictsAndLeavesNoMetadataFileBehind(database: Database) async throws {
        try await Self.withCatalogs(database) { _, makeCatalog in
            let catalog = try makeCatalog("default")
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
    }

    @Test(arguments: databases) func twoCatalogInstancesRacingCommitsExactlyOneWinsEachRound(database: Database)
        async throws
    {
        try await Self.withCatalogs(database) { _, makeCatalog in
            let first = try makeCatalog("default")
            let second = try makeCatalog("default")
            let table = TableIdentifier(namespace: ["db"], name: "raced")
            var base = try await first.createTable(table, metadata: Self.newMetadata(first, table))
            for round in 0..<10 {
                let start = base
                async let one = Self.tryCommit(first, table, base: start, writer: "first-\(round)")
                async let two = Self.tryCommit(second, table, base: start, writer: "second-\(round)")
                let winners = [try await one, try await two].compactMap { $0 }
                try #require(winners.count == 1, "round \(round): \(winners.count) commits won")
                base = try await second.loadTable(table)
                #expect(base == winners[0], "both instances see the winner")
            }
            let files = try await LocalStorage().list(prefix: "\(base.metadata.location)/metadata")
            #expect(files.count == 11, "the first metadata file and one per round: the losers' files are gone")
        }
    }

    /// The committed table, or nil when the commit lost the race (a conflict, which is retryable).
    static func tryCommit(_ catalog: SQLCatalog, _ table: TableIdentifier, base: LoadedTable, writer: String)
        async throws -> LoadedTable?
    {
        var metadata = base.metadata
        metadata.properties["writer"] = writer
        do { return try await catalog.commit(table, base: base, metadata: metadata) } catch {
            guard error.isRetryable else { throw error }
            return nil
        }
    }

    @Test(arguments: databases) func catalogsWithOtherNamesDoNotSeeEachOthersTables(database: Database) async throws {
        try await Self.withCatalogs(database) { _, makeCatalog in
            let first = try makeCatalog("one")
            let second = try makeCatalog("two")
            let table = TableIdentifier(namespace: ["db"], name: "t")
            _ = try await first.createTable(table, metadata: Self.newMetadata(first, table))
            #expect(try await second.listTables(namespace: ["db"]).isEmpty)
            await #expect(throws: IcebergError.self) { try await second.loadTable(table) }
        }
    }
}
