import ArgumentParser
import Catalogs
import Documents
import Execution
import Foundation
import Iceberg
import JSONCoding
import Planning
import Storage

/// `amoro compact`: executes plan documents and commits one Iceberg `replace` snapshot per table.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Execute optimizing plans: rewrite files, apply deletes, commit one replace snapshot per table.",
        discussion: """
            Reads amoro.plan documents (one per line) from --plan or standard input. Each plan is checked against \
            its table first (UUID, planned snapshot, files still live, every path inside the table location); a \
            plan that no longer matches is refused and nothing is written. Prints one amoro.compact-result \
            document per table: status committed, nothing-to-do, dry-run, conflict, locked (another run holds the \
            table's lock; it was skipped) or failed. Each table is locked while it is rewritten (see --lock-dir). \
            Tables with Apache Amoro's self-optimizing.rewrite.use-parquet-row-group-merge.enabled=true have \
            eligible tasks merged by copying their Parquet row groups as stored (no deletes, no sort order, format \
            version below 3, row groups averaging at least ….min-avg-row-group-size-bytes, default 8 MiB); \
            data_files_merged counts their files.
            """)

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: ArgumentHelp("Plan documents to execute (default: standard input).", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var plan: String?

    @Option(help: "Tasks rewritten at once (default: the number of cores).")
    var parallelism: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Check the plans and print what would be rewritten and committed; write nothing.")
    var dryRun = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    func validate() throws {
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1.") }
    }

    func run() async throws {
        let runner = TableRunner(command: "compact", operations: operations)
        try await runner.run {
            for document in try readPlans() {
                // The lock names the table as the plan does: catalog and name, or `direct` and the location.
                let catalogName = document.catalog == "direct" ? document.catalog : catalogOptions.catalog ?? document.catalog
                let target = Result { try catalogFor(document) }
                let started = Date()
                var failure: (any Error)?
                var result: CompactAction.Result?
                let status = await runner.run(table: document.table, catalog: catalogName,
                    catalogIdentity: (try? target.get())?.0.identity ?? "", lock: !dryRun,
                    leftoversOf: { let (catalog, identifier, _) = try target.get(); return (catalog, identifier) })
                {
                    let bar = runner.progressBar(for: document.table)
                    defer { bar.finish() }
                    do {
                        let (catalog, resolved, catalogProperties) = try target.get()
                        let finished = try await CompactAction.run(
                            document, identifier: resolved, catalog: catalog,
                            options: .init(parallelism: parallelism, dryRun: dryRun, catalogProperties: catalogProperties) {
                                Int64(Date().timeIntervalSince1970 * 1000)
                            },
                            progress: bar.update)
                        result = finished
                        return TableOutcome(finished, level: document.level?.rawValue)
                    } catch {
                        failure = error
                        throw error
                    }
                }
                let resultDocument = CompactResultDocument(plan: document, result: result, failure: failure,
                    locked: status == .locked, durationMs: Int64(Date().timeIntervalSince(started) * 1000))
                emit(resultDocument, output.format)
            }
        }
    }

    private func readPlans() throws -> [OptimizingPlan] {
        var lines: [String] = []
        if let plan {
            guard let text = try? String(contentsOfFile: plan, encoding: .utf8) else {
                throw FileMissing(description: "\(plan): no such file or not readable")
            }
            lines = text.split(separator: "\n").map(String.init)
        } else {
            while let line = readLine(strippingNewline: true) { lines.append(line) }
        }
        var documents: [OptimizingPlan] = []
        for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let source = "\(plan ?? "stdin") line \(number + 1)"
            do {
                documents.append(try OptimizingPlan(json: try JSON.parse(line)))
            } catch {
                throw InputError("\(source): \(error)")
            }
        }
        if documents.isEmpty { throw ValidationError("No plan documents: pipe amoro plan in, or use --plan FILE.") }
        return documents
    }

    /// A plan's catalog: the configured one it names (or --catalog), or the table's location for direct tables;
    /// with the catalog's properties.
    private func catalogFor(_ document: OptimizingPlan) throws -> (any Catalog, TableIdentifier, [String: String]) {
        if document.catalog == "direct" {
            let catalog = DirectTableCatalog(location: document.table, storage: catalogOptions.directStorage())
            return (catalog, catalog.identifier, [:])
        }
        var options = catalogOptions
        if options.catalog == nil { options.catalog = document.catalog }
        guard let identifier = TableIdentifier(parsing: document.table) else {
            throw InputError("plan names table '\(document.table)', which is not namespace.table")
        }
        let (catalog, properties) = try options.open()
        return (catalog, identifier, properties)
    }
}

extension TableOutcome {
    /// A compaction's outcome: what it read and wrote, and the snapshot it committed.
    init(_ result: CompactAction.Result, level: String?) {
        self.init(level: level)
        switch result.status {
        case .committed: status = .done
        case .nothingToDo: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        guard result.status != .nothingToDo else { return }
        filesIn = Int64(result.dataFilesIn)
        bytesIn = result.bytesIn
        if result.status == .committed {
            filesOut = Int64(result.dataFilesOut)
            bytesOut = result.bytesOut
            snapshotId = result.snapshotId
        }
    }
}
