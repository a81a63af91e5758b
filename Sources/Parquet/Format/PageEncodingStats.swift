/// How many pages of one type used one encoding in a column chunk (Thrift `PageEncodingStats`).
package struct PageEncodingStats: Sendable, Hashable {
    package var pageType: PageType
    package var encoding: Encoding
    package var count: Int32

    package init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var pageType: PageType?
        var encoding: Encoding?
        var count: Int32?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: pageType = try reader.enumeration(field)
            case 2: encoding = try reader.enumeration(field)
            case 3: count = try reader.i32(field)
            default: return false
            }
            return true
        }
        guard let pageType, let encoding, let count else { throw .missing("fields", in: "PageEncodingStats") }
        self.init(pageType: pageType, encoding: encoding, count: count)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, pageType.rawValue)
        writer.i32(2, encoding.rawValue)
        writer.i32(3, count)
        writer.endStruct()
    }
}
