import Iceberg
import IcebergSpec
import Storage

/// A table named by its location or by one of its metadata files, outside any catalog.
///
/// `/w/db/t` (a table directory) loads the newest metadata under `metadata/`: the version hint's
/// `v<N>.metadata.json`, else the highest `v<N>` or `<NNNNN>-<uuid>` file. `…/00003-….metadata.json` loads that
/// file. Only file-system tables (`v<N>.metadata.json`) can be committed to, with the file-system catalog's
/// no-replace rule; any other direct table is read-only, since whatever catalog owns it would not see the commit.
package struct DirectTableCatalog: Catalog {
    package let name = "direct"
    package let storage: any Storage
    /// The path the user gave.
    package let location: String
    package var identity: String { location }

    package init(location: String, storage: any Storage) {
        self.location = location.hasSuffix("/") ? String(location.dropLast()) : location
        self.storage = storage
    }

    /// Whether a table argument names a location rather than `namespace.table`.
    package static func isLocation(_ argument: String) -> Bool {
        argument.hasPrefix("/") || argument.hasPrefix("./") || argument.hasPrefix("../") || argument.contains("://")
            || argument.hasPrefix("file:") || argument.hasSuffix(".metadata.json")
    }

    package var identifier: TableIdentifier { TableIdentifier(namespace: [], name: location) }

    package func listNamespaces() async throws(IcebergError) -> [[String]] { [] }
    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] { [identifier] }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        let metadataLocation = try await currentMetadataLocation()
        return LoadedTable(identifier: self.identifier, metadataLocation: metadataLocation,
            metadata: try await MetadataFiles.read(metadataLocation, storage: storage))
    }

    package func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable {
        throw .catalog("\(location): tables are created through a catalog, not at a bare location")
    }

    package func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
    {
        let name = base.metadataLocation.split(separator: "/").last.map(String.init) ?? ""
        guard name.hasPrefix("v"), (1..<MetadataFiles.maxVersion).contains(MetadataFiles.version(of: name)) else {
            throw .catalog("\(location) is read-only here: its metadata \(name) belongs to a catalog; name the table through that catalog to change it")
        }
        let directory = String(base.metadataLocation.dropLast(name.count + 1))
        let next = "\(directory)/v\(MetadataFiles.version(of: name) + 1).metadata.json"
        do {
            try await MetadataFiles.write(metadata, to: next, storage: storage)
        } catch .storage(.alreadyExists) {
            throw .commitConflict(self.identifier, "\(next) was written by another writer")
        }
        try? await storage.write("\(directory)/version-hint.text", bytes: Array(String(MetadataFiles.version(of: next)).utf8),
            mode: .replace)
        return LoadedTable(identifier: self.identifier, metadataLocation: next, metadata: metadata)
    }

    private func currentMetadataLocation() async throws(IcebergError) -> String {
        if location.hasSuffix(".metadata.json") || location.hasSuffix(".metadata.json.gz") { return location }
        let directory = "\(location)/metadata"
        if let hint = try? await storage.read("\(directory)/version-hint.text"),
            let version = MetadataFiles.hintVersion(hint)
        {
            var newest = version
            while newest < MetadataFiles.maxVersion,
                (try? await storage.size("\(directory)/v\(newest + 1).metadata.json")) != nil { newest += 1 }
            return "\(directory)/v\(newest).metadata.json"
        }
        let files: [StoredFile]
        do { files = try await storage.list(prefix: directory) } catch { throw .storage(error) }
        let candidates = files.map(\.location).filter { $0.hasSuffix(".metadata.json") }
        guard let newest = candidates.max(by: { (MetadataFiles.version(of: $0), $0) < (MetadataFiles.version(of: $1), $1) }) else {
            throw .tableNotFound(identifier)
        }
        // Keep the location form the user gave (file:// or a bare path) for the files beneath it.
        return Location(location).map { $0.isLocal && location.hasPrefix("file:") ? "file://\(newest)" : newest } ?? newest
    }
}
