import Iceberg
import JSONCoding
import Planning

extension MaintenanceAudit {
    /// Reads the audit a dry-run document records: the files it lists (`files` or `orphans`), the snapshots and refs
    /// it removes, the retention it was made with (all four numbers, or none) and the dangling delete files.
    package init(document: JSON) throws(AuditDocumentError) {
        var files: [ReachedFile] = []
        for entry in document["files"]?.arrayValue ?? document["orphans"]?.arrayValue ?? [] {
            guard let path = entry["path"]?.stringValue else { throw AuditDocumentError("a file has no path") }
            let fileClass = entry["class"]?.stringValue.flatMap(TableFileClass.init(rawValue:)) ?? .data
            files.append(ReachedFile(path: path, fileClass: fileClass, size: entry["size"]?.int64Value))
        }
        var policy: RetentionPolicy?
        if let retention = document["retention"], let olderThan = retention["expire_older_than_ms"]?.int64Value,
            let count = retention["min_snapshots_to_keep"]?.int64Value, let refAge = retention["max_ref_age_ms"]?.int64Value,
            let flink = retention["flink_checkpoint_retention_ms"]?.int64Value
        {
            policy = RetentionPolicy(expireOlderThanMs: olderThan, minSnapshotsToKeep: Int(count), maxRefAgeMs: refAge,
                flinkCheckpointRetentionMs: flink)
        }
        self.init(tableUUID: document["table_uuid"]?.stringValue,
            snapshotIds: Set((document["snapshots_removed"]?.arrayValue ?? []).compactMap { $0["snapshot_id"]?.int64Value }),
            refs: Set((document["refs_removed"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }), files: files,
            policy: policy,
            danglingDeletes: Set((document["dangling_deletes"]?["removals"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }))
    }
}

/// An audit document is malformed.
package struct AuditDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
