/// The footer: schema, row groups and file-level metadata (Thrift `FileMetaData`).
package struct FileMetaData: Sendable, Hashable {
    package var version: Int32
    package var schema: [SchemaElement]
    package var numRows: Int64
    package var rowGroups: [RowGroup]
    package var keyValueMetadata: [KeyValue]?
    package var createdBy: String?
    package var columnOrders: [ColumnOrder]?

    package init(
        version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
        keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil
    ) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var metadata = FileMetaData(version: 0, schema: [], numRows: 0, rowGroups: [])
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: version = try reader.i32(field)
            case 2: schema = try reader.list(field) { reader, _ throws(ParquetError) in try SchemaElement(from: &reader) }
            case 3: numRows = try reader.i64(field)
            case 4: rowGroups = try reader.list(field) { reader, _ throws(ParquetError) in try RowGroup(from: &reader) }
            case 5: metadata.keyValueMetadata = try KeyValue.readList(field, &reader)
            case 6: metadata.createdBy = try reader.string(field)
            case 7:
                metadata.columnOrders = try reader.list(field) { reader, _ throws(ParquetError) in
                    try ColumnOrder(from: &reader)
                }
            case 8: throw .unsupported("encrypted footers")
            default: return false
            }
            return true
        }
        guard let version, let schema, let numRows, let rowGroups else {
            throw .missing("required fields", in: "FileMetaData")
        }
        guard numRows >= 0 else { throw .corrupt("FileMetaData has a negative row count \(numRows)") }
        metadata.version = version
        metadata.schema = schema
        metadata.numRows = numRows
        metadata.rowGroups = rowGroups
        self = metadata
    }

    /// Decodes a serialized footer.
    package init(bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        var reader = ThriftCompactReader(bytes)
        try self.init(from: &reader)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, version)
        writer.beginListField(2, .struct, count: schema.count)
        for element in schema { element.write(to: &writer) }
        writer.i64(3, numRows)
        writer.beginListField(4, .struct, count: rowGroups.count)
        for group in rowGroups { group.write(to: &writer) }
        if let keyValueMetadata { KeyValue.writeList(5, keyValueMetadata, &writer) }
        if let createdBy { writer.string(6, createdBy) }
        if let columnOrders {
            writer.beginListField(7, .struct, count: columnOrders.count)
            for order in columnOrders { order.write(to: &writer) }
        }
        writer.endStruct()
    }

    /// The serialized footer.
    package func serialized() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 1024)
        write(to: &writer)
        return writer.bytes
    }
}
