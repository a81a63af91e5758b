import Storage

/// Why a Paimon table could not be read: its files are missing, malformed, or use what this build does not read.
package enum PaimonError: Error, Sendable, CustomStringConvertible {
    case storage(StorageError)
    /// A file that is not what the Paimon format says it should be; names the file.
    case invalidFile(String, String)
    /// Valid Paimon this build does not read yet (ORC data files, a manifest format other than Avro, ...).
    case unsupported(String)
    /// Not a Paimon table: no `schema/` or `snapshot/` directory at the location.
    case notATable(String)
    /// Another writer created the file first (a commit race).
    case conflict(String)

    /// Whether running again later may succeed (another writer won a race).
    package var isConflict: Bool {
        switch self {
        case .conflict: true
        default: false
        }
    }

    /// Whether a file the table names is missing.
    package var isNotFound: Bool {
        if case .storage(.notFound) = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case .storage(let error): "\(error)"
        case .invalidFile(let location, let why): "\(location): \(why)"
        case .unsupported(let what): "\(what) is not supported yet"
        case .notATable(let location): "\(location) is not a Paimon table (no schema/ and snapshot/ directories)"
        case .conflict(let what): what
        }
    }
}
