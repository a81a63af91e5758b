/// One column's chunk within a row group (Thrift `ColumnChunk`).
package struct ColumnChunk: Sendable, Hashable {
    package var filePath: String?
    package var fileOffset: Int64
    package var metaData: ColumnMetaData?
    package var offsetIndexOffset: Int64?
    package var offsetIndexLength: Int32?
    package var columnIndexOffset: Int64?
    package var columnIndexLength: Int32?

    package init(fileOffset: Int64 = 0, metaData: ColumnMetaData?) {
        self.fileOffset = fileOffset
        self.metaData = metaData
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var chunk = ColumnChunk(metaData: nil)
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: chunk.filePath = try reader.string(field)
            case 2: chunk.fileOffset = try reader.i64(field)
            case 3:
                guard field.type == .struct else { return false }
                chunk.metaData = try ColumnMetaData(from: &reader)
            case 4: chunk.offsetIndexOffset = try reader.i64(field)
            case 5: chunk.offsetIndexLength = try reader.i32(field)
            case 6: chunk.columnIndexOffset = try reader.i64(field)
            case 7: chunk.columnIndexLength = try reader.i32(field)
            case 8, 9: throw .unsupported("encrypted column chunks")
            default: return false
            }
            return true
        }
        self = chunk
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let filePath { writer.string(1, filePath) }
        writer.i64(2, fileOffset)
        if let metaData {
            writer.fieldHeader(3, .struct)
            metaData.write(to: &writer)
        }
        if let offsetIndexOffset { writer.i64(4, offsetIndexOffset) }
        if let offsetIndexLength { writer.i32(5, offsetIndexLength) }
        if let columnIndexOffset { writer.i64(6, columnIndexOffset) }
        if let columnIndexLength { writer.i32(7, columnIndexLength) }
        writer.endStruct()
    }
}
