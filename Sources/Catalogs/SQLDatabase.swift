/// The database under the SQL catalog: SQLite (`SQLiteDatabase`) or PostgreSQL (`PostgreSQLDatabase`). The catalog
/// runs only a few statements (its two `CREATE TABLE`s, queries, a conditional UPDATE, INSERTs) whose SQL both
/// databases accept as written: `?` placeholders, whose parameters are always bound, never interpolated.
protocol SQLDatabase: Sendable {
    /// Names the database in messages and lock keys: its file, or its host, port and database. Never a password.
    var identity: String { get }
    /// Runs one statement; its rows come back as text (nil for NULL), with the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?]) async throws(SQLDatabaseError) -> SQLResult
    /// Ends a network connection now rather than when the database goes away (a local file has none to end); a
    /// later statement opens a new one.
    func close() async
}

/// What a statement returned.
struct SQLResult: Sendable {
    var rows: [[String?]]
    /// Rows an INSERT, UPDATE or DELETE changed.
    var changes: Int
}

/// A statement or connection failed; `message` is one line naming the database (never a password).
struct SQLDatabaseError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// An INSERT hit the primary key: the row exists (SQLite's constraint error, PostgreSQL's SQLSTATE 23505).
        case uniqueViolation
        /// The statement failed and changed nothing.
        case failed
        /// The connection broke after the statement was sent: it may or may not have been applied.
        case outcomeUnknown
    }

    let kind: Kind
    let message: String
    var description: String { message }
}

extension SQLCatalog {
    /// The tables of Java's JdbcCatalog and PyIceberg's SqlCatalog, created when missing: `iceberg_tables` holds
    /// each table's metadata pointer, `iceberg_namespace_properties` the namespaces.
    static let schema: [(table: String, create: String)] = [
        (
            "iceberg_tables",
            """
            CREATE TABLE IF NOT EXISTS iceberg_tables (
                catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL,
                table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000),
                previous_metadata_location VARCHAR(1000), iceberg_type VARCHAR(5),
                PRIMARY KEY (catalog_name, table_namespace, table_name))
            """
        ),
        (
            "iceberg_namespace_properties",
            """
            CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
                catalog_name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL,
                property_key VARCHAR(255) NOT NULL, property_value VARCHAR(1000) NOT NULL,
                PRIMARY KEY (catalog_name, namespace, property_key))
            """
        ),
    ]
}
