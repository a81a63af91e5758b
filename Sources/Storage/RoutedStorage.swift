/// A storage that hands each location to another storage chosen by the location (by scheme, or by a registered
/// prefix). The forwarding of every single-location operation is written once here; implementations choose the
/// serving storage and group batch deletes by it.
package protocol RoutedStorage: Storage {
    /// The storage serving `location`.
    func storage(serving location: String) throws(StorageError) -> any Storage
}

extension RoutedStorage {
    package func read(_ location: String) async throws(StorageError) -> [UInt8] {
        try await storage(serving: location).read(location)
    }

    package func read(_ location: String, range: Range<Int64>) async throws(StorageError) -> [UInt8] {
        try await storage(serving: location).read(location, range: range)
    }

    package func size(_ location: String) async throws(StorageError) -> Int64 {
        try await storage(serving: location).size(location)
    }

    package func write(_ location: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError) {
        try await storage(serving: location).write(location, bytes: bytes, mode: mode)
    }

    package func upload(_ location: String, fromLocalFile path: String, mode: WriteMode) async throws(StorageError) {
        try await storage(serving: location).upload(location, fromLocalFile: path, mode: mode)
    }

    package func delete(_ location: String) async throws(StorageError) {
        try await storage(serving: location).delete(location)
    }

    package func list(prefix: String) async throws(StorageError) -> [StoredFile] {
        try await storage(serving: prefix).list(prefix: prefix)
    }

    package func directoryModifiedMs(_ location: String) async -> Int64? {
        guard let storage = try? storage(serving: location) else { return nil }
        return await storage.directoryModifiedMs(location)
    }

    package func resolvingLinks(_ location: String) async throws(StorageError) -> String {
        try await storage(serving: location).resolvingLinks(location)
    }

    package func removeDirectoryIfEmpty(_ location: String) async -> Bool {
        guard let storage = try? storage(serving: location) else { return false }
        return await storage.removeDirectoryIfEmpty(location)
    }
}
