import Iceberg
import Planning

/// Why a command failed for a table, with what the CLI needs to choose an exit code.
package enum AmoroError: Error, Sendable, CustomStringConvertible {
    case iceberg(IcebergError)
    case invalidProperty(TableIdentifier, PropertyError)

    package var description: String {
        switch self {
        case .iceberg(let error): error.description
        case .invalidProperty(let table, let error): "\(table): \(error)"
        }
    }
}
