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

            With --execute-only, compact is the execute stage of a compaction spread over processes or hosts: it \
            checks each plan, runs its tasks (or those --task names), commits nothing, and prints one \
            amoro.task-result document per task; `amoro commit` then commits the results (see amoro-commit(1)). \
            No table lock is taken, so any number of processes may execute tasks of the same plan. A failed task \
            is printed as failed and makes the exit status 1.

            PAIMON plans (format: paimon) are checked against the table's head (every file live in its partition \
            and bucket, with the planned size, inside the table location), rewritten into Parquet files of the \
            target size, and committed as one COMPACT snapshot replacing exactly their files, created only if \
            absent; a writer's commit in between is kept, and a lost race is retried while the inputs are live.
            """)

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: ArgumentHelp("Plan documents to execute (default: standard input).", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var plan: String?

    @Option(help: "Tasks rewritten at once (default: the number of cores).")
    var parallelism: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Check the plans and print what would be rewritten and committed; write nothing.")
    var dryRun = false

    @Flag(help: "Run the tasks and print one amoro.task-result document per task; commit nothing (see amoro commit).")
    var executeOnly = false

    @Option(name: .customLong("task"), help: ArgumentHelp("With --execute-only: run only this task of each plan (repeatable).",
        valueName: "id"))
    var tasks: [Int] = []

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    func validate() throws {
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1.") }
        if !tasks.isEmpty && !executeOnly { throw ValidationError("--task needs --execute-only.") }
        if executeOnly && dryRun { throw ValidationError("--execute-only and --dry-run exclude each other.") }
    }

    func run() async throws {
        let runner = TableRunner(command: "compact", operations: operations)
        if executeOnly { return try await executeTasks(runner) }
        try await runner.run {
            let (plans, paimonPlans) = try readPlans()
            for plan in paimonPlans { await compactPaimon(plan, runner) }
            for document in plans {
                // The lock names the table as the plan does: catalog and name, or `direct` and the location.
                let catalogName = document.catalog == "direct" ? document.catalog : catalogOptions.catalog ?? document.catalog
                let target = Result { try catalogOptions.open(for: document) }
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

    /// The Iceberg and the Paimon (`format: paimon`) plans read.
    private func readPlans() throws -> ([OptimizingPlan], [PaimonCompactionPlan]) {
        let documents: [Either] = try DocumentInput.read(from: plan) { json in
            PaimonPlanDocument.isPaimon(json) ? .paimon(try PaimonPlanDocument(json: json).plan) : .iceberg(try OptimizingPlan(json: json))
        }
        if documents.isEmpty { throw ValidationError("No plan documents: pipe amoro plan in, or use --plan FILE.") }
        return (documents.compactMap { if case .iceberg(let plan) = $0 { plan } else { nil } },
            documents.compactMap { if case .paimon(let plan) = $0 { plan } else { nil } })
    }

    private enum Either {
        case iceberg(OptimizingPlan)
        case paimon(PaimonCompactionPlan)
    }

    /// One Paimon plan: checked, rewritten and committed as a COMPACT snapshot under the table's lock.
    private func compactPaimon(_ plan: PaimonCompactionPlan, _ runner: TableRunner) async {
        let started = Date()
        var failure: (any Error)?
        var result: PaimonCompact.Result?
        let catalogName = plan.catalog == "direct" ? plan.catalog : catalogOptions.catalog ?? plan.catalog
        var options = catalogOptions
        if options.catalog == nil, plan.catalog != "direct" { options.catalog = plan.catalog }
        // The table is resolved first, so that the lock's journal of a killed earlier run can be swept against it.
        let target: Result<SelectedTable, any Error>
        do {
            let named = plan.catalog == "direct" ? plan.location : plan.table
            guard let selected = try await TableSelectionOptions(tables: [named], all: false).resolve(with: options).first,
                selected.paimon != nil
            else { throw InputError("\(plan.table) is not a Paimon table, but the plan is a Paimon plan") }
            target = .success(selected)
        } catch {
            target = .failure(error)
        }
        let status = await runner.run(table: plan.table, catalog: catalogName, lock: !dryRun, paimon: try? target.get().paimon) {
            do {
                let selected = try target.get()
                let table = selected.paimon!
                let finished = try await PaimonCompact.run(plan, table: table, identifier: selected.identifier,
                    options: .init(parallelism: parallelism, dryRun: dryRun) { Int64(Date().timeIntervalSince1970 * 1000) })
                result = finished
                var outcome = TableOutcome(level: plan.level)
                switch finished.status {
                case .committed: outcome.status = .done
                case .nothingToDo: outcome.status = .nothingToDo
                case .dryRun: outcome.status = .dryRun
                }
                outcome.filesIn = Int64(finished.filesIn)
                outcome.bytesIn = finished.bytesIn
                outcome.filesOut = Int64(finished.filesOut)
                outcome.bytesOut = finished.bytesOut
                outcome.snapshotId = finished.snapshotId
                return outcome
            } catch {
                failure = error
                throw error
            }
        }
        emit(CompactResultDocument(paimon: plan, result: result, failure: failure, locked: status == .locked,
            durationMs: Int64(Date().timeIntervalSince(started) * 1000)), output.format)
    }

    /// The execute stage: each plan's tasks run and reported, nothing committed, no lock taken.
    private func executeTasks(_ runner: TableRunner) async throws {
        let host = ProcessInfo.processInfo.hostName
        try await runner.run {
            let (plans, paimonPlans) = try readPlans()
            if !paimonPlans.isEmpty { throw ValidationError("--execute-only runs Iceberg plans; Paimon plans are compacted and committed in one run.") }
            for document in plans {
                let catalogName = document.catalog == "direct" ? document.catalog : catalogOptions.catalog ?? document.catalog
                await runner.run(table: document.table, catalog: catalogName) {
                    let bar = runner.progressBar(for: document.table)
                    defer { bar.finish() }
                    let (catalog, resolved, catalogProperties) = try catalogOptions.open(for: document)
                    let results = try await TaskExecution.run(
                        document, taskIds: tasks.isEmpty ? nil : Set(tasks), identifier: resolved, catalog: catalog,
                        options: .init(parallelism: parallelism, dryRun: false, catalogProperties: catalogProperties) {
                            Int64(Date().timeIntervalSince1970 * 1000)
                        },
                        host: host, progress: bar.update)
                    for result in results { emit(TaskResultDocument(result), output.format) }
                    let failed = results.filter { $0.status == .failed }.map(\.taskId)
                    if !failed.isEmpty {
                        throw AmoroError.refused(resolved, "tasks \(failed.map(String.init).joined(separator: ", ")) failed")
                    }
                    var outcome = TableOutcome(level: document.level?.rawValue)
                    outcome.status = results.isEmpty ? .nothingToDo : .done
                    outcome.filesOut = Int64(results.reduce(0) { $0 + $1.dataFiles.count })
                    outcome.bytesOut = results.reduce(Int64(0)) { $0.saturatingAdd($1.dataFiles.saturatingSum(\.fileSizeInBytes)) }
                    return outcome
                }
            }
        }
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
            rewrite = result.rewrite
        }
    }
}
