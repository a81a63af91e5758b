import Iceberg
import IcebergSpec
import Planning

/// An earlier dry run's listing (`--from-audit`), reviewed before acting: a later run removes only snapshots,
/// refs and files it lists, and only those that still qualify when the table is looked at again.
package struct MaintenanceAudit: Sendable {
    /// The table the audit was made for; another table with the same name is refused.
    package var tableUUID: String?
    package var snapshotIds: Set<Int64>
    package var refs: Set<String>
    /// Files with the class and size the audit recorded.
    package var files: [ReachedFile]
    /// The retention the audit was made with: a replay without retention options of its own judges by it.
    package var policy: RetentionPolicy?
    /// Delete files the audit listed for removal (clean-orphans' dangling ones, expire-data's going with expired
    /// data): only those may be removed.
    package var deleteFiles: Set<String>

    package init(tableUUID: String?, snapshotIds: Set<Int64> = [], refs: Set<String> = [], files: [ReachedFile],
        policy: RetentionPolicy? = nil, deleteFiles: Set<String> = [])
    {
        self.tableUUID = tableUUID
        self.snapshotIds = snapshotIds
        self.refs = refs
        self.files = files
        self.policy = policy
        self.deleteFiles = deleteFiles
    }

    /// Refuses an audit made for another table.
    func check(_ metadata: TableMetadata, identifier: TableIdentifier) throws(AmoroError) {
        if let tableUUID, tableUUID != metadata.tableUUID {
            throw .refused(identifier, "the audit was made for table UUID \(tableUUID), not \(metadata.tableUUID ?? "none")")
        }
    }
}
