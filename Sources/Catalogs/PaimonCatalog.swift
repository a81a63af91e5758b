import Iceberg
import IcebergSpec
import Paimon
import Storage

/// A Paimon file-system catalog (`type: paimon`, `warehouse: file:///…` or `s3://…`): databases are `<db>.db`
/// directories of the warehouse and each table is `<warehouse>/<db>.db/<table>`, recognised by its `schema/`
/// directory. It lists and locates Paimon tables; the Iceberg operations of `Catalog` refuse, since commands reach
/// Paimon tables through `PaimonTable`. Paimon's JDBC, Hive and REST catalogs are not supported.
package struct PaimonCatalog: Catalog {
    package let name: String
    package let warehouse: String
    package let storage: any Storage
    package var identity: String { "paimon:\(warehouse)" }

    package init(name: String, warehouse: String, storage: any Storage) {
        var trimmed = warehouse
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.name = name
        self.warehouse = trimmed
        self.storage = storage
    }

    /// `<warehouse>/<db>.db/<table>`.
    package func tableLocation(_ identifier: TableIdentifier) -> String {
        "\(warehouse)/\(identifier.namespace.joined(separator: ".")).db/\(identifier.name)"
    }

    package func table(_ identifier: TableIdentifier) -> PaimonTable {
        PaimonTable(location: tableLocation(identifier), storage: storage)
    }

    /// Whether the table exists: its location holds a schema.
    package func exists(_ identifier: TableIdentifier) async -> Bool {
        guard identifier.namespace.count == 1, PaimonTableName.isSafe(identifier.name),
            PaimonTableName.isSafe(identifier.namespace[0])
        else { return false }
        return await PaimonTable.isTable(tableLocation(identifier), storage: storage)
    }

    package func listNamespaces() async throws(IcebergError) -> [[String]] {
        var databases = Set<String>()
        for file in try await list("\(warehouse)/") {
            guard let first = PaimonTable.relativePath(file, under: warehouse)?.split(separator: "/").first, first.hasSuffix(".db"),
                first.count > 3
            else { continue }
            databases.insert(String(first.dropLast(3)))
        }
        return databases.sorted().map { [$0] }
    }

    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] {
        guard namespace.count == 1 else { return [] }
        let prefix = "\(warehouse)/\(namespace[0]).db/"
        var tables = Set<String>()
        for file in try await list(prefix) {
            let parts = (PaimonTable.relativePath(file, under: prefix) ?? "").split(separator: "/")
            guard parts.count == 3, parts[1] == "schema", parts[2].hasPrefix("schema-") else { continue }
            tables.insert(String(parts[0]))
        }
        return tables.sorted().map { TableIdentifier(namespace: namespace, name: $0) }
    }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        throw .catalog("\(identifier) is a Paimon table of catalog '\(name)', not an Iceberg table")
    }

    package func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable {
        throw .catalog("catalog '\(name)' is a Paimon catalog: amoro does not create Paimon tables")
    }

    package func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
    {
        throw .catalog("\(identifier) is a Paimon table of catalog '\(name)', not an Iceberg table")
    }

    private func list(_ prefix: String) async throws(IcebergError) -> [String] {
        do { return try await storage.list(prefix: prefix).map(\.location) } catch .notFound { return [] } catch {
            throw .storage(error)
        }
    }
}

/// Database and table names that stay one path segment.
enum PaimonTableName {
    static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && name != "." && name != ".." && !name.contains("\\")
    }
}
