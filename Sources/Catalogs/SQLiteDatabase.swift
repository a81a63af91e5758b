import CSQLite
import Synchronization

/// A SQLite connection used by one catalog, serialised by a mutex (SQLite handles are not shareable across
/// threads without it). Statements are prepared per call with bound parameters, never by string interpolation.
final class SQLiteDatabase: SQLDatabase, @unchecked Sendable {  // `handle` is only touched while `lock` is held
    private let lock = Mutex(())
    private let handle: OpaquePointer
    let path: String
    var identity: String { "sqlite:" + path }

    /// Opens (or creates) the database file and creates the tables of `schema` that are missing.
    init(path: String, schema: [(table: String, create: String)]) throws(SQLDatabaseError) {
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &connection, flags, nil)
        guard status == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let connection { sqlite3_close(connection) }
            throw SQLDatabaseError(kind: .failed, message: "\(path): \(message)")
        }
        handle = connection
        self.path = path
        // Another process (PyIceberg, a second cron job) may hold the write lock briefly.
        sqlite3_busy_timeout(handle, 10_000)
        for table in schema { try execute(table.create, []) }
    }

    deinit { sqlite3_close(handle) }

    /// Nothing to end: the file handle stays open for other holders of the catalog; `deinit` closes it.
    func close() async {}

    @discardableResult
    func execute(_ sql: String, _ parameters: [String?]) throws(SQLDatabaseError) -> SQLResult {
        let result = lock.withLock { _ in
            Result { () throws(SQLDatabaseError) in try run(sql, parameters) }
        }
        return try result.get()
    }

    private func run(_ sql: String, _ parameters: [String?]) throws(SQLDatabaseError) -> SQLResult {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            if let text = parameter {
                status = sqlite3_bind_text(statement, position, text, -1, transient)
            } else {
                status = sqlite3_bind_null(statement, position)
            }
            guard status == SQLITE_OK else { throw error("bind") }
        }
        var rows: [[String?]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error("step") }
            rows.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    sqlite3_column_type(statement, column) == SQLITE_NULL
                        ? nil : String(cString: sqlite3_column_text(statement, column))
                })
        }
        return SQLResult(rows: rows, changes: Int(sqlite3_changes(handle)))
    }

    /// SQLite is local and transactional: a failed statement changed nothing.
    private func error(_ step: String) -> SQLDatabaseError {
        let code = sqlite3_extended_errcode(handle)
        let primaryKey = SQLITE_CONSTRAINT | (6 << 8), unique = SQLITE_CONSTRAINT | (8 << 8)  // sqlite3.h's extended codes
        return SQLDatabaseError(
            kind: code == primaryKey || code == unique ? .uniqueViolation : .failed,
            message: "\(path): \(String(cString: sqlite3_errmsg(handle))) (\(step))")
    }
}
