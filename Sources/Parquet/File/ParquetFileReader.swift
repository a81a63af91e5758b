import ByteCoding

/// Reads a Parquet file from any byte-range source: the footer from the tail first, then only the column chunks
/// asked for.
package struct ParquetFileReader: Sendable {
    package let source: any ByteRangeSource
    package let metadata: FileMetaData
    package let schema: ParquetSchema
    /// Size of the serialized footer in bytes.
    package let footerLength: Int
    /// Rows in the file: the sum of its row groups' counts, which is what readers read (parquet-java counts the same
    /// way), whatever the footer's own `num_rows` says (early parquet-rs wrote 0 there).
    package let rowCount: Int

    /// The 4-byte magic at both ends of a file.
    package static let magic: [UInt8] = Array("PAR1".utf8)

    /// Bytes read from the end of the file in the first request: the footer of most files fits, so opening a
    /// remote file usually costs one ranged read (two when the file is larger than this, for the leading magic).
    package static let tailReadSize = 64 << 10

    package init(source: any ByteRangeSource) throws(ParquetError) {
        let size = source.size
        guard size >= 12 else { throw .corrupt("a \(size)-byte file is too small for Parquet") }
        let tailStart = max(0, size - Self.tailReadSize)
        let tail = try source.read(offset: tailStart, count: size - tailStart)
        let head = tailStart == 0 ? Array(tail[0..<4]) : try source.read(offset: 0, count: 4)
        let end = tail.count
        // Files with an encrypted footer start and end with PARE.
        let encrypted = Array("PARE".utf8)
        if head == encrypted || Array(tail[(end - 4)...]) == encrypted { throw .unsupported("encrypted footers") }
        guard head == Self.magic else { throw .corrupt("the file does not start with PAR1") }
        guard Array(tail[(end - 4)...]) == Self.magic else { throw .corrupt("the file does not end with PAR1") }
        let length = Int(UInt32(tail[end - 8]) | UInt32(tail[end - 7]) << 8 | UInt32(tail[end - 6]) << 16
            | UInt32(tail[end - 5]) << 24)
        guard length <= size - 12 else {
            throw .corrupt("footer length \(length) is past the start of the \(size)-byte file")
        }
        let footerStart = size - 8 - length
        let footer =
            footerStart >= tailStart
            ? Array(tail[(footerStart - tailStart)..<(end - 8)]) : try source.read(offset: footerStart, count: length)
        let metadata = try footer.withUnsafeBytes { bytes in
            Result { () throws(ParquetError) in try FileMetaData(bytes: bytes) }
        }.get()
        let schema = try ParquetSchema(elements: metadata.schema)
        var rows: Int64 = 0
        for (index, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == schema.columns.count else {
                throw .corrupt("row group \(index) has \(group.columns.count) columns, the schema \(schema.columns.count)")
            }
            let (sum, overflow) = rows.addingReportingOverflow(group.numRows)
            guard !overflow else { throw .corrupt("the row groups hold more than \(Int64.max) rows") }
            rows = sum
        }
        self.source = source
        self.metadata = metadata
        self.schema = schema
        self.footerLength = length
        self.rowCount = Int(rows)
    }

    /// Opens a local file.
    package init(path: String) throws(ParquetError) {
        try self.init(source: try LocalFileSource(path: path))
    }

    package var rowGroupCount: Int { metadata.rowGroups.count }

    /// Leaf column indices for dotted paths (`a.b.c`; a group's path selects all its leaves), as a command line
    /// gives them.
    package func columnIndices(dottedPaths: [String]) throws(ParquetError) -> [Int] {
        try columnIndices(paths: dottedPaths.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) })
    }

    /// Leaf column indices for paths of field names (a group's path selects all its leaves) or field ids;
    /// unknown ones are `.invalidArgument`.
    package func columnIndices(paths: [[String]]) throws(ParquetError) -> [Int] {
        var result: [Int] = []
        for path in paths {
            let found = schema.columns(under: path)
            guard !found.isEmpty else { throw .invalidArgument("no column \(path.joined(separator: "."))") }
            result += found.map(\.index)
        }
        return result
    }

    /// Leaf column indices for field ids (a group's id selects all its leaves).
    package func columnIndices(fieldIDs: [Int32]) throws(ParquetError) -> [Int] {
        var result: [Int] = []
        for id in fieldIDs {
            let found = schema.columns(fieldID: id)
            guard !found.isEmpty else { throw .invalidArgument("no field with id \(id)") }
            result += found.map(\.index)
        }
        return result
    }

    /// The column chunk of leaf `column` in row group `rowGroup`, with its validated byte range in the file.
    package func chunk(rowGroup: Int, column: Int) throws(ParquetError) -> (ColumnMetaData, Range<Int>) {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else {
            throw .invalidArgument("no row group \(rowGroup)")
        }
        guard column >= 0, column < schema.columns.count else { throw .invalidArgument("no column \(column)") }
        let chunk = metadata.rowGroups[rowGroup].columns[column]
        guard chunk.filePath == nil else { throw .unsupported("column data in another file (\(chunk.filePath!))") }
        guard let meta = chunk.metaData else { throw .corrupt("row group \(rowGroup) column \(column) has no metadata") }
        let start = meta.firstPageOffset
        var length = meta.totalCompressedSize
        let end = Int64(source.size - 8 - footerLength)
        guard start >= 4, length >= 0, start <= end, length <= end - start else {
            throw .corrupt("row group \(rowGroup) column \(column) spans \(start)+\(length), past the data")
        }
        // Pages are read only up to the chunk's value count, so bytes of the next chunk read along are never decoded.
        if metadata.chunkSizesOmitDictionaryHeader {
            length += min(Self.dictionaryHeaderAllowance, end - start - length)
        }
        return (meta, Int(start)..<Int(start + length))
    }

    /// Bytes a chunk of a writer that left the dictionary page header out of its sizes may run past them: more than
    /// such a header takes (Arrow C++ allows the same).
    package static let dictionaryHeaderAllowance: Int64 = 100

    /// Reads and decodes one column chunk.
    package func readColumn(rowGroup: Int, column: Int) throws(ParquetError) -> ColumnData {
        try readRowGroup(rowGroup, columns: [column])[0]
    }

    /// Reads the given leaf columns (all when nil) of one row group, in the order asked. Chunks close together in
    /// the file are fetched in one ranged read (gaps up to `coalescingGap` bytes are read and dropped).
    package func readRowGroup(_ rowGroup: Int, columns: [Int]? = nil) throws(ParquetError) -> [ColumnData] {
        let selected = columns ?? Array(schema.columns.indices)
        var chunks: [(column: Int, meta: ColumnMetaData, range: Range<Int>)] = []
        for column in selected {
            let (meta, range) = try chunk(rowGroup: rowGroup, column: column)
            chunks.append((column, meta, range))
        }
        // Merge nearby ranges into reads, then decode each chunk from its read.
        var reads: [(range: Range<Int>, bytes: [UInt8])] = []
        for range in chunks.map(\.range).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = reads.last?.range, range.lowerBound <= last.upperBound + Self.coalescingGap {
                reads[reads.count - 1].range = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                reads.append((range, []))
            }
        }
        for index in reads.indices {
            reads[index].bytes = try source.read(offset: reads[index].range.lowerBound, count: reads[index].range.count)
        }
        let rows = Int(metadata.rowGroups[rowGroup].numRows)
        let parallel = chunks.reduce(0) { $0 + $1.range.count } >= ColumnParallelism.minimumBytes
        let columns = schema.columns
        let (located, fetched) = (chunks, reads)
        return try IndexedWork.map(located.count, parallel: parallel) { (index) throws(ParquetError) in
            let chunk = located[index]
            guard let read = fetched.first(where: {
                $0.range.lowerBound <= chunk.range.lowerBound && chunk.range.upperBound <= $0.range.upperBound
            }) else { throw .corrupt("column chunk \(chunk.range) was not read") }
            let reader = try ColumnChunkReader(column: columns[chunk.column], metadata: chunk.meta)
            let start = chunk.range.lowerBound - read.range.lowerBound
            let data = try read.bytes.withUnsafeBytes { buffer in
                Result { () throws(ParquetError) in
                    try reader.read(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + chunk.range.count)]))
                }
            }.get()
            guard data.rowCount == rows else {
                throw .corrupt(
                    "column \(columns[chunk.column].dottedPath) in row group \(rowGroup) has \(data.rowCount) rows, expected \(rows)")
            }
            return data
        }
    }

    /// Largest gap between two column chunks that `readRowGroup` reads through rather than issuing another read.
    package static let coalescingGap = 1 << 20

    /// The given leaf columns (all when nil) of every row group, concatenated.
    package func readColumns(_ columns: [Int]? = nil) throws(ParquetError) -> [ColumnData] {
        var result: [ColumnData] = []
        for group in 0..<rowGroupCount {
            let data = try readRowGroup(group, columns: columns)
            if result.isEmpty {
                result = data
            } else {
                for index in result.indices { result[index].append(contentsOf: data[index]) }
            }
        }
        if result.isEmpty {
            result = (columns ?? Array(schema.columns.indices)).map { index in
                ColumnData(values: ColumnData.emptyValues(schema.columns[index].physicalType,
                    typeLength: schema.columns[index].typeLength))
            }
        }
        return result
    }

    /// The file's rows (only the leaf columns `columns`, when given), at most `limit` of them, one row group at a
    /// time: `body` gets the projected schema and one row group's rows, and only those are held at once.
    package func readRows(
        columns: [Int]? = nil, limit: Int? = nil, _ body: (ParquetSchema, ArraySlice<ParquetValue>) -> Void
    ) throws(ParquetError) {
        let selected = columns ?? Array(schema.columns.indices)
        let projected = try schema.projected(to: selected)
        // Projection keeps schema order: read the columns in that order.
        let ordered = selected.sorted()
        var remaining = limit ?? Int.max
        for group in 0..<rowGroupCount where remaining > 0 {
            let rows = try RecordAssembler.rows(schema: projected, columns: try readRowGroup(group, columns: ordered))
            body(projected, rows.prefix(remaining))
            remaining -= min(remaining, rows.count)
        }
    }

    /// The pages of one column chunk, for `amoro inspect`.
    package func pages(rowGroup: Int, column: Int) throws(ParquetError) -> [PageInfo] {
        let (meta, range) = try chunk(rowGroup: rowGroup, column: column)
        let reader = try ColumnChunkReader(column: schema.columns[column], metadata: meta)
        let bytes = try source.read(offset: range.lowerBound, count: range.count)
        return try bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try reader.pages(buffer, chunkOffset: range.lowerBound) }
        }.get()
    }

    /// The offset index of a column chunk, if the file has one.
    package func offsetIndex(rowGroup: Int, column: Int) throws(ParquetError) -> OffsetIndex? {
        let chunk = try columnChunk(rowGroup: rowGroup, column: column)
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength else { return nil }
        return try structure(at: offset, length: length) { reader throws(ParquetError) in try OffsetIndex(from: &reader) }
    }

    /// The column index of a column chunk, if the file has one.
    package func columnIndex(rowGroup: Int, column: Int) throws(ParquetError) -> ColumnIndex? {
        let chunk = try columnChunk(rowGroup: rowGroup, column: column)
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        return try structure(at: offset, length: length) { reader throws(ParquetError) in try ColumnIndex(from: &reader) }
    }

    private func columnChunk(rowGroup: Int, column: Int) throws(ParquetError) -> ColumnChunk {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count, column >= 0, column < schema.columns.count else {
            throw .invalidArgument("no column \(column) in row group \(rowGroup)")
        }
        return metadata.rowGroups[rowGroup].columns[column]
    }

    private func structure<T>(
        at offset: Int64, length: Int32, _ read: (inout ThriftCompactReader) throws(ParquetError) -> T
    ) throws(ParquetError) -> T {
        let end = Int64(source.size - 8 - footerLength)
        guard offset >= 4, length >= 0, offset <= end, Int64(length) <= end - offset else {
            throw .corrupt("page index at \(offset)+\(length) is outside the data")
        }
        let bytes = try source.read(offset: Int(offset), count: Int(length))
        return try bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in
                var reader = ThriftCompactReader(buffer)
                return try read(&reader)
            }
        }.get()
    }

    /// Key-value metadata as a dictionary (later duplicates win).
    package var keyValueMetadata: [String: String] {
        var result: [String: String] = [:]
        for entry in metadata.keyValueMetadata ?? [] { result[entry.key] = entry.value ?? "" }
        return result
    }
}
