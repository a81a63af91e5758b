import Storage

/// The storage of a catalog: each location goes to the backend of its scheme, local files to `LocalStorage` and
/// `s3`/`s3a`/`s3n` objects to `S3Storage`, so one table may reference files of any scheme it was written with.
package struct RoutingStorage: RoutedStorage {
    package let local: LocalStorage
    package let s3: S3Storage

    package init(local: LocalStorage = LocalStorage(), s3: S3Storage) {
        self.local = local
        self.s3 = s3
    }

    package func storage(serving location: String) throws(StorageError) -> any Storage {
        guard let parsed = Location(location) else { throw .unsupportedLocation(location) }
        switch parsed.scheme {
        case "file": return local
        case "s3": return s3
        default: throw .unsupportedLocation(location)
        }
    }

    package func delete(_ locations: [String]) async throws(StorageError) {
        var local: [String] = []
        var objects: [String] = []
        for location in locations {
            if try storage(serving: location) is S3Storage { objects.append(location) } else { local.append(location) }
        }
        try await self.local.delete(local)
        try await s3.delete(objects)
    }
}
