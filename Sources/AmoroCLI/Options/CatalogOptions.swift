import ArgumentParser
import Catalogs
import Foundation
import Iceberg

/// Where tables come from: the configuration file and the catalog in it.
struct CatalogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Configuration file (default: $AMORO_CONFIG, ~/.config/amoro/config.yaml, then PyIceberg's .pyiceberg.yaml).",
        valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Option(help: "Catalog to use (default: the configuration's default catalog).")
    var catalog: String?

    /// The configured catalog and its properties (catalog-level `table.` defaults come from them).
    func open() throws -> (catalog: any Catalog, properties: [String: String]) {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try CatalogConfig.load(
            explicitPath: config, environment: environment,
            homeDirectory: environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path,
            currentDirectory: FileManager.default.currentDirectoryPath)
        let (name, properties) = try configuration.properties(of: catalog)
        let catalog = try CatalogFactory.make(name: name, properties: properties,
            currentDirectory: FileManager.default.currentDirectoryPath)
        return (catalog, properties)
    }
}

/// Which tables a command works on.
struct TableSelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Tables: namespace.table, or globs such as 'db.*' and '*.events_*'.", valueName: "table"))
    var tables: [String] = []

    @Flag(help: "Every table of the catalog.")
    var all = false

    func validate() throws {
        if tables.isEmpty && !all { throw ValidationError("Name at least one table, or use --all.") }
    }

    func resolve(in catalog: any Catalog) async throws -> [TableIdentifier] {
        try await TableSelection.resolve(tables, all: all, in: catalog)
    }
}

/// How documents are printed.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON documents even on a terminal.")
    var json = false

    var format: OutputFormat { OutputFormat.choose(forceJSON: json) }
}
