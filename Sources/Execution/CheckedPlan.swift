import Iceberg
import IcebergSpec
import Planning
import Storage

/// An `amoro.plan` document checked against its table: the plan is a request, the table is the truth.
///
/// Everything that decides rows or locations is taken from the table at the planned snapshot, never from the plan's
/// text: each task's files must be live there, named once in the whole plan and all of one partition spec and one
/// partition value (read from their manifest entries), and the task's output directory is derived from that spec
/// and value. A delete file the plan removes goes only when every live data file it may apply to (by partition,
/// sequence number and referenced path, as the delete index says) is rewritten or re-expressed by the plan; the
/// others stay, which keeps the commit correct. The plan may choose a target size between 1 MiB and the table's task
/// capacity (or the table's own target size), and the table's sort order or none; anything else is refused with the
/// task and field it is in.
struct CheckedPlan: Sendable {
    /// A planned file with what the planned snapshot says of it.
    struct Input: Sendable {
        var entry: ManifestEntry
        var deletes: [DeleteIndex.Delete]
    }

    struct Task: Sendable {
        var id: Int
        var specId: Int
        var partition: [Literal?]
        /// Where the task's outputs go: the table's data directory and the partition path of `partition`.
        var directory: String
        var rewriteDataFiles: [Input]
        var rewritePositionFiles: [Input]

        /// The manifests' sizes of the data files, summed without trapping (a manifest may claim any size).
        var inputBytes: Int64 { rewriteDataFiles.reduce(0) { $0.saturatingAdd($1.entry.dataFile.fileSizeInBytes) } }
    }

    var tasks: [Task]
    var plannedSnapshot: Snapshot
    /// Delete files the commit removes: those the plan names that the table says are safe to remove.
    var removedDeleteFiles: Set<String>
    /// Delete files the plan named for removal that must stay (a data file they apply to is not rewritten).
    var keptDeleteFiles: [String]
    var targetSize: Int64
    var sortOrder: SortOrder?

    /// The smallest target size a plan may ask for, unless the table's own is smaller.
    static let minimumTargetSize: Int64 = 1 << 20

