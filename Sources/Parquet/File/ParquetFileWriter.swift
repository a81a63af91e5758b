import ByteCoding

/// Writes a Parquet file column by column from typed `ColumnData`, streaming each row group to a sink as it is
/// encoded; the footer is written by `close()`.
///
/// `write` encodes the rows it is given into pages at once; a row group is written when it has `rowGroupRows`
/// rows or its encoded pages reach about `rowGroupBytes` bytes, and `flush()` ends one early. Only the pending row
/// group's encoded pages (and at most a page of values per column) are held in memory.
package final class ParquetFileWriter {
    package let schema: ParquetSchema
    package let options: ParquetWriterOptions
    private let sink: any ByteSink
    private var writers: [ColumnChunkWriter]
    private var position = 0
    private var rowGroups: [RowGroup] = []
    private var rowCount: Int64 = 0
    private var closed = false
    /// Page indexes of the written chunks, by row group then column, written before the footer.
    private var pageIndexes: [[(OffsetIndex?, ColumnIndex?)]] = []
    /// Rows in the row group being encoded.
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

    /// Bytes written to the sink so far.
    package var writtenBytes: Int { position }

    /// Bytes of the row group being encoded (its encoded pages and dictionaries): about what it will add to the
    /// file when written.
    package var bufferedBytes: Int { writers.reduce(0) { $0 + $1.bufferedBytes } }

    /// Rows of the row group being encoded.
    package var bufferedRows: Int { pendingRows }

    /// Adds `columns` (one per leaf, same row count) to the file.
    package func write(_ columns: [ColumnData]) throws(ParquetError) {
        guard !columns.isEmpty else { throw .invalidArgument("0 columns for a schema of \(schema.columns.count) leaves") }
        try write(columns, rows: 0..<columns[0].rowCount)
    }

    /// Adds rows `rows` of `columns` (one per leaf, same row count) to the file, without copying them.
    package func write(_ columns: [ColumnData], rows: Range<Int>) throws(ParquetError) {
        guard !closed else { throw .invalidArgument("the writer is closed") }
        guard columns.count == schema.columns.count else {
            throw .invalidArgument("\(columns.count) columns for a schema of \(schema.columns.count) leaves")
        }
        for (data, column) in zip(columns, schema.columns) { try data.validate(against: column) }
        let total = columns[0].rowCount
        for (data, column) in zip(columns, schema.columns) where data.rowCount != total {
            throw .invalidArgument("column \(column.dottedPath) has \(data.rowCount) rows, the first column \(total)")
        }
        guard rows.lowerBound >= 0 && rows.upperBound <= total else {
            throw .invalidArgument("rows \(rows) of a batch of \(total)")
        }
        guard !rows.isEmpty else { return }
        // Cut the rows where row groups fill up by row count, and into pieces of about a tenth of a row group's
        // bytes so the byte limit is checked as the group grows.
        let groupRows = max(1, options.rowGroupRows)
        let rawBytes = columns.reduce(0) { $0 + $1.estimatedBytes }
        let pieceBytes = max(1, options.rowGroupBytes / 10)
        let pieceRows = rawBytes <= pieceBytes ? total : max(1, Int(Double(total) * Double(pieceBytes) / Double(rawBytes)))
        var cuts: [Int] = [rows.lowerBound]
        var row = rows.lowerBound
        var groupFill = pendingRows
        while row < rows.upperBound {
            let step = min(rows.upperBound - row, groupRows - groupFill, pieceRows)
            row += step
            groupFill = (groupFill + step) % groupRows
            cuts.append(row)
        }
        let starts =
            cuts == [0, total]
            ? columns.map { [(0, 0), ($0.levelCount, $0.values.count)] }
            : zip(columns, schema.columns).map { data, column in Self.boundaries(data, column, rows: cuts) }
        // Columns are encoded side by side when a piece is worth it: a rewrite's last task then uses every core.
        let parallel = rawBytes / (cuts.count - 1) >= ColumnParallelism.minimumBytes
        for piece in 0..<(cuts.count - 1) {
            try appendPiece(columns, starts: starts, piece: piece, parallel: parallel)
            pendingRows += cuts[piece + 1] - cuts[piece]
            if pendingRows >= groupRows || bufferedBytes >= options.rowGroupBytes { try writeRowGroup() }
        }
    }

    /// Appends piece `piece` of every column (its slot and value bounds are in `starts`) to the column writers.
    private func appendPiece(_ columns: [ColumnData], starts: [[(Int, Int)]], piece: Int, parallel: Bool)
        throws(ParquetError)
    {
        try writers.withUnsafeMutableBufferPointer { (writers) throws(ParquetError) in
            nonisolated(unsafe) let writers = writers  // each column's work touches only its own writer
            _ = try IndexedWork.map(writers.count, parallel: parallel) { (index) throws(ParquetError) in
                let (startSlot, startValue) = starts[index][piece]
                let (endSlot, endValue) = starts[index][piece + 1]
                try writers[index].append(columns[index], levels: startSlot..<endSlot, values: startValue..<endValue)
            }
        }
    }

    /// Writes the pending rows as a row group now.
    package func flush() throws(ParquetError) {
        guard !closed else { throw .invalidArgument("the writer is closed") }
        if pendingRows > 0 { try writeRowGroup() }
    }

    /// Finishes every column's chunk of the pending rows and writes them as one row group.
    private func writeRowGroup() throws(ParquetError) {
        var chunks: [ColumnChunk] = []
        var indexes: [(OffsetIndex?, ColumnIndex?)] = []
        var totalUncompressed: Int64 = 0
        var totalCompressed: Int64 = 0
        let groupStart = position
        for index in writers.indices {
            let chunk = try writers[index].finish(fileOffset: position)
            for part in chunk.parts { try emit(part) }
            indexes.append((chunk.offsetIndex, chunk.columnIndex))
            totalUncompressed += chunk.metadata.totalUncompressedSize
            totalCompressed += chunk.metadata.totalCompressedSize
            chunks.append(ColumnChunk(fileOffset: 0, metaData: chunk.metadata))
        }
        var rowGroup = RowGroup(columns: chunks, totalByteSize: totalUncompressed, numRows: Int64(pendingRows))
        rowGroup.fileOffset = Int64(groupStart)
        rowGroup.totalCompressedSize = totalCompressed
        rowGroup.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        if !options.sortingColumns.isEmpty { rowGroup.sortingColumns = options.sortingColumns }
        rowGroups.append(rowGroup)
        pageIndexes.append(indexes)
        rowCount += Int64(pendingRows)
        pendingRows = 0
    }

    /// Copies row group `rowGroup` of `file` into this file as it is stored, without decoding: leaf `i` of this
    /// writer's schema takes the pages of the file's column `columns[i]` byte for byte (same physical type; the
    /// caller has checked that the values mean the same). Pending rows are written as a row group first. Each
    /// chunk's pages are checked against its metadata (`ColumnChunkReader.checkPages`), its offsets moved and its
    /// statistics kept as this writer would state them (`StatisticsBuilder.carried`, NaN counts dropped for the
    /// leaves in `droppingNaNCounts`); page indexes and bloom filters are not copied.
    package func appendStoredRowGroup(
        of file: ParquetFileReader, at rowGroup: Int, columns: [Int], droppingNaNCounts: Set<Int> = []
    ) throws(ParquetError) {
        guard !closed else { throw .invalidArgument("the writer is closed") }
        guard columns.count == schema.columns.count else {
            throw .invalidArgument("\(columns.count) columns for a schema of \(schema.columns.count) leaves")
        }
        guard file.metadata.rowGroups.indices.contains(rowGroup) else { throw .invalidArgument("no row group \(rowGroup)") }
        try flush()
        let groupStart = position
        let rows = file.metadata.rowGroups[rowGroup].numRows
        var chunks: [ColumnChunk] = []
        var totalUncompressed: Int64 = 0
        var totalCompressed: Int64 = 0
        for (leaf, column) in schema.columns.enumerated() {
            let (source, range) = try file.chunk(rowGroup: rowGroup, column: columns[leaf])
            guard source.type == column.physicalType else {
                throw .invalidArgument(
                    "column \(file.schema.columns[columns[leaf]].dottedPath) is \(source.type), \(column.dottedPath) is \(column.physicalType)")
            }
            let shift = Int64(position - range.lowerBound)
            var metadata = source
            metadata.pathInSchema = column.path
            // A data page offset of 0 names no data page (a chunk holding only its dictionary page): it stays 0.
            if source.dataPageOffset != 0 { metadata.dataPageOffset += shift }
            if let dictionary = source.dictionaryPageOffset, dictionary >= range.lowerBound {
                metadata.dictionaryPageOffset = dictionary + shift
            } else {
                metadata.dictionaryPageOffset = nil
            }
            metadata.indexPageOffset = nil
            metadata.bloomFilterOffset = nil
            metadata.bloomFilterLength = nil
            metadata.statistics = StatisticsBuilder.carried(
                source.statistics, column: column, sourceOrder: file.metadata.columnOrder(columns[leaf]))
            if droppingNaNCounts.contains(leaf) { metadata.statistics?.nanCount = nil }
            let bytes = try file.source.read(offset: range.lowerBound, count: range.count)
            try ColumnChunkReader(column: file.schema.columns[columns[leaf]], metadata: source).checkPages(bytes, rows: rows)
            try emit(bytes)
            totalUncompressed += metadata.totalUncompressedSize
            totalCompressed += metadata.totalCompressedSize
            chunks.append(ColumnChunk(fileOffset: 0, metaData: metadata))
        }
        var group = RowGroup(columns: chunks, totalByteSize: totalUncompressed, numRows: rows)
        group.fileOffset = Int64(groupStart)
        group.totalCompressedSize = totalCompressed
        group.ordinal = Int16(truncatingIfNeeded: rowGroups.count)
        rowGroups.append(group)
        pageIndexes.append(Array(repeating: (nil, nil), count: chunks.count))
        rowCount += rows
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
        var result: [(Int, Int)] = []
        result.reserveCapacity(rows.count)
        let slots = data.levelCount
        let maxDefinition = column.maxDefinitionLevel
        let hasDefinitions = maxDefinition > 0
        let hasRepetitions = column.maxRepetitionLevel > 0
        var next = 0
        var row = -1
        var value = 0
        for slot in 0..<slots where next < rows.count {
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
