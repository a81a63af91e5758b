import IcebergSpec

/// The data path of one compaction task: every input file read by field id as the table schema, its deleted
/// positions dropped, optionally sorted across all inputs, written by a rolling writer. Without a sort order it
/// streams one row group at a time; with one it holds the task's surviving rows in memory (tasks are bounded).
package enum DataFileRewrite {
    /// One input data file of a task.
    package struct Input: Sendable {
        /// Local path of the data file.
        package var path: String
        /// Whether the row at a file position is deleted (position deletes, deletion vectors, equality deletes
        /// resolved by the caller); nil when nothing is deleted.
        package var isDeleted: (@Sendable (Int64) -> Bool)?
        /// Deletes decided on row values (equality deletes): given each row group after `isDeleted`, returns the
        /// rows to keep (see `DataBatch.literals(fieldID:schema:)` and `removingRows(where:)`).
        package var filter: (@Sendable (DataBatch) throws(DataFileError) -> DataBatch)?
        /// v3 tables: the file's first row id and data sequence number, inherited by rows that lack them.
        package var rowLineage: RowLineage?

        package init(
            path: String, isDeleted: (@Sendable (Int64) -> Bool)? = nil,
            filter: (@Sendable (DataBatch) throws(DataFileError) -> DataBatch)? = nil, rowLineage: RowLineage? = nil
        ) {
            self.path = path
            self.isDeleted = isDeleted
            self.filter = filter
            self.rowLineage = rowLineage
        }
    }

    /// Rewrites `inputs` into `writer` (whose schema is the one read) and returns the files written.
    /// Pass a non-empty `sortOrder` for full optimizing; `nameMapping` for files without field ids.
    package static func run(
        _ inputs: [Input], into writer: RollingDataFileWriter, sortOrder: SortOrder? = nil,
        nameMapping: NameMapping? = nil
    ) throws(DataFileError) -> [DataFile] {
        let sorting = sortOrder.map { !$0.fields.isEmpty } ?? false
        var held: [DataBatch] = []
        do {
            for input in inputs {
                let reader = try DataFileReader(
                    path: input.path, tableSchema: writer.schema, rowLineage: input.rowLineage, nameMapping: nameMapping)
                for group in 0..<reader.rowGroupCount {
                    var batch = try reader.readRowGroup(group)
                    if let isDeleted = input.isDeleted { batch = batch.removingDeleted(isDeleted) }
                    if let filter = input.filter { batch = try filter(batch) }
                    if sorting { held.append(batch) } else { try writer.write(batch) }
                }
            }
            if let sortOrder, sorting { try writer.write(try DataSorter.sort(held, by: sortOrder, schema: writer.schema)) }
            return try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }
}
