import Execution
import Iceberg
import JSONCoding

/// What every per-table result document (`amoro.compact-result`, `amoro.rewrite-deletes-result`,
/// `amoro.expire-result`, `amoro.clean-orphans-result`) shares.
enum ResultDocument {
    /// The members a result document starts with: its kind, version 1, and the table it is about.
    static func start(kind: String, catalog: String, table: String) -> [(String, JSON)] {
        [("kind", .string(kind)), ("version", .int(1)), ("catalog", .string(catalog)), ("table", .string(table))]
    }

    /// The members of a table whose run threw `error`.
    static func failure(_ error: any Error) -> [(String, JSON)] {
        [("table_uuid", .null), ("status", .string(ResultStatus.of(error))), ("error", .string("\(error)"))]
    }
}

/// The `status` of a result document for a table whose run threw: `conflict` when running again later may succeed
/// (a refused or lost commit), `failed` otherwise.
enum ResultStatus {
    static func of(_ failure: (any Error)?) -> String {
        if failure is TableLocked { return "locked" }
        if let error = failure as? AmoroError, case .conflict = error { return "conflict" }
        if let error = failure as? AmoroError, case .iceberg(let inner) = error, inner.isRetryable { return "conflict" }
        return "failed"
    }
}
