import Execution
import Foundation
import Iceberg
import JSONCoding

/// The `amoro.rewrite-deletes-result` document (version 1) and its terminal form.
enum RewriteDeletesDocument {
    static func json(
        catalog: String, table: String, result: RewriteDeletesAction.Result?, failure: (any Error)?, locked: Bool, durationMs: Int64
    ) -> JSON {
        var members = ResultDocument.start(kind: "amoro.rewrite-deletes-result", catalog: catalog, table: table) + [
            ("table_uuid", result?.tableUUID.map(JSON.string) ?? .null),
            ("status", .string(locked ? "locked" : result?.status.rawValue ?? ResultStatus.of(failure))),
            ("layout", result?.layout.map { .string($0.rawValue) } ?? .null),
            ("planned_snapshot_id", result?.plannedSnapshotId.map(JSON.int) ?? .null),
            ("snapshot_id", result?.snapshotId.map(JSON.int) ?? .null),
        ]
        if let result {
            let deleteKinds = ["position-deletes", "deletion-vectors", "equality-deletes"]
            let writtenDeletes = result.written.filter { $0.kind != "data" }
            let writtenData = result.written.filter { $0.kind == "data" }
            func byKind(_ kinds: [String]) -> JSON {
                .object(deleteKinds.map { kind in (kind.replacingOccurrences(of: "-", with: "_"), .int(Int64(kinds.filter { $0 == kind }.count))) })
            }
            members += [
                ("delete_files_in", byKind(result.removals.map(\.kind))),
                ("delete_files_out", byKind(writtenDeletes.map(\.kind))),
                ("entries_in", .int(result.removals.reduce(0) { $0 + $1.records })),
                ("entries_out", .int(writtenDeletes.reduce(0) { $0 + $1.records })),
                ("entries_dropped_as_dangling", .int(result.entriesDroppedAsDangling)),
                ("bytes_in", .int(result.removals.reduce(0) { $0 + $1.bytes })),
                ("bytes_out", .int(writtenDeletes.reduce(0) { $0 + $1.bytes })),
                ("data_files_rewritten", .int(Int64(result.rewrittenDataFiles.count))),
                ("data_files_written", .int(Int64(writtenData.count))),
                ("data_bytes_in", .int(result.dataBytesIn)), ("data_bytes_out", .int(writtenData.reduce(0) { $0 + $1.bytes })),
                ("commit_attempts", .int(Int64(result.commitAttempts))),
                ("delete_files", .array(result.removals.map { removal in
                    .object([("path", .string(removal.path)), ("kind", .string(removal.kind)), ("records", .int(removal.records)),
                        ("bytes", .int(removal.bytes)), ("action", .string(removal.action)), ("reason", .string(removal.reason))])
                })),
                ("rewritten_data_files", .array(result.rewrittenDataFiles.map(JSON.string))),
                ("written", .array(result.written.map { file in
                    .object([("path", .string(file.path)), ("kind", .string(file.kind)), ("partition", .string(file.partition)),
                        ("data_files", .int(Int64(file.dataFiles))), ("records", .int(file.records)), ("bytes", .int(file.bytes))])
                })),
            ]
        }
        members.append(("error", failure.map { .string("\($0)") } ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    /// One summary line, then (for a dry run) each delete file with what would happen to it and why.
    static func render(_ document: JSON) -> String {
        func int(_ key: String) -> Int64 { document[key]?.int64Value ?? 0 }
        func files(_ key: String) -> Int64 {
            ["position_deletes", "deletion_vectors", "equality_deletes"].reduce(0) { $0 + (document[key]?[$1]?.int64Value ?? 0) }
        }
        var lines = ["\(document["table"]?.stringValue ?? "?"): \(document["status"]?.stringValue ?? "?")"]
        if document["delete_files_in"] != nil, document["status"] != .string("nothing-to-do") {
            lines[0] += ", \(files("delete_files_in")) delete files (\(int("entries_in")) entries, \(ByteCount.format(int("bytes_in"))))"
                + " → \(files("delete_files_out")) (\(int("entries_out")) entries, \(ByteCount.format(int("bytes_out"))))"
                + ", \(int("entries_dropped_as_dangling")) dangling entries dropped"
            if int("data_files_rewritten") > 0 { lines[0] += ", \(int("data_files_rewritten")) data files rewritten" }
        }
        if let snapshot = document["snapshot_id"]?.int64Value { lines[0] += ", snapshot \(snapshot)" }
        if document["status"] == .string("dry-run") {
            var table = TextTable(["action", "kind", "entries", "delete file", "why"])
            for file in document["delete_files"]?.arrayValue ?? [] {
                table.add([file["action"]?.stringValue ?? "", file["kind"]?.stringValue ?? "", String(file["records"]?.int64Value ?? 0),
                    file["path"]?.stringValue ?? "", file["reason"]?.stringValue ?? ""])
            }
            for file in document["written"]?.arrayValue ?? [] {
                table.add(["write", file["kind"]?.stringValue ?? "", String(file["records"]?.int64Value ?? 0),
                    file["path"]?.stringValue ?? "", "\(file["data_files"]?.int64Value ?? 0) data files"])
            }
            lines.append(table.rendered())
        }
        if let error = document["error"]?.stringValue { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }
}
