import Iceberg
import Paimon
import Planning
import Storage

/// Why a command failed for a table, with what the CLI needs to choose an exit code.
package enum AmoroError: Error, Sendable, CustomStringConvertible {
    case iceberg(IcebergError)
    /// A Paimon table could not be read or committed to.
    case paimon(PaimonError)
    case invalidProperty(TableIdentifier, PropertyError)
    /// The plan no longer matches the table (its files are gone, its snapshot is not an ancestor any more).
    case stalePlan(TableIdentifier, String)
    /// A concurrent commit makes this one unsafe (it would bring deleted rows back): refused, not retried.
    case conflict(TableIdentifier, String)
    /// A maintenance command declined to act because acting would be unsafe (nested tables, `gc.enabled=false`,
    /// more deletes than allowed, an expiry a ref still needs).
    case refused(TableIdentifier, String)
    /// A plan asks for what the table does not allow (a file twice, files of two partitions in one task, a target
    /// size out of range, a sort order the table does not have): nothing was written.
    case invalidPlan(TableIdentifier, String)
    /// A location amoro was to write or delete lies outside the table location (or leads out through a link).
    case unsafeLocation(String, String)

    package var description: String {
        switch self {
        case .iceberg(let error): error.description
        case .paimon(let error): error.description
        case .invalidProperty(let table, let error): "\(table): \(error)"
        case .stalePlan(let table, let why): "\(table): the plan no longer matches the table: \(why)"
        case .conflict(let table, let why): "\(table): refused to commit: \(why)"
        case .refused(let table, let why): "\(table): refused: \(why)"
        case .invalidPlan(let table, let why): "\(table): invalid plan: \(why)"
        case .unsafeLocation(let location, let why): "\(location): refused to write or delete: \(why)"
        }
    }

    /// Whether a commit may have taken effect (the catalog's answer was lost): files written for it must stay.
    package var mayHaveCommitted: Bool { if case .iceberg(let inner) = self { inner.mayHaveCommitted } else { false } }
}

extension AmoroError {
    /// An untyped error out of a rewrite as the error it is: amoro's, Iceberg's and storage's own keep their kind
    /// (and so their exit code: a store that stopped answering is unavailable, not bad data); anything else (a
    /// Parquet or Avro failure) says the table's data at `location` is invalid.
    package static func from(_ error: any Error, invalidating location: String) -> AmoroError {
        switch error {
        case let error as AmoroError: error
        case let error as IcebergError: .iceberg(error)
        case let error as StorageError: .iceberg(.storage(error))
        default: .iceberg(.invalidFile(location, "\(error)"))
        }
    }
}
