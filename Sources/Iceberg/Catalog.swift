import IcebergSpec
import Storage

/// Where tables' current metadata pointers live (spec "Catalogs"): SQL, file-system and, later, REST catalogs.
///
/// A commit is optimistic: it names the metadata the change was based on, and the catalog swaps the pointer only
/// if the table still points there; otherwise it throws `IcebergError.commitConflict`, which callers retry after
/// reloading the table.
package protocol Catalog: Sendable {
    /// The catalog's configured name (the SQL catalog stores it in every row).
    var name: String { get }
    /// What tells this catalog apart from another configured under the same name: its database or warehouse.
    /// Per-table locks are keyed by it.
    var identity: String { get }
    /// Storage that holds the catalog's tables.
    var storage: any Storage { get }

    /// Every namespace, nested ones included, as lists of levels.
    func listNamespaces() async throws(IcebergError) -> [[String]]
    func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier]
    func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable
    /// Registers a new table whose first metadata is `metadata` (written by the catalog).
    func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable
    /// Writes `metadata` as the table's next version if the table still points at `base`.
    func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
}

/// A namespace-qualified table name (`db.events`, `a.b.t`).
package struct TableIdentifier: Hashable, Sendable, CustomStringConvertible, Comparable {
    package var namespace: [String]
    package var name: String

    package init(namespace: [String], name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// Parses `ns.table` (the last dot separates the table); nil without a namespace.
    package init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(namespace: Array(parts.dropLast()), name: parts.last!)
    }

    package var description: String { (namespace + [name]).joined(separator: ".") }

    package static func < (lhs: TableIdentifier, rhs: TableIdentifier) -> Bool { lhs.description < rhs.description }
}

/// A table as a catalog returned it: its metadata and where that metadata was read from.
package struct LoadedTable: Sendable, Hashable {
    package var identifier: TableIdentifier
    package var metadataLocation: String
    package var metadata: TableMetadata

    package init(identifier: TableIdentifier, metadataLocation: String, metadata: TableMetadata) {
        self.identifier = identifier
        self.metadataLocation = metadataLocation
        self.metadata = metadata
    }
}
