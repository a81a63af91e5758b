import CSQLite
import Synchronization

/// A SQLite connection used by one catalog, serialised by a mutex (SQLite handles are not shareable across
/// threads without it). Statements are prepared per call with bound parameters, never by string interpolation.
final class SQLiteDatabase: @unchecked Sendable {  // `handle` is only touched while `lock` is held
    private let lock = Mutex(())
    private let handle: OpaquePointer
    let path: String

    /// A parameter or result value.
    enum Value: Equatable, Sendable {
        case text(String)
        case integer(Int64)
        case null

        var text: String? { if case .text(let value) = self { value } else { nil } }
    }

    init(path: String) throws(SQLiteError) {
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &connection, flags, nil)
        guard status == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let connection { sqlite3_close(connection) }
            throw SQLiteError(message: "\(path): \(message)")
        }
        handle = connection
        self.path = path
        // Another process (PyIceberg, a second cron job) may hold the write lock briefly.
        sqlite3_busy_timeout(handle, 10_000)
    }

    deinit { sqlite3_close(handle) }

    /// Runs one statement and returns its rows; `changes` is the number of rows an UPDATE/INSERT/DELETE touched.
    @discardableResult
    func execute(_ sql: String, _ parameters: [Value] = []) throws(SQLiteError) -> (rows: [[Value]], changes: Int) {
        let result = lock.withLock { _ in
            Result { () throws(SQLiteError) in try run(sql, parameters) }
        }
        return try result.get()
    }

    private func run(_ sql: String, _ parameters: [Value]) throws(SQLiteError) -> (rows: [[Value]], changes: Int) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch parameter {
            case .text(let text): status = sqlite3_bind_text(statement, position, text, -1, transient)
            case .integer(let value): status = sqlite3_bind_int64(statement, position, value)
            case .null: status = sqlite3_bind_null(statement, position)
            }
            guard status == SQLITE_OK else { throw error("bind") }
        }
        var rows: [[Value]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error("step") }
            rows.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_NULL: .null
                    case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                    default: .text(String(cString: sqlite3_column_text(statement, column)))
                    }
                })
        }
        return (rows, Int(sqlite3_changes(handle)))
    }

    private func error(_ step: String) -> SQLiteError {
        let code = sqlite3_extended_errcode(handle)
        return SQLiteError(message: "\(path): \(String(cString: sqlite3_errmsg(handle))) (\(step))",
            isConstraintViolation: (code & 0xFF) == SQLITE_CONSTRAINT)
    }
}

/// A SQLite failure with SQLite's own message.
struct SQLiteError: Error, CustomStringConvertible {
    let message: String
    var isConstraintViolation = false
    var description: String { message }
}
