import Foundation
import JSONCoding

/// The terminal forms of `amoro.expire-result` and `amoro.clean-orphans-result` documents.
enum MaintenanceRenderer {
    static func renderExpiry(_ document: JSON) -> String {
        let snapshots = document["snapshots_removed"]?.arrayValue ?? []
        let refs = document["refs_removed"]?.arrayValue ?? []
        var lines = [headline(document) + ": \(snapshots.count) snapshots, \(refs.count) refs"]
        if let deleted = document["files_deleted"]?.objectValue {
            let parts = deleted.compactMap { name, count -> String? in
                let files = count["files"]?.int64Value ?? 0
                return files == 0 ? nil : "\(files) \(name.replacingOccurrences(of: "_", with: " ")) (\(ByteCount.format(count["bytes"]?.int64Value ?? 0)))"
            }
            if !parts.isEmpty { lines.append("  deleted " + parts.joined(separator: ", ")) }
        }
        if let kept = document["files_kept"]?.stringValue { lines.append("  \(kept)") }
        if document["status"] == .string("dry-run") {
            var table = TextTable(["snapshot", "timestamp ms", "reason"])
            for snapshot in snapshots {
                table.add([text(snapshot["snapshot_id"]), text(snapshot["timestamp_ms"]), text(snapshot["reason"])])
            }
            for ref in refs { table.add(["ref \(text(ref["name"]))", text(ref["type"]), text(ref["reason"])]) }
            if !snapshots.isEmpty || !refs.isEmpty { lines.append(table.rendered()) }
            lines += fileTable(document["files"]?.arrayValue ?? [], columns: ["file", "class", "size"]) { file in
                [text(file["path"]), text(file["class"]), ByteCount.format(file["size"]?.int64Value ?? 0)]
            }
        }
        return finished(lines, document)
    }

    static func renderOrphans(_ document: JSON) -> String {
        let orphans = document["orphans"]?.arrayValue ?? []
        var lines = [headline(document) + ": \(text(document["files_found"])) files, \(text(document["files_reachable"])) reachable, "
            + "\(text(document["files_kept_young"])) kept as younger than the grace, \(orphans.count) orphans "
            + "(\(ByteCount.format(document["orphan_bytes"]?.int64Value ?? 0)))"]
        if let deleted = document["files_deleted"]?.int64Value, deleted > 0 {
            lines.append("  deleted \(deleted) files (\(ByteCount.format(document["bytes_deleted"]?.int64Value ?? 0)))")
        }
        lines += fileTable(orphans, columns: ["orphan", "size", "age"]) { file in
            [text(file["path"]), ByteCount.format(file["size"]?.int64Value ?? 0), age(file["age_ms"]?.int64Value ?? 0)]
        }
        return finished(lines, document)
    }

    private static func headline(_ document: JSON) -> String { "\(text(document["table"])): \(text(document["status"]))" }

    private static func fileTable(_ files: [JSON], columns: [String], row: (JSON) -> [String]) -> [String] {
        guard !files.isEmpty else { return [] }
        var table = TextTable(columns)
        for file in files.prefix(50) { table.add(row(file)) }
        return [table.rendered()] + (files.count > 50 ? ["  … and \(files.count - 50) more (--json lists them all)"] : [])
    }

    private static func finished(_ lines: [String], _ document: JSON) -> String {
        var lines = lines
        for failure in document["delete_failures"]?.arrayValue ?? [] {
            lines.append("  not deleted: \(text(failure["path"])): \(text(failure["error"]))")
        }
        if let error = document["error"]?.stringValue { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }

    private static func text(_ value: JSON?) -> String {
        switch value {
        case .string(let s)?: s
        case nil, .null?: "-"
        case let other?: other.rendered()
        }
    }

    private static func age(_ ms: Int64) -> String {
        ms >= 86_400_000 ? "\(ms / 86_400_000)d" : ms >= 3_600_000 ? "\(ms / 3_600_000)h" : "\(ms / 60_000)min"
    }
}
