import IcebergSpec
import JSONCoding

/// Turns a table's evaluation into an optimizing plan the way Apache Amoro's planner does: partitions by cost,
/// highest first, within a byte budget; per partition, undersized segments bin-packed first (pairs become tasks,
/// a lone one may still get its deletes re-expressed), then files to rewrite and files to re-delete packed
/// together first-fit into bins of `max(target-size, max-task-size-bytes)` by data size; tasks of one clean file
/// dropped. A delete file is removed by the plan only when every data file it applies to is in the plan.
package enum Planner {
    /// Which partitions a run plans.
    package enum Level: String, Sendable, CaseIterable {
        /// Every partition that needs optimizing, at the level it needs.
        case auto
        /// Partitions whose pending level is minor.
        case minor
        /// Partitions pending at minor or major.
        case major
        /// Full optimizing now, whatever the interval says (the evaluation must have been made with `forceFull`).
        case full

        func admits(_ pending: OptimizingLevel) -> Bool {
            switch self {
            case .auto, .full: true
            case .minor: pending == .minor
            case .major: pending <= .major
            }
        }
    }

    /// Bounds on one plan.
    package struct Limits: Sendable {
        /// Partitions are added while the sum of their costs stays within this; the partition that crosses it is
        /// still planned whole.
        package var budgetBytes: Int64
        package var maxTasks: Int?

        package init(budgetBytes: Int64, maxTasks: Int? = nil) {
            self.budgetBytes = budgetBytes
            self.maxTasks = maxTasks
        }
    }

    package static func plan(_ health: TableHealth, level: Level, limits: Limits, metadataLocation: String,
        sortOrder: SortOrder?) -> OptimizingPlan
    {
        let config = health.config
        let reports = health.partitionReports.filter { report in
            guard let pending = report.evaluator.pending else { return false }
            return level.admits(pending.level)
        }
        var tasks: [Bin] = []
        var spent: Int64 = 0
        var planned = 0
        var levels: [OptimizingLevel] = []
        for report in reports {
            if spent > limits.budgetBytes { break }
            if let maxTasks = limits.maxTasks, tasks.count >= maxTasks { break }
            var partitionTasks = split(report, capacity: config.taskCapacity)
            if let maxTasks = limits.maxTasks { partitionTasks = Array(partitionTasks.prefix(maxTasks - tasks.count)) }
            guard !partitionTasks.isEmpty else { continue }
            spent = spent.saturatingAdd(report.evaluator.cost)
            planned += 1
            levels.append(report.evaluator.pending!.level)
            tasks += partitionTasks
        }
        // A delete is removed only when every data file it applies to (anywhere in the table) is planned.
        var users: [String: Int] = [:]
        for report in health.partitionReports {
            for candidate in report.evaluator.candidates {
                for delete in Set(candidate.deletes.map(\.path)) { users[delete, default: 0] += 1 }
            }
        }
        var plannedUsers: [String: Int] = [:]
        for task in tasks {
            for file in task.rewrite + task.positions {
                for delete in Set(file.deletes.map(\.path)) { plannedUsers[delete, default: 0] += 1 }
            }
        }
        let removed = Set(plannedUsers.filter { users[$0.key] == $0.value }.keys)
        let planLevel: OptimizingLevel? = level == .full ? (tasks.isEmpty ? nil : .full) : levels.max()
        let header = health.header
        return OptimizingPlan(
            catalog: header.catalog, table: header.table, tableUUID: header.tableUUID, location: header.location,
            metadataLocation: metadataLocation, snapshotId: header.snapshot?.snapshotId,
            sequenceNumber: header.snapshot?.sequenceNumber, level: planLevel, plannedAtMs: header.scannedAtMs,
            targetSize: config.targetSize, taskCapacity: config.taskCapacity, sortOrder: planLevel == .full ? sortOrder : nil,
            budgetBytes: limits.budgetBytes, maxTasks: limits.maxTasks, pendingPartitions: reports.count,
            plannedPartitions: planned, tasks: tasks.enumerated().map { $1.task(id: $0, removed: removed) },
            removedDeleteFiles: removed.sorted())
    }

    /// The files of one planned task, before the plan numbers its tasks and knows which deletes it removes.
    struct Bin {
        var report: TableHealth.PartitionReport
        var rewrite: [PartitionEvaluator.Candidate]
        var positions: [PartitionEvaluator.Candidate]

        func task(id: Int, removed: Set<String>) -> OptimizingPlan.Task {
            func file(_ candidate: PartitionEvaluator.Candidate) -> OptimizingPlan.File {
                OptimizingPlan.File(path: candidate.path, size: candidate.sizeInBytes, records: candidate.recordCount,
                    sequenceNumber: candidate.sequenceNumber, deletes: candidate.deletes.map(\.path).sorted())
            }
            var seen = Set<String>()
            var deletes: [PartitionEvaluator.Delete] = []
            for file in rewrite + positions {
                for delete in file.deletes where seen.insert(delete.path).inserted { deletes.append(delete) }
            }
            return OptimizingPlan.Task(
                id: id, specId: report.specId, partition: report.path,
                partitionValues: report.values.map { OptimizingPlan.PartitionValue(name: $0.0, value: $0.1?.json ?? .null) },
                rewriteDataFiles: rewrite.map(file), rewritePositionFiles: positions.map(file),
                deleteFiles: deletes.sorted { $0.path < $1.path }.map { delete in
                    OptimizingPlan.DeleteFile(path: delete.path, content: delete.kind, size: delete.sizeInBytes,
                        records: delete.recordCount, sequenceNumber: delete.sequenceNumber, removed: removed.contains(delete.path))
                })
        }
    }

    /// One partition's tasks.
    static func split(_ report: TableHealth.PartitionReport, capacity: Int64) -> [Bin] {
        let candidates = report.evaluator.candidates.sorted { $0.path < $1.path }
        var rewrite = candidates.filter { $0.role == .rewrite }
        var rewritePositions = candidates.filter { $0.role == .rewritePositions }
        var tasks: [Bin] = []
        // Pass 1: undersized segments only. A bin of two or more becomes a task; a lone one may still need its
        // deletes re-expressed, otherwise it is left alone.
        for bin in firstFit(candidates.filter { $0.role == .undersized }, capacity: capacity) {
            if bin.count >= 2 {
                tasks.append(Bin(report: report, rewrite: bin, positions: []))
            } else if let only = bin.first, PartitionEvaluator.shouldRewritePositions(path: only.path, deletes: only.deletes) {
                rewritePositions.append(only)
            }
        }
        // Pass 2: files to rewrite and files to re-delete, packed together.
        rewrite.sort { $0.path < $1.path }
        rewritePositions.sort { $0.path < $1.path }
        for bin in firstFit(rewrite + rewritePositions, capacity: capacity) {
            let task = Bin(report: report, rewrite: bin.filter { $0.role == .rewrite }, positions: bin.filter { $0.role != .rewrite })
            // A task of one clean file would rewrite it into itself.
            if task.rewrite.count == 1 && task.positions.isEmpty && task.rewrite[0].deletes.isEmpty {
                continue
            }
            tasks.append(task)
        }
        return tasks
    }

    /// First-fit bin packing by data size; a file larger than the capacity gets a bin of its own.
    static func firstFit(_ files: [PartitionEvaluator.Candidate], capacity: Int64) -> [[PartitionEvaluator.Candidate]] {
        var bins: [(used: Int64, files: [PartitionEvaluator.Candidate])] = []
        for file in files {
            if let index = bins.firstIndex(where: { $0.used.saturatingAdd(file.sizeInBytes) <= capacity }) {
                bins[index].used = bins[index].used.saturatingAdd(file.sizeInBytes)
                bins[index].files.append(file)
            } else {
                bins.append((file.sizeInBytes, [file]))
            }
        }
        return bins.map(\.files)
    }
}
