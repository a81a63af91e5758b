/// One key-value metadata entry (Thrift `KeyValue`).
package struct KeyValue: Sendable, Hashable {
    package var key: String
    package var value: String?

    package init(key: String, value: String?) {
        self.key = key
        self.value = value
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var key: String?
        var value: String?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: key = try reader.string(field)
            case 2: value = try reader.string(field)
            default: return false
            }
            return true
        }
        guard let key else { throw .missing("key", in: "KeyValue") }
        self.init(key: key, value: value)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.string(1, key)
        if let value { writer.string(2, value) }
        writer.endStruct()
    }

    static func readList(_ field: ThriftField, _ reader: inout ThriftCompactReader) throws(ParquetError) -> [KeyValue] {
        try reader.list(field) { reader, _ throws(ParquetError) in try KeyValue(from: &reader) }
    }

    static func writeList(_ id: Int16, _ entries: [KeyValue], _ writer: inout ThriftCompactWriter) {
        writer.beginListField(id, .struct, count: entries.count)
        for entry in entries { entry.write(to: &writer) }
    }
}
