import Foundation
import Iceberg
import IcebergSpec
import Storage

/// The SQL catalog, with the schema of Java's JdbcCatalog and PyIceberg's SqlCatalog so all three share one
/// catalog database, on SQLite or PostgreSQL (`SQLDatabase`): `iceberg_tables` holds each table's metadata pointer,
/// `iceberg_namespace_properties` the namespaces. A commit is a conditional UPDATE on `metadata_location`; zero
/// rows changed is a conflict.
package struct SQLCatalog: Catalog {
    package let name: String
    package let storage: any Storage
    /// Where new tables go: `<warehouse>/<namespace>/<table>` as PyIceberg lays them out.
    package let warehouse: String
    private let database: any SQLDatabase
    package var identity: String { database.identity }

    /// The catalog in a SQLite database file (created with the catalog's tables when missing).
    package init(name: String, databasePath: String, warehouse: String, storage: any Storage) throws(IcebergError) {
        do {
            self.init(name: name, database: try SQLiteDatabase(path: databasePath, schema: Self.schema),
                warehouse: warehouse, storage: storage)
        } catch { throw .catalog(error.description) }
    }

    /// The catalog in the PostgreSQL database a `postgresql://` URI names; the connection opens on first use.
    package init(name: String, postgresURI uri: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        warehouse: String, storage: any Storage) throws(IcebergError)
    {
        let endpoint: PostgresEndpoint
        do { endpoint = try PostgresEndpoint(uri: uri, environment: environment) } catch {
            throw .catalog("catalog '\(name)': \(error)")
        }
        self.init(name: name, database: PostgreSQLDatabase(endpoint: endpoint, schema: Self.schema),
            warehouse: warehouse, storage: storage)
    }

    init(name: String, database: any SQLDatabase, warehouse: String, storage: any Storage) {
        self.name = name
        self.storage = storage
        self.warehouse = warehouse.hasSuffix("/") ? String(warehouse.dropLast()) : warehouse
        self.database = database
    }

    /// Closes the database connection (PostgreSQL's; a SQLite file stays open until the catalog goes away); later
    /// calls open a new one.
    package func close() async { await database.close() }

    /// Rows with a NULL `iceberg_type` predate views and are tables.
    private static let tablesOnly = "(iceberg_type = 'TABLE' OR iceberg_type IS NULL)"

    package func listNamespaces() async throws(IcebergError) -> [[String]] {
        let rows = try await query("""
            SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ?
            UNION SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ?
            """, [name, name])
        return rows.compactMap { $0.first ?? nil }.sorted().map { $0.split(separator: ".").map(String.init) }
    }

    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] {
        let rows = try await query("""
            SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND \(Self.tablesOnly)
            ORDER BY table_name
            """, [name, namespace.joined(separator: ".")])
        return rows.compactMap { $0.first ?? nil }.map { TableIdentifier(namespace: namespace, name: $0) }
    }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        let rows = try await query("""
            SELECT metadata_location FROM iceberg_tables
            WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND \(Self.tablesOnly)
            """, key(identifier))
        guard let row = rows.first else { throw .tableNotFound(identifier) }
        guard let location = row.first ?? nil else {
            throw .catalog("table \(identifier) has no metadata location in \(identity)")
        }
        let metadata = try await MetadataFiles.read(location, storage: storage)
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    package func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
    {
        let location = MetadataFiles.nextLocation(for: metadata, previous: nil, uuid: UUID().uuidString.lowercased())
        try await MetadataFiles.write(metadata, to: location, storage: storage)
        do {
            try await database.execute("""
                INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location,
                    previous_metadata_location, iceberg_type) VALUES (?, ?, ?, ?, NULL, 'TABLE')
                """, key(identifier) + [location])
        } catch {
            // A row whose insert may have happened points at the file: it stays.
            if error.kind != .outcomeUnknown { try? await storage.delete(location) }
            if error.kind == .uniqueViolation { throw .tableAlreadyExists(identifier) }
            throw .catalog(error.description)
        }
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    package func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata)
        async throws(IcebergError) -> LoadedTable
    {
        let location = MetadataFiles.nextLocation(
            for: metadata, previous: base.metadataLocation, uuid: UUID().uuidString.lowercased())
        try await MetadataFiles.write(metadata, to: location, storage: storage)
        let changes: Int
        do {
            changes = try await database.execute("""
                UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?
                WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?
                  AND \(Self.tablesOnly)
                """, [location, base.metadataLocation] + key(identifier) + [base.metadataLocation])
                .changes
        } catch {
            guard error.kind != .outcomeUnknown else {
                // The swap may have happened: the table may point at the new file now, which must stay.
                throw .catalog("\(error.description); the commit to \(identifier) may or may not have happened "
                    + "(reload the table: it points at \(base.metadataLocation) or \(location))")
            }
            try? await storage.delete(location)
            throw .catalog(error.description)
        }
        guard changes == 1 else {
            try? await storage.delete(location)
            throw .commitConflict(identifier, "the table no longer points at \(base.metadataLocation)")
        }
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// Creates a namespace the way PyIceberg does (an `exists` property row).
    package func createNamespace(_ namespace: [String]) async throws(IcebergError) {
        do {
            try await database.execute("""
                INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value)
                VALUES (?, ?, 'exists', 'true') ON CONFLICT DO NOTHING
                """, [name, namespace.joined(separator: ".")])
        } catch { throw .catalog(error.description) }
    }

    /// The default location of a new table: `<warehouse>/<namespace joined by dots>/<table>`, as PyIceberg's
    /// SqlCatalog places them.
    package func defaultLocation(for identifier: TableIdentifier) -> String {
        "\(warehouse)/\(identifier.namespace.joined(separator: "."))/\(identifier.name)"
    }

    private func key(_ identifier: TableIdentifier) -> [String?] {
        [name, identifier.namespace.joined(separator: "."), identifier.name]
    }

    private func query(_ sql: String, _ parameters: [String?]) async throws(IcebergError) -> [[String?]] {
        do { return try await database.execute(sql, parameters).rows } catch { throw .catalog(error.description) }
    }
}
