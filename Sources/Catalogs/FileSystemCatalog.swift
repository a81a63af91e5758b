import Iceberg
import IcebergSpec
import Storage

/// The file-system ("hadoop") catalog: a table is a directory `<warehouse>/<ns levels>/<table>` whose
/// `metadata/` holds `v<N>.metadata.json` files and a `version-hint.text` naming the newest.
///
/// A commit creates `v<N+1>.metadata.json` with an atomic create-if-absent (never a plain rename, which would
/// overwrite a concurrent writer's version), then rewrites the hint. The spec deprecates this layout and it is
/// unsafe on object stores, so this catalog only accepts local warehouses.
package struct FileSystemCatalog: Catalog {
    package let name: String
    package let storage: any Storage
    package let warehouse: String
    package var identity: String { warehouse }

    package init(name: String, warehouse: String, storage: any Storage) throws(IcebergError) {
        guard let location = Location(warehouse), location.isLocal else {
            throw .catalog("the file-system catalog needs a local warehouse, not \(warehouse): its commits are not atomic on object stores")
        }
        self.name = name
        self.storage = storage
        self.warehouse = location.description
    }

    package func listNamespaces() async throws(IcebergError) -> [[String]] {
        var namespaces = Set<[String]>()
        for table in try await allTables() where !table.namespace.isEmpty {
            for depth in 1...table.namespace.count { namespaces.insert(Array(table.namespace.prefix(depth))) }
        }
        return namespaces.sorted { $0.joined(separator: ".") < $1.joined(separator: ".") }
    }

    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] {
        try await allTables().filter { $0.namespace == namespace }.sorted()
    }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        let metadataDirectory = "\(tableLocation(identifier))/metadata"
        guard let version = try await currentVersion(metadataDirectory) else { throw .tableNotFound(identifier) }
        let location = "\(metadataDirectory)/v\(version).metadata.json"
        return LoadedTable(identifier: identifier, metadataLocation: location,
            metadata: try await MetadataFiles.read(location, storage: storage))
    }

    package func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
    {
        let metadataDirectory = "\(tableLocation(identifier))/metadata"
        if try await currentVersion(metadataDirectory) != nil { throw .tableAlreadyExists(identifier) }
        return try await writeVersion(1, identifier: identifier, metadata: metadata)
    }

    package func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata)
        async throws(IcebergError) -> LoadedTable
    {
        let version = MetadataFiles.version(of: base.metadataLocation)
        guard version >= 1 else { throw .catalog("\(base.metadataLocation) is not a v<N>.metadata.json file") }
        guard version < MetadataFiles.maxVersion else { throw .invalidFile(base.metadataLocation, "is the last version a table may have") }
        return try await writeVersion(version + 1, identifier: identifier, metadata: metadata)
    }

    /// Where a table's directory is (the catalog decides, as Hadoop tables cannot move).
    package func tableLocation(_ identifier: TableIdentifier) -> String {
        ([warehouse] + identifier.namespace + [identifier.name]).joined(separator: "/")
    }

    private func writeVersion(_ version: Int, identifier: TableIdentifier, metadata: TableMetadata)
        async throws(IcebergError) -> LoadedTable
    {
        let metadataDirectory = "\(tableLocation(identifier))/metadata"
        let location = "\(metadataDirectory)/v\(version).metadata.json"
        do {
            try await MetadataFiles.write(metadata, to: location, storage: storage)
        } catch .storage(.alreadyExists) {
            throw .commitConflict(identifier, "version \(version) was written by another writer")
        }
        // The hint is an optimisation for readers; the versions themselves are the truth.
        try? await storage.write("\(metadataDirectory)/version-hint.text", bytes: Array(String(version).utf8), mode: .replace)
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    /// The newest version: the hint, then probing upwards while newer files exist; a listing when the hint is
    /// missing or unreadable.
    private func currentVersion(_ metadataDirectory: String) async throws(IcebergError) -> Int? {
        var version: Int?
        if let hint = try? await storage.read("\(metadataDirectory)/version-hint.text"),
            let number = MetadataFiles.hintVersion(hint)
        {
            version = number
        } else {
            let files: [StoredFile]
            do { files = try await storage.list(prefix: metadataDirectory) } catch { throw .storage(error) }
            version = files.compactMap { file -> Int? in
                let name = file.location.split(separator: "/").last.map(String.init) ?? ""
                guard name.hasPrefix("v"), name.hasSuffix(".metadata.json") else { return nil }
                return MetadataFiles.version(of: name)
            }.max()
        }
        guard var newest = version else { return nil }
        while newest < MetadataFiles.maxVersion,
            (try? await storage.size("\(metadataDirectory)/v\(newest + 1).metadata.json")) != nil { newest += 1 }
        return newest
    }

    /// Tables are directories with a `metadata/` holding `v<N>.metadata.json` files.
    private func allTables() async throws(IcebergError) -> [TableIdentifier] {
        let files: [StoredFile]
        do { files = try await storage.list(prefix: warehouse) } catch { throw .storage(error) }
        var tables = Set<TableIdentifier>()
        for file in files {
            guard file.location.hasSuffix(".metadata.json"), file.location.hasPrefix(warehouse + "/") else { continue }
            let parts = file.location.dropFirst(warehouse.count + 1).split(separator: "/").map(String.init)
            guard parts.count >= 4, parts[parts.count - 2] == "metadata", parts.last!.hasPrefix("v") else { continue }
            let path = parts.dropLast(2)
            tables.insert(TableIdentifier(namespace: Array(path.dropLast()), name: path.last!))
        }
        return Array(tables)
    }
}
