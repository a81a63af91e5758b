import Execution
import IcebergSpec
import Foundation
import JSONCoding

/// The `amoro.rewrite-deletes-result` document (version 1): what `amoro rewrite-deletes` did to one table.
package struct RewriteDeletesResultDocument: Document {
    package static let kind = "amoro.rewrite-deletes-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled, conflict, locked, failed
    }

    /// The delete file kinds counted by `delete_files_in` and `delete_files_out`.
    static let deleteKinds = ["position-deletes", "deletion-vectors", "equality-deletes"]

    /// A delete file the run removes, what it holds, and what happens to it and why (`kind` one of `deleteKinds`).
    package typealias Removal = DanglingDeleteCleanup.Removal

    /// A file the run writes: a delete file (of one of `deleteKinds`) or a data file (`data`).
    package typealias Written = RewriteDeletesAction.Written

    /// What a run that got as far as the table did (absent when it failed). The document's counts and sums are
    /// derived from these lists.
    package struct Details: Sendable, Equatable {
        package var removals: [Removal]
        package var written: [Written]
        package var rewrittenDataFiles: [String]
        package var entriesDroppedAsDangling: Int64
        package var dataBytesIn: Int64
        package var commitAttempts: Int

        package init(removals: [Removal], written: [Written], rewrittenDataFiles: [String],
            entriesDroppedAsDangling: Int64, dataBytesIn: Int64, commitAttempts: Int)
        {
            self.removals = removals
            self.written = written
            self.rewrittenDataFiles = rewrittenDataFiles
            self.entriesDroppedAsDangling = entriesDroppedAsDangling
            self.dataBytesIn = dataBytesIn
            self.commitAttempts = commitAttempts
        }

        var writtenDeletes: [Written] { written.filter { $0.kind != "data" } }
        var writtenData: [Written] { written.filter { $0.kind == "data" } }
        var entriesIn: Int64 { removals.reduce(0) { $0.saturatingAdd($1.records) } }
        var entriesOut: Int64 { writtenDeletes.reduce(0) { $0.saturatingAdd($1.records) } }
        var bytesIn: Int64 { removals.reduce(0) { $0.saturatingAdd($1.bytes) } }
        var bytesOut: Int64 { writtenDeletes.reduce(0) { $0.saturatingAdd($1.bytes) } }
        var dataBytesOut: Int64 { writtenData.reduce(0) { $0.saturatingAdd($1.bytes) } }
    }

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var status: Status
    package var layout: RewriteDeletesPlan.Layout?
    package var plannedSnapshotId: Int64?
    package var snapshotId: Int64?
    package var details: Details?
    package var error: String?
    package var durationMs: Int64

    package init(catalog: String, table: String, tableUUID: String?, status: Status, layout: RewriteDeletesPlan.Layout?,
        plannedSnapshotId: Int64?, snapshotId: Int64?, details: Details?, error: String?, durationMs: Int64)
    {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.status = status
        self.layout = layout
        self.plannedSnapshotId = plannedSnapshotId
        self.snapshotId = snapshotId
        self.details = details
        self.error = error
        self.durationMs = durationMs
    }

    /// The document of one table's run: its result, or the error it failed with (`TableLocked` when it was skipped).
    package init(catalog: String, table: String, outcome: Result<RewriteDeletesAction.Result, any Error>,
        durationMs: Int64)
    {
        let result = try? outcome.get()
        let failure = outcome.failure
        let status = Status(rawValue: outcome.statusText { $0.status.rawValue }) ?? .failed
        let details = result.map { result in
            Details(
                removals: result.removals, written: result.written,
                rewrittenDataFiles: result.rewrittenDataFiles, entriesDroppedAsDangling: result.entriesDroppedAsDangling,
                dataBytesIn: result.dataBytesIn, commitAttempts: result.commitAttempts)
        }
        self.init(catalog: catalog, table: table, tableUUID: result?.tableUUID, status: status, layout: result?.layout,
            plannedSnapshotId: result?.plannedSnapshotId, snapshotId: result?.snapshotId, details: details,
            error: failure.map { "\($0)" }, durationMs: durationMs)
    }

    private static func byKind(_ kinds: [String]) -> JSON {
        .object(deleteKinds.map { kind in (kind.replacingOccurrences(of: "-", with: "_"), .int(Int64(kinds.filter { $0 == kind }.count))) })
    }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(catalog)),
            ("table", .string(table)), ("table_uuid", tableUUID.map(JSON.string) ?? .null), ("status", .string(status.rawValue)),
            ("layout", layout.map { .string($0.rawValue) } ?? .null),
            ("planned_snapshot_id", plannedSnapshotId.map(JSON.int) ?? .null), ("snapshot_id", snapshotId.map(JSON.int) ?? .null),
        ]
        if let details {
            members += [
                ("delete_files_in", Self.byKind(details.removals.map(\.kind))),
                ("delete_files_out", Self.byKind(details.writtenDeletes.map(\.kind))),
                ("entries_in", .int(details.entriesIn)), ("entries_out", .int(details.entriesOut)),
                ("entries_dropped_as_dangling", .int(details.entriesDroppedAsDangling)),
                ("bytes_in", .int(details.bytesIn)), ("bytes_out", .int(details.bytesOut)),
                ("data_files_rewritten", .int(Int64(details.rewrittenDataFiles.count))),
                ("data_files_written", .int(Int64(details.writtenData.count))),
                ("data_bytes_in", .int(details.dataBytesIn)), ("data_bytes_out", .int(details.dataBytesOut)),
                ("commit_attempts", .int(Int64(details.commitAttempts))),
                ("delete_files", .array(details.removals.map { removal in
                    .object([("path", .string(removal.path)), ("kind", .string(removal.kind)), ("records", .int(removal.records)),
                        ("bytes", .int(removal.bytes)), ("action", .string(removal.action)), ("reason", .string(removal.reason))])
                })),
                ("rewritten_data_files", .array(details.rewrittenDataFiles.map(JSON.string))),
                ("written", .array(details.written.map { file in
                    .object([("path", .string(file.path)), ("kind", .string(file.kind)), ("partition", .string(file.partition)),
                        ("data_files", .int(Int64(file.dataFiles))), ("records", .int(file.records)), ("bytes", .int(file.bytes))])
                })),
            ]
        }
        members.append(("error", error.map(JSON.string) ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    /// Members derived from the lists.
    private static let derivedMembers = [
        "delete_files_in", "delete_files_out", "entries_in", "entries_out", "bytes_in", "bytes_out", "data_files_rewritten",
        "data_files_written", "data_bytes_out",
    ]

    package init(json: JSON) throws(DocumentError) {
        let detailMembers = [
            "entries_dropped_as_dangling", "data_bytes_in", "commit_attempts", "delete_files", "rewritten_data_files", "written",
        ] + Self.derivedMembers
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        var details: Details?
        if try fields.group(detailMembers) {
            let read = Details(
                removals: try fields.objects("delete_files") {
                    (file) throws(DocumentError) in
                    let kind = try file.string("kind")
                    guard Self.deleteKinds.contains(kind) else { throw file.error("kind", "is \"\(kind)\", not a delete file kind") }
                    return Removal(path: try file.string("path"), kind: kind, records: try file.int("records"),
                        bytes: try file.int("bytes"), action: try file.string("action"), reason: try file.string("reason"))
                },
                written: try fields.objects("written") {
                    (file) throws(DocumentError) in
                    let kind = try file.string("kind")
                    guard kind == "data" || Self.deleteKinds.contains(kind) else { throw file.error("kind", "is \"\(kind)\"") }
                    return Written(path: try file.string("path"), kind: kind, partition: try file.string("partition"),
                        dataFiles: try file.small("data_files"), records: try file.int("records"), bytes: try file.int("bytes"))
                },
                rewrittenDataFiles: try fields.strings("rewritten_data_files"),
                entriesDroppedAsDangling: try fields.int("entries_dropped_as_dangling"), dataBytesIn: try fields.int("data_bytes_in"),
                commitAttempts: try fields.small("commit_attempts"))
            // Counts and sums derived from the lists: checked, then recomputed.
            for key in Self.derivedMembers where !key.hasPrefix("delete_files_") { _ = try fields.int(key) }
            for key in ["delete_files_in", "delete_files_out"] {
                let counts = try fields.object(key)
                for kind in Self.deleteKinds { _ = try counts.int(kind.replacingOccurrences(of: "-", with: "_")) }
            }
            details = read
        }
        self.init(catalog: try fields.string("catalog"), table: try fields.string("table"),
            tableUUID: try fields.optionalString("table_uuid"), status: try fields.value("status", as: Status.self),
            layout: try fields.optionalValue("layout", as: RewriteDeletesPlan.Layout.self),
            plannedSnapshotId: try fields.optionalInt("planned_snapshot_id", Int64.min...Int64.max),
            snapshotId: try fields.optionalInt("snapshot_id", Int64.min...Int64.max), details: details,
            error: try fields.optionalString("error"), durationMs: try fields.int("duration_ms"))
    }

    /// One summary line, then (for a dry run) each delete file with what would happen to it and why.
    package func rendered() -> String {
        var lines = ["\(table): \(status.rawValue)"]
        if let details, status != .nothingToDo {
            let filesIn = details.removals.filter { Self.deleteKinds.contains($0.kind) }.count
            lines[0] += ", \(filesIn) delete files (\(details.entriesIn) entries, \(ByteCount.format(details.bytesIn)))"
                + " → \(details.writtenDeletes.count) (\(details.entriesOut) entries, \(ByteCount.format(details.bytesOut)))"
                + ", \(details.entriesDroppedAsDangling) dangling entries dropped"
            if !details.rewrittenDataFiles.isEmpty { lines[0] += ", \(details.rewrittenDataFiles.count) data files rewritten" }
        }
        if let snapshotId { lines[0] += ", snapshot \(snapshotId)" }
        if status == .dryRun {
            var table = TextTable(["action", "kind", "entries", "delete file", "why"])
            for file in details?.removals ?? [] { table.add([file.action, file.kind, String(file.records), file.path, file.reason]) }
            for file in details?.written ?? [] {
                table.add(["write", file.kind, String(file.records), file.path, "\(file.dataFiles) data files"])
            }
            lines.append(table.rendered())
        }
        if let error { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }
}
