import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage
import Testing
import TestSupport

@Suite struct FileSystemCatalogTests {
    static func metadata(_ location: String) -> TableMetadata {
        .newTable(location: location, uuid: UUID().uuidString.lowercased(),
            schema: Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long))]),
            nowMs: 1)
    }

    @Test func versionsAdvanceWithAHint() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try FileSystemCatalog(name: "fs", warehouse: "file://\(root.path)", storage: LocalStorage())
        let table = TableIdentifier(namespace: ["a", "b"], name: "t")
        let created = try await catalog.createTable(table, metadata: Self.metadata(catalog.tableLocation(table)))
        #expect(created.metadataLocation == "\(root.path)/a/b/t/metadata/v1.metadata.json")
        var next = created.metadata
        next.properties["k"] = "v"
        let committed = try await catalog.commit(table, base: created, metadata: next)
        #expect(committed.metadataLocation.hasSuffix("/v2.metadata.json"))
        let hint = try String(contentsOfFile: "\(root.path)/a/b/t/metadata/version-hint.text", encoding: .utf8)
        #expect(hint == "2")
        #expect(try await catalog.loadTable(table).metadata.properties["k"] == "v")
        #expect(try await catalog.listNamespaces() == [["a"], ["a", "b"]])
        #expect(try await catalog.listTables(namespace: ["a", "b"]) == [table])
        // A stale base conflicts instead of overwriting version 2.
        await #expect(throws: IcebergError.self) { try await catalog.commit(table, base: created, metadata: next) }
    }

    /// A hint no table can hold (Int64.max) is ignored: the table loads from its listing and commits its next version.
    @Test func anImpossibleHintIsIgnored() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try FileSystemCatalog(name: "fs", warehouse: "file://\(root.path)", storage: LocalStorage())
        let table = TableIdentifier(namespace: ["a"], name: "t")
        _ = try await catalog.createTable(table, metadata: Self.metadata(catalog.tableLocation(table)))
        try Data("9223372036854775807".utf8).write(to: URL(fileURLWithPath: "\(root.path)/a/t/metadata/version-hint.text"))
        let loaded = try await catalog.loadTable(table)
        #expect(loaded.metadataLocation.hasSuffix("/v1.metadata.json"))
        #expect(try await catalog.commit(table, base: loaded, metadata: loaded.metadata).metadataLocation.hasSuffix("/v2.metadata.json"))
    }

    @Test func aMissingOrStaleHintIsRecoveredByProbing() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try FileSystemCatalog(name: "fs", warehouse: root.path, storage: LocalStorage())
        let table = TableIdentifier(namespace: ["db"], name: "t")
        var loaded = try await catalog.createTable(table, metadata: Self.metadata(catalog.tableLocation(table)))
        for _ in 0..<3 { loaded = try await catalog.commit(table, base: loaded, metadata: loaded.metadata) }
        let hint = "\(root.path)/db/t/metadata/version-hint.text"
        try Data("2".utf8).write(to: URL(fileURLWithPath: hint))
        #expect(try await catalog.loadTable(table).metadataLocation.hasSuffix("/v4.metadata.json"))
        try FileManager.default.removeItem(atPath: hint)
        #expect(try await catalog.loadTable(table).metadataLocation.hasSuffix("/v4.metadata.json"))
    }

    @Test func objectStoreWarehousesAreRefused() {
        #expect(throws: IcebergError.self) { try FileSystemCatalog(name: "fs", warehouse: "s3://bucket/wh", storage: LocalStorage()) }
    }
}
