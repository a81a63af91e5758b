import Foundation

/// One catalog-and-storage combination the end-to-end tests run on, with its servers started for the test.
///
/// The same properties configure both sides: PyIceberg (`load_catalog("default", **properties)`, see
/// `propertiesJSON`) and amoro (`writeAmoroConfig(in:)`), so both reach the same catalog and the same objects.
package struct CatalogEnvironment: Sendable {
    package enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        /// SQLite catalog, warehouse on local disk.
        case localSQLite
        /// SQLite catalog, warehouse on moto's S3 server.
        case motoSQLite
        /// SQLite catalog, warehouse on SeaweedFS's S3 server.
        case seaweedSQLite
        /// SQL catalog on PostgreSQL (`scripts/postgres-server`), warehouse on SeaweedFS's S3 server.
        case seaweedPostgres
        /// SeaweedFS's Iceberg REST catalog (OAuth2 with the S3 key pair), warehouse on its S3 server.
        case seaweedREST
        /// moto's AWS Glue catalog, warehouse on moto's S3 server (the same process).
        case motoGlue

        package var description: String { rawValue }

        /// Whether the servers this kind needs are installed (`scripts/setup`).
        package var isAvailable: Bool {
            switch self {
            case .localSQLite: true
            case .motoSQLite, .seaweedSQLite, .seaweedREST, .motoGlue: S3TestServer.isAvailable
            case .seaweedPostgres: S3TestServer.isAvailable && PostgresTestServer.isAvailable
            }
        }
    }

    package let kind: Kind
    /// The catalog's properties, taken as they are both by `pyiceberg.catalog.load_catalog("default", **properties)`
    /// and by amoro's config file (`catalog: default: <properties>`): type, uri, warehouse, s3.* ...
    package let properties: [String: String]
    /// The S3 server when the warehouse is on S3 (DuckDB's httpfs secret is made from it).
    package let s3: S3TestServer?
    /// A scratch directory of the environment's own (the SQLite database, a local warehouse, configs), removed
    /// when the environment stops.
    package let directory: URL

    /// Starts what the kind needs (S3 server, PostgreSQL, REST or Glue catalog), runs body, stops every server by PID.
    package static func with<T>(_ kind: Kind, _ body: (CatalogEnvironment) async throws -> T) async throws -> T {
        let directory = try Fixtures.makeTemporaryDirectory("amoro-env-\(kind)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = ["type": "sql", "uri": "sqlite:///\(directory.path)/catalog.db"]
        switch kind {
        case .localSQLite:
            let warehouse = directory.appendingPathComponent("warehouse")
            try FileManager.default.createDirectory(at: warehouse, withIntermediateDirectories: true)
            return try await body(CatalogEnvironment(kind: kind,
                properties: sqlite.merging(["warehouse": "file://\(warehouse.path)"]) { $1 }, s3: nil, directory: directory))
        case .motoSQLite, .seaweedSQLite:
            return try await S3TestServer.with(kind == .motoSQLite ? .moto : .seaweedfs) { server in
                let properties = sqlite.merging(server.catalogProperties) { $1 }
                    .merging(["warehouse": "s3://\(S3TestServer.bucket)/warehouse"]) { $1 }
                return try await body(CatalogEnvironment(kind: kind, properties: properties, s3: server, directory: directory))
            }
        case .seaweedPostgres:
            return try await PostgresTestServer.with { postgres in
                try await S3TestServer.with(.seaweedfs) { server in
                    // SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; PyIceberg's sql-postgres brings psycopg2.
                    let uri = postgres.uri.replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
                    let properties = server.catalogProperties.merging([
                        "type": "sql", "uri": uri, "warehouse": "s3://\(S3TestServer.bucket)/warehouse",
                    ]) { $1 }
                    return try await body(CatalogEnvironment(kind: kind, properties: properties, s3: server, directory: directory))
                }
            }
        case .seaweedREST:
            return try await S3TestServer.with(.seaweedfs, icebergREST: true) { server in
                try await body(CatalogEnvironment(kind: kind, properties: server.icebergRESTProperties, s3: server, directory: directory))
            }
        case .motoGlue:
            return try await S3TestServer.with(.moto) { server in
                try await body(CatalogEnvironment(kind: kind, properties: server.glueProperties, s3: server, directory: directory))
            }
        }
    }

    /// The properties as one JSON object, the argument Python peers pass to `load_catalog`.
    package var propertiesJSON: String {
        let data = try? JSONSerialization.data(withJSONObject: properties, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The same environment with some properties replaced (an endpoint behind a proxy, another part size).
    package func replacing(_ overrides: [String: String]) -> CatalogEnvironment {
        CatalogEnvironment(kind: kind, properties: properties.merging(overrides) { $1 }, s3: s3, directory: directory)
    }

    /// Writes amoro's YAML config for these properties and returns its path.
    package func writeAmoroConfig(in directory: URL) throws -> URL {
        var yaml = "catalog:\n  default:\n"
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            // A JSON string is a YAML double-quoted scalar: values keep their colons, slashes and quotes.
            let quoted = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
            yaml += "    \(key): \(String(decoding: quoted, as: UTF8.self))\n"
        }
        let url = directory.appendingPathComponent("amoro-\(kind).yaml")
        try Data(yaml.utf8).write(to: url)
        return url
    }
}
