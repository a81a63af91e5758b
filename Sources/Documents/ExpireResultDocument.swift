import Execution
import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Planning

/// The `amoro.expire-result` document (version 1) of one table. A dry run's document is an audit: `audit` reads
/// back what `--from-audit` may act on.
package struct ExpireResultDocument: Document {
    package static let kind = "amoro.expire-result"
    package static let version = 1

    package enum Status: String, Sendable {
        case expired, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled, conflict, locked, failed
    }

    package struct RemovedSnapshot: Sendable, Equatable {
        package var snapshotId: Int64
        package var timestampMs: Int64
        package var reason: SnapshotExpiry.Reason

        package init(snapshotId: Int64, timestampMs: Int64, reason: SnapshotExpiry.Reason) {
            self.snapshotId = snapshotId
            self.timestampMs = timestampMs
            self.reason = reason
        }
    }

    package struct RemovedRef: Sendable, Equatable {
        package var name: String
        package var type: SnapshotRef.Kind
        package var snapshotId: Int64
        /// The age limit it passed; nil when its snapshot no longer exists (reason `missing-snapshot`).
        package var maxRefAgeMs: Int64?

        package init(name: String, type: SnapshotRef.Kind, snapshotId: Int64, maxRefAgeMs: Int64?) {
            self.name = name
            self.type = type
            self.snapshotId = snapshotId
            self.maxRefAgeMs = maxRefAgeMs
        }

        var reason: RefReason { maxRefAgeMs == nil ? .missingSnapshot : .maxRefAge }
    }

    /// Why a ref was removed.
    package enum RefReason: String, Sendable {
        case missingSnapshot = "missing-snapshot", maxRefAge = "max-ref-age"
    }

    package struct Deleted: Sendable, Equatable {
        package var files: Int
        package var bytes: Int64

        package init(files: Int, bytes: Int64) {
            self.files = files
            self.bytes = bytes
        }
    }

    /// What a run that got as far as the table found and did (absent when it failed).
    package struct Details: Sendable, Equatable {
        /// The default cut-off; nil for an explicit expiry.
        package var cutoffMs: Int64?
        package var retention: RetentionPolicy?
        package var snapshotsRemoved: [RemovedSnapshot]
        package var refsRemoved: [RemovedRef]
        /// Every file a dry run would delete; nil for other runs.
        package var files: [ReachedFile]?
        package var filesDeleted: [TableFileClass: Deleted]
        package var filesKept: String?
        package var filesSkipped: [FileNote]
        package var deleteFailures: [FileNote]
        package var commitAttempts: Int

        package init(cutoffMs: Int64?, retention: RetentionPolicy?, snapshotsRemoved: [RemovedSnapshot],
            refsRemoved: [RemovedRef], files: [ReachedFile]?, filesDeleted: [TableFileClass: Deleted], filesKept: String?,
            filesSkipped: [FileNote], deleteFailures: [FileNote], commitAttempts: Int)
        {
            self.cutoffMs = cutoffMs
            self.retention = retention
            self.snapshotsRemoved = snapshotsRemoved
            self.refsRemoved = refsRemoved
            self.files = files
            self.filesDeleted = filesDeleted
            self.filesKept = filesKept
            self.filesSkipped = filesSkipped
            self.deleteFailures = deleteFailures
            self.commitAttempts = commitAttempts
        }
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

    /// The document of one table's run: its result, or the error it failed with (`TableLocked` when skipped).
    package init(catalog: String, table: String, outcome: Result<ExpireSnapshotsAction.Result, any Error>, durationMs: Int64) {
        switch outcome {
        case .failure(let error):
            self.init(catalog: catalog, table: table, tableUUID: nil, status: Status(rawValue: FailureStatus(error).rawValue) ?? .failed,
                details: nil, error: "\(error)", durationMs: durationMs)
        case .success(let result):
            let expiry = result.expiry
            var deleted: [TableFileClass: Deleted] = [:]
            for (fileClass, count) in result.deletion?.byClass ?? [:] { deleted[fileClass] = Deleted(files: count.files, bytes: count.bytes) }
            let details = Details(
                cutoffMs: expiry.flatMap { $0.policy == nil ? nil : $0.cutoffMs }, retention: expiry?.policy,
                snapshotsRemoved: (expiry?.snapshots ?? []).map {
                    RemovedSnapshot(snapshotId: $0.snapshotId, timestampMs: $0.timestampMs, reason: $0.reason)
                },
                refsRemoved: (expiry?.refs ?? []).map {
                    RemovedRef(name: $0.name, type: $0.kind, snapshotId: $0.snapshotId, maxRefAgeMs: $0.maxRefAgeMs)
                },
                files: result.status == .dryRun ? result.unreachable : nil,
                filesDeleted: deleted, filesKept: result.filesKept, filesSkipped: FileNote.skipped(result.skipped),
                deleteFailures: FileNote.failures(result.deletion), commitAttempts: result.commitAttempts)
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
                ("cutoff_ms", details.cutoffMs.map(JSON.int) ?? .null),
                ("retention", details.retention.map { policy in
                    .object([("expire_older_than_ms", .int(policy.expireOlderThanMs)),
                        ("min_snapshots_to_keep", .int(Int64(policy.minSnapshotsToKeep))), ("max_ref_age_ms", .int(policy.maxRefAgeMs)),
                        ("flink_checkpoint_retention_ms", .int(policy.flinkCheckpointRetentionMs))])
                } ?? .null),
                ("snapshots_removed", .array(details.snapshotsRemoved.map { snapshot in
                    .object([("snapshot_id", .int(snapshot.snapshotId)), ("timestamp_ms", .int(snapshot.timestampMs)),
                        ("reason", .string(snapshot.reason.rawValue))])
                })),
                ("refs_removed", .array(details.refsRemoved.map { ref in
                    .object([("name", .string(ref.name)), ("type", .string(ref.type.rawValue)), ("snapshot_id", .int(ref.snapshotId)),
                        ("reason", .string(ref.reason.rawValue)), ("max_ref_age_ms", ref.maxRefAgeMs.map(JSON.int) ?? .null)])
                })),
            ]
            if let files = details.files {
                members.append(("files", .array(files.map { file in
                    .object([("path", .string(file.path)), ("class", .string(file.fileClass.rawValue)),
                        ("size", file.size.map(JSON.int) ?? .null), ("reason", .string(Self.reason(file)))])
                })))
            }
            members += [
                ("files_deleted", .object(TableFileClass.allCases.map { fileClass in
                    let count = details.filesDeleted[fileClass] ?? Deleted(files: 0, bytes: 0)
                    return (fileClass.rawValue, .object([("files", .int(Int64(count.files))), ("bytes", .int(count.bytes))]))
                })),
                ("files_kept", details.filesKept.map(JSON.string) ?? .null),
                ("files_skipped", FileNote.json(details.filesSkipped, noteKey: "reason")),
                ("delete_failures", FileNote.json(details.deleteFailures, noteKey: "error")),
                ("commit_attempts", .int(Int64(details.commitAttempts))),
            ]
        }
        members.append(("error", error.map(JSON.string) ?? .null))
        members.append(("duration_ms", .int(durationMs)))
        return .object(members)
    }

    /// The members of `Details` that are never null (`cutoff_ms`, `retention`, `files_kept` may be; `files` is
    /// a dry run's).
    private static let detailMembers = [
        "snapshots_removed", "refs_removed", "files_deleted", "files_skipped", "delete_failures", "commit_attempts",
    ]

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        var details: Details?
        if try fields.group(Self.detailMembers) {
            let retention = try fields.optionalObject("retention")
            let policy = try retention.map { (retention) throws(DocumentError) in
                RetentionPolicy(expireOlderThanMs: try retention.int("expire_older_than_ms"),
                    minSnapshotsToKeep: Int(try retention.int("min_snapshots_to_keep", 1...Int64(Int32.max))),
                    maxRefAgeMs: try retention.int("max_ref_age_ms"),
                    flinkCheckpointRetentionMs: try retention.int("flink_checkpoint_retention_ms"))
            }
            let deletedFields = try fields.object("files_deleted")
            var deleted: [TableFileClass: Deleted] = [:]
            for fileClass in TableFileClass.allCases {
                let count = try deletedFields.object(fileClass.rawValue)
                let value = Deleted(files: try count.small("files"), bytes: try count.int("bytes"))
                if value != Deleted(files: 0, bytes: 0) { deleted[fileClass] = value }
            }
            let refs = try fields.objects("refs_removed") {
                (ref) throws(DocumentError) in
                _ = try ref.value("reason", as: RefReason.self)  // derived from max_ref_age_ms
                return RemovedRef(name: try ref.string("name"), type: try ref.value("type", as: SnapshotRef.Kind.self),
                    snapshotId: try ref.int("snapshot_id", Int64.min...Int64.max), maxRefAgeMs: try ref.optionalInt("max_ref_age_ms"))
            }
            let files = try fields.has("files")
                ? fields.objects("files") { (file) throws(DocumentError) in
                    _ = try file.string("reason")  // derived from the class: a hand-edited one is kept to itself
                    return ReachedFile(path: try file.string("path"), fileClass: try file.value("class", as: TableFileClass.self),
                        size: try file.optionalInt("size"))
                } : nil
            details = Details(
                cutoffMs: try fields.optionalInt("cutoff_ms", Int64.min...Int64.max), retention: policy,
                snapshotsRemoved: try fields.objects("snapshots_removed") {
                    (snapshot) throws(DocumentError) in
                    RemovedSnapshot(snapshotId: try snapshot.int("snapshot_id", Int64.min...Int64.max),
                        timestampMs: try snapshot.int("timestamp_ms", Int64.min...Int64.max),
                        reason: try snapshot.value("reason", as: SnapshotExpiry.Reason.self))
                },
                refsRemoved: refs, files: files, filesDeleted: deleted, filesKept: try fields.optionalString("files_kept"),
                filesSkipped: try FileNote.read(fields, "files_skipped", noteKey: "reason"),
                deleteFailures: try FileNote.read(fields, "delete_failures", noteKey: "error"),
                commitAttempts: try fields.small("commit_attempts"))
        }
        if details == nil, let extra = ["cutoff_ms", "retention", "files", "files_kept"].first(where: fields.has) {
            throw fields.error(extra, "is there, but 'snapshots_removed' is missing")
        }
        self.init(catalog: try fields.string("catalog"), table: try fields.string("table"),
            tableUUID: try fields.optionalString("table_uuid"), status: try fields.value("status", as: Status.self),
            details: details, error: try fields.optionalString("error"), durationMs: try fields.int("duration_ms"))
    }

    /// Why a dry run lists a file.
    private static func reason(_ file: ReachedFile) -> String {
        file.fileClass == .metadata ? "dropped from the metadata log" : "reached only by expired snapshots"
    }

    /// What `--from-audit` may act on: the snapshots, refs and files this dry run listed, and its retention.
    package func audit() throws(DocumentError) -> MaintenanceAudit {
        guard status == .dryRun, let details else {
            throw .invalid(kind: Self.kind, field: "status", why: "is \(status.rawValue); an audit is the output of a --dry-run")
        }
        return MaintenanceAudit(tableUUID: tableUUID, snapshotIds: Set(details.snapshotsRemoved.map(\.snapshotId)),
            refs: Set(details.refsRemoved.map(\.name)),
            files: details.files ?? [],
            policy: details.retention)
    }

    /// The table, status and counts; for a dry run, every snapshot, ref and file (the first 50 files).
    package func rendered() -> String {
        var lines = ["\(table): \(status.rawValue): \(details?.snapshotsRemoved.count ?? 0) snapshots, \(details?.refsRemoved.count ?? 0) refs"]
        if let details {
            let parts = TableFileClass.allCases.compactMap { fileClass -> String? in
                guard let count = details.filesDeleted[fileClass], count.files > 0 else { return nil }
                return "\(count.files) \(fileClass.rawValue.replacingOccurrences(of: "_", with: " ")) (\(ByteCount.format(count.bytes)))"
            }
            if !parts.isEmpty { lines.append("  deleted " + parts.joined(separator: ", ")) }
            if let kept = details.filesKept { lines.append("  \(kept)") }
            if status == .dryRun {
                var table = TextTable(["snapshot", "timestamp ms", "reason"])
                for snapshot in details.snapshotsRemoved {
                    table.add([String(snapshot.snapshotId), String(snapshot.timestampMs), snapshot.reason.rawValue])
                }
                for ref in details.refsRemoved { table.add(["ref \(ref.name)", ref.type.rawValue, ref.reason.rawValue]) }
                if !details.snapshotsRemoved.isEmpty || !details.refsRemoved.isEmpty { lines.append(table.rendered()) }
                lines += FileListing.table(details.files ?? [], columns: ["file", "class", "size"]) { file in
                    [file.path, file.fileClass.rawValue, ByteCount.format(file.size ?? 0)]
                }
            }
        }
        return FileListing.finished(lines, failures: details?.deleteFailures ?? [], error: error)
    }
}
