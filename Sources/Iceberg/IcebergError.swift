import IcebergSpec
import Storage

/// Why reading or changing a table failed. Messages name the table or file concerned.
package enum IcebergError: Error, Sendable, CustomStringConvertible {
    case tableNotFound(TableIdentifier)
    case namespaceNotFound([String])
    case tableAlreadyExists(TableIdentifier)
    /// The table moved on since the change was planned; reload and retry.
    case commitConflict(TableIdentifier, String)
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
        case .invalidFile(let location, let why): "\(location): \(why)"
        case .storage(let error): error.description
        case .catalog(let why): "catalog error: \(why)"
        }
    }

    /// Whether retrying after a reload may succeed.
    package var isRetryable: Bool { if case .commitConflict = self { true } else { false } }
}
