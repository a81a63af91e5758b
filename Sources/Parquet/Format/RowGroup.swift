/// A horizontal slice of the file: one column chunk per leaf column (Thrift `RowGroup`).
package struct RowGroup: Sendable, Hashable {
    package var columns: [ColumnChunk]
    package var totalByteSize: Int64
    package var numRows: Int64
    package var sortingColumns: [SortingColumn]?
    package var fileOffset: Int64?
    package var totalCompressedSize: Int64?
    package var ordinal: Int16?

    package init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        var group = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: columns = try reader.list(field) { reader, _ throws(ParquetError) in try ColumnChunk(from: &reader) }
            case 2: totalByteSize = try reader.i64(field)
            case 3: numRows = try reader.i64(field)
            case 4:
                group.sortingColumns = try reader.list(field) { reader, _ throws(ParquetError) in
                    try SortingColumn(from: &reader)
                }
            case 5: group.fileOffset = try reader.i64(field)
            case 6: group.totalCompressedSize = try reader.i64(field)
            case 7: group.ordinal = try reader.i16(field)
            default: return false
            }
            return true
        }
        guard let columns, let totalByteSize, let numRows else { throw .missing("required fields", in: "RowGroup") }
        guard numRows >= 0 else { throw .corrupt("RowGroup has a negative row count \(numRows)") }
        group.columns = columns
        group.totalByteSize = totalByteSize
        group.numRows = numRows
        self = group
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.beginListField(1, .struct, count: columns.count)
        for column in columns { column.write(to: &writer) }
        writer.i64(2, totalByteSize)
        writer.i64(3, numRows)
        if let sortingColumns {
            writer.beginListField(4, .struct, count: sortingColumns.count)
            for column in sortingColumns { column.write(to: &writer) }
        }
        if let fileOffset { writer.i64(5, fileOffset) }
        if let totalCompressedSize { writer.i64(6, totalCompressedSize) }
        if let ordinal { writer.i16(7, ordinal) }
        writer.endStruct()
    }
}
