import Foundation
import Iceberg
import ObjectStorage
import Storage

/// Makes a catalog from its configured properties (PyIceberg's keys: `type`, `uri`, `warehouse`): a SQL catalog on
/// SQLite (`sqlite:///path`) or PostgreSQL (`postgresql://...`), a REST catalog (`RESTCatalog`), an AWS Glue catalog
/// (`GlueCatalog`), or a file-system catalog. Hive Metastore (`type: hive`, `thrift://`) is not supported.
package enum CatalogFactory {
    package static func make(name: String, properties: [String: String], currentDirectory: String)
        throws(IcebergError) -> any Catalog
    {
        let uri = properties["uri"]
        let type = properties["type"]?.lowercased() ?? inferType(uri: uri)
        switch type {
        case "sql":
            guard let uri else { throw .catalog("catalog '\(name)' of type sql needs a 'uri'") }
            let warehouse = properties["warehouse"] ?? ""
            let storage = try storage(for: warehouse, catalog: name, properties: properties)
            if PostgresEndpoint.isPostgres(uri) {
                return try SQLCatalog(name: name, postgresURI: uri, warehouse: warehouse, storage: storage)
            }
            guard uri.hasPrefix("sqlite:") else {
                // The URI is not echoed: it may hold a password.
                let scheme = uri.range(of: ":").map { String(uri[..<$0.lowerBound]) } ?? uri
                throw .catalog("catalog '\(name)': SQL catalogs take sqlite:// or postgresql:// URIs, not \(scheme):")
            }
            let path = try sqlitePath(uri, currentDirectory: currentDirectory, catalog: name)
            return try SQLCatalog(name: name, databasePath: path, warehouse: warehouse, storage: storage)
        case "hadoop", "filesystem", "file":
            guard let warehouse = properties["warehouse"] else {
                throw .catalog("catalog '\(name)' of type \(type) needs a 'warehouse'")
            }
            return try FileSystemCatalog(name: name, warehouse: warehouse, storage: try storage(for: warehouse, catalog: name, properties: properties))
        case "rest":
            return try RESTCatalog(name: name, properties: properties)
        case "paimon":
            guard let warehouse = properties["warehouse"] else {
                throw .catalog("catalog '\(name)' of type paimon needs a 'warehouse'")
            }
            guard properties["metastore"].map({ $0.lowercased() == "filesystem" }) ?? true else {
                throw .catalog("catalog '\(name)': Paimon's \(properties["metastore"]!) metastore is not supported (only filesystem)")
            }
            return PaimonCatalog(name: name, warehouse: warehouse,
                storage: try storage(for: warehouse, catalog: name, properties: properties))
        case "glue":
            return try GlueCatalog(name: name, properties: properties)
        case "hive", "dynamodb", "bigquery":
            throw .catalog("catalog '\(name)': type \(type) is not supported by this build")
        default:
            throw .catalog("catalog '\(name)': unknown type '\(type)' (use sql, rest, glue, hadoop or paimon)")
        }
    }

    private static func inferType(uri: String?) -> String {
        guard let uri else { return "unknown" }
        if uri.hasPrefix("http://") || uri.hasPrefix("https://") { return "rest" }
        if uri.hasPrefix("thrift://") { return "hive" }
        return "sql"
    }

    /// SQLAlchemy's SQLite URIs: `sqlite:////abs/path.db` is absolute, `sqlite:///rel.db` relative to the
    /// working directory.
    static func sqlitePath(_ uri: String, currentDirectory: String, catalog: String) throws(IcebergError) -> String {
        guard uri.hasPrefix("sqlite:///") else {
            throw .catalog("catalog '\(catalog)': \(uri) names no database file (use sqlite:////absolute/path.db)")
        }
        let path = String(uri.dropFirst("sqlite:///".count))
        guard !path.isEmpty, path != ":memory:" else {
            throw .catalog("catalog '\(catalog)': an in-memory SQLite catalog cannot be shared with other runs")
        }
        return path.hasPrefix("/") ? path : "\(currentDirectory)/\(path)"
    }

    /// The storage a catalog with these properties reads and writes through: local files, and S3 configured from
    /// the properties' `s3.*` keys, the AWS environment variables and the AWS profile files.
    package static func storage(properties: [String: String], environment: [String: String] = ProcessInfo.processInfo
        .environment) -> any Storage
    {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let profiles = AWSProfileFiles.load(environment: environment, homeDirectory: home) { path in
            try? String(contentsOfFile: path, encoding: .utf8)
        }
        let configuration = S3Configuration.resolve(properties: properties, environment: environment, profiles: profiles)
        return RoutingStorage(s3: S3Storage(configuration: configuration))
    }

    private static func storage(for warehouse: String, catalog: String, properties: [String: String])
        throws(IcebergError) -> any Storage
    {
        if warehouse.isEmpty { return storage(properties: properties) }
        guard let location = Location(warehouse) else {
            throw .catalog("catalog '\(catalog)': warehouse \(warehouse) is not a valid location")
        }
        guard location.isLocal || location.scheme == "s3" else {
            throw .catalog("catalog '\(catalog)': \(location.scheme):// storage is not supported by this build")
        }
        return storage(properties: properties)
    }
}
