import Foundation
import Iceberg
import IcebergSpec
import Storage

/// The SQL catalog on SQLite, with the schema of Java's JdbcCatalog and PyIceberg's SqlCatalog, so all three
/// share one catalog database: `iceberg_tables` holds each table's metadata pointer, `iceberg_namespace_properties`
/// the namespaces. A commit is a conditional UPDATE on `metadata_location`; zero rows changed is a conflict.
package struct SQLCatalog: Catalog {
    package let name: String
    package let storage: any Storage
    /// Where new tables go: `<warehouse>/<namespace>/<table>` as PyIceberg lays them out.
    package let warehouse: String
    private let database: SQLiteDatabase
    package let identity: String

    package init(name: String, databasePath: String, warehouse: String, storage: any Storage) throws(IcebergError) {
        self.name = name
        self.storage = storage
        self.warehouse = warehouse.hasSuffix("/") ? String(warehouse.dropLast()) : warehouse
        identity = "sqlite:" + databasePath
        do {
            database = try SQLiteDatabase(path: databasePath)
            try database.execute("""
                CREATE TABLE IF NOT EXISTS iceberg_tables (
                    catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL,
                    table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000),
                    previous_metadata_location VARCHAR(1000), iceberg_type VARCHAR(5),
                    PRIMARY KEY (catalog_name, table_namespace, table_name))
                """)
            try database.execute("""
                CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
                    catalog_name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL,
                    property_key VARCHAR(255) NOT NULL, property_value VARCHAR(1000) NOT NULL,
                    PRIMARY KEY (catalog_name, namespace, property_key))
                """)
        } catch { throw .catalog(error.description) }
    }

    /// Rows with a NULL `iceberg_type` predate views and are tables.
    private static let tablesOnly = "(iceberg_type = 'TABLE' OR iceberg_type IS NULL)"

    package func listNamespaces() async throws(IcebergError) -> [[String]] {
        let rows = try query("""
            SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ?
            UNION SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ?
            """, [.text(name), .text(name)])
        return rows.compactMap { $0.first?.text }.sorted().map { $0.split(separator: ".").map(String.init) }
    }

    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] {
        let rows = try query("""
            SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND \(Self.tablesOnly)
            ORDER BY table_name
            """, [.text(name), .text(namespace.joined(separator: "."))])
        return rows.compactMap { $0.first?.text }.map { TableIdentifier(namespace: namespace, name: $0) }
    }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        let rows = try query("""
            SELECT metadata_location FROM iceberg_tables
            WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND \(Self.tablesOnly)
            """, key(identifier))
        guard let row = rows.first else { throw .tableNotFound(identifier) }
        guard let location = row.first?.text else {
            throw .catalog("table \(identifier) has no metadata location in \(database.path)")
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
            try database.execute("""
                INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location,
                    previous_metadata_location, iceberg_type) VALUES (?, ?, ?, ?, NULL, 'TABLE')
                """, key(identifier) + [.text(location)])
        } catch {
            try? await storage.delete(location)
            if error.isConstraintViolation { throw .tableAlreadyExists(identifier) }
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
            changes = try database.execute("""
                UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?
                WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?
                  AND \(Self.tablesOnly)
                """, [.text(location), .text(base.metadataLocation)] + key(identifier) + [.text(base.metadataLocation)])
                .changes
        } catch {
            // The swap's outcome is known (SQLite is local and transactional): it did not happen.
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
    package func createNamespace(_ namespace: [String]) throws(IcebergError) {
        do {
            try database.execute("""
                INSERT OR IGNORE INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value)
                VALUES (?, ?, 'exists', 'true')
                """, [.text(name), .text(namespace.joined(separator: "."))])
        } catch { throw .catalog(error.description) }
    }

    /// The default location of a new table: `<warehouse>/<namespace joined by dots>/<table>`, as PyIceberg's
    /// SqlCatalog places them.
    package func defaultLocation(for identifier: TableIdentifier) -> String {
        "\(warehouse)/\(identifier.namespace.joined(separator: "."))/\(identifier.name)"
    }

    private func key(_ identifier: TableIdentifier) -> [SQLiteDatabase.Value] {
        [.text(name), .text(identifier.namespace.joined(separator: ".")), .text(identifier.name)]
    }

    private func query(_ sql: String, _ parameters: [SQLiteDatabase.Value]) throws(IcebergError) -> [[SQLiteDatabase.Value]] {
        do { return try database.execute(sql, parameters).rows } catch { throw .catalog(error.description) }
    }
}
