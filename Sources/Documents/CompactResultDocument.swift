import Execution
import IcebergSpec
import JSONCoding
import Planning

/// The `amoro.compact-result` document (version 1): what `amoro compact` (or `amoro commit`, the commit stage of a
/// compaction run elsewhere) did to one table's plan.
package struct CompactResultDocument: Document {
    package static let kind = "amoro.compact-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", conflict, locked, failed
        /// `amoro commit` only: a task had no result that holds, so nothing was committed.
        case incomplete
    }

    /// What `amoro commit` made of the task results it read; absent from `amoro compact`'s documents.
    package struct Stage: Sendable, Equatable {
        package struct Refusal: Sendable, Equatable {
            package var taskId: Int
            package var attemptId: String
            package var reason: String

            package init(taskId: Int, attemptId: String, reason: String) {
                self.taskId = taskId
                self.attemptId = attemptId
                self.reason = reason
            }
        }

        package var tasksCommitted: [Int]
        package var tasksMissing: [Int]
        package var resultsRefused: [Refusal]
        /// Results that held but were not taken (another execution of their task was), and their files deleted.
        package var attemptsDiscarded: Int
        package var filesRemoved: [String]

        package init(tasksCommitted: [Int], tasksMissing: [Int], resultsRefused: [Refusal], attemptsDiscarded: Int,
            filesRemoved: [String])
        {
            self.tasksCommitted = tasksCommitted
            self.tasksMissing = tasksMissing
            self.resultsRefused = resultsRefused
            self.attemptsDiscarded = attemptsDiscarded
            self.filesRemoved = filesRemoved
        }
    }

    /// What was read and written; absent when the run failed before checking the plan.
    package struct Counts: Sendable, Equatable {
        package var dataFilesIn: Int
        package var bytesIn: Int64
        package var recordsIn: Int64
        package var dataFilesOut: Int
        package var bytesOut: Int64
        package var recordsOut: Int64
        package var deleteFilesRemoved: Int
        /// Delete files the plan named for removal that stay, since a data file they apply to is not rewritten.
        package var deleteFilesKept: [String]
        package var deleteFilesAdded: Int
        /// Data files whose row groups were copied as stored.
        package var dataFilesMerged: Int
        package var commitAttempts: Int

        package init(dataFilesIn: Int, bytesIn: Int64, recordsIn: Int64, dataFilesOut: Int, bytesOut: Int64,
            recordsOut: Int64, deleteFilesRemoved: Int, deleteFilesKept: [String], deleteFilesAdded: Int,
            dataFilesMerged: Int, commitAttempts: Int)
        {
            self.dataFilesIn = dataFilesIn
            self.bytesIn = bytesIn
            self.recordsIn = recordsIn
            self.dataFilesOut = dataFilesOut
            self.bytesOut = bytesOut
            self.recordsOut = recordsOut
            self.deleteFilesRemoved = deleteFilesRemoved
            self.deleteFilesKept = deleteFilesKept
            self.deleteFilesAdded = deleteFilesAdded
            self.dataFilesMerged = dataFilesMerged
            self.commitAttempts = commitAttempts
        }
    }

    package var catalog: String
    package var table: String
    package var status: Status
    package var level: OptimizingLevel?
    package var plannedSnapshotId: Int64?
    package var snapshotId: Int64?
    package var counts: Counts?
    package var stage: Stage?
    package var error: String?
    package var durationMs: Int64

    package init(catalog: String, table: String, status: Status, level: OptimizingLevel?, plannedSnapshotId: Int64?,
        snapshotId: Int64?, counts: Counts?, stage: Stage? = nil, error: String?, durationMs: Int64)
    {
        self.stage = stage
        self.catalog = catalog
        self.table = table
        self.status = status
        self.level = level
        self.plannedSnapshotId = plannedSnapshotId
        self.snapshotId = snapshotId
        self.counts = counts
        self.error = error
        self.durationMs = durationMs
    }

    /// The document of one plan's run: its result, or the error it failed with, or `locked` when it was skipped.
    package init(plan: OptimizingPlan, result: CompactAction.Result?, failure: (any Error)?, locked: Bool, durationMs: Int64) {
        let status = Self.status(result?.status.rawValue, failure: failure, locked: locked)
        let counts = result.map { result in
            Counts(
                dataFilesIn: result.dataFilesIn, bytesIn: result.bytesIn, recordsIn: result.recordsIn,
                dataFilesOut: result.dataFilesOut, bytesOut: result.bytesOut, recordsOut: result.recordsOut,
                deleteFilesRemoved: result.deleteFilesRemoved, deleteFilesKept: result.deleteFilesKept,
                deleteFilesAdded: result.deleteFilesAdded, dataFilesMerged: result.dataFilesMerged,
                commitAttempts: result.commitAttempts)
        }
        self.init(catalog: plan.catalog, table: plan.table, status: status, level: plan.level, plannedSnapshotId: plan.snapshotId,
            snapshotId: result?.snapshotId, counts: counts, error: failure.map { "\($0)" }, durationMs: durationMs)
    }

    /// The document of one plan's commit stage (`amoro commit`): as `compact`'s, with what became of the results.
    package init(plan: OptimizingPlan, commit: TaskResultsCommit.Outcome?, failure: (any Error)?, locked: Bool, durationMs: Int64) {
        self.init(plan: plan, result: commit?.result, failure: failure, locked: locked, durationMs: durationMs)
        guard let commit else { return }
        if commit.incomplete { status = .incomplete }
        stage = Stage(
            tasksCommitted: commit.tasksCommitted, tasksMissing: commit.tasksMissing,
            resultsRefused: commit.refused.map { Stage.Refusal(taskId: $0.taskId, attemptId: $0.attemptId, reason: $0.reason) },
            attemptsDiscarded: commit.attemptsDiscarded, filesRemoved: commit.filesRemoved)
    }

    /// A run's status: `locked` when it was skipped, else its result's (`resultStatus`), else its failure's.
    static func status(_ resultStatus: String?, failure: (any Error)?, locked: Bool) -> Status {
        if locked { return .locked }
        if let resultStatus { return Status(rawValue: resultStatus) ?? .failed }
        return failure.map { Status(rawValue: FailureStatus($0).rawValue) ?? .failed } ?? .failed
    }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(catalog)),
            ("table", .string(table)), ("status", .string(status.rawValue)), ("level", level.map { .string($0.rawValue) } ?? .null),
            ("planned_snapshot_id", plannedSnapshotId.map(JSON.int) ?? .null), ("snapshot_id", snapshotId.map(JSON.int) ?? .null),
        ]
        if let counts {
            members += [
                ("data_files_in", .int(Int64(counts.dataFilesIn))), ("bytes_in", .int(counts.bytesIn)),
                ("records_in", .int(counts.recordsIn)), ("data_files_out", .int(Int64(counts.dataFilesOut))),
                ("bytes_out", .int(counts.bytesOut)), ("records_out", .int(counts.recordsOut)),
                ("delete_files_removed", .int(Int64(counts.deleteFilesRemoved))),
                ("delete_files_kept", .array(counts.deleteFilesKept.map(JSON.string))),
                ("delete_files_added", .int(Int64(counts.deleteFilesAdded))),
                ("data_files_merged", .int(Int64(counts.dataFilesMerged))),
                ("commit_attempts", .int(Int64(counts.commitAttempts))),
            ]
        }
        if let stage {
            members += [
                ("tasks_committed", .array(stage.tasksCommitted.map { .int(Int64($0)) })),
                ("tasks_missing", .array(stage.tasksMissing.map { .int(Int64($0)) })),
                ("results_refused", .array(stage.resultsRefused.map {
                    .object([("task_id", .int(Int64($0.taskId))), ("attempt_id", .string($0.attemptId)), ("reason", .string($0.reason))])
                })),
                ("attempts_discarded", .int(Int64(stage.attemptsDiscarded))),
                ("files_removed", .array(stage.filesRemoved.map(JSON.string))),
            ]
        }
        members.append(("error", error.map(JSON.string) ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    private static let countMembers = [
        "data_files_in", "bytes_in", "records_in", "data_files_out", "bytes_out", "records_out", "delete_files_removed",
        "delete_files_kept", "delete_files_added", "data_files_merged", "commit_attempts",
    ]

    private static let stageMembers = ["tasks_committed", "tasks_missing", "results_refused", "attempts_discarded", "files_removed"]

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        var stage: Stage?
        if try fields.group(Self.stageMembers) {
            stage = Stage(
                tasksCommitted: try fields.taskIds("tasks_committed"), tasksMissing: try fields.taskIds("tasks_missing"),
                resultsRefused: try fields.objects("results_refused") { (refusal) throws(DocumentError) in
                    Stage.Refusal(taskId: try refusal.small("task_id"), attemptId: try refusal.string("attempt_id"),
                        reason: try refusal.string("reason"))
                },
                attemptsDiscarded: try fields.small("attempts_discarded"), filesRemoved: try fields.strings("files_removed"))
        }
        var counts: Counts?
        if try fields.group(Self.countMembers) {
            counts = Counts(
                dataFilesIn: try fields.small("data_files_in"), bytesIn: try fields.int("bytes_in"),
                recordsIn: try fields.int("records_in"), dataFilesOut: try fields.small("data_files_out"),
                bytesOut: try fields.int("bytes_out"), recordsOut: try fields.int("records_out"),
                deleteFilesRemoved: try fields.small("delete_files_removed"), deleteFilesKept: try fields.strings("delete_files_kept"),
                deleteFilesAdded: try fields.small("delete_files_added"), dataFilesMerged: try fields.small("data_files_merged"),
                commitAttempts: try fields.small("commit_attempts"))
        }
        self.init(
            catalog: try fields.string("catalog"), table: try fields.string("table"), status: try fields.value("status", as: Status.self),
            level: try fields.optionalValue("level", as: OptimizingLevel.self),
            plannedSnapshotId: try fields.optionalInt("planned_snapshot_id", Int64.min...Int64.max),
            snapshotId: try fields.optionalInt("snapshot_id", Int64.min...Int64.max), counts: counts, stage: stage,
            error: try fields.optionalString("error"), durationMs: try fields.int("duration_ms"))
    }

    /// One line: the table, its status, files and bytes in and out, the snapshot; then the error, if any.
    package func rendered() -> String {
        var line = "\(table): \(status.rawValue)"
        if let counts {
            line += ", \(counts.dataFilesIn) files (\(ByteCount.format(counts.bytesIn))) → \(counts.dataFilesOut) files (\(ByteCount.format(counts.bytesOut)))"
            if counts.dataFilesMerged > 0 { line += " (\(counts.dataFilesMerged) merged by row group)" }
            line += ", \(counts.deleteFilesRemoved) delete files removed, \(counts.deleteFilesAdded) added"
        }
        if let snapshotId { line += ", snapshot \(snapshotId)" }
        if let stage {
            line += ", tasks \(stage.tasksCommitted.count) committed"
            if !stage.tasksMissing.isEmpty { line += ", \(stage.tasksMissing.count) without a result" }
            if !stage.resultsRefused.isEmpty { line += ", \(stage.resultsRefused.count) results refused" }
            if stage.attemptsDiscarded > 0 { line += ", \(stage.attemptsDiscarded) duplicate attempts discarded" }
        }
        if let error { line += "\n  \(error)" }
        return line
    }
}

extension DocumentFields {
    /// An array of task ids.
    fileprivate func taskIds(_ key: String) throws(DocumentError) -> [Int] {
        guard let ids = try optionalInts(key) else { throw error(key, "must be an array") }
        return try ids.map { (id) throws(DocumentError) in
            guard id <= Int64(Int32.max) else { throw error(key, "holds \(id), not a task id") }
            return Int(id)
        }
    }
}
