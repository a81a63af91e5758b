import ObjectStorage
import Storage
import Synchronization
import Testing

/// Locations under a registered prefix go to that prefix's storage (the longest prefix wins, `s3a://` is `s3://`),
/// everything else to the fallback; batch deletes split per storage.
@Suite struct ScopedStorageTests {
    /// Answers reads with its own name and records deleted locations.
    final class NamedStorage: Storage {
        let name: String
        private let deletedLocations = Mutex<[String]>([])
        var deleted: [String] { deletedLocations.withLock { $0 } }

        init(_ name: String) { self.name = name }

        func read(_ location: String) async throws(StorageError) -> [UInt8] { Array(name.utf8) }
        func read(_ location: String, range: Range<Int64>) async throws(StorageError) -> [UInt8] { Array(name.utf8) }
        func size(_ location: String) async throws(StorageError) -> Int64 { Int64(name.utf8.count) }
        func write(_ location: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError) {}
        func delete(_ location: String) async throws(StorageError) { deletedLocations.withLock { $0.append(location) } }
        func list(prefix: String) async throws(StorageError) -> [StoredFile] { [] }
        func directoryModifiedMs(_ location: String) async -> Int64? { nil }
        func removeDirectoryIfEmpty(_ location: String) async -> Bool { false }
    }

    func served(_ storage: ScopedStorage, _ location: String) async throws -> String {
        String(decoding: try await storage.read(location), as: UTF8.self)
    }

    @Test func routesByTheLongestRegisteredPrefix() async throws {
        let storage = ScopedStorage(fallback: NamedStorage("fallback"))
        storage.register("s3://lake/db/t", storage: NamedStorage("table"))
        storage.register("s3://lake/db/t/data/hot", storage: NamedStorage("hot"))
        #expect(try await served(storage, "s3://lake/db/t/metadata/v1.metadata.json") == "table")
        #expect(try await served(storage, "s3a://lake/db/t/data/a.parquet") == "table")
        #expect(try await served(storage, "s3://lake/db/t/data/hot/b.parquet") == "hot")
        #expect(try await served(storage, "s3://lake/db/t2/data/a.parquet") == "fallback", "a sibling is not below the prefix")
        #expect(try await served(storage, "/tmp/x") == "fallback")

        storage.register("s3://lake/db/t", storage: NamedStorage("refreshed"))
        #expect(try await served(storage, "s3://lake/db/t/data/a.parquet") == "refreshed")
        storage.replaceFallback(NamedStorage("configured"))
        #expect(try await served(storage, "s3://other/x") == "configured")
    }

    @Test func batchDeletesGoToEachLocationsStorage() async throws {
        let fallback = NamedStorage("fallback")
        let table = NamedStorage("table")
        let storage = ScopedStorage(fallback: fallback)
        storage.register("s3://lake/db/t", storage: table)
        try await storage.delete(["s3://lake/db/t/a", "s3://lake/other/b", "s3://lake/db/t/c"])
        #expect(table.deleted == ["s3://lake/db/t/a", "s3://lake/db/t/c"])
        #expect(fallback.deleted == ["s3://lake/other/b"])
    }
}
