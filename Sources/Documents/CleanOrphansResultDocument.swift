import Execution
import Iceberg
import IcebergSpec
import JSONCoding
import Storage

/// The `amoro.clean-orphans-result` document (version 1) of one table. A dry run's document is an audit: `audit`
/// reads back what `--from-audit` may delete.
package struct CleanOrphansResultDocument: Document {
    package static let kind = "amoro.clean-orphans-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case cleaned, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled, conflict, locked, failed
    }

    package struct Orphan: Sendable, Equatable {
        package var path: String
        package var size: Int64
        /// How long before the run the file was last modified (negative for a clock ahead of the run's).
        package var ageMs: Int64

        package init(path: String, size: Int64, ageMs: Int64) {
            self.path = path
            self.size = size
            self.ageMs = ageMs
        }
    }

    /// The dangling-delete pass: its status, the snapshot that removed them, and each file with why.
    package struct DanglingDeletes: Sendable, Equatable {
        package var status: DanglingDeleteCleanup.Result.Status
        package var snapshotId: Int64?
        package var removals: [Removal]

        package init(status: DanglingDeleteCleanup.Result.Status, snapshotId: Int64?, removals: [Removal]) {
            self.status = status
            self.snapshotId = snapshotId
            self.removals = removals
        }
    }

    package struct Removal: Sendable, Equatable {
        package var path: String
        package var kind: String
        package var records: Int64
        package var bytes: Int64
        package var reason: String

        package init(path: String, kind: String, records: Int64, bytes: Int64, reason: String) {
            self.path = path
            self.kind = kind
            self.records = records
            self.bytes = bytes
            self.reason = reason
        }
    }

    /// What a run that got as far as listing the table found and did (absent when it failed).
    package struct Details: Sendable, Equatable {
        package var graceMs: Int64
        package var filesFound: Int
        package var filesReachable: Int
        package var filesKeptYoung: Int
        package var prefixMismatches: [String]
        package var orphans: [Orphan]
        package var filesDeleted: Int
        package var bytesDeleted: Int64
        package var deleteFailures: [FileNote]
        package var directoriesRemoved: [String]
        package var filesSkipped: [FileNote]
        package var danglingDeletes: DanglingDeletes?

        package init(graceMs: Int64, filesFound: Int, filesReachable: Int, filesKeptYoung: Int,
            prefixMismatches: [String], orphans: [Orphan], filesDeleted: Int, bytesDeleted: Int64,
            deleteFailures: [FileNote], directoriesRemoved: [String], filesSkipped: [FileNote],
            danglingDeletes: DanglingDeletes?)
        {
            self.graceMs = graceMs
            self.filesFound = filesFound
            self.filesReachable = filesReachable
            self.filesKeptYoung = filesKeptYoung
            self.prefixMismatches = prefixMismatches
            self.orphans = orphans
            self.filesDeleted = filesDeleted
            self.bytesDeleted = bytesDeleted
            self.deleteFailures = deleteFailures
            self.directoriesRemoved = directoriesRemoved
            self.filesSkipped = filesSkipped
            self.danglingDeletes = danglingDeletes
        }

        /// The orphans' bytes (the document's `orphan_bytes`).
        package var orphanBytes: Int64 { orphans.reduce(0) { $0.saturatingAdd($1.size) } }
    }

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var status: Status
    package var details: Details?
    package var error: String?
    package var durationMs: Int64

    package init(catalog: String, table: String, tableUUID: String?, status: Status, details: Details?, error: String?,
        durationMs: Int64)
    {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.status = status
        self.details = details
        self.error = error
        self.durationMs = durationMs
    }

    /// The document of one table's run at `nowMs`: its result, or the error it failed with (`TableLocked` when
    /// skipped).
    package init(catalog: String, table: String, outcome: Result<CleanOrphansAction.Result, any Error>, nowMs: Int64,
        durationMs: Int64)
    {
        switch outcome {
        case .failure(let error):
            self.init(catalog: catalog, table: table, tableUUID: nil, status: Status(rawValue: FailureStatus(error).rawValue) ?? .failed,
                details: nil, error: "\(error)", durationMs: durationMs)
        case .success(let result):
            let found = result.outcome
            let deleted = result.deletion?.deleted ?? []
            let dangling = result.danglingDeletes.map { dangling in
                DanglingDeletes(status: dangling.status, snapshotId: dangling.snapshotId, removals: dangling.removals.map {
                    Removal(path: $0.path, kind: $0.kind, records: $0.records, bytes: $0.bytes, reason: $0.reason)
                })
            }
            let details = Details(
                graceMs: result.graceMs, filesFound: result.filesFound, filesReachable: found.reachable,
                filesKeptYoung: found.keptYoung.count, prefixMismatches: found.prefixMismatches.map(\.location),
                orphans: found.orphans.map { Orphan(path: $0.location, size: $0.size, ageMs: nowMs.saturatingSubtract($0.modifiedMs)) },
                filesDeleted: deleted.count, bytesDeleted: deleted.reduce(0) { $0.saturatingAdd($1.size ?? 0) },
                deleteFailures: FileNote.failures(result.deletion), directoriesRemoved: result.directoriesRemoved,
                filesSkipped: FileNote.skipped(result.skipped), danglingDeletes: dangling)
            self.init(catalog: catalog, table: table, tableUUID: result.tableUUID,
                status: Status(rawValue: result.status.rawValue) ?? .failed, details: details, error: nil, durationMs: durationMs)
        }
    }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(catalog)),
            ("table", .string(table)), ("table_uuid", tableUUID.map(JSON.string) ?? .null), ("status", .string(status.rawValue)),
        ]
        if let details {
            members += [
                ("grace_ms", .int(details.graceMs)), ("files_found", .int(Int64(details.filesFound))),
                ("files_reachable", .int(Int64(details.filesReachable))), ("files_kept_young", .int(Int64(details.filesKeptYoung))),
                ("prefix_mismatches", .array(details.prefixMismatches.map(JSON.string))),
                ("orphans", .array(details.orphans.map { file in
                    .object([("path", .string(file.path)), ("size", .int(file.size)), ("age_ms", .int(file.ageMs))])
                })),
                ("orphan_bytes", .int(details.orphanBytes)),
                ("files_deleted", .int(Int64(details.filesDeleted))), ("bytes_deleted", .int(details.bytesDeleted)),
                ("delete_failures", FileNote.json(details.deleteFailures, noteKey: "error")),
                ("directories_removed", .array(details.directoriesRemoved.map(JSON.string))),
                ("files_skipped", FileNote.json(details.filesSkipped, noteKey: "reason")),
                ("dangling_deletes", details.danglingDeletes.map { dangling in
                    .object([
                        ("status", .string(dangling.status.rawValue)), ("snapshot_id", dangling.snapshotId.map(JSON.int) ?? .null),
                        ("removals", .array(dangling.removals.map { removal in
                            .object([("path", .string(removal.path)), ("kind", .string(removal.kind)), ("records", .int(removal.records)),
                                ("bytes", .int(removal.bytes)), ("reason", .string(removal.reason))])
                        })),
                    ])
                } ?? .null),
            ]
        }
        members.append(("error", error.map(JSON.string) ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    /// The members of `Details` that are never null (`dangling_deletes` may be).
    private static let detailMembers = [
        "grace_ms", "files_found", "files_reachable", "files_kept_young", "prefix_mismatches", "orphans", "orphan_bytes",
        "files_deleted", "bytes_deleted", "delete_failures", "directories_removed", "files_skipped",
    ]

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        var details: Details?
        if try fields.group(Self.detailMembers) {
            let dangling = try fields.optionalObject("dangling_deletes").map {
                (dangling) throws(DocumentError) in
                DanglingDeletes(status: try dangling.value("status", as: DanglingDeleteCleanup.Result.Status.self),
                    snapshotId: try dangling.optionalInt("snapshot_id", Int64.min...Int64.max),
                    removals: try dangling.objects("removals") {
                        (removal) throws(DocumentError) in
                        Removal(path: try removal.string("path"), kind: try removal.string("kind"), records: try removal.int("records"),
                            bytes: try removal.int("bytes"), reason: try removal.string("reason"))
                    })
            }
            let read = Details(
                graceMs: try fields.int("grace_ms"), filesFound: try fields.small("files_found"),
                filesReachable: try fields.small("files_reachable"), filesKeptYoung: try fields.small("files_kept_young"),
                prefixMismatches: try fields.strings("prefix_mismatches"),
                orphans: try fields.objects("orphans") { (file) throws(DocumentError) in
                    Orphan(path: try file.string("path"), size: try file.int("size"), ageMs: try file.int("age_ms", Int64.min...Int64.max))
                },
                filesDeleted: try fields.small("files_deleted"), bytesDeleted: try fields.int("bytes_deleted"),
                deleteFailures: try FileNote.read(fields, "delete_failures", noteKey: "error"),
                directoriesRemoved: try fields.strings("directories_removed"),
                filesSkipped: try FileNote.read(fields, "files_skipped", noteKey: "reason"), danglingDeletes: dangling)
            _ = try fields.int("orphan_bytes")  // derived from the orphans' sizes: checked, then recomputed
            details = read
        }
        if details == nil, fields.has("dangling_deletes") {
            throw fields.error("dangling_deletes", "is there, but 'orphans' is missing")
        }
        self.init(catalog: try fields.string("catalog"), table: try fields.string("table"),
            tableUUID: try fields.optionalString("table_uuid"), status: try fields.value("status", as: Status.self),
            details: details, error: try fields.optionalString("error"), durationMs: try fields.int("duration_ms"))
    }

    /// What `--from-audit` may delete: the orphans and dangling delete files this dry run listed. A dry run may list
    /// dangling delete files alone (orphan cleaning off, or nothing to delete).
    package func audit() throws(DocumentError) -> MaintenanceAudit {
        guard let details, status == .dryRun || details.danglingDeletes?.status == .dryRun else {
            throw .invalid(kind: Self.kind, field: "status", why: "is \(status.rawValue); an audit is the output of a --dry-run")
        }
        return MaintenanceAudit(tableUUID: tableUUID,
            files: details.orphans.map { ReachedFile(path: $0.path, fileClass: .data, size: $0.size) },
            deleteFiles: Set((details.danglingDeletes?.removals ?? []).map(\.path)))
    }

    /// The table, status and counts, each orphan (the first 50), and the dangling delete files.
    package func rendered() -> String {
        guard let details else {
            let line = "\(table): \(status.rawValue): - files, - reachable, - kept as younger than the grace, 0 orphans (0 B)"
            return FileListing.finished([line], failures: [], error: error)
        }
        var lines = ["\(table): \(status.rawValue): \(details.filesFound) files, \(details.filesReachable) reachable, "
            + "\(details.filesKeptYoung) kept as younger than the grace, \(details.orphans.count) orphans "
            + "(\(ByteCount.format(details.orphanBytes)))"]
        if details.filesDeleted > 0 { lines.append("  deleted \(details.filesDeleted) files (\(ByteCount.format(details.bytesDeleted)))") }
        lines += FileListing.table(details.orphans, columns: ["orphan", "size", "age"]) { file in
            [file.path, ByteCount.format(file.size), Self.age(file.ageMs)]
        }
        if let dangling = details.danglingDeletes {
            var line = "  dangling delete files: \(dangling.status.rawValue), \(dangling.removals.count) files"
            if let snapshot = dangling.snapshotId { line += ", snapshot \(snapshot)" }
            lines.append(line)
            lines += FileListing.table(dangling.removals, columns: ["dangling delete file", "size", "why"]) { file in
                [file.path, ByteCount.format(file.bytes), file.reason]
            }
        }
        return FileListing.finished(lines, failures: details.deleteFailures, error: error)
    }

    private static func age(_ ms: Int64) -> String {
        ms >= 86_400_000 ? "\(ms / 86_400_000)d" : ms >= 3_600_000 ? "\(ms / 3_600_000)h" : "\(ms / 60_000)min"
    }
}
