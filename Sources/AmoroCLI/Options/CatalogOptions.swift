import ArgumentParser
import Catalogs
import Foundation
import Iceberg
import Paimon
import Planning
import Storage

/// Where tables come from: the configuration file and the catalog in it.
struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg's .pyiceberg.yaml).",
        valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Option(help: "Catalog to use (default: the configuration's default catalog).")
    var catalog: String?

    /// The configuration file found (or the embedded default).
    func configuration() throws -> CatalogConfig {
        let environment = ProcessInfo.processInfo.environment
        return try CatalogConfig.load(
            explicitPath: config, environment: environment,
            homeDirectory: environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path,
            currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The configured catalog and its properties (catalog-level `table.` defaults come from them). A catalog that
    /// cannot be made from its properties (unknown type, malformed URI, no database file) is a configuration error;
    /// services are first contacted later, where failing is "unavailable".
    func open() throws -> (catalog: any Catalog, properties: [String: String]) {
        let configuration = try configuration()
        let (name, properties) = try configuration.properties(of: catalog)
        do {
            let catalog = try CatalogFactory.make(name: name, properties: properties,
                currentDirectory: FileManager.default.currentDirectoryPath)
            return (catalog, properties)
        } catch {
            throw ConfigError(source: configuration.source, reason: "\(error)")
        }
    }

    /// Storage for tables named by their location: the configured catalog's storage settings (`s3.endpoint`,
    /// credentials, addressing) when a configuration loads, as for its own tables, then the AWS environment and
    /// profiles. A location needs no configuration, so a missing or broken one is no error here.
    func directStorage() -> any Storage {
        let properties = (try? configuration().properties(of: catalog).properties) ?? [:]
        return CatalogFactory.storage(properties: properties)
    }
}

/// Which tables a command works on.
struct TableSelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Tables: namespace.table, or globs such as 'db.*' and '*.events_*'.", valueName: "table"))
    var tables: [String] = []

    @Flag(help: "Every table of the catalog.")
    var all = false

    init() {}

    init(tables: [String], all: Bool) {
        self.tables = tables
        self.all = all
    }

    func validate() throws {
        if tables.isEmpty && !all { throw ValidationError("Name at least one table, or use --all.") }
    }

    /// The tables to work on: each with the catalog that holds it (locations and metadata files get a direct
    /// catalog of their own; the configured catalog is opened only when a name or glob needs it).
    func resolve(with catalogOptions: CatalogOptions) async throws -> [SelectedTable] {
        let locations = tables.filter(DirectTableCatalog.isLocation)
        let names = tables.filter { !DirectTableCatalog.isLocation($0) }
        var selected: [SelectedTable] = []
        if !names.isEmpty || all {
            let (catalog, properties) = try catalogOptions.open()
            for identifier in try await TableSelection.resolve(names, all: all, in: catalog) {
                selected.append(SelectedTable(catalog: catalog, catalogProperties: properties, identifier: identifier,
                    paimon: (catalog as? PaimonCatalog)?.table(identifier)))
            }
        }
        if !locations.isEmpty {
            let storage = catalogOptions.directStorage()
            for location in locations {
                let catalog = DirectTableCatalog(location: location, storage: storage)
                // A location is a Paimon table when its layout says so (schema/schema-N); else Iceberg.
                let paimon = await PaimonTable.isTable(catalog.location, storage: storage)
                    ? PaimonTable(location: catalog.location, storage: storage) : nil
                selected.append(SelectedTable(catalog: catalog, catalogProperties: [:], identifier: catalog.identifier, paimon: paimon))
            }
        }
        return selected
    }
}

/// One table a command works on, with the catalog it is loaded from and committed through.
struct SelectedTable {
    let catalog: any Catalog
    let catalogProperties: [String: String]
    let identifier: TableIdentifier
    /// The table's Paimon directory when it is a Paimon table (of a `type: paimon` catalog, or a location laid out
    /// as one); commands then take their Paimon path.
    var paimon: PaimonTable? = nil
}

/// How documents are printed.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON documents even on a terminal.")
    var json = false

    var format: OutputFormat { OutputFormat.choose(forceJSON: json) }
}

extension CatalogOptions {
    /// A plan's catalog: the configured one it names (or --catalog), or the table's location for direct tables;
    /// with the catalog's properties.
    func open(for document: OptimizingPlan) throws -> (any Catalog, TableIdentifier, [String: String]) {
        if document.catalog == "direct" {
            let catalog = DirectTableCatalog(location: document.table, storage: directStorage())
            return (catalog, catalog.identifier, [:])
        }
        var options = self
        if options.catalog == nil { options.catalog = document.catalog }
        guard let identifier = TableIdentifier(parsing: document.table) else {
            throw InputError("plan names table '\(document.table)', which is not namespace.table")
        }
        let (catalog, properties) = try options.open()
        return (catalog, identifier, properties)
    }
}
