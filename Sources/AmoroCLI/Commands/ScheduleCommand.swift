import ArgumentParser
import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Logging
import Execution
import Paimon
import Planning

/// `amoro schedule`: the crontab that runs optimizing and maintenance as each table's properties ask.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print the crontab that optimizes and maintains tables as their properties say; --install writes it.",
        discussion: """
            One line per job and cadence: `amoro plan --level auto | amoro compact` as often as the shorter of the \
            table's self-optimizing.minor.trigger.interval and full.trigger.interval (hourly when both are off; \
            none when self-optimizing.enabled is false), expire-snapshots hourly, clean-orphans and \
            rewrite-deletes (dangling delete files) daily where the table's properties and gc.enabled turn them \
            on, rewrite-manifests --triggered hourly where amoro.rewrite-manifests.enabled is true (by default \
            where commit.manifest-merge.enabled is false), expire-data daily where data-expire.* turns it on, \
            create-tags every 10 minutes (hourly tags) or hourly (daily and monthly tags) where \
            tag.auto-create.enabled is set, and with --metrics-file an hourly scan for the metrics. Tables sharing a cadence share a line, \
            named by --all or 'namespace.*' where that selects exactly them. Lines use this binary's absolute path \
            and the configuration file, lock each table (--lock-dir) and append their output to --log-file. \
            --install puts the block into your crontab (through `crontab`, or $AMORO_CRONTAB), replacing an \
            earlier amoro block and keeping every other line; run it again after changing table properties. Paimon \
            tables get the same plan | compact line (Paimon's own compaction rules, man 5 amoro-plan; \
            self-optimizing.* in the table's options set its cadence and can turn it off) and expire-snapshots \
            and clean-orphans lines as their options say.
            """)

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: ArgumentHelp("Tables: namespace.table, globs such as 'db.*', or locations.", valueName: "table"))
    var tables: [String] = []

    @Flag(help: "Every table of the catalog.")
    var all = false

    @Option(help: ArgumentHelp("File the jobs append their output to (default: $AMORO_HOME/log/amoro.log).", valueName: "file"))
    var logFile: String?

    @Option(help: ArgumentHelp("Lock directory the jobs use (default: as for every command, see --lock-dir there).", valueName: "dir"))
    var lockDir: String?

    @Option(help: ArgumentHelp("Metrics file the jobs update; adds an hourly scan for file counts and health.", valueName: "file"))
    var metricsFile: String?

    @Flag(help: "Write the block into your crontab instead of printing it.")
    var install = false

    @Flag(help: "Remove amoro's block from your crontab.")
    var uninstall = false

    func validate() throws {
        if install && uninstall { throw ValidationError("--install and --uninstall exclude each other.") }
        if !uninstall && tables.isEmpty && !all { throw ValidationError("Name at least one table, or use --all.") }
        if uninstall && (!tables.isEmpty || all) { throw ValidationError("--uninstall takes no tables.") }
    }

    func run() async throws {
        // Reading properties is not work on the tables: their summary lines are for --log-level debug.
        let runner = TableRunner(command: "schedule", summaryLevel: .debug)
        try await runner.run {
            if uninstall {
                let crontab = CrontabProgram()
                try crontab.write(Crontab.replaceBlock(in: try crontab.read(), with: nil))
                runner.log.info("amoro schedule: removed amoro's block from the crontab")
                return
            }
            let selected = try await TableSelectionOptions(tables: tables, all: all).resolve(with: catalogOptions)
            var schedules: [TableSchedule] = []
            for table in selected {
                await runner.table(table.identifier) {
                    var properties: [String: String]
                    if let paimon = table.paimon {
                        // Paimon tables: compaction, expiry and orphan cleaning as their options (and Amoro's switches
                        // among them) say; Paimon has no dangling delete files.
                        do throws(PaimonError) { properties = try await paimon.latestSchema().options } catch { throw AmoroError.paimon(error) }
                        properties["clean-dangling-delete-files.enabled"] = "false"
                    } else {
                        properties = try await table.catalog.loadTable(table.identifier).metadata.properties
                    }
                    let direct = table.catalog is DirectTableCatalog
                    schedules.append(TableSchedule(
                        table: table.identifier.description,
                        namespace: direct ? nil : table.identifier.namespace.joined(separator: "."),
                        optimizing: try OptimizingConfig(tableProperties: properties, catalogProperties: table.catalogProperties),
                        maintenance: try MaintenanceConfig(tableProperties: properties, catalogProperties: table.catalogProperties),
                        manifests: try ManifestRewriteConfig(tableProperties: properties, catalogProperties: table.catalogProperties),
                        dataExpiration: try DataExpirationConfig(tableProperties: properties, catalogProperties: table.catalogProperties),
                        tags: try AutoTagConfig(tableProperties: properties, catalogProperties: table.catalogProperties)))
                }
            }
            var catalogTables: [String: Set<String>] = [:]
            if let catalog = selected.first(where: { !($0.catalog is DirectTableCatalog) })?.catalog {
                for identifier in try await TableSelection.resolve([], all: true, in: catalog) {
                    catalogTables[identifier.namespace.joined(separator: "."), default: []].insert(identifier.description)
                }
            }
            let block = try Crontab.render(schedules.sorted { $0.table < $1.table }, catalogTables: catalogTables,
                settings: try settings())
            guard install else {
                print(block, terminator: "")
                return
            }
            let crontab = CrontabProgram()
            try crontab.write(Crontab.replaceBlock(in: try crontab.read(), with: block))
            let logDirectory = ((try settings().logFile) as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
            runner.log.info("amoro schedule: installed \(block.split(separator: "\n").filter { !$0.hasPrefix("#") }.count) lines into the crontab")
        }
    }

    /// What every line shares: this binary, the configuration it used, the lock directory, log and metrics files.
    private func settings() throws -> Crontab.Settings {
        let environment = ProcessInfo.processInfo.environment
        let current = FileManager.default.currentDirectoryPath
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: current, isDirectory: true)).path
        }
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        var catalogArguments: [String] = []
        var lineEnvironment: [(String, String)] = []
        let source = try catalogOptions.configuration().source
        if FileManager.default.fileExists(atPath: source) {
            catalogArguments += ["--config", absolute(source)]
        } else if let home = environment["AMORO_HOME"], !home.isEmpty {
            lineEnvironment.append(("AMORO_HOME", absolute(home)))
        }
        if let catalog = catalogOptions.catalog { catalogArguments += ["--catalog", catalog] }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return Crontab.Settings(
            binary: absolute(binary), catalogArguments: catalogArguments, environment: lineEnvironment,
            logFile: absolute(logFile ?? "\(CatalogConfig.home(environment: environment, homeDirectory: home))/log/amoro.log"),
            lockDirectory: absolute(lockDir ?? OperationsSettings().lockDirectory),
            metricsFile: metricsFile.map(absolute))
    }
}
