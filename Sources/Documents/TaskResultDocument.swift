import Execution
import Foundation
import IcebergSpec
import JSONCoding

/// The `amoro.task-result` document (version 1): what one execution of one plan task wrote
/// (`amoro compact --execute-only`), and what `amoro commit` reads. Its output files carry their full metrics;
/// the commit stage re-derives every one of them from the files and refuses a result that says otherwise.
package struct TaskResultDocument: Document {
    package static let kind = "amoro.task-result"
    package static let version = 1

    package var result: TaskResult

    package init(_ result: TaskResult) { self.result = result }

    package var json: JSON {
        let plan = result.plan
        return .object([
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(plan.catalog)),
            ("table", .string(plan.table)), ("table_uuid", plan.tableUUID.map(JSON.string) ?? .null),
            ("planned_snapshot_id", .int(plan.plannedSnapshotId)), ("planned_at_ms", .int(plan.plannedAtMs)),
            ("task_id", .int(Int64(result.taskId))), ("attempt_id", .string(result.attemptId)),
            ("status", .string(result.status.rawValue)), ("host", .string(result.host)),
            ("rewritten_files", .array(result.rewrittenFiles.map(JSON.string))),
            ("reexpressed_files", .array(result.reexpressedFiles.map(JSON.string))),
            ("deletes_applied", .array(result.deletesApplied.map(JSON.string))),
            ("data_files", .array(result.dataFiles.map(Self.json))), ("delete_files", .array(result.deleteFiles.map(Self.json))),
            ("records_in", .int(result.recordsIn)), ("data_files_merged", .int(Int64(result.mergedFiles))),
            ("error", result.error.map(JSON.string) ?? .null), ("duration_ms", .int(result.durationMs)),
        ])
    }

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        let plan = TaskResult.PlanIdentity(
            catalog: try fields.string("catalog"), table: try fields.string("table"), tableUUID: try fields.optionalString("table_uuid"),
            plannedSnapshotId: try fields.int("planned_snapshot_id", Int64.min...Int64.max),
            plannedAtMs: try fields.int("planned_at_ms"))
        let attemptId = try fields.string("attempt_id")
        guard UUID(uuidString: attemptId) != nil else { throw fields.error("attempt_id", "must be a UUID") }
        result = TaskResult(
            plan: plan, taskId: try fields.small("task_id"), attemptId: attemptId,
            status: try fields.value("status", as: TaskResult.Status.self), rewrittenFiles: try fields.strings("rewritten_files"),
            reexpressedFiles: try fields.strings("reexpressed_files"), deletesApplied: try fields.strings("deletes_applied"),
            dataFiles: try fields.objects("data_files", Self.file), deleteFiles: try fields.objects("delete_files", Self.file),
            recordsIn: try fields.int("records_in"), mergedFiles: try fields.small("data_files_merged"),
            error: try fields.optionalString("error"), durationMs: try fields.int("duration_ms"), host: try fields.string("host"))
    }

    /// One line: the task, its status, what it wrote; then the error, if any.
    package func rendered() -> String {
        var line = "\(result.plan.table) task \(result.taskId) (attempt \(result.attemptId)): \(result.status.rawValue)"
        if result.status == .succeeded {
            let bytes = result.dataFiles.saturatingSum(\.fileSizeInBytes)
            line += ", \(result.rewrittenFiles.count) files → \(result.dataFiles.count) files (\(ByteCount.format(bytes)))"
            if !result.deleteFiles.isEmpty { line += ", \(result.deleteFiles.count) delete files" }
            line += ", \(result.durationMs) ms on \(result.host)"
        }
        if let error = result.error { line += "\n  \(error)" }
        return line
    }

    private enum FileContent: String { case data, positionDeletes = "position_deletes" }

    /// An output file's JSON form: what a manifest entry records of it, its partition aside (the task's).
    private static func json(_ file: DataFile) -> JSON {
        func counts(_ map: [Int: Int64]?) -> JSON {
            map.map { .object($0.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) }) } ?? .null
        }
        func bounds(_ map: [Int: [UInt8]]?) -> JSON {
            map.map { .object($0.sorted { $0.key < $1.key }.map { (String($0.key), .string(IcebergJSON.hex($0.value))) }) } ?? .null
        }
        return .object([
            ("content", .string(file.content == .data ? FileContent.data.rawValue : FileContent.positionDeletes.rawValue)),
            ("path", .string(file.filePath)), ("format", .string(file.fileFormat)), ("size", .int(file.fileSizeInBytes)),
            ("records", .int(file.recordCount)), ("column_sizes", counts(file.columnSizes)), ("value_counts", counts(file.valueCounts)),
            ("null_value_counts", counts(file.nullValueCounts)), ("nan_value_counts", counts(file.nanValueCounts)),
            ("lower_bounds", bounds(file.lowerBounds)), ("upper_bounds", bounds(file.upperBounds)),
            ("split_offsets", file.splitOffsets.map { .array($0.map(JSON.int)) } ?? .null),
            ("sort_order_id", file.sortOrderId.map { .int(Int64($0)) } ?? .null),
            ("referenced_data_file", file.referencedDataFile.map(JSON.string) ?? .null),
            ("content_offset", file.contentOffset.map(JSON.int) ?? .null),
            ("content_size", file.contentSizeInBytes.map(JSON.int) ?? .null),
        ])
    }

    private static func file(_ fields: DocumentFields) throws(DocumentError) -> DataFile {
        let stated = try fields.value("content", as: FileContent.self)
        let content: DataFile.Content = stated == .data ? .data : .positionDeletes
        var file = DataFile(
            content: content, filePath: try fields.string("path"), fileFormat: try fields.string("format"), specId: 0, partition: [],
            recordCount: try fields.int("records"), fileSizeInBytes: try fields.int("size"))
        file.columnSizes = try counts(fields, "column_sizes")
        file.valueCounts = try counts(fields, "value_counts")
        file.nullValueCounts = try counts(fields, "null_value_counts")
        file.nanValueCounts = try counts(fields, "nan_value_counts")
        file.lowerBounds = try bounds(fields, "lower_bounds")
        file.upperBounds = try bounds(fields, "upper_bounds")
        file.splitOffsets = try fields.optionalInts("split_offsets")
        file.sortOrderId = try fields.optionalInt("sort_order_id", 0...Int64(Int32.max)).map(Int.init)
        file.referencedDataFile = try fields.optionalString("referenced_data_file")
        file.contentOffset = try fields.optionalInt("content_offset")
        file.contentSizeInBytes = try fields.optionalInt("content_size")
        return file
    }

    /// A map of field id to count, or null.
    private static func counts(_ fields: DocumentFields, _ key: String) throws(DocumentError) -> [Int: Int64]? {
        guard let map = try fields.optionalObject(key) else { return nil }
        var result: [Int: Int64] = [:]
        for name in map.keys {
            guard let id = Int32(name) else { throw fields.error("\(key).\(name)", "must be keyed by a field id") }
            result[Int(id)] = try map.int(name)
        }
        return result
    }

    /// A map of field id to a bound in Iceberg's binary single-value form (hexadecimal), or null.
    private static func bounds(_ fields: DocumentFields, _ key: String) throws(DocumentError) -> [Int: [UInt8]]? {
        guard let map = try fields.optionalObject(key) else { return nil }
        var result: [Int: [UInt8]] = [:]
        for name in map.keys {
            guard let id = Int32(name) else { throw fields.error("\(key).\(name)", "must be keyed by a field id") }
            guard let bytes = IcebergJSON.bytes(hex: try map.string(name)) else { throw fields.error("\(key).\(name)", "must be hexadecimal") }
            result[Int(id)] = bytes
        }
        return result
    }
}
