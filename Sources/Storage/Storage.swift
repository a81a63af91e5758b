/// Bytes at locations: what every storage backend (local disk now, object stores later) provides.
///
/// Locations are URI strings as Iceberg metadata writes them (`/x`, `file:/x`, `file:///x`, `s3://b/k`).
/// Writes that create a file are atomic: a reader sees the whole file or none of it.
package protocol Storage: Sendable {
    /// The whole object.
    func read(_ location: String) async throws(StorageError) -> [UInt8]
    /// Bytes `range` of the object (a Parquet footer, a column chunk).
    func read(_ location: String, range: Range<Int64>) async throws(StorageError) -> [UInt8]
    /// Size in bytes; `.notFound` if the object does not exist.
    func size(_ location: String) async throws(StorageError) -> Int64
    /// Writes a whole object. With `.createNew` it fails with `.alreadyExists` when the location is taken, which
    /// is what catalogs and commits rely on; `.replace` swaps the content atomically.
    func write(_ location: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError)
    /// Writes the local file at `path` as the object `location`, as `write` writes bytes, holding at most a part of
    /// it in memory where the storage can (object stores upload a large file in parts read one at a time).
    func upload(_ location: String, fromLocalFile path: String, mode: WriteMode) async throws(StorageError)
    /// Removes an object; removing one that does not exist is not an error.
    func delete(_ location: String) async throws(StorageError)
    /// Every object whose location starts with `prefix` (a directory location lists its tree).
    func list(prefix: String) async throws(StorageError) -> [StoredFile]
    /// Removes many objects (object stores batch them); missing ones are not an error.
    func delete(_ locations: [String]) async throws(StorageError)
    /// When a directory was last modified; nil where directories do not exist (object stores) or this one does not.
    func directoryModifiedMs(_ location: String) async -> Int64?
    /// Removes a directory if it is empty; true when it was removed. Object stores have no directories: false.
    func removeDirectoryIfEmpty(_ location: String) async -> Bool
    /// Where a write or delete of `location` really lands: the location with every symbolic link among its
    /// directories resolved. Object stores have no links: the location itself.
    func resolvingLinks(_ location: String) async throws(StorageError) -> String
}

extension Storage {
    /// The whole file read, then written, for storages that write no other way.
    package func upload(_ location: String, fromLocalFile path: String, mode: WriteMode) async throws(StorageError) {
        try await write(location, bytes: try await LocalStorage().read(path), mode: mode)
    }

    /// One `delete` per location, for storages without a batch operation.
    package func delete(_ locations: [String]) async throws(StorageError) {
        for location in locations { try await delete(location) }
    }
    package func directoryModifiedMs(_ location: String) async -> Int64? { nil }
    package func removeDirectoryIfEmpty(_ location: String) async -> Bool { false }
    package func resolvingLinks(_ location: String) async throws(StorageError) -> String { location }
}

/// How `Storage.write` treats an existing object.
package enum WriteMode: Sendable {
    case createNew
    case replace
}

/// One listed object.
package struct StoredFile: Hashable, Sendable {
    package var location: String
    package var size: Int64
    /// Last modification, milliseconds since the epoch.
    package var modifiedMs: Int64

    package init(location: String, size: Int64, modifiedMs: Int64) {
        self.location = location
        self.size = size
        self.modifiedMs = modifiedMs
    }
}

/// Why a storage operation failed; each case names the location.
package enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case alreadyExists(String)
    case permissionDenied(String)
    /// A location this storage cannot serve (another scheme, or a malformed URI).
    case unsupportedLocation(String)
    case io(String, String)
    /// The storage service refused the request or could not be reached: wrong credentials, a missing bucket,
    /// throttling or lost connections that outlasted the retries.
    case service(String, String)

    package var description: String {
        switch self {
        case .notFound(let location): "\(location): no such file"
        case .alreadyExists(let location): "\(location): already exists"
        case .permissionDenied(let location): "\(location): permission denied"
        case .unsupportedLocation(let location): "\(location): unsupported location"
        case .io(let location, let why), .service(let location, let why): "\(location): \(why)"
        }
    }
}
