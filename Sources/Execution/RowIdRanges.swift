import IcebergSpec

/// v3 row lineage at commit time, as Java's manifest-list writer does it: every data manifest without a
/// `first_row_id` gets the table's next row id, which then advances by the manifest's added and existing rows; the
/// snapshot's `first-row-id` is where this started and its `added-rows` how far it went (spec "Row Lineage").
enum RowIdRanges {
    static func assign(_ manifests: inout [ManifestFile], to snapshot: inout Snapshot, nextRowId: Int64) {
        var next = nextRowId
        snapshot.firstRowId = next
        for index in manifests.indices where manifests[index].content == .data && manifests[index].firstRowId == nil {
            manifests[index].firstRowId = next
            next = next.saturatingAdd((manifests[index].addedRowsCount ?? 0).saturatingAdd(manifests[index].existingRowsCount ?? 0))
        }
        snapshot.addedRows = next - nextRowId
    }
}
