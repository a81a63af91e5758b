import Execution
import Iceberg
import IcebergSpec
import JSONCoding
import Planning

/// The `amoro.expire-data-result` document (version 1): what `amoro expire-data` did to one table, or (dry run)
/// would do. Every expired data file and every file kept for a reason other than holding fresh rows is listed with
/// why; files holding fresh rows are only counted.
package struct ExpireDataResultDocument: Document {
    package static let kind = "amoro.expire-data-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled, conflict, locked, failed
    }

    /// A data file and its verdict.
    package struct FileEntry: Sendable, Equatable {
        package var path: String
        package var partition: String
        package var records: Int64
        package var bytes: Int64
        package var verdict: DataExpiration.Verdict
        package var reason: String

        package init(path: String, partition: String, records: Int64, bytes: Int64, verdict: DataExpiration.Verdict, reason: String) {
            self.path = path
            self.partition = partition
            self.records = records
            self.bytes = bytes
            self.verdict = verdict
            self.reason = reason
        }
    }

    package typealias Removal = DanglingDeleteCleanup.Removal

    /// The settings a run read (absent when it failed before reading them).
    package struct Settings: Sendable, Equatable {
        package var field: String?
        package var level: DataExpirationConfig.Level
        package var baseOnRule: DataExpirationConfig.BaseRule
        package var retentionMs: Int64

        package init(field: String?, level: DataExpirationConfig.Level, baseOnRule: DataExpirationConfig.BaseRule, retentionMs: Int64) {
            self.field = field
            self.level = level
            self.baseOnRule = baseOnRule
            self.retentionMs = retentionMs
        }
    }

    /// What a run that decided found. Counts and sums are derived from the lists.
    package struct Details: Sendable, Equatable {
        package var baseTimeMs: Int64?
        package var cutoffMs: Int64?
        package var plannedSnapshotId: Int64?
        /// Expired data files, then files kept for another reason than fresh rows.
        package var files: [FileEntry]
        /// Data files kept because they hold rows after the cut-off.
        package var freshFiles: Int64
        package var deleteFiles: [Removal]
        package var commitAttempts: Int

        package init(baseTimeMs: Int64?, cutoffMs: Int64?, plannedSnapshotId: Int64?, files: [FileEntry], freshFiles: Int64,
            deleteFiles: [Removal], commitAttempts: Int)
        {
            self.baseTimeMs = baseTimeMs
            self.cutoffMs = cutoffMs
            self.plannedSnapshotId = plannedSnapshotId
            self.files = files
            self.freshFiles = freshFiles
            self.deleteFiles = deleteFiles
            self.commitAttempts = commitAttempts
        }

        var expired: [FileEntry] { files.filter { $0.verdict == .expired } }
        func count(_ verdict: DataExpiration.Verdict) -> Int64 { Int64(files.filter { $0.verdict == verdict }.count) }
    }

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var status: Status
    package var settings: Settings?
    package var snapshotId: Int64?
    package var note: String?
    package var details: Details?
    package var error: String?
    package var durationMs: Int64

    package init(catalog: String, table: String, tableUUID: String?, status: Status, settings: Settings?, snapshotId: Int64?,
        note: String?, details: Details?, error: String?, durationMs: Int64)
    {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.status = status
        self.settings = settings
        self.snapshotId = snapshotId
        self.note = note
        self.details = details
        self.error = error
        self.durationMs = durationMs
    }

    /// The document of one table's run: its result, or the error it failed with (`TableLocked` when it was skipped).
    package init(catalog: String, table: String, outcome: Result<ExpireDataAction.Result, any Error>,
        durationMs: Int64)
    {
        let result = try? outcome.get()
        let failure = outcome.failure
        let status = Status(rawValue: outcome.statusText { $0.status.rawValue }) ?? .failed
        let settings = result?.config.map {
            Settings(field: $0.field, level: $0.level, baseOnRule: $0.baseRule, retentionMs: $0.retentionMs)
        }
        var details: Details?
        if let result, result.status != .disabled {
            let listed = result.decisions.filter { $0.verdict != .fresh }.sorted { ($0.verdict == .expired ? 0 : 1, $0.path) < ($1.verdict == .expired ? 0 : 1, $1.path) }
            details = Details(baseTimeMs: result.baseTimeMs, cutoffMs: result.cutoffMs, plannedSnapshotId: result.plannedSnapshotId,
                files: listed.map { FileEntry(path: $0.path, partition: $0.partitionText, records: $0.records, bytes: $0.bytes,
                    verdict: $0.verdict, reason: $0.reason) },
                freshFiles: Int64(result.decisions.filter { $0.verdict == .fresh }.count), deleteFiles: result.deleteFiles,
                commitAttempts: result.commitAttempts)
        }
        self.init(catalog: catalog, table: table, tableUUID: result?.tableUUID, status: status, settings: settings,
            snapshotId: result?.snapshotId, note: result?.note, details: details, error: failure.map { "\($0)" },
            durationMs: durationMs)
    }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("catalog", .string(catalog)),
            ("table", .string(table)), ("table_uuid", tableUUID.map(JSON.string) ?? .null), ("status", .string(status.rawValue)),
        ]
        if let settings {
            members.append(("settings", .object([
                ("field", settings.field.map(JSON.string) ?? .null), ("level", .string(settings.level.rawValue)),
                ("base_on_rule", .string(settings.baseOnRule.rawValue)), ("retention_ms", .int(settings.retentionMs)),
            ])))
        }
        members.append(("snapshot_id", snapshotId.map(JSON.int) ?? .null))
        members.append(("note", note.map(JSON.string) ?? .null))
        if let details {
            let expired = details.expired
            members += [
                ("base_time_ms", details.baseTimeMs.map(JSON.int) ?? .null), ("cutoff_ms", details.cutoffMs.map(JSON.int) ?? .null),
                ("planned_snapshot_id", details.plannedSnapshotId.map(JSON.int) ?? .null),
                ("data_files_expired", .int(Int64(expired.count))),
                ("records_expired", .int(expired.reduce(Int64(0)) { $0.saturatingAdd($1.records) })),
                ("bytes_expired", .int(expired.reduce(Int64(0)) { $0.saturatingAdd($1.bytes) })),
                ("data_files_fresh", .int(details.freshFiles)),
                ("data_files_partition_kept", .int(details.count(.partitionKept))),
                ("data_files_undecided", .int(details.count(.undecided))),
                ("delete_files_removed", .int(Int64(details.deleteFiles.count))),
                ("commit_attempts", .int(Int64(details.commitAttempts))),
                ("files", .array(details.files.map { file in
                    .object([("path", .string(file.path)), ("partition", .string(file.partition)), ("records", .int(file.records)),
                        ("bytes", .int(file.bytes)), ("verdict", .string(file.verdict.rawValue)), ("reason", .string(file.reason))])
                })),
                ("delete_files", .array(details.deleteFiles.map { file in
                    .object([("path", .string(file.path)), ("kind", .string(file.kind)), ("records", .int(file.records)),
                        ("bytes", .int(file.bytes)), ("reason", .string(file.reason))])
                })),
            ]
        }
        members.append(("error", error.map(JSON.string) ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    private static let derivedMembers = [
        "data_files_expired", "records_expired", "bytes_expired", "data_files_partition_kept", "data_files_undecided",
        "delete_files_removed",
    ]

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        var settings: Settings?
        if let object = try fields.optionalObject("settings") {
            settings = Settings(field: try object.optionalString("field"),
                level: try object.value("level", as: DataExpirationConfig.Level.self),
                baseOnRule: try object.value("base_on_rule", as: DataExpirationConfig.BaseRule.self),
                retentionMs: try object.int("retention_ms"))
        }
        var details: Details?
        if try fields.group(["base_time_ms", "cutoff_ms", "planned_snapshot_id", "data_files_fresh", "commit_attempts", "files",
            "delete_files"] + Self.derivedMembers)
        {
            for key in Self.derivedMembers { _ = try fields.int(key) }
            details = Details(
                baseTimeMs: try fields.optionalInt("base_time_ms", Int64.min...Int64.max),
                cutoffMs: try fields.optionalInt("cutoff_ms", Int64.min...Int64.max),
                plannedSnapshotId: try fields.optionalInt("planned_snapshot_id", Int64.min...Int64.max),
                files: try fields.objects("files") { (file) throws(DocumentError) in
                    FileEntry(path: try file.string("path"), partition: try file.string("partition"), records: try file.int("records"),
                        bytes: try file.int("bytes"), verdict: try file.value("verdict", as: DataExpiration.Verdict.self),
                        reason: try file.string("reason"))
                },
                freshFiles: try fields.int("data_files_fresh"),
                deleteFiles: try fields.objects("delete_files") { (file) throws(DocumentError) in
                    Removal(path: try file.string("path"), kind: try file.string("kind"), records: try file.int("records"),
                        bytes: try file.int("bytes"), action: "drop", reason: try file.string("reason"))
                },
                commitAttempts: try fields.small("commit_attempts"))
        }
        self.init(catalog: try fields.string("catalog"), table: try fields.string("table"),
            tableUUID: try fields.optionalString("table_uuid"), status: try fields.value("status", as: Status.self),
            settings: settings, snapshotId: try fields.optionalInt("snapshot_id", Int64.min...Int64.max),
            note: try fields.optionalString("note"), details: details, error: try fields.optionalString("error"),
            durationMs: try fields.int("duration_ms"))
    }

    /// The audit a dry run's document is: the expired data files with their sizes and the delete files going with
    /// them; a replay removes no other file.
    package func audit() throws(DocumentError) -> MaintenanceAudit {
        guard status == .dryRun, let details else {
            throw .invalid(kind: Self.kind, field: "status", why: "is \(status.rawValue); an audit is the output of a --dry-run")
        }
        return MaintenanceAudit(tableUUID: tableUUID,
            files: details.expired.map { ReachedFile(path: $0.path, fileClass: .data, size: $0.bytes) },
            deleteFiles: Set(details.deleteFiles.map(\.path)))
    }

    /// One summary line, then (for a dry run) each listed file with its verdict and why.
    package func rendered() -> String {
        var lines = ["\(table): \(status.rawValue)"]
        if let details {
            let expired = details.expired
            let records: Int64 = expired.reduce(0) { $0.saturatingAdd($1.records) }
            let bytes: Int64 = expired.reduce(0) { $0.saturatingAdd($1.bytes) }
            let kept = "\(details.freshFiles) fresh, \(details.count(.partitionKept)) kept with their partition, "
                + "\(details.count(.undecided)) undecided"
                + (details.count(.notInAudit) > 0 ? ", \(details.count(.notInAudit)) expired but not in the audit" : "")
            lines[0] += ", \(expired.count) data files expired (\(records) rows, \(ByteCount.format(bytes)))"
            lines[0] += ", \(details.deleteFiles.count) delete files with them, " + kept
            if let cutoffMs = details.cutoffMs { lines[0] += ", cut-off \(DataExpiration.isoText(cutoffMs))" }
        }
        if let snapshotId { lines[0] += ", snapshot \(snapshotId)" }
        if let note { lines.append("  \(note)") }
        if status == .dryRun, let details {
            var table = TextTable(["verdict", "rows", "file", "why"])
            for file in details.files { table.add([file.verdict.rawValue, String(file.records), file.path, file.reason]) }
            for file in details.deleteFiles { table.add(["drop", String(file.records), file.path, file.reason]) }
            lines.append(table.rendered())
        }
        if let error { lines.append("  \(error)") }
        return lines.joined(separator: "\n")
    }
}
