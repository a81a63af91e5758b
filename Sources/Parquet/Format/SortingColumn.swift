/// A sort order of one column within a row group (Thrift `SortingColumn`).
package struct SortingColumn: Sendable, Hashable {
    package var columnIndex: Int32
    package var descending: Bool
    package var nullsFirst: Bool

    package init(columnIndex: Int32, descending: Bool, nullsFirst: Bool) {
        self.columnIndex = columnIndex
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var index: Int32?
        var descending: Bool?
        var nullsFirst: Bool?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: index = try reader.i32(field)
            case 2: descending = try reader.bool(field)
            case 3: nullsFirst = try reader.bool(field)
            default: return false
            }
            return true
        }
        guard let index, let descending, let nullsFirst else { throw .missing("fields", in: "SortingColumn") }
        self.init(columnIndex: index, descending: descending, nullsFirst: nullsFirst)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, columnIndex)
        writer.bool(2, descending)
        writer.bool(3, nullsFirst)
        writer.endStruct()
    }
}
