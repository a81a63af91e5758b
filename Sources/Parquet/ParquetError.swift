import ByteCoding
import Compression

/// Why a Parquet file could not be read or written. Messages name what is wrong, so a caller can prefix the path
/// and show them to a user as they are.
package enum ParquetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes contradict the format: bad magic, lengths past the end, a page that decodes to the wrong count.
    case corrupt(String)
    /// Valid Parquet that this implementation does not handle (an unknown codec or encoding, say).
    case unsupported(String)
    /// The caller asked for something impossible (a column that does not exist, values that do not fit the schema).
    case invalidArgument(String)

    package var description: String {
        switch self {
        case .corrupt(let why): "corrupt Parquet: \(why)"
        case .unsupported(let what): "unsupported Parquet feature: \(what)"
        case .invalidArgument(let why): why
        }
    }
}

extension ParquetError {
    package init(_ error: ByteCodingError, in context: String) { self = .corrupt("\(context): \(error)") }
    package init(_ error: CompressionError, in context: String) {
        switch error {
        case .unsupported: self = .unsupported("\(context): \(error)")
        default: self = .corrupt("\(context): \(error)")
        }
    }
}
