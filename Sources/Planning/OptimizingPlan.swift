import IcebergSpec
import JSONCoding

/// An optimizing plan for one table: the `amoro.plan` document `amoro plan` prints and `amoro compact` executes.
/// Its fields are described in `man/amoro-plan.5`.
package struct OptimizingPlan: Sendable {
    /// One unit of rewriting work in one partition.
    package struct Task: Sendable {
        package var id = 0
        package var specId: Int
        package var partition: String
        package var partitionValues: [(String, Literal?)]
        package var rewriteDataFiles: [PartitionEvaluator.Candidate]
        package var rewritePositionFiles: [PartitionEvaluator.Candidate]
        /// Delete files the plan removes at commit (the same set for every task of the plan).
        var removedDeletes: Set<String> = []

        init(report: TableHealth.PartitionReport, rewrite: [PartitionEvaluator.Candidate], positions: [PartitionEvaluator.Candidate]) {
            specId = report.specId
            partition = report.path
            partitionValues = report.values
            rewriteDataFiles = rewrite
            rewritePositionFiles = positions
        }

        package var inputBytes: Int64 { rewriteDataFiles.reduce(0) { $0 + $1.sizeInBytes } }

        /// Every delete file the task's files need, once.
        package var deleteFiles: [PartitionEvaluator.Delete] {
            var seen = Set<String>()
            var deletes: [PartitionEvaluator.Delete] = []
            for file in rewriteDataFiles + rewritePositionFiles {
                for delete in file.deletes where seen.insert(delete.path).inserted { deletes.append(delete) }
            }
            return deletes.sorted { $0.path < $1.path }
        }
    }

    package let header: TableHealth.Header
    package let metadataLocation: String
    /// nil when nothing needs doing.
    package let level: OptimizingLevel?
    package let config: OptimizingConfig
    package let sortOrder: SortOrder?
    package let limits: Planner.Limits
    package let tasks: [Task]
    package let removedDeleteFiles: [String]
    package let plannedPartitions: Int
    package let pendingPartitions: Int

    package static let kind = "amoro.plan"
    package static let version = 1

    package var json: JSON {
        func file(_ candidate: PartitionEvaluator.Candidate) -> JSON {
            .object([
                ("path", .string(candidate.path)), ("size", .int(candidate.sizeInBytes)), ("records", .int(candidate.recordCount)),
                ("sequence_number", .int(candidate.sequenceNumber)),
                ("deletes", .array(candidate.deletes.map(\.path).sorted().map(JSON.string))),
            ])
        }
        let taskDocuments: [JSON] = tasks.map { task in
            let deletes: [JSON] = task.deleteFiles.map { delete in
                .object([
                    ("path", .string(delete.path)), ("content", .string(delete.kind.rawValue)), ("size", .int(delete.sizeInBytes)),
                    ("records", .int(delete.recordCount)), ("sequence_number", .int(delete.sequenceNumber)),
                    ("removed", .bool(task.removedDeletes.contains(delete.path))),
                ])
            }
            return .object([
                ("id", .int(Int64(task.id))), ("spec_id", .int(Int64(task.specId))), ("partition", .string(task.partition)),
                ("partition_values", .object(task.partitionValues.map { ($0.0, $0.1?.json ?? .null) })),
                ("input_bytes", .int(task.inputBytes)),
                ("rewrite_data_files", .array(task.rewriteDataFiles.map(file))),
                ("rewrite_position_files", .array(task.rewritePositionFiles.map(file))),
                ("delete_files", .array(deletes)),
            ])
        }
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))),
            ("catalog", .string(header.catalog)), ("table", .string(header.table)),
            ("table_uuid", header.tableUUID.map(JSON.string) ?? .null), ("location", .string(header.location)),
            ("metadata_location", .string(metadataLocation)),
        ]
        members.append(("snapshot_id", header.snapshot.map { .int($0.snapshotId) } ?? .null))
        members.append(("sequence_number", header.snapshot.map { .int($0.sequenceNumber) } ?? .null))
        members.append(("level", level.map { .string($0.rawValue) } ?? .null))
        members.append(("planned_at_ms", .int(header.scannedAtMs)))
        members.append(("target_size", .int(config.targetSize)))
        members.append(("task_capacity", .int(config.taskCapacity)))
        members.append(("sort_order", sortOrder.map(\.json) ?? .null))
        members.append(("budget_bytes", .int(limits.budgetBytes)))
        members.append(("max_tasks", limits.maxTasks.map { .int(Int64($0)) } ?? .null))
        members.append(("pending_partitions", .int(Int64(pendingPartitions))))
        members.append(("planned_partitions", .int(Int64(plannedPartitions))))
        members.append(("tasks", .array(taskDocuments)))
        members.append(("removed_delete_files", .array(removedDeleteFiles.map(JSON.string))))
        return .object(members)
    }
}
