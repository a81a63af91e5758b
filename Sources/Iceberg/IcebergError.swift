import IcebergSpec
import Storage

/// Why reading or changing a table failed. Messages name the table or file concerned.
package enum IcebergError: Error, Sendable, CustomStringConvertible {
    case tableNotFound(TableIdentifier)
    case namespaceNotFound([String])
    case tableAlreadyExists(TableIdentifier)
    /// The table moved on since the change was planned; reload and retry.
    case commitConflict(TableIdentifier, String)
    /// The catalog did not say whether the commit took effect (a REST server answered 5xx, or the connection was
    /// lost after the request went out): the table may now reference the files the commit wrote, so they must
    /// be kept, and the commit must not be retried blindly.
    case commitStateUnknown(TableIdentifier, String)
    /// A metadata, manifest or data file is invalid.
    case invalidFile(String, String)
    case storage(StorageError)
    /// The catalog itself failed (database error, bad configuration).
    case catalog(String)

    package var description: String {
        switch self {
        case .tableNotFound(let table): "table \(table) does not exist"
        case .namespaceNotFound(let namespace): "namespace \(namespace.joined(separator: ".")) does not exist"
        case .tableAlreadyExists(let table): "table \(table) already exists"
        case .commitConflict(let table, let why): "commit to \(table) conflicted: \(why)"
        case .commitStateUnknown(let table, let why):
            "commit to \(table) may or may not have taken effect (\(why)); the files it wrote were kept: reload the "
                + "table to see whether it did before running again"
        case .invalidFile(let location, let why): "\(location): \(why)"
        case .storage(let error): error.description
        case .catalog(let why): "catalog error: \(why)"
        }
    }

    /// Whether retrying after a reload may succeed.
    package var isRetryable: Bool { if case .commitConflict = self { true } else { false } }

    /// Whether the commit may have taken effect, so the files written for it must not be deleted.
    package var mayHaveCommitted: Bool { if case .commitStateUnknown = self { true } else { false } }
}
