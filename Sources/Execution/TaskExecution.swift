import Foundation
import Iceberg
import IcebergSpec
import Planning
import Storage

/// The execute stage of a compaction: runs some or all tasks of a plan and reports each as a `TaskResult`,
/// committing nothing. Any number of processes on any hosts may run tasks of the same plan, each task any number
/// of times; `TaskResultsCommit` takes one result per task. The plan is checked against the table first, exactly
/// as `CompactAction` checks it, and tasks write where the table says, never where the plan says.
///
/// A task that fails is reported as `failed` (its files removed) without stopping the others; what an execution
/// killed mid-task leaves is never referenced by any commit, and clean-orphans removes it after its grace period.
package enum TaskExecution {
    package static func run(
        _ plan: OptimizingPlan, taskIds: Set<Int>?, identifier: TableIdentifier, catalog: any Catalog,
        options: CompactAction.Options, host: String, progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws(AmoroError) -> [TaskResult] {
        guard let identity = TaskResult.PlanIdentity(plan) else { return [] }
        if let taskIds {
            let planned = Set(plan.tasks.map(\.id))
            if let unknown = taskIds.subtracting(planned).min() {
                throw .invalidPlan(identifier, "task \(unknown) is not in the plan (its tasks: \(planned.sorted().map(String.init).joined(separator: ", ")))")
            }
        }
        guard let context = try await CompactAction.Context.load(plan, identifier: identifier, catalog: catalog, options: options)
        else { return [] }
        let tasks = context.checked.tasks.filter { taskIds?.contains($0.id) ?? true }
        let rowDeletes = context.rowDeletes
        let done = WorkProgressCounter(WorkProgress(
            filesTotal: tasks.reduce(0) { $0 + $1.rewriteDataFiles.count }, bytesTotal: tasks.saturatingSum(\.inputBytes)))
        progress(done.current)
        // Largest first, so the last tasks to start are short ones and workers finish close together.
        let largestFirst = tasks.sorted { $0.inputBytes > $1.inputBytes }
        let run = { @Sendable (task: CheckedPlan.Task) async -> TaskResult in
            let started = Date()
            var result = TaskResult(
                plan: identity, taskId: task.id, attemptId: UUID().uuidString.lowercased(), status: .succeeded,
                rewrittenFiles: task.rewriteDataFiles.map(\.entry.dataFile.filePath),
                reexpressedFiles: task.rewritePositionFiles.map(\.entry.dataFile.filePath),
                deletesApplied: Set((task.rewriteDataFiles + task.rewritePositionFiles).flatMap { $0.deletes.map(\.file.filePath) }).sorted(),
                dataFiles: [], deleteFiles: [], recordsIn: 0, mergedFiles: 0, error: nil, durationMs: 0, host: host)
            do {
                let output = try await context.execute(task, rowDeletes: rowDeletes)
                result.dataFiles = output.dataFiles
                result.deleteFiles = output.deleteFiles
                result.recordsIn = output.recordsIn
                result.mergedFiles = output.mergedFiles
            } catch {
                result.status = .failed
                result.error = "\(AmoroError.from(error, invalidating: context.table.metadata.location))"
            }
            result.durationMs = Int64(Date().timeIntervalSince(started) * 1000)
            progress(done.add(files: task.rewriteDataFiles.count, bytes: task.inputBytes))
            return result
        }
        // `run` reports a failure as a result; the map itself never throws.
        let results: [TaskResult]
        do { results = try await largestFirst.concurrentMap(limit: options.parallelism) { task throws(IcebergError) in await run(task) } }
        catch { throw .iceberg(error) }
        CrashPoint.afterDataFiles.reach()
        return results.sorted { $0.taskId < $1.taskId }
    }
}

extension TaskResult.PlanIdentity {
    /// The identity of a plan that has a planned snapshot.
    package init?(_ plan: OptimizingPlan) {
        guard let snapshotId = plan.snapshotId else { return nil }
        self.init(catalog: plan.catalog, table: plan.table, tableUUID: plan.tableUUID, plannedSnapshotId: snapshotId,
            plannedAtMs: plan.plannedAtMs)
    }
}
