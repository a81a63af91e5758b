import Execution
import IcebergSpec
import JSONCoding

/// The `amoro.plan` document (version 1) of a Paimon table (`format: paimon`, `man 5 amoro-plan`): the snapshot
/// planned on, the target file size, and one task per group of files of a partition's bucket, each file by name,
/// size and row count, and for primary-key tables the level the task's runs are merged into (`output_level`,
/// null for append tables); `skipped` says which buckets' files the plan leaves alone and why (for people: absent in
/// plans of earlier amoro versions, never used by a compaction). `input_files` and `input_bytes` are derived and
/// recomputed when read. Iceberg plans are `OptimizingPlan` documents (`format` absent or `iceberg`).
package struct PaimonPlanDocument: Document {
    package static let kind = "amoro.plan"
    package static let version = 1
    package static let format = "paimon"

    package var plan: PaimonCompactionPlan

    package init(_ plan: PaimonCompactionPlan) { self.plan = plan }

    /// Whether a decoded `amoro.plan` JSON object is a Paimon plan.
    package static func isPaimon(_ json: JSON) -> Bool { json["format"]?.stringValue == format }

    package var json: JSON {
        let p = plan
        let tasks: [JSON] = p.tasks.map { task in
            .object([
                ("id", .int(Int64(task.id))), ("partition", .string(task.partition)), ("partition_row", .string(task.partitionRow)),
                ("bucket", .int(Int64(task.bucket))), ("reason", .string(task.reason)),
                ("output_level", task.outputLevel.map { .int(Int64($0)) } ?? .null), ("input_bytes", .int(task.inputBytes)),
                ("files", .array(task.files.map { file in
                    .object([("file_name", .string(file.fileName)), ("size", .int(file.size)), ("row_count", .int(file.rowCount))])
                })),
            ])
        }
        return .object([
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("format", .string(Self.format)),
            ("catalog", .string(p.catalog)), ("table", .string(p.table)), ("location", .string(p.location)),
            ("snapshot_id", .int(p.snapshotId)), ("plan_time_ms", .int(p.planTimeMs)), ("level", .string(p.level)),
            ("target_file_size", .int(p.targetFileSize)),
            ("input_files", .int(Int64(p.tasks.reduce(0) { $0 + $1.files.count }))),
            ("input_bytes", .int(p.tasks.reduce(Int64(0)) { $0.saturatingAdd($1.inputBytes) })),
            ("tasks", .array(tasks)),
            ("skipped", .array(p.skipped.map { skipped in
                .object([
                    ("partition", .string(skipped.partition)), ("bucket", .int(Int64(skipped.bucket))),
                    ("files", .int(Int64(skipped.files))), ("reason", .string(skipped.reason)),
                ])
            })),
        ])
    }

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        guard try fields.string("format") == Self.format else { throw fields.error("format", "must be \(Self.format)") }
        _ = try fields.int("input_files")
        _ = try fields.int("input_bytes")
        let tasks = try fields.objects("tasks") { (task) throws(DocumentError) -> PaimonCompactionPlan.Task in
            _ = try task.int("input_bytes")
            let files = try task.objects("files") { (file) throws(DocumentError) in
                PaimonCompactionPlan.InputFile(fileName: try file.string("file_name"), size: try file.int("size"),
                    rowCount: try file.int("row_count"))
            }
            return PaimonCompactionPlan.Task(
                id: try task.small("id"), partition: try task.string("partition"), partitionRow: try task.string("partition_row"),
                bucket: Int(try task.int("bucket", 0...Int64(Int32.max))), reason: try task.string("reason"), files: files,
                outputLevel: try task.optionalInt("output_level", 0...999).map { Int($0) })
        }
        plan = PaimonCompactionPlan(
            catalog: try fields.string("catalog"), table: try fields.string("table"), location: try fields.string("location"),
            snapshotId: try fields.int("snapshot_id"), planTimeMs: try fields.int("plan_time_ms"), level: try fields.string("level"),
            targetFileSize: try fields.int("target_file_size", 1...Int64.max), tasks: tasks,
            skipped: try fields.optionalObjects("skipped") { (skipped) throws(DocumentError) in
                PaimonCompactionPlan.Skipped(
                    partition: try skipped.string("partition"),
                    bucket: Int(try skipped.int("bucket", Int64(Int32.min)...Int64(Int32.max))),
                    files: try skipped.small("files"), reason: try skipped.string("reason"))
            })
    }

    package func rendered() -> String {
        let p = plan
        var table = TextTable(["task", "partition", "bucket", "files", "bytes", "reason"])
        for task in p.tasks {
            table.add([String(task.id), task.partition.isEmpty ? "(unpartitioned)" : task.partition, String(task.bucket),
                String(task.files.count), ByteCount.format(task.inputBytes), task.reason])
        }
        let head = "\(p.table)  paimon plan (\(p.level)) on snapshot \(p.snapshotId): \(p.tasks.count) tasks, target \(ByteCount.format(p.targetFileSize))"
        let skipped = p.skipped.map { skipped in
            "left alone: \(skipped.partition.isEmpty ? "(unpartitioned)" : skipped.partition) bucket \(skipped.bucket), "
                + "\(skipped.files) files: \(skipped.reason)"
        }
        return ([head] + (p.tasks.isEmpty ? [] : [table.rendered()]) + skipped + [""]).joined(separator: "\n")
    }
}
