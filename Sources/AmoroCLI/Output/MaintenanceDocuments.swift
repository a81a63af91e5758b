import Execution
import Iceberg
import JSONCoding
import IcebergSpec
import Planning
import Storage

/// The `amoro.expire-result` document (version 1) of one table.
enum ExpireDocument {
    static let kind = "amoro.expire-result"

    static func make(catalog: String, table: String, outcome: Result<ExpireSnapshotsAction.Result, any Error>, seconds: Double)
        -> JSON
    {
        var members = ResultDocument.start(kind: kind, catalog: catalog, table: table)
        switch outcome {
        case .failure(let error):
            members += ResultDocument.failure(error)
        case .success(let result):
            let expiry = result.expiry
            members += [
                ("table_uuid", result.tableUUID.map(JSON.string) ?? .null), ("status", .string(result.status.rawValue)),
                ("cutoff_ms", expiry.flatMap { $0.policy == nil ? nil : .int($0.cutoffMs) } ?? .null),
                ("retention", expiry?.policy.map { policy in
                    .object([("expire_older_than_ms", .int(policy.expireOlderThanMs)),
                        ("min_snapshots_to_keep", .int(Int64(policy.minSnapshotsToKeep))), ("max_ref_age_ms", .int(policy.maxRefAgeMs)),
                        ("flink_checkpoint_retention_ms", .int(policy.flinkCheckpointRetentionMs))])
                } ?? .null),
                ("snapshots_removed", .array((expiry?.snapshots ?? []).map { snapshot in
                    .object([("snapshot_id", .int(snapshot.snapshotId)), ("timestamp_ms", .int(snapshot.timestampMs)),
                        ("reason", .string(snapshot.reason.rawValue))])
                })),
                ("refs_removed", .array((expiry?.refs ?? []).map { ref in
                    .object([("name", .string(ref.name)), ("type", .string(ref.kind.rawValue)), ("snapshot_id", .int(ref.snapshotId)),
                        ("reason", .string(ref.maxRefAgeMs == nil ? "missing-snapshot" : "max-ref-age")),
                        ("max_ref_age_ms", ref.maxRefAgeMs.map(JSON.int) ?? .null)])
                })),
            ]
            if result.status == .dryRun {
                members.append(("files", .array(result.unreachable.map { file in
                    .object([("path", .string(file.path)), ("class", .string(file.fileClass.rawValue)),
                        ("size", file.size.map(JSON.int) ?? .null),
                        ("reason", .string(file.fileClass == .metadata ? "dropped from the metadata log" : "reached only by expired snapshots"))])
                })))
            }
            let deletion = result.deletion
            members += [
                ("files_deleted", ResultStatus.countsByClass(deletion)),
                ("files_kept", result.filesKept.map(JSON.string) ?? .null),
                ("files_skipped", ResultStatus.skipped(result.skipped)),
                ("delete_failures", ResultStatus.failures(deletion)),
                ("commit_attempts", .int(Int64(result.commitAttempts))), ("error", .null),
            ]
        }
        members.append(("duration_ms", .int(Int64(seconds * 1000))))
        return .object(members)
    }
}

/// The `amoro.clean-orphans-result` document (version 1) of one table.
enum OrphansDocument {
    static let kind = "amoro.clean-orphans-result"

    static func make(
        catalog: String, table: String, outcome: Result<CleanOrphansAction.Result, any Error>, nowMs: Int64, seconds: Double
    ) -> JSON {
        var members = ResultDocument.start(kind: kind, catalog: catalog, table: table)
        switch outcome {
        case .failure(let error):
            members += ResultDocument.failure(error)
        case .success(let result):
            let found = result.outcome
            let deleted = result.deletion?.deleted ?? []
            members += [
                ("table_uuid", result.tableUUID.map(JSON.string) ?? .null), ("status", .string(result.status.rawValue)),
                ("grace_ms", .int(result.graceMs)), ("files_found", .int(Int64(result.filesFound))),
                ("files_reachable", .int(Int64(found.reachable))), ("files_kept_young", .int(Int64(found.keptYoung.count))),
                ("prefix_mismatches", .array(found.prefixMismatches.map { .string($0.location) })),
                ("orphans", .array(found.orphans.map { file in
                    .object([("path", .string(file.location)), ("size", .int(file.size)), ("age_ms", .int(nowMs - file.modifiedMs))])
                })),
                ("orphan_bytes", .int(found.orphans.reduce(0) { $0 + $1.size })),
                ("files_deleted", .int(Int64(deleted.count))), ("bytes_deleted", .int(deleted.reduce(0) { $0 + ($1.size ?? 0) })),
                ("delete_failures", ResultStatus.failures(result.deletion)),
                ("directories_removed", .array(result.directoriesRemoved.map(JSON.string))),
                ("files_skipped", ResultStatus.skipped(result.skipped)),
                ("dangling_deletes", danglingDeletes(result.danglingDeletes)), ("error", .null),
            ]
        }
        members.append(("duration_ms", .int(Int64(seconds * 1000))))
        return .object(members)
    }

    /// The dangling-delete pass: its status, the snapshot that removed them, and each file with why.
    private static func danglingDeletes(_ result: DanglingDeleteCleanup.Result?) -> JSON {
        guard let result else { return .null }
        return .object([
            ("status", .string(result.status.rawValue)), ("snapshot_id", result.snapshotId.map(JSON.int) ?? .null),
            ("removals", .array(result.removals.map { removal in
                .object([("path", .string(removal.path)), ("kind", .string(removal.kind)), ("records", .int(removal.records)),
                    ("bytes", .int(removal.bytes)), ("reason", .string(removal.reason))])
            })),
        ])
    }
}

/// Pieces the maintenance documents share.
extension ResultStatus {
    /// Files and bytes deleted per class, every class present.
    static func countsByClass(_ deletion: FileDeletion?) -> JSON {
        let counts = deletion?.byClass ?? [:]
        return .object(TableFileClass.allCases.map { fileClass in
            let count = counts[fileClass] ?? (0, 0)
            return (fileClass.rawValue, .object([("files", .int(Int64(count.files))), ("bytes", .int(count.bytes))]))
        })
    }

    /// Files an audit listed that the run left alone, with why.
    static func skipped(_ files: [(path: String, reason: String)]) -> JSON {
        .array(files.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })
    }

    /// Deletes that failed, and files never deleted because they lie outside the table location.
    static func failures(_ deletion: FileDeletion?) -> JSON {
        let failed = (deletion?.failed ?? []) + (deletion?.refused ?? []).map { ($0.path, "not deleted: \($0.reason)") }
        return .array(failed.map { .object([("path", .string($0.0)), ("error", .string($0.1))]) })
    }
}
