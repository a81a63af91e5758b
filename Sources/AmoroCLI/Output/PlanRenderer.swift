import JSONCoding

/// The terminal form of an `amoro.plan` document.
enum PlanRenderer {
    static func render(_ plan: JSON) -> String {
        func int(_ value: JSON?) -> String { value?.int64Value.map { String($0) } ?? "-" }
        let tasks = plan["tasks"]?.arrayValue ?? []
        var lines = ["\(plan["table"]?.stringValue ?? "?")  level \(plan["level"]?.stringValue ?? "none")  snapshot \(int(plan["snapshot_id"]))  \(tasks.count) tasks in \(int(plan["planned_partitions"])) of \(int(plan["pending_partitions"])) pending partitions"]
        var table = TextTable(["task", "partition", "rewrite", "re-delete", "deletes", "input"])
        for task in tasks {
            table.add([
                int(task["id"]), task["partition"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "(unpartitioned)",
                String(task["rewrite_data_files"]?.arrayValue?.count ?? 0), String(task["rewrite_position_files"]?.arrayValue?.count ?? 0),
                String(task["delete_files"]?.arrayValue?.count ?? 0), ByteCount.format(task["input_bytes"]?.int64Value ?? 0),
            ])
        }
        if !tasks.isEmpty { lines.append(table.rendered()) }
        return (lines + [""]).joined(separator: "\n")
    }
}