    static func check(
        _ plan: OptimizingPlan, table: LoadedTable, config: OptimizingConfig, storage: any Storage
    ) async throws(AmoroError) -> CheckedPlan? {
        let metadata = table.metadata
        let identifier = table.identifier
        func refuse(_ why: String) -> AmoroError { .invalidPlan(identifier, why) }
        if let actual = metadata.tableUUID {
            guard let uuid = plan.tableUUID else { throw refuse("'table_uuid' is missing; this table is \(actual)") }
            guard uuid == actual else { throw .stalePlan(identifier, "the plan is for table UUID \(uuid), this table is \(actual)") }
        }
        guard let plannedSnapshotId = plan.snapshotId, !plan.tasks.isEmpty else { return nil }
        guard let planned = metadata.snapshot(id: plannedSnapshotId) else {
            throw .stalePlan(identifier, "the planned snapshot \(plannedSnapshotId) is gone")
        }

        // Each file once in the whole plan.
        var seen: [String: String] = [:]
        for task in plan.tasks {
            for (field, files) in [("rewrite_data_files", task.rewriteDataFiles), ("rewrite_position_files", task.rewritePositionFiles)] {
                for file in files {
                    let key = ReachedFile.key(file.path)
                    let place = "task \(task.id) \(field)"
                    if let earlier = seen.updateValue(place, forKey: key) {
                        throw refuse("\(place) names \(file.path), which \(earlier) names already")
                    }
                }
            }
        }

        let live = try await liveFiles(table: table, snapshotId: plannedSnapshotId, storage: storage)
        let boundary = try await TableBoundary(tableLocation: metadata.location, storage: storage)
        guard let schema = metadata.currentSchema else { throw .iceberg(.invalidFile(table.metadataLocation, "has no current schema")) }
        let properties: DataWriteProperties
        do { properties = try DataWriteProperties(properties: metadata.properties, schema: schema) }
        catch { throw .iceberg(.invalidFile(table.metadataLocation, "\(error)")) }

        var tasks: [Task] = []
        var handled = Set<String>()
        for task in plan.tasks {
            func inputs(_ files: [OptimizingPlan.File], _ field: String) throws(AmoroError) -> [Input] {
                var result: [Input] = []
                for file in files {
                    guard let input = live.inputs[ReachedFile.key(file.path)] else {
                        throw .stalePlan(identifier, "\(file.path) is not a live data file of snapshot \(plannedSnapshotId)")
                    }
                    let actual = input.entry.dataFile
                    guard file.size == actual.fileSizeInBytes, file.records == actual.recordCount else {
                        throw refuse("task \(task.id) \(field): \(file.path) has \(actual.fileSizeInBytes) bytes and \(actual.recordCount) records, "
                            + "not the \(file.size) and \(file.records) the plan says")
                    }
                    result.append(input)
                }
                return result
            }
            let rewrite = try inputs(task.rewriteDataFiles, "rewrite_data_files")
            let positions = try inputs(task.rewritePositionFiles, "rewrite_position_files")
            guard let first = (rewrite + positions).first?.entry.dataFile else { continue }
            if let other = (rewrite + positions).first(where: {
                $0.entry.dataFile.specId != first.specId || $0.entry.dataFile.partition != first.partition
            }) {
                throw refuse("task \(task.id) mixes partitions: \(other.entry.dataFile.filePath) is not in the partition of \(first.filePath)")
            }
            guard let spec = metadata.spec(id: first.specId) else {
                throw .iceberg(.invalidFile(table.metadataLocation, "has no partition spec \(first.specId)"))
            }
            let path = spec.path(for: first.partition)
            guard task.specId == first.specId, task.partition == path else {
                throw refuse("task \(task.id) says partition \(task.specId):'\(task.partition)', its files are in \(first.specId):'\(path)'")
            }
            let directory = properties.directory(tableLocation: metadata.location, partitionPath: path)
            try await boundary.checkWritable(directory: directory)
            for input in rewrite + positions { handled.insert(input.entry.dataFile.filePath) }
            tasks.append(Task(id: task.id, specId: first.specId, partition: first.partition, directory: directory,
                rewriteDataFiles: rewrite, rewritePositionFiles: positions))
        }

        // A delete file goes only when every live data file it may apply to is handled by the plan.
        var removed = Set<String>()
        var kept: [String] = []
        for path in plan.removedDeleteFiles {
            guard let liveDelete = live.deletePaths[ReachedFile.key(path)] else {
                throw .stalePlan(identifier, "\(path) is not a live delete file of snapshot \(plannedSnapshotId)")
            }
            if (live.appliesTo[liveDelete] ?? []).isSubset(of: handled) { removed.insert(liveDelete) } else { kept.append(path) }
        }

        let targetSize = plan.targetSize
        let allowed = targetSize == config.targetSize
            || (minimumTargetSize...max(minimumTargetSize, config.taskCapacity)).contains(targetSize)
        guard allowed else {
            throw refuse("'target_size' \(targetSize) is outside what the table allows (\(minimumTargetSize) to \(config.taskCapacity) bytes, or its own \(config.targetSize))")
        }
        if let order = plan.sortOrder, !order.fields.isEmpty, !metadata.sortOrders.contains(order) {
            throw refuse("'sort_order' (order id \(order.orderId)) is not one of the table's sort orders")
        }
        return CheckedPlan(tasks: tasks, plannedSnapshot: planned, removedDeleteFiles: removed, keptDeleteFiles: kept.sorted(),
            targetSize: targetSize, sortOrder: plan.sortOrder)
    }

    /// The live files of a snapshot: each data file with the deletes that apply to it, every live delete file, and
    /// which data files each delete file applies to.
    private static func liveFiles(table: LoadedTable, snapshotId: Int64, storage: any Storage) async throws(AmoroError)
        -> (inputs: [String: Input], deletePaths: [String: String], appliesTo: [String: Set<String>])
    {
        var inputs: [String: Input] = [:]
        var deletePaths: [String: String] = [:]
        var appliesTo: [String: Set<String>] = [:]
        do {
            guard let scan = try TableScan(table: table, storage: storage, snapshotId: snapshotId) else {
                throw AmoroError.stalePlan(table.identifier, "the table has no snapshot \(snapshotId)")
            }
            let manifests = try await scan.manifests()
            // The live delete entries are read once: for the index and for the paths a plan may remove.
            let deletes = try await scan.liveDeleteEntries(manifests: manifests)
            let index = scan.deleteIndex(entries: deletes)
            for entry in deletes { deletePaths[ReachedFile.key(entry.dataFile.filePath)] = entry.dataFile.filePath }
            try await scan.forEachFile(manifests: manifests, deletes: index, projection: .all) { task in
                inputs[ReachedFile.key(task.file.filePath)] = Input(entry: task.entry, deletes: task.deletes)
                for delete in task.deletes { appliesTo[delete.file.filePath, default: []].insert(task.file.filePath) }
            }
        } catch {
            throw AmoroError.from(error, invalidating: table.metadataLocation)
        }
        return (inputs, deletePaths, appliesTo)
    }
}
