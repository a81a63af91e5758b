import Storage

/// The storage of a catalog: each location goes to the backend of its scheme, local files to `LocalStorage` and
/// `s3`/`s3a`/`s3n` objects to `S3Storage`, so one table may reference files of any scheme it was written with.
package struct RoutingStorage: Storage {
    package let local: LocalStorage
    package let s3: S3Storage

    package init(local: LocalStorage = LocalStorage(), s3: S3Storage) {
        self.local = local
        self.s3 = s3
    }

    /// The backend serving `location`.
    package func backend(for location: String) throws(StorageError) -> any Storage {
        guard let parsed = Location(location) else { throw .unsupportedLocation(location) }
        switch parsed.scheme {
        case "file": return local
        case "s3": return s3
        default: throw .unsupportedLocation(location)
        }
    }

    package func read(_ location: String) async throws(StorageError) -> [UInt8] {
        try await backend(for: location).read(location)
    }

    package func read(_ location: String, range: Range<Int64>) async throws(StorageError) -> [UInt8] {
        try await backend(for: location).read(location, range: range)
    }

    package func size(_ location: String) async throws(StorageError) -> Int64 {
        try await backend(for: location).size(location)
    }

    package func write(_ location: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError) {
        try await backend(for: location).write(location, bytes: bytes, mode: mode)
    }

    package func delete(_ location: String) async throws(StorageError) {
        try await backend(for: location).delete(location)
    }

    package func delete(_ locations: [String]) async throws(StorageError) {
        var local: [String] = []
        var objects: [String] = []
        for location in locations {
            if try backend(for: location) is S3Storage { objects.append(location) } else { local.append(location) }
        }
        try await self.local.delete(local)
        try await s3.delete(objects)
    }

    package func list(prefix: String) async throws(StorageError) -> [StoredFile] {
        try await backend(for: prefix).list(prefix: prefix)
    }

    package func directoryModifiedMs(_ location: String) async -> Int64? {
        guard let backend = try? backend(for: location) else { return nil }
        return await backend.directoryModifiedMs(location)
    }

    package func removeDirectoryIfEmpty(_ location: String) async -> Bool {
        guard let backend = try? backend(for: location) else { return false }
        return await backend.removeDirectoryIfEmpty(location)
    }
}
