import IcebergSpec
import Parquet

/// Why reading, filtering, sorting or writing an Iceberg data file failed. Messages name the file or column.
package enum DataFileError: Error, Sendable, CustomStringConvertible {
    /// The Parquet layer failed (bad file, IO error).
    case parquet(String, ParquetError)
    /// The file does not fit the table schema (missing field ids, incompatible types, unknown layout).
    case schemaMismatch(String, String)
    /// The table schema or properties use something this writer cannot write.
    case unsupported(String)
    /// A caller-supplied argument is invalid.
    case invalidArgument(String)
    /// A file-system call failed.
    case io(String, String)

    package var description: String {
        switch self {
        case .parquet(let file, let error): "\(file): \(error)"
        case .schemaMismatch(let file, let why): "\(file): does not match the table schema: \(why)"
        case .unsupported(let why): "unsupported: \(why)"
        case .invalidArgument(let why): "invalid argument: \(why)"
        case .io(let path, let why): "\(path): \(why)"
        }
    }
}
