/// Where a column chunk's pages are and what they hold (Thrift `ColumnMetaData`).
package struct ColumnMetaData: Sendable, Hashable {
    package var type: PhysicalType
    package var encodings: [Encoding]
    package var pathInSchema: [String]
    package var codec: CompressionKind
    package var numValues: Int64
    package var totalUncompressedSize: Int64
    package var totalCompressedSize: Int64
    package var keyValueMetadata: [KeyValue]?
    package var dataPageOffset: Int64
    package var indexPageOffset: Int64?
    package var dictionaryPageOffset: Int64?
    package var statistics: Statistics?
    package var encodingStats: [PageEncodingStats]?
    package var bloomFilterOffset: Int64?
    package var bloomFilterLength: Int32?

    package init(
        type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionKind, numValues: Int64,
        totalUncompressedSize: Int64, totalCompressedSize: Int64, dataPageOffset: Int64
    ) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.dataPageOffset = dataPageOffset
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var type: PhysicalType?
        var encodings: [Encoding] = []
        var path: [String]?
        var codec: CompressionKind?
        var numValues: Int64?
        var uncompressed: Int64?
        var compressed: Int64?
        var dataPageOffset: Int64?
        var rest = ColumnMetaData(
            type: .boolean, encodings: [], pathInSchema: [], codec: .uncompressed, numValues: 0,
            totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 0)
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: type = try reader.enumeration(field)
            case 2:
                // Unknown encodings are dropped here; a page that uses one fails when it is decoded.
                encodings = try reader.list(field) { reader, _ throws(ParquetError) in
                    Encoding(rawValue: try reader.readI32())
                }.compactMap { $0 }
            case 3: path = try reader.list(field) { reader, _ throws(ParquetError) in try reader.readString() }
            case 4:
                let raw = try reader.i32(field)
                guard let kind = CompressionKind(rawValue: raw) else { throw .unsupported("compression codec \(raw)") }
                codec = kind
            case 5: numValues = try reader.i64(field)
            case 6: uncompressed = try reader.i64(field)
            case 7: compressed = try reader.i64(field)
            case 8: rest.keyValueMetadata = try KeyValue.readList(field, &reader)
            case 9: dataPageOffset = try reader.i64(field)
            case 10: rest.indexPageOffset = try reader.i64(field)
            case 11: rest.dictionaryPageOffset = try reader.i64(field)
            case 12:
                guard field.type == .struct else { return false }
                rest.statistics = try Statistics(from: &reader)
            case 13:
                rest.encodingStats = try reader.list(field) { reader, _ throws(ParquetError) in
                    try PageEncodingStats(from: &reader)
                }
            case 14: rest.bloomFilterOffset = try reader.i64(field)
            case 15: rest.bloomFilterLength = try reader.i32(field)
            default: return false
            }
            return true
        }
        guard let type, let path, let codec, let numValues, let uncompressed, let compressed, let dataPageOffset
        else { throw .missing("required fields", in: "ColumnMetaData") }
        rest.type = type
        rest.encodings = encodings
        rest.pathInSchema = path
        rest.codec = codec
        rest.numValues = numValues
        rest.totalUncompressedSize = uncompressed
        rest.totalCompressedSize = compressed
        rest.dataPageOffset = dataPageOffset
        self = rest
    }

    /// Where the chunk's first page is. An offset of 0 (the leading magic) names no page: parquet-mr wrote
    /// `dictionary_page_offset` 0 for "no dictionary page" (PARQUET-1402), and Arrow C++ wrote `data_page_offset` 0
    /// for a chunk of an empty row group that holds only its dictionary page. Otherwise the chunk starts at the
    /// earlier of the two, as in parquet-java's `getStartingPos`; a negative offset is left to the caller's range
    /// check.
    package var firstPageOffset: Int64 {
        guard let dictionary = dictionaryPageOffset, dictionary != 0 else { return dataPageOffset }
        return dataPageOffset == 0 ? dictionary : min(dictionary, dataPageOffset)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i32(1, type.rawValue)
        writer.beginListField(2, .i32, count: encodings.count)
        for encoding in encodings { writer.writeI32(encoding.rawValue) }
        writer.beginListField(3, .binary, count: pathInSchema.count)
        for name in pathInSchema { writer.writeString(name) }
        writer.i32(4, codec.rawValue)
        writer.i64(5, numValues)
        writer.i64(6, totalUncompressedSize)
        writer.i64(7, totalCompressedSize)
        if let keyValueMetadata { KeyValue.writeList(8, keyValueMetadata, &writer) }
        writer.i64(9, dataPageOffset)
        if let indexPageOffset { writer.i64(10, indexPageOffset) }
        if let dictionaryPageOffset { writer.i64(11, dictionaryPageOffset) }
        if let statistics {
            writer.fieldHeader(12, .struct)
            statistics.write(to: &writer)
        }
        if let encodingStats {
            writer.beginListField(13, .struct, count: encodingStats.count)
            for stats in encodingStats { stats.write(to: &writer) }
        }
        if let bloomFilterOffset { writer.i64(14, bloomFilterOffset) }
        if let bloomFilterLength { writer.i32(15, bloomFilterLength) }
        writer.endStruct()
    }
}
