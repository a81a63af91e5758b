/// The v3 row-lineage values a data file inherits (spec "Row Lineage"): rows whose `_row_id` is null get
/// `firstRowId + position`, rows whose `_last_updated_sequence_number` is null get the file's data sequence number.
package struct RowLineage: Sendable, Hashable {
    package var firstRowId: Int64?
    package var dataSequenceNumber: Int64?

    package init(firstRowId: Int64?, dataSequenceNumber: Int64?) {
        self.firstRowId = firstRowId
        self.dataSequenceNumber = dataSequenceNumber
    }
}
