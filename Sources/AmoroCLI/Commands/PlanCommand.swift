import ArgumentParser
import Catalogs
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Planning
import Storage

/// `amoro plan`: optimizing plans for tables, as Apache Amoro's planner would make them.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan self-optimizing for tables, or for the tables of scan documents read from stdin.",
        discussion: """
            Prints one amoro.plan document per table (man 5 amoro-plan describes every field), ready for \
            `amoro compact`. Levels: minor plans partitions whose minor triggers hold; major adds those needing \
            major; full rewrites every partition that full optimizing would touch, now; auto (the default) plans \
            every partition at the level Amoro would pick. Partitions are taken most costly first until the \
            budget is spent. Nothing is written.

            PAIMON append tables are planned by Paimon's own rules (format: paimon plans, man 5 amoro-plan): per \
            partition and bucket, files below 70% of target-file-size, packed as Paimon's compact coordinator packs \
            them (bucket = -1) or as windows of consecutive files in sequence order (fixed buckets), once \
            compaction.min.file-num (5) files are due; --level full takes every such run of three files or more. \
            Primary-key tables (merge engines deduplicate, first-row, partial-update, aggregation) get Paimon's \
            universal compaction per bucket: minor takes the newest sorted runs that size amplification, size ratio \
            or the run count pick into the level Paimon would choose; major also lifts every level-0 file out of \
            level 0; full merges every run into the top level; auto is full once full-compaction.delta-commits \
            delta commits followed the last full compaction, else minor. Changelog producers, \
            sequence.snapshot-ordering, sequence groups outside partial-update and deletion vectors of append tables \
            are refused.
            """)

    @OptionGroup var catalogOptions: CatalogOptions

    @Argument(help: ArgumentHelp("Tables: namespace.table, globs such as 'db.*', or locations; omit to read amoro.scan documents from stdin.",
        valueName: "table"))
    var tables: [String] = []

    @Flag(help: "Every table of the catalog.")
    var all = false

    @Option(help: "minor, major, full or auto.")
    var level: Planner.Level = .auto

    @Option(help: "Stop adding partitions once their cost passes this many bytes (default: 512 MiB per core).")
    var budgetBytes: Int64?

    @Option(help: "At most this many tasks per table.")
    var maxTasks: Int?

    @Option(help: ArgumentHelp("""
        This run repeats every DURATION (30s, 5min, 1h), as the crontab of `amoro schedule` runs it: a trigger \
        interval that falls due within half of DURATION counts as passed, so the run nearest its due time takes \
        it instead of the next one (without it, an hourly run against an hourly interval would optimize every \
        other hour).
        """, valueName: "duration"))
    var scheduledEvery: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    @Option(help: .hidden)
    var nowMs: Int64?

    /// Half the schedule's period: how early a trigger interval may be taken.
    private var triggerSlackMs: Int64 { scheduledEvery.flatMap(MaintenanceInputs.duration).map { $0 / 2 } ?? 0 }

    func validate() throws {
        if let scheduledEvery, (MaintenanceInputs.duration(scheduledEvery) ?? 0) <= 0 {
            throw ValidationError("--scheduled-every \(scheduledEvery): expected a positive duration such as 30s, 10min or 1h")
        }
        if let budgetBytes, budgetBytes <= 0 { throw ValidationError("--budget-bytes must be positive.") }
        if let maxTasks, maxTasks <= 0 { throw ValidationError("--max-tasks must be positive.") }
    }

    func run() async throws {
        let runner = TableRunner(command: "plan", operations: operations)
        let limits = Planner.Limits(
            budgetBytes: budgetBytes ?? Int64(512 << 20) * Int64(ProcessInfo.processInfo.activeProcessorCount),
            maxTasks: maxTasks)
        try await runner.run {
            let now = nowMs ?? Int64(Date().timeIntervalSince1970 * 1000)
            for selected in try await targets() {
                if let paimon = selected.paimon {
                    await runner.table(selected.identifier) {
                        let plan = try await PaimonCompactionPlanner.plan(
                            paimon, catalog: selected.catalog.name, name: selected.identifier.description, level: level.rawValue,
                            limits: .init(budgetBytes: limits.budgetBytes, maxTasks: limits.maxTasks), nowMs: now)
                        emit(PaimonPlanDocument(plan), output.format)
                    }
                    continue
                }
                await runner.table(selected.identifier) {
                    let table = try await selected.catalog.loadTable(selected.identifier)
                    let health = try await HealthScan.run(table: table, catalog: selected.catalog,
                        catalogProperties: selected.catalogProperties, nowMs: now, forceFull: level == .full, collectFiles: true,
                        triggerSlackMs: triggerSlackMs)
                    let plan = Planner.plan(health, level: level, limits: limits, metadataLocation: table.metadataLocation,
                        sortOrder: table.metadata.defaultSortOrder.flatMap { $0.fields.isEmpty ? nil : $0 })
                    emit(plan, output.format)
                }
            }
        }
    }

    /// The tables named on the command line, or those of the scan documents on stdin.
    private func targets() async throws -> [SelectedTable] {
        if !tables.isEmpty || all {
            return try await TableSelectionOptions(tables: tables, all: all).resolve(with: catalogOptions)
        }
        var names: [String] = []
        var catalogName: String?
        while let line = readLine(strippingNewline: true) {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let document: (catalog: String, table: String)
            do {
                let json = try JSON.parse(line)
                if json["format"]?.stringValue == PaimonScanDocument.format, let catalog = json["catalog"]?.stringValue,
                    let table = json["table"]?.stringValue
                {
                    document = (catalog, table)
                } else {
                    let scan = try ScanDocument(json: json)
                    document = (scan.catalog, scan.table)
                }
            } catch {
                throw InputError("stdin: \(error)")
            }
            names.append(document.table)
            if document.catalog != "direct" { catalogName = document.catalog }
        }
        guard !names.isEmpty else { throw ValidationError("Name at least one table, use --all, or pipe amoro scan documents in.") }
        var options = catalogOptions
        if options.catalog == nil { options.catalog = catalogName }
        return try await TableSelectionOptions(tables: names, all: false).resolve(with: options)
    }
}

extension Planner.Level: ExpressibleByArgument {}

/// Input on stdin is not what the command reads.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
