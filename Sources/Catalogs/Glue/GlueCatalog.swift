import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import ObjectStorage
import Storage

/// An AWS Glue Data Catalog (`type: glue`), shared with PyIceberg's GlueCatalog and Java's GlueCatalog: a Glue
/// database is a namespace (one level), an Iceberg table is a Glue table whose `table_type` parameter is
/// `ICEBERG` and whose `metadata_location` parameter names its current metadata file (other Glue tables are not
/// listed, and loading one is refused).
///
/// A commit reads the Glue table, refuses when it no longer points at the base metadata (a conflict, as Java's
/// GlueTableOperations checks), writes the new metadata file, then sends `UpdateTable` with the `VersionId` it
/// read, which Glue refuses with `ConcurrentModificationException` when another writer updated the table since (a
/// conflict: callers reload and retry per `commit.retry.*`). A 5xx or lost answer leaves the outcome unknown unless
/// the table is seen pointing at the new file (`commitStateUnknown`: callers keep their files).
package struct GlueCatalog: Catalog {
    package let name: String
    package let storage: any Storage
    package var identity: String { client.configuration.identity }
    private let client: GlueClient

    /// Builds the catalog from its properties (nothing is sent until the first call); storage is configured by the
    /// same properties' `s3.*` keys, the environment and the AWS profile files.
    package init(name: String, properties: [String: String],
        environment: [String: String] = ProcessInfo.processInfo.environment) throws(IcebergError)
    {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let profiles = AWSProfileFiles.load(environment: environment, homeDirectory: home) { path in
            try? String(contentsOfFile: path, encoding: .utf8)
        }
        do {
            client = GlueClient(configuration: try GlueConfiguration.resolve(
                properties: properties, environment: environment, profiles: profiles))
        } catch { throw .catalog("catalog '\(name)': \(error.message)") }
        self.name = name
        storage = CatalogFactory.storage(properties: properties, environment: environment)
    }

    // MARK: - Catalog

    package func listNamespaces() async throws(IcebergError) -> [[String]] {
        let databases = try await pages("GetDatabases", [], key: "DatabaseList", what: "list databases")
        return databases.compactMap { $0["Name"]?.stringValue }.sorted().map { [$0] }
    }

    package func listTables(namespace: [String]) async throws(IcebergError) -> [TableIdentifier] {
        guard let database = Self.database(namespace) else { throw .namespaceNotFound(namespace) }
        let tables = try await pages("GetTables", [("DatabaseName", .string(database))], key: "TableList",
            what: "list the tables of \(database)", namespace: namespace)
        return tables.filter(Self.isIceberg).compactMap { $0["Name"]?.stringValue }
            .map { TableIdentifier(namespace: namespace, name: $0) }.sorted()
    }

    package func loadTable(_ identifier: TableIdentifier) async throws(IcebergError) -> LoadedTable {
        let (_, location) = try await glueTable(identifier)
        let metadata = try await MetadataFiles.read(location, storage: storage)
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    package func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws(IcebergError) -> LoadedTable {
        guard let database = Self.database(identifier.namespace) else { throw .namespaceNotFound(identifier.namespace) }
        let location = MetadataFiles.nextLocation(for: metadata, previous: nil, uuid: UUID().uuidString.lowercased())
        try await MetadataFiles.write(metadata, to: location, storage: storage)
        let input = GlueTableInput.make(
            name: identifier.name, metadata: metadata, metadataLocation: location, previousLocation: nil, existing: nil)
        do {
            _ = try await client.call("CreateTable", [("DatabaseName", .string(database)), ("TableInput", input)], retry: .refusedOnly)
        } catch {
            // A table that may have been created points at the file: it stays.
            if !error.mayHaveTakenEffect { try? await storage.delete(location) }
            switch error.type {
            case "AlreadyExistsException": throw .tableAlreadyExists(identifier)
            case "EntityNotFoundException": throw .namespaceNotFound(identifier.namespace)
            default: throw .catalog("cannot create \(identifier): \(error.message)")
            }
        }
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    package func commit(_ identifier: TableIdentifier, base: LoadedTable, metadata: TableMetadata) async throws(IcebergError)
        -> LoadedTable
    {
        guard let database = Self.database(identifier.namespace) else { throw .tableNotFound(identifier) }
        let (table, current) = try await glueTable(identifier)
        guard current == base.metadataLocation else {
            throw .commitConflict(identifier, "the Glue table points at \(current), not at \(base.metadataLocation)")
        }
        guard let version = table["VersionId"]?.stringValue else {
            throw .catalog("cannot commit to \(identifier): Glue gave the table no VersionId")
        }
        let location = MetadataFiles.nextLocation(
            for: metadata, previous: base.metadataLocation, uuid: UUID().uuidString.lowercased())
        try await MetadataFiles.write(metadata, to: location, storage: storage)
        let input = GlueTableInput.make(
            name: identifier.name, metadata: metadata, metadataLocation: location, previousLocation: base.metadataLocation,
            existing: table)
        do {
            _ = try await client.call("UpdateTable", [
                ("DatabaseName", .string(database)), ("TableInput", input),
                ("SkipArchive", .bool(client.configuration.skipArchive)), ("VersionId", .string(version)),
            ], retry: .refusedOnly)
        } catch {
            if error.mayHaveTakenEffect {
                // The update may have been applied: the table may point at the new file, which must stay.
                if let reloaded = try? await glueTable(identifier), reloaded.location == location {
                    return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
                }
                throw .commitStateUnknown(identifier, error.message)
            }
            try? await storage.delete(location)
            switch error.type {
            case "ConcurrentModificationException":
                throw .commitConflict(identifier, "Glue refused version \(version) of the table: another writer updated it")
            case "EntityNotFoundException": throw .tableNotFound(identifier)
            default: throw .catalog("cannot commit to \(identifier): \(error.message)")
            }
        }
        return LoadedTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    // MARK: - Glue tables

    /// The Glue table and its metadata location; refuses a table that is not Iceberg's.
    private func glueTable(_ identifier: TableIdentifier) async throws(IcebergError) -> (table: JSON, location: String) {
        guard let database = Self.database(identifier.namespace) else { throw .tableNotFound(identifier) }
        let answer: JSON
        do {
            answer = try await client.call("GetTable", [("DatabaseName", .string(database)), ("Name", .string(identifier.name))],
                retry: .idempotent)
        } catch {
            if error.type == "EntityNotFoundException" { throw .tableNotFound(identifier) }
            throw .catalog("cannot load \(identifier): \(error.message)")
        }
        guard let table = answer["Table"] else { throw .catalog("Glue's answer for \(identifier) holds no table") }
        guard Self.isIceberg(table) else {
            let type = table["Parameters"]?["table_type"]?.stringValue
            throw .catalog("Glue table \(identifier) is not an Iceberg table (table_type \(type ?? "missing"))")
        }
        guard let location = table["Parameters"]?["metadata_location"]?.stringValue, !location.isEmpty else {
            throw .catalog("Glue table \(identifier) has no metadata_location parameter")
        }
        return (table, location)
    }

    /// Every item under `key` across the pages of a listing (`NextToken`).
    private func pages(_ operation: String, _ members: [(String, JSON)], key: String, what: String, namespace: [String]? = nil)
        async throws(IcebergError) -> [JSON]
    {
        var items: [JSON] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            let answer: JSON
            do {
                answer = try await client.call(operation, members + (token.map { [("NextToken", .string($0))] } ?? []),
                    retry: .idempotent)
            } catch {
                if let namespace, error.type == "EntityNotFoundException" { throw .namespaceNotFound(namespace) }
                throw .catalog("cannot \(what): \(error.message)")
            }
            items += answer[key]?.arrayValue ?? []
            token = answer["NextToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw .catalog("cannot \(what): Glue repeated the page token \(token)")
            }
        } while token != nil
        return items
    }

    /// The Glue database of a namespace: Glue's are one level.
    private static func database(_ namespace: [String]) -> String? { namespace.count == 1 ? namespace[0] : nil }

    /// PyIceberg's and Java's test: the `table_type` parameter is `ICEBERG`, in any case.
    private static func isIceberg(_ table: JSON) -> Bool {
        table["Parameters"]?["table_type"]?.stringValue?.lowercased() == "iceberg"
    }
}
