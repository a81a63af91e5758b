import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage
import Testing
import TestSupport

@Suite struct CatalogConfigTests {
    @Test func readsPyIcebergLayoutWithNestedKeysAndEnvironmentOverrides() throws {
        try Fixtures.withTemporaryDirectory { root in
            let yaml = """
                catalog:
                  lake:
                    type: sql
                    uri: sqlite:////\(root.path)/c.db
                    warehouse: file://\(root.path)/wh
                    s3:
                      endpoint: http://127.0.0.1:9000
                    table.self-optimizing.target-size: 1024
                    echo: true
                """
            try Data(yaml.utf8).write(to: root.appendingPathComponent(".pyiceberg.yaml"))
            let config = try CatalogConfig.load(
                explicitPath: nil,
                environment: ["AMORO_CATALOG__LAKE__S3__ACCESS_KEY_ID": "admin", "AMORO_CATALOG__OTHER__URI": "sqlite:///o.db"],
                homeDirectory: root.appendingPathComponent("nohome").path, currentDirectory: root.path)
            #expect(config.source.hasSuffix(".pyiceberg.yaml"))
            let lake = try config.properties(of: nil)
            #expect(lake.name == "lake")
            #expect(lake.properties["s3.endpoint"] == "http://127.0.0.1:9000")
            #expect(lake.properties["s3.access-key-id"] == "admin")
            #expect(lake.properties["table.self-optimizing.target-size"] == "1024")
            #expect(lake.properties["echo"] == "true")
            #expect(try config.properties(of: "other").properties["uri"] == "sqlite:///o.db")
            #expect(throws: ConfigError.self) { try config.properties(of: "missing") }
        }
    }

    @Test func amorosOwnFileWinsAndExplicitFilesMustExist() throws {
        try Fixtures.withTemporaryDirectory { root in
            let home = root.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/amoro"), withIntermediateDirectories: true)
            try Data("catalog: {a: {type: hadoop, warehouse: /w}, b: {type: sql, uri: 'sqlite:///b.db'}}\ndefault-catalog: b\n".utf8)
                .write(to: home.appendingPathComponent(".config/amoro/config.yaml"))
            try Data("catalog: {py: {uri: 'sqlite:///p.db'}}".utf8).write(to: home.appendingPathComponent(".pyiceberg.yaml"))
            let config = try CatalogConfig.load(explicitPath: nil, environment: [:], homeDirectory: home.path,
                currentDirectory: root.path)
            #expect(try config.properties(of: nil).name == "b")
            #expect(config.catalogs.keys.sorted() == ["a", "b"])
            #expect(throws: ConfigError.self) {
                try CatalogConfig.load(explicitPath: "\(root.path)/nope.yaml", environment: [:], homeDirectory: home.path,
                    currentDirectory: root.path)
            }
            #expect(throws: ConfigError.self) {
                try CatalogConfig.load(explicitPath: nil, environment: ["AMORO_CONFIG": "\(root.path)/nope.yaml"],
                    homeDirectory: home.path, currentDirectory: root.path)
            }
        }
    }

    @Test(arguments: ["catalog: [1, 2]", "catalog:\n  x: 5", "- a\n- b", "catalog: {x: {uri: [1]}}", "catalog: {x: {a: 1}"])
    func invalidFilesAreClearErrors(yaml: String) {
        #expect(throws: ConfigError.self) { try CatalogConfig.parse(yaml: yaml, source: "test.yaml") }
    }

    @Test func withoutAFileTheEmbeddedDefaultIsUsed() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try CatalogConfig.load(explicitPath: nil, environment: ["AMORO_HOME": root.path],
            homeDirectory: root.appendingPathComponent("home").path, currentDirectory: root.path)
        let (name, properties) = try config.properties(of: nil)
        #expect(name == "default")
        #expect(properties["uri"] == "sqlite:///\(root.path)/catalog.db")
        let catalog = try CatalogFactory.make(name: name, properties: properties, currentDirectory: root.path)
        #expect(try await catalog.listNamespaces().isEmpty)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("catalog.db").path))
    }

    @Test func factoryRejectsWhatThisBuildCannotServe() {
        let cases: [[String: String]] = [
            ["type": "rest"], ["type": "rest", "uri": "thrift://h:9083"], ["type": "sql"],
            ["type": "sql", "uri": "mysql://u@h/db"], ["type": "sql", "uri": "sqlite://"], ["type": "hadoop"],
            ["type": "nessie"], ["type": "sql", "uri": "sqlite:////tmp/x.db", "warehouse": "gs://b/w"],
        ]
        for properties in cases {
            #expect(throws: IcebergError.self, "\(properties)") {
                try CatalogFactory.make(name: "c", properties: properties, currentDirectory: "/tmp")
            }
        }
    }

    @Test func anHTTPURIMakesARESTCatalogWithoutContactingIt() throws {
        for properties in [["type": "rest", "uri": "http://127.0.0.1:9/"], ["uri": "https://catalog.example.com", "warehouse": "w"]] {
            let catalog = try CatalogFactory.make(name: "c", properties: properties, currentDirectory: "/tmp")
            #expect(catalog is RESTCatalog)
            #expect(catalog.identity.hasPrefix("rest:http") && !catalog.identity.hasSuffix("/"))
        }
    }

    @Test func selectionExpandsGlobsPerSegment() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = try FileSystemCatalog(name: "fs", warehouse: root.path, storage: LocalStorage())
        let schema = Schema(schemaId: 0, fields: [NestedField(id: 1, name: "x", isRequired: true, type: .primitive(.int))])
        for name in ["db.events_a", "db.events_b", "db.users", "other.events_c", "a.b.t"] {
            let table = try #require(TableIdentifier(parsing: name))
            _ = try await catalog.createTable(table, metadata: .newTable(location: catalog.tableLocation(table),
                uuid: UUID().uuidString, schema: schema, nowMs: 0))
        }
        func names(_ patterns: [String], all: Bool = false) async throws -> [String] {
            try await TableSelection.resolve(patterns, all: all, in: catalog).map(\.description)
        }
        #expect(try await names(["db.*"]) == ["db.events_a", "db.events_b", "db.users"])
        #expect(try await names(["*.events_*"]) == ["db.events_a", "db.events_b", "other.events_c"])
        #expect(try await names(["a.*.t", "db.users"]) == ["a.b.t", "db.users"])
        #expect(try await names(["db.event?_b"]) == ["db.events_b"])
        #expect(try await names([], all: true).count == 5)
        #expect(try await names(["nothing.*"]).isEmpty)
        await #expect(throws: IcebergError.self) { try await names(["db.missing"]) }
        await #expect(throws: IcebergError.self) { try await names(["justname"]) }
    }
}
