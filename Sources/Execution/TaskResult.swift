import IcebergSpec

/// What one execution of one plan task produced: the execute stage's output (`amoro compact --execute-only`) and
/// the commit stage's input (`amoro commit`), field for field the `amoro.task-result` document.
///
/// A result is a claim, not a fact: the commit stage believes none of it until it has checked the files it names
/// against the table and the plan (`TaskResultCheck`).
package struct TaskResult: Sendable, Equatable {
    package enum Status: String, Sendable { case succeeded, failed }

    /// The plan the task belongs to: its table and the snapshot and time it was planned at.
    package struct PlanIdentity: Sendable, Equatable, Hashable {
        package var catalog: String
        package var table: String
        package var tableUUID: String?
        package var plannedSnapshotId: Int64
        package var plannedAtMs: Int64

        package init(catalog: String, table: String, tableUUID: String?, plannedSnapshotId: Int64, plannedAtMs: Int64) {
            self.catalog = catalog
            self.table = table
            self.tableUUID = tableUUID
            self.plannedSnapshotId = plannedSnapshotId
            self.plannedAtMs = plannedAtMs
        }
    }

    package var plan: PlanIdentity
    package var taskId: Int
    /// Unique per execution: retried and duplicated executions of a task are told apart by it.
    package var attemptId: String
    package var status: Status
    /// The data files the task rewrote, and those whose deletes it re-expressed.
    package var rewrittenFiles: [String]
    package var reexpressedFiles: [String]
    /// The delete files that applied to the task's files.
    package var deletesApplied: [String]
    package var dataFiles: [DataFile]
    package var deleteFiles: [DataFile]
    package var recordsIn: Int64
    package var mergedFiles: Int
    package var error: String?
    package var durationMs: Int64
    /// The host that ran it, for the operator.
    package var host: String

    package init(
        plan: PlanIdentity, taskId: Int, attemptId: String, status: Status, rewrittenFiles: [String], reexpressedFiles: [String],
        deletesApplied: [String], dataFiles: [DataFile], deleteFiles: [DataFile], recordsIn: Int64, mergedFiles: Int,
        error: String?, durationMs: Int64, host: String
    ) {
        self.plan = plan
        self.taskId = taskId
        self.attemptId = attemptId
        self.status = status
        self.rewrittenFiles = rewrittenFiles
        self.reexpressedFiles = reexpressedFiles
        self.deletesApplied = deletesApplied
        self.dataFiles = dataFiles
        self.deleteFiles = deleteFiles
        self.recordsIn = recordsIn
        self.mergedFiles = mergedFiles
        self.error = error
        self.durationMs = durationMs
        self.host = host
    }

    /// Every file the result says it wrote.
    package var outputs: [DataFile] { dataFiles + deleteFiles }
}
