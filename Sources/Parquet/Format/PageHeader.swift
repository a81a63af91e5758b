/// The header before every page of a column chunk (Thrift `PageHeader`).
package struct PageHeader: Sendable, Hashable {
    package var type: PageType
    package var uncompressedPageSize: Int32
    package var compressedPageSize: Int32
    package var crc: Int32?
    package var dataPageHeader: DataPageHeader?
    package var dictionaryPageHeader: DictionaryPageHeader?
    package var dataPageHeaderV2: DataPageHeaderV2?

    package init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var type: PageType?
        var uncompressed: Int32?
        var compressed: Int32?
        var header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: type = try reader.enumeration(field)
            case 2: uncompressed = try reader.i32(field)
            case 3: compressed = try reader.i32(field)
            case 4: header.crc = try reader.i32(field)
            case 5:
                guard field.type == .struct else { return false }
                header.dataPageHeader = try DataPageHeader(from: &reader)
            case 7:
                guard field.type == .struct else { return false }
                header.dictionaryPageHeader = try DictionaryPageHeader(from: &reader)
            case 8:
                guard field.type == .struct else { return false }
                header.dataPageHeaderV2 = try DataPageHeaderV2(from: &reader)
            default: return false
            }
            return true
        }
        guard let type, let uncompressed, let compressed else { throw .missing("required fields", in: "PageHeader") }
        guard uncompressed >= 0, compressed >= 0 else {
            throw .corrupt("page header has negative sizes (\(compressed), \(uncompressed))")
        }
        header.type = type
        header.uncompressedPageSize = uncompressed
        header.compressedPageSize = compressed
        self = header
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, type.rawValue)
        writer.i32(2, uncompressedPageSize)
        writer.i32(3, compressedPageSize)
        if let crc { writer.i32(4, crc) }
        if let dataPageHeader {
            writer.fieldHeader(5, .struct)
            dataPageHeader.write(to: &writer)
        }
        if let dictionaryPageHeader {
            writer.fieldHeader(7, .struct)
            dictionaryPageHeader.write(to: &writer)
        }
        if let dataPageHeaderV2 {
            writer.fieldHeader(8, .struct)
            dataPageHeaderV2.write(to: &writer)
        }
        writer.endStruct()
    }
}

/// Header of a v1 data page (Thrift `DataPageHeader`).
package struct DataPageHeader: Sendable, Hashable {
    package var numValues: Int32
    package var encoding: Encoding
    package var definitionLevelEncoding: Encoding
    package var repetitionLevelEncoding: Encoding
    package var statistics: Statistics?

    package init(
        numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding, repetitionLevelEncoding: Encoding,
        statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
        self.statistics = statistics
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?
        var encoding: Encoding?
        var definition: Encoding?
        var repetition: Encoding?
        var statistics: Statistics?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: numValues = try reader.i32(field)
            case 2: encoding = try reader.enumeration(field)
            case 3: definition = try reader.enumeration(field)
            case 4: repetition = try reader.enumeration(field)
            case 5:
                guard field.type == .struct else { return false }
                statistics = try Statistics(from: &reader)
            default: return false
            }
            return true
        }
        guard let numValues, let encoding, let definition, let repetition else {
            throw .missing("required fields", in: "DataPageHeader")
        }
        guard numValues >= 0 else { throw .corrupt("data page has a negative value count \(numValues)") }
        self.init(
            numValues: numValues, encoding: encoding, definitionLevelEncoding: definition,
            repetitionLevelEncoding: repetition, statistics: statistics)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, numValues)
        writer.i32(2, encoding.rawValue)
        writer.i32(3, definitionLevelEncoding.rawValue)
        writer.i32(4, repetitionLevelEncoding.rawValue)
        if let statistics {
            writer.fieldHeader(5, .struct)
            statistics.write(to: &writer)
        }
        writer.endStruct()
    }
}

/// Header of a dictionary page (Thrift `DictionaryPageHeader`).
package struct DictionaryPageHeader: Sendable, Hashable {
    package var numValues: Int32
    package var encoding: Encoding
    package var isSorted: Bool?

    package init(numValues: Int32, encoding: Encoding, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?
        var encoding: Encoding?
        var sorted: Bool?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: numValues = try reader.i32(field)
            case 2: encoding = try reader.enumeration(field)
            case 3: sorted = try reader.bool(field)
            default: return false
            }
            return true
        }
        guard let numValues, let encoding else { throw .missing("required fields", in: "DictionaryPageHeader") }
        guard numValues >= 0 else { throw .corrupt("dictionary page has a negative value count \(numValues)") }
        self.init(numValues: numValues, encoding: encoding, isSorted: sorted)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, numValues)
        writer.i32(2, encoding.rawValue)
        if let isSorted { writer.bool(3, isSorted) }
        writer.endStruct()
    }
}

/// Header of a v2 data page (Thrift `DataPageHeaderV2`): levels are stored uncompressed before the values.
package struct DataPageHeaderV2: Sendable, Hashable {
    package var numValues: Int32
    package var numNulls: Int32
    package var numRows: Int32
    package var encoding: Encoding
    package var definitionLevelsByteLength: Int32
    package var repetitionLevelsByteLength: Int32
    /// Whether the value section is compressed (absent means true).
    package var isCompressed: Bool
    package var statistics: Statistics?

    package init(
        numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding, definitionLevelsByteLength: Int32,
        repetitionLevelsByteLength: Int32, isCompressed: Bool = true, statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var values: Int32?
        var nulls: Int32?
        var rows: Int32?
        var encoding: Encoding?
        var definitionLength: Int32?
        var repetitionLength: Int32?
        var compressed = true
        var statistics: Statistics?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: values = try reader.i32(field)
            case 2: nulls = try reader.i32(field)
            case 3: rows = try reader.i32(field)
            case 4: encoding = try reader.enumeration(field)
            case 5: definitionLength = try reader.i32(field)
            case 6: repetitionLength = try reader.i32(field)
            case 7: compressed = try reader.bool(field)
            case 8:
                guard field.type == .struct else { return false }
                statistics = try Statistics(from: &reader)
            default: return false
            }
            return true
        }
        guard let values, let nulls, let rows, let encoding, let definitionLength, let repetitionLength else {
            throw .missing("required fields", in: "DataPageHeaderV2")
        }
        guard values >= 0, nulls >= 0, nulls <= values, rows >= 0, definitionLength >= 0, repetitionLength >= 0 else {
            throw .corrupt("data page v2 header has negative or inconsistent counts")
        }
        self.init(
            numValues: values, numNulls: nulls, numRows: rows, encoding: encoding,
            definitionLevelsByteLength: definitionLength, repetitionLevelsByteLength: repetitionLength,
            isCompressed: compressed, statistics: statistics)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, numValues)
        writer.i32(2, numNulls)
        writer.i32(3, numRows)
        writer.i32(4, encoding.rawValue)
        writer.i32(5, definitionLevelsByteLength)
        writer.i32(6, repetitionLevelsByteLength)
        writer.bool(7, isCompressed)
        if let statistics {
            writer.fieldHeader(8, .struct)
            statistics.write(to: &writer)
        }
        writer.endStruct()
    }
}
