/// Writes a Parquet file column by column from typed `ColumnData`, streaming each row group to a sink as it is
/// encoded; the footer is written by `close()`.
///
/// `write` buffers columns until `rowGroupRows` rows or about `rowGroupBytes` bytes are pending, then encodes
/// full row groups; `flush()` ends a row group early and `close()` writes what is left. Only the pending row
/// group is held in memory.
package final class ParquetFileWriter {
    package let schema: ParquetSchema
    package let options: ParquetWriterOptions
    private let sink: any ByteSink
    private let writers: [ColumnChunkWriter]
    private var position = 0
    private var rowGroups: [RowGroup] = []
    private var rowCount: Int64 = 0
    private var closed = false
    private var pending: [ColumnData] = []
    /// Page indexes of the written chunks, by row group then column, written before the footer.
    private var pageIndexes: [[(OffsetIndex?, ColumnIndex?)]] = []
    private var pendingRows = 0

    package init(schema: ParquetSchema, sink: any ByteSink, options: ParquetWriterOptions = .init())
        throws(ParquetError)
    {
        guard !schema.columns.isEmpty else { throw .invalidArgument("a Parquet schema needs at least one column") }
        var writers: [ColumnChunkWriter] = []
        for column in schema.columns { writers.append(try ColumnChunkWriter(column: column, options: options)) }
        self.schema = schema
        self.options = options
        self.sink = sink
        self.writers = writers
        try emit(ParquetFileReader.magic)
    }

    /// Opens a local file for writing.
    package convenience init(schema: ParquetSchema, path: String, options: ParquetWriterOptions = .init())
        throws(ParquetError)
    {
        try self.init(schema: schema, sink: try FileSink(path: path), options: options)
    }

    /// Adds `columns` (one per leaf, same row count) to the pending row group, writing full row groups of
    /// `options.rowGroupRows` rows (or fewer when the pending data reaches `options.rowGroupBytes`).
    package func write(_ columns: [ColumnData]) throws(ParquetError) {
        guard !closed else { throw .invalidArgument("the writer is closed") }
        guard columns.count == schema.columns.count else {
            throw .invalidArgument("\(columns.count) columns for a schema of \(schema.columns.count) leaves")
        }
        for (data, column) in zip(columns, schema.columns) { try data.validate(against: column) }
        let rows = columns[0].rowCount
        for (data, column) in zip(columns, schema.columns) where data.rowCount != rows {
            throw .invalidArgument("column \(column.dottedPath) has \(data.rowCount) rows, the first column \(rows)")
        }
        guard rows > 0 else { return }
        if pending.isEmpty {
            pending = columns
        } else {
            for index in pending.indices { pending[index].append(contentsOf: columns[index]) }
        }
        pendingRows += rows
        let groupRows = max(1, options.rowGroupRows)
        if pendingRows >= groupRows {
            try writePending(rows: pendingRows / groupRows * groupRows)
        } else if pending.reduce(0, { $0 + $1.estimatedBytes }) >= options.rowGroupBytes {
            try writePending(rows: pendingRows)
        }
    }

    /// Writes the pending rows as a row group now.
    package func flush() throws(ParquetError) {
        guard !closed else { throw .invalidArgument("the writer is closed") }
        if pendingRows > 0 { try writePending(rows: pendingRows) }
    }

    /// Writes the first `count` pending rows as row groups of at most `rowGroupRows` rows; keeps the rest pending.
    private func writePending(rows count: Int) throws(ParquetError) {
        let groupRows = max(1, options.rowGroupRows)
        let cuts = Array(stride(from: 0, to: count, by: groupRows)) + [count]
        let marks = cuts + (count < pendingRows ? [pendingRows] : [])
        let boundaries = zip(pending, schema.columns).map { data, column in Self.boundaries(data, column, rows: marks) }
        for group in 0..<(cuts.count - 1) {
            var chunks: [ColumnChunk] = []
            var indexes: [(OffsetIndex?, ColumnIndex?)] = []
            var totalUncompressed: Int64 = 0
            var totalCompressed: Int64 = 0
            let groupStart = position
            for (index, data) in pending.enumerated() {
                let (startSlot, startValue) = boundaries[index][group]
                let (endSlot, endValue) = boundaries[index][group + 1]
                let chunk = try writers[index].write(
                    data, levels: startSlot..<endSlot, values: startValue..<endValue, fileOffset: position)
                for part in chunk.parts { try emit(part) }
                indexes.append((chunk.offsetIndex, chunk.columnIndex))
                totalUncompressed += chunk.metadata.totalUncompressedSize
                totalCompressed += chunk.metadata.totalCompressedSize
                chunks.append(ColumnChunk(fileOffset: 0, metaData: chunk.metadata))
            }
            let groupRowCount = Int64(cuts[group + 1] - cuts[group])
            var rowGroup = RowGroup(columns: chunks, totalByteSize: totalUncompressed, numRows: groupRowCount)
            rowGroup.fileOffset = Int64(groupStart)
            rowGroup.totalCompressedSize = totalCompressed
            rowGroup.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
            if !options.sortingColumns.isEmpty { rowGroup.sortingColumns = options.sortingColumns }
            rowGroups.append(rowGroup)
            pageIndexes.append(indexes)
            rowCount += groupRowCount
        }
        if count < pendingRows {
            let last = cuts.count - 1
            pending = pending.indices.map { index in
                let (slot, value) = boundaries[index][last]
                return pending[index].suffix(fromSlot: slot, value: value)
            }
        } else {
            pending = []
        }
        pendingRows -= count
    }

    /// Writes rows given as nested values (shredded first): convenient, not fast.
    package func write(rows: [ParquetValue]) throws(ParquetError) {
        try write(try RecordShredder.columns(schema: schema, rows: rows))
    }

    /// Writes the footer and closes the sink; returns the footer written.
    @discardableResult
    package func close() throws(ParquetError) -> FileMetaData {
        guard !closed else { throw .invalidArgument("the writer is already closed") }
        try flush()
        try writePageIndexes()
        closed = true
        let metadata = FileMetaData(
            version: 2, schema: schema.elements, numRows: rowCount, rowGroups: rowGroups,
            keyValueMetadata: options.keyValueMetadata.isEmpty ? nil : options.keyValueMetadata,
            createdBy: options.createdBy,
            columnOrders: Array(repeating: .typeDefined, count: schema.columns.count))
        let footer = metadata.serialized()
        let length = UInt32(footer.count)
        try emit(footer)
        try emit([UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)])
        try emit(ParquetFileReader.magic)
        try sink.close()
        return metadata
    }

    /// All column indexes, then all offset indexes, each recorded in its column chunk.
    private func writePageIndexes() throws(ParquetError) {
        for (group, indexes) in pageIndexes.enumerated() {
            for (column, (_, columnIndex)) in indexes.enumerated() {
                guard let columnIndex else { continue }
                var writer = ThriftCompactWriter()
                columnIndex.write(to: &writer)
                rowGroups[group].columns[column].columnIndexOffset = Int64(position)
                rowGroups[group].columns[column].columnIndexLength = Int32(writer.bytes.count)
                try emit(writer.bytes)
            }
        }
        for (group, indexes) in pageIndexes.enumerated() {
            for (column, (offsetIndex, _)) in indexes.enumerated() {
                guard let offsetIndex else { continue }
                var writer = ThriftCompactWriter()
                offsetIndex.write(to: &writer)
                rowGroups[group].columns[column].offsetIndexOffset = Int64(position)
                rowGroups[group].columns[column].offsetIndexLength = Int32(writer.bytes.count)
                try emit(writer.bytes)
            }
        }
        pageIndexes = []
    }

    private func emit(_ bytes: [UInt8]) throws(ParquetError) {
        try sink.write(bytes)
        position += bytes.count
    }

    /// (slot, value) index at which each row in `rows` (ascending, the last may equal the row count) starts.
    private static func boundaries(_ data: ColumnData, _ column: ColumnDescriptor, rows: [Int]) -> [(Int, Int)] {
        if rows.count == 2 { return [(0, 0), (data.levelCount, data.values.count)] }  // one row group: no walk
        var result: [(Int, Int)] = []
        result.reserveCapacity(rows.count)
        let slots = data.levelCount
        let maxDefinition = column.maxDefinitionLevel
        let hasDefinitions = maxDefinition > 0
        let hasRepetitions = column.maxRepetitionLevel > 0
        var next = 0
        var row = -1
        var value = 0
        for slot in 0..<slots {
            if !hasRepetitions || data.repetitionLevels[slot] == 0 {
                row += 1
                while next < rows.count && rows[next] == row {
                    result.append((slot, value))
                    next += 1
                }
            }
            if !hasDefinitions || data.definitionLevels[slot] == maxDefinition { value += 1 }
        }
        while next < rows.count {
            result.append((slots, value))
            next += 1
        }
        return result
    }
}
