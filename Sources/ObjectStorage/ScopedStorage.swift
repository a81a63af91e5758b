import Storage
import Synchronization

/// Storage that sends each location under a registered prefix to the storage configured for that prefix (the
/// longest prefix wins) and every other location to a fallback.
///
/// This is how one catalog serves tables with different credentials: a REST catalog registers each table's
/// location with a storage built from the credentials the server vended for it when it loaded the table, while
/// the catalog's own `s3.*` properties configure the fallback. Registering a prefix again replaces its storage
/// (fresh credentials on every load).
package final class ScopedStorage: RoutedStorage {
    private struct Scope {
        var prefix: Location
        var storage: any Storage
    }

    /// The fallback and the scopes, longest prefix first; guarded by the mutex.
    private let state: Mutex<(fallback: any Storage, scopes: [Scope])>

    package init(fallback: any Storage) { state = Mutex((fallback, [])) }

    /// Sends every location under `prefix` to `storage` from now on.
    package func register(_ prefix: String, storage: any Storage) {
        guard let location = Location(prefix) else { return }
        state.withLock { state in
            state.scopes.removeAll { $0.prefix == location }
            state.scopes.append(Scope(prefix: location, storage: storage))
            state.scopes.sort { $0.prefix.path.count > $1.prefix.path.count }
        }
    }

    /// Replaces the storage for locations under no registered prefix.
    package func replaceFallback(_ storage: any Storage) { state.withLock { $0.fallback = storage } }

    package func storage(serving location: String) -> any Storage {
        let (fallback, scopes) = state.withLock { ($0.fallback, $0.scopes) }
        return Self.route(location, scopes: scopes, fallback: fallback).storage
    }

    /// The storage serving `location` and which scope it is (-1 for the fallback).
    private static func route(_ location: String, scopes: [Scope], fallback: any Storage) -> (scope: Int, storage: any Storage) {
        guard let parsed = Location(location), let index = scopes.firstIndex(where: { $0.prefix.contains(parsed) }) else {
            return (-1, fallback)
        }
        return (index, scopes[index].storage)
    }

    /// One batch per serving storage, each in the order given.
    package func delete(_ locations: [String]) async throws(StorageError) {
        let (fallback, scopes) = state.withLock { ($0.fallback, $0.scopes) }
        var batches: [Int: (storage: any Storage, locations: [String])] = [:]
        for location in locations {
            let (scope, storage) = Self.route(location, scopes: scopes, fallback: fallback)
            batches[scope, default: (storage, [])].locations.append(location)
        }
        for scope in batches.keys.sorted() { try await batches[scope]!.storage.delete(batches[scope]!.locations) }
    }
}
