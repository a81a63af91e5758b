import IcebergSpec

/// The data path of one compaction task: every input file read by field id as the table schema, its deleted
/// positions dropped, optionally sorted across all inputs, written by a rolling writer. Small files are decoded
/// ahead on every core (`ReadAhead`, bounded), larger ones one row group at a time; rows reach the writer in input
/// order, gathered into pieces large enough for column-parallel encoding. With a sort order it holds the task's
/// surviving rows in memory (tasks are bounded).
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
        let tableSchema = writer.schema
        let parquetSchema = writer.parquetSchema
        /// One input's surviving rows, one batch per row group read.
        @Sendable func rows(of input: Input, reader: DataFileReader, group: Int) throws(DataFileError) -> DataBatch {
            var batch = try reader.readRowGroup(group)
            if let isDeleted = input.isDeleted { batch = batch.removingDeleted(isDeleted) }
            if let filter = input.filter { batch = try filter(batch) }
            return batch
        }
        func open(_ input: Input) throws(DataFileError) -> DataFileReader {
            try DataFileReader(path: input.path, tableSchema: tableSchema, rowLineage: input.rowLineage, nameMapping: nameMapping)
        }
        // Small files are decoded ahead on every core; rows reach the writer in input order either way.
        let ahead = ReadAhead(sizes: inputs.map { ReadAhead.storedSize($0.path) }) { (index) throws(DataFileError) in
            let reader = try DataFileReader(
                path: inputs[index].path, tableSchema: tableSchema, rowLineage: inputs[index].rowLineage,
                nameMapping: nameMapping)
            var batches: [DataBatch] = []
            for group in 0..<reader.rowGroupCount {
                let batch = try rows(of: inputs[index], reader: reader, group: group)
                if batch.rowCount > 0 { batches.append(batch) }
            }
            return batches
        }
        defer { ahead.stop() }
        var held: [DataBatch] = []
        // Small batches are gathered before they are encoded, so the writer encodes columns side by side.
        var gathered: [DataBatch] = []
        var gatheredBytes = 0
        func write(_ batch: DataBatch) throws(DataFileError) {
            if sorting { held.append(batch); return }
            gathered.append(batch)
            gatheredBytes += batch.estimatedBytes
            if gatheredBytes >= Self.gatherBytes { try flushGathered() }
        }
        func flushGathered() throws(DataFileError) {
            guard !gathered.isEmpty else { return }
            let batch = gathered.count == 1 ? gathered[0] : try DataBatch.concatenating(gathered, schema: parquetSchema)
            gathered = []
            gatheredBytes = 0
            try writer.write(batch)
        }
        do {
            for (index, input) in inputs.enumerated() {
                if ahead.decodesAhead(index) {
                    for batch in try ahead.take(index) { try write(batch) }
                } else {
                    // A large file's row groups are pieces enough: what was gathered goes first.
                    try flushGathered()
                    let reader = try open(input)
                    for group in 0..<reader.rowGroupCount { try write(try rows(of: input, reader: reader, group: group)) }
                }
            }
            try flushGathered()
            if let sortOrder, sorting { try writer.write(try DataSorter.sort(held, by: sortOrder, schema: writer.schema)) }
            return try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Rows gathered before they are handed to the writer: enough for its column-parallel encoding.
    static let gatherBytes = 4 << 20
}
