import JSONCoding

/// A table's metadata file (spec "Table Metadata"), format versions 1 to 3.
///
/// Reading keeps every member this implementation does not know in `extra` (here and in nested objects), and
/// writing puts them back, so a read-modify-write never damages what a newer writer stored.
package struct TableMetadata: Hashable, Sendable {
    package static let supportedFormatVersions = 1...3

    package var formatVersion: Int
    package var tableUUID: String?
    package var location: String
    package var lastSequenceNumber: Int64
    package var lastUpdatedMs: Int64
    package var lastColumnId: Int
    package var schemas: [Schema]
    package var currentSchemaId: Int
    package var partitionSpecs: [PartitionSpec]
    package var defaultSpecId: Int
    package var lastPartitionId: Int
    package var sortOrders: [SortOrder]
    package var defaultSortOrderId: Int
    package var properties: [String: String]
    package var currentSnapshotId: Int64?
    package var snapshots: [Snapshot]
    package var snapshotLog: [SnapshotLogEntry]
    package var metadataLog: [MetadataLogEntry]
    package var refs: [String: SnapshotRef]
    package var statistics: [StatisticsFile]
    package var partitionStatistics: [StatisticsFile]
    /// v3 row lineage: the next row id to assign.
    package var nextRowId: Int64?
    /// v3 encryption keys, carried through as written.
    package var encryptionKeys: JSON?
    package var extra: JSON = .object([])

    package var currentSchema: Schema? { schemas.first { $0.schemaId == currentSchemaId } }
    package var defaultSpec: PartitionSpec? { partitionSpecs.first { $0.specId == defaultSpecId } }
    package var defaultSortOrder: SortOrder? { sortOrders.first { $0.orderId == defaultSortOrderId } }
    package var currentSnapshot: Snapshot? { currentSnapshotId.flatMap(snapshot(id:)) }

    package func snapshot(id: Int64) -> Snapshot? { snapshots.first { $0.snapshotId == id } }
    package func schema(id: Int) -> Schema? { schemas.first { $0.schemaId == id } }
    package func spec(id: Int) -> PartitionSpec? { partitionSpecs.first { $0.specId == id } }

    /// The snapshot a branch or tag points at.
    package func snapshot(ref name: String) -> Snapshot? { refs[name].flatMap { snapshot(id: $0.snapshotId) } }
}

/// An entry of the snapshot log: when `main` moved to a snapshot.
package struct SnapshotLogEntry: Hashable, Sendable {
    package var timestampMs: Int64
    package var snapshotId: Int64

    package init(timestampMs: Int64, snapshotId: Int64) {
        self.timestampMs = timestampMs
        self.snapshotId = snapshotId
    }
}

/// An entry of the metadata log: a previous metadata file and when it was written.
package struct MetadataLogEntry: Hashable, Sendable {
    package var timestampMs: Int64
    package var metadataFile: String

    package init(timestampMs: Int64, metadataFile: String) {
        self.timestampMs = timestampMs
        self.metadataFile = metadataFile
    }
}

/// A statistics or partition-statistics file of one snapshot (blob metadata kept in `extra`).
package struct StatisticsFile: Hashable, Sendable {
    package var snapshotId: Int64
    package var path: String
    package var fileSizeInBytes: Int64
    package var extra: JSON = .object([])

    package init(snapshotId: Int64, path: String, fileSizeInBytes: Int64) {
        self.snapshotId = snapshotId
        self.path = path
        self.fileSizeInBytes = fileSizeInBytes
    }
}
