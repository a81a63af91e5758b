import IcebergSpec
import JSONCoding
import Planning

/// The `amoro.plan` document (version 1, `man/amoro-plan.5`): an `OptimizingPlan`'s JSON form, read back by
/// `amoro compact` and `expire-snapshots --keep-plans` with every member checked, and its terminal form. Only the
/// document's shape is checked here; `CheckedPlan` (Execution) checks the plan against its table.
extension OptimizingPlan: Document {
    package var json: JSON {
        func file(_ file: File) -> JSON {
            .object([
                ("path", .string(file.path)), ("size", .int(file.size)), ("records", .int(file.records)),
                ("sequence_number", .int(file.sequenceNumber)), ("deletes", .array(file.deletes.map(JSON.string))),
            ])
        }
        let taskDocuments: [JSON] = tasks.map { task in
            let deletes: [JSON] = task.deleteFiles.map { delete in
                .object([
                    ("path", .string(delete.path)), ("content", .string(delete.content.rawValue)), ("size", .int(delete.size)),
                    ("records", .int(delete.records)), ("sequence_number", .int(delete.sequenceNumber)),
                    ("removed", .bool(delete.removed)),
                ])
            }
            return .object([
                ("id", .int(Int64(task.id))), ("spec_id", .int(Int64(task.specId))), ("partition", .string(task.partition)),
                ("partition_values", .object(task.partitionValues.map { ($0.name, $0.value) })),
                ("input_bytes", .int(task.inputBytes)),
                ("rewrite_data_files", .array(task.rewriteDataFiles.map(file))),
                ("rewrite_position_files", .array(task.rewritePositionFiles.map(file))),
                ("delete_files", .array(deletes)),
            ])
        }
        return .object([
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))),
            ("catalog", .string(catalog)), ("table", .string(table)),
            ("table_uuid", tableUUID.map(JSON.string) ?? .null), ("location", .string(location)),
            ("metadata_location", .string(metadataLocation)),
            ("snapshot_id", snapshotId.map(JSON.int) ?? .null),
            ("sequence_number", sequenceNumber.map(JSON.int) ?? .null),
            ("level", level.map { .string($0.rawValue) } ?? .null),
            ("planned_at_ms", .int(plannedAtMs)),
            ("target_size", .int(targetSize)),
            ("task_capacity", .int(taskCapacity)),
            ("sort_order", sortOrder.map(\.json) ?? .null),
            ("budget_bytes", .int(budgetBytes)),
            ("max_tasks", maxTasks.map { .int(Int64($0)) } ?? .null),
            ("pending_partitions", .int(Int64(pendingPartitions))),
            ("planned_partitions", .int(Int64(plannedPartitions))),
            ("tasks", .array(taskDocuments)),
            ("removed_delete_files", .array(removedDeleteFiles.map(JSON.string))),
        ])
    }

    /// Reads a document; every problem is named with the member it is in. `input_bytes` is derived from the
    /// files' sizes: it must be a size, and is recomputed (a hand-edited plan need not update it).
    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        func path(_ fields: DocumentFields, _ key: String) throws(DocumentError) -> String {
            let text = try fields.string(key)
            guard !text.isEmpty else { throw fields.error(key, "must not be empty") }
            return text
        }
        func files(_ task: DocumentFields, _ key: String) throws(DocumentError) -> [File] {
            try task.objects(key) { (file) throws(DocumentError) in
                File(path: try path(file, "path"), size: try file.int("size"), records: try file.int("records"),
                    sequenceNumber: try file.int("sequence_number"), deletes: try file.strings("deletes"))
            }
        }
        let tasks = try fields.objects("tasks") { (task) throws(DocumentError) -> Task in
            guard let values = try task.value("partition_values").objectValue else {
                throw task.error("partition_values", "must be an object")
            }
            let deletes = try task.objects("delete_files") {
                (delete) throws(DocumentError) in
                DeleteFile(path: try path(delete, "path"), content: try delete.value("content", as: PartitionEvaluator.Delete.Kind.self),
                    size: try delete.int("size"), records: try delete.int("records"),
                    sequenceNumber: try delete.int("sequence_number"), removed: try delete.bool("removed"))
            }
            let read = Task(id: try task.small("id"), specId: try task.small("spec_id"), partition: try task.string("partition"),
                partitionValues: values.map { PartitionValue(name: $0.0, value: $0.1) },
                rewriteDataFiles: try files(task, "rewrite_data_files"),
                rewritePositionFiles: try files(task, "rewrite_position_files"), deleteFiles: deletes)
            _ = try task.int("input_bytes")  // derived from the files' sizes: checked, then recomputed
            return read
        }
        var sortOrder: SortOrder?
        let order = try fields.value("sort_order")
        if !order.isNull {
            do { sortOrder = try SortOrder(json: order, context: "sort_order") } catch {
                throw fields.error("sort_order", "\(error)")
            }
        }
        let removed = try fields.strings("removed_delete_files")
        if let index = removed.firstIndex(where: \.isEmpty) {
            throw fields.error("removed_delete_files[\(index)]", "must not be empty")
        }
        self.init(
            catalog: try fields.string("catalog"), table: try path(fields, "table"),
            tableUUID: try fields.optionalString("table_uuid"), location: try path(fields, "location"),
            metadataLocation: try fields.string("metadata_location"),
            snapshotId: try fields.optionalInt("snapshot_id", Int64.min...Int64.max),
            sequenceNumber: try fields.optionalInt("sequence_number"),
            level: try fields.optionalValue("level", as: OptimizingLevel.self),
            plannedAtMs: try fields.int("planned_at_ms"), targetSize: try fields.int("target_size", 1...Int64.max),
            taskCapacity: try fields.int("task_capacity", 1...Int64.max), sortOrder: sortOrder,
            budgetBytes: try fields.int("budget_bytes", 1...Int64.max),
            maxTasks: try fields.optionalInt("max_tasks", 1...Int64(Int32.max)).map { Int($0) },
            pendingPartitions: try fields.small("pending_partitions"), plannedPartitions: try fields.small("planned_partitions"),
            tasks: tasks, removedDeleteFiles: removed)
        if !tasks.isEmpty && snapshotId == nil { throw fields.error("snapshot_id", "is null but the plan has tasks") }
    }

    /// The table, level and snapshot, then one line per task.
    package func rendered() -> String {
        var lines = ["\(table)  level \(level?.rawValue ?? "none")  snapshot \(snapshotId.map { String($0) } ?? "-")  "
            + "\(tasks.count) tasks in \(plannedPartitions) of \(pendingPartitions) pending partitions"]
        var table = TextTable(["task", "partition", "rewrite", "re-delete", "deletes", "input"])
        for task in tasks {
            table.add([
                String(task.id), task.partition.isEmpty ? "(unpartitioned)" : task.partition, String(task.rewriteDataFiles.count),
                String(task.rewritePositionFiles.count), String(task.deleteFiles.count), ByteCount.format(task.inputBytes),
            ])
        }
        if !tasks.isEmpty { lines.append(table.rendered()) }
        return (lines + [""]).joined(separator: "\n")
    }
}
