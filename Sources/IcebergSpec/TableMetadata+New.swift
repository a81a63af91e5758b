extension TableMetadata {
    /// The first metadata of a new table: no snapshots, the given schema, spec and sort order (ids as given),
    /// `last-column-id` and `last-partition-id` from them, v3's `next-row-id` at 0.
    package static func newTable(
        location: String, uuid: String, schema: Schema, spec: PartitionSpec = PartitionSpec(specId: 0, fields: []),
        sortOrder: SortOrder = .unsorted, properties: [String: String] = [:], formatVersion: Int = 2, nowMs: Int64
    ) -> TableMetadata {
        TableMetadata(
            formatVersion: formatVersion, tableUUID: uuid, location: location, lastSequenceNumber: 0,
            lastUpdatedMs: nowMs, lastColumnId: schema.highestFieldId, schemas: [schema],
            currentSchemaId: schema.schemaId, partitionSpecs: [spec], defaultSpecId: spec.specId,
            lastPartitionId: max(999, spec.fields.map(\.fieldId).max() ?? 999), sortOrders: [sortOrder],
            defaultSortOrderId: sortOrder.orderId, properties: properties, currentSnapshotId: nil, snapshots: [],
            snapshotLog: [], metadataLog: [], refs: [:], statistics: [], partitionStatistics: [],
            nextRowId: formatVersion >= 3 ? 0 : nil, encryptionKeys: nil)
    }
}
