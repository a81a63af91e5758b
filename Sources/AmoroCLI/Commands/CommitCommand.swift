import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import Logging
import Planning

/// `amoro commit`: the commit stage of a compaction whose tasks ran elsewhere (`amoro compact --execute-only`).
struct CommitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Commit the task results of compaction plans run elsewhere as one replace snapshot per table.",
        discussion: """
            Reads amoro.plan documents from --plan and the amoro.task-result documents that \
            `amoro compact --execute-only` printed for their tasks from --results or standard input (in any order, \
            from any number of processes, retries and duplicates included). Each plan is checked against its table \
            as compact checks it; then one result is taken per task, the first that holds: a succeeded result of \
            that plan and task, naming the task's input files, whose outputs are in the task's directory with the \
            sizes, rows and metrics their own footers state (delete files must be byte for byte what the task's \
            deletes make). With a result for every task, they are committed as one replace snapshot, exactly as \
            compact commits; otherwise nothing is committed (status incomplete, exit status 1) unless the table \
            sets self-optimizing.allow-partial-commit=true, when the tasks that hold are committed. After a commit, \
            the outputs of the other results that hold (retried or duplicated executions) are deleted where no \
            snapshot reaches them; files of results that do not hold are never touched (clean-orphans removes them \
            after its grace period). Prints one amoro.compact-result document per plan, with tasks_committed, \
            tasks_missing, results_refused (and why), attempts_discarded and files_removed.
            """)

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(help: ArgumentHelp("Plan documents whose task results to commit.", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var plan: String

    @Option(help: ArgumentHelp("Task-result documents (default: standard input).", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var results: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        let runner = TableRunner(command: "commit", operations: operations)
        try await runner.run {
            let plans = try DocumentInput.read(from: plan) { try OptimizingPlan(json: $0) }
            if plans.isEmpty { throw ValidationError("No plan documents in \(plan).") }
            let taskResults = try DocumentInput.read(from: results) { try TaskResultDocument(json: $0).result }
            let planned = Set(plans.compactMap { TaskResult.PlanIdentity($0) })
            let strays = taskResults.filter { !planned.contains($0.plan) }.count
            if strays > 0 { runner.log.warning("\(strays) task results belong to no plan given; they are ignored") }
            for document in plans {
                let catalogName = document.catalog == "direct" ? document.catalog : catalogOptions.catalog ?? document.catalog
                let target = Result { try catalogOptions.open(for: document) }
                let identity = TaskResult.PlanIdentity(document)
                let started = Date()
                var failure: (any Error)?
                var outcome: TaskResultsCommit.Outcome?
                let status = await runner.run(table: document.table, catalog: catalogName,
                    catalogIdentity: (try? target.get())?.0.identity ?? "", lock: true,
                    leftoversOf: { let (catalog, identifier, _) = try target.get(); return (catalog, identifier) })
                {
                    do {
                        let (catalog, resolved, catalogProperties) = try target.get()
                        let finished = try await TaskResultsCommit.run(
                            document, results: taskResults.filter { $0.plan == identity }, identifier: resolved, catalog: catalog,
                            options: .init(parallelism: ProcessInfo.processInfo.activeProcessorCount, dryRun: false,
                                catalogProperties: catalogProperties) { Int64(Date().timeIntervalSince1970 * 1000) })
                        outcome = finished
                        if finished.incomplete {
                            let missing = finished.tasksMissing.map(String.init).joined(separator: ", ")
                            throw AmoroError.refused(resolved, "no result holds for tasks \(missing); nothing committed")
                        }
                        return TableOutcome(finished.result, level: document.level?.rawValue)
                    } catch {
                        failure = error
                        throw error
                    }
                }
                emit(CompactResultDocument(plan: document, commit: outcome, failure: failure, locked: status == .locked,
                    durationMs: Int64(Date().timeIntervalSince(started) * 1000)), output.format)
            }
        }
    }
}
