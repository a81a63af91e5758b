import IcebergSpec
import JSONCoding

/// An optimizing plan for one table: what `amoro plan` decides and `amoro compact` executes, field for field the
/// `amoro.plan` document (`man/amoro-plan.5`). Its JSON form, decoding and terminal form are the `Documents`
/// target's; this value is what Planning makes and Execution checks against the table.
package struct OptimizingPlan: Sendable, Equatable {
    /// A data file a task rewrites (or whose deletes it re-expresses), with the deletes that apply to it.
    package struct File: Sendable, Equatable {
        package var path: String
        package var size: Int64
        package var records: Int64
        package var sequenceNumber: Int64
        /// Paths of the delete files that apply to it, sorted.
        package var deletes: [String]

        package init(path: String, size: Int64, records: Int64, sequenceNumber: Int64, deletes: [String]) {
            self.path = path
            self.size = size
            self.records = records
            self.sequenceNumber = sequenceNumber
            self.deletes = deletes
        }
    }

    /// A delete file a task's files need, and whether the plan removes it at commit.
    package struct DeleteFile: Sendable, Equatable {
        package var path: String
        package var content: PartitionEvaluator.Delete.Kind
        package var size: Int64
        package var records: Int64
        package var sequenceNumber: Int64
        package var removed: Bool

        package init(path: String, content: PartitionEvaluator.Delete.Kind, size: Int64, records: Int64, sequenceNumber: Int64,
            removed: Bool)
        {
            self.path = path
            self.content = content
            self.size = size
            self.records = records
            self.sequenceNumber = sequenceNumber
            self.removed = removed
        }
    }

    /// One partition value: the partition field's name and Iceberg's JSON single-value form (null for null).
    package struct PartitionValue: Sendable, Equatable {
        package var name: String
        package var value: JSON

        package init(name: String, value: JSON) {
            self.name = name
            self.value = value
        }
    }

    /// One unit of rewriting work in one partition.
    package struct Task: Sendable, Equatable {
        package var id: Int
        package var specId: Int
        package var partition: String
        package var partitionValues: [PartitionValue]
        package var rewriteDataFiles: [File]
        package var rewritePositionFiles: [File]
        /// Every delete file the task's files need, once, by path.
        package var deleteFiles: [DeleteFile]

        package init(id: Int, specId: Int, partition: String, partitionValues: [PartitionValue], rewriteDataFiles: [File],
            rewritePositionFiles: [File], deleteFiles: [DeleteFile])
        {
            self.id = id
            self.specId = specId
            self.partition = partition
            self.partitionValues = partitionValues
            self.rewriteDataFiles = rewriteDataFiles
            self.rewritePositionFiles = rewritePositionFiles
            self.deleteFiles = deleteFiles
        }

        /// Bytes of the data files the task rewrites (the document's `input_bytes`).
        package var inputBytes: Int64 { rewriteDataFiles.reduce(0) { $0.saturatingAdd($1.size) } }
    }

    package static let kind = "amoro.plan"
    package static let version = 1

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var location: String
    package var metadataLocation: String
    /// The snapshot planned against: nil for a table without one.
    package var snapshotId: Int64?
    package var sequenceNumber: Int64?
    /// nil when nothing needs doing.
    package var level: OptimizingLevel?
    package var plannedAtMs: Int64
    package var targetSize: Int64
    package var taskCapacity: Int64
    /// The table's sort order for full optimizing of a sorted table; nil otherwise.
    package var sortOrder: SortOrder?
    package var budgetBytes: Int64
    package var maxTasks: Int?
    package var pendingPartitions: Int
    package var plannedPartitions: Int
    package var tasks: [Task]
    package var removedDeleteFiles: [String]

    package init(
        catalog: String, table: String, tableUUID: String?, location: String, metadataLocation: String, snapshotId: Int64?,
        sequenceNumber: Int64?, level: OptimizingLevel?, plannedAtMs: Int64, targetSize: Int64, taskCapacity: Int64,
        sortOrder: SortOrder?, budgetBytes: Int64, maxTasks: Int?, pendingPartitions: Int, plannedPartitions: Int, tasks: [Task],
        removedDeleteFiles: [String]
    ) {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.location = location
        self.metadataLocation = metadataLocation
        self.snapshotId = snapshotId
        self.sequenceNumber = sequenceNumber
        self.level = level
        self.plannedAtMs = plannedAtMs
        self.targetSize = targetSize
        self.taskCapacity = taskCapacity
        self.sortOrder = sortOrder
        self.budgetBytes = budgetBytes
        self.maxTasks = maxTasks
        self.pendingPartitions = pendingPartitions
        self.plannedPartitions = plannedPartitions
        self.tasks = tasks
        self.removedDeleteFiles = removedDeleteFiles
    }
}
