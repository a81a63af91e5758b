import Testing

@testable import Parquet

@Suite struct FooterTests {
    static func sampleFooter() -> FileMetaData {
        var statistics = Statistics()
        statistics.min = [1, 0, 0, 0]
        statistics.max = [9, 0, 0, 0]
        statistics.minValue = [1, 0, 0, 0]
        statistics.maxValue = [9, 0, 0, 0]
        statistics.nullCount = 3
        statistics.distinctCount = 5
        statistics.isMinValueExact = true
        statistics.isMaxValueExact = false
        statistics.nanCount = 0
        var meta = ColumnMetaData(
            type: .int32, encodings: [.plain, .rle, .rleDictionary], pathInSchema: ["a", "b"], codec: .zstd,
            numValues: 100, totalUncompressedSize: 1000, totalCompressedSize: 500, dataPageOffset: 40)
        meta.dictionaryPageOffset = 4
        meta.indexPageOffset = 900
        meta.statistics = statistics
        meta.keyValueMetadata = [KeyValue(key: "k", value: nil)]
        meta.encodingStats = [
            PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
            PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: 3),
        ]
        meta.bloomFilterOffset = 1200
        meta.bloomFilterLength = 64
        var chunk = ColumnChunk(fileOffset: 0, metaData: meta)
        chunk.offsetIndexOffset = 2000
        chunk.offsetIndexLength = 20
        chunk.columnIndexOffset = 2020
        chunk.columnIndexLength = 30
        var group = RowGroup(columns: [chunk], totalByteSize: 1000, numRows: 100)
        group.sortingColumns = [SortingColumn(columnIndex: 0, descending: true, nullsFirst: false)]
        group.fileOffset = 4
        group.totalCompressedSize = 500
        group.ordinal = 0
        let logicalTypes: [LogicalType] = [
            .string, .enumeration, .decimal(precision: 9, scale: 2), .date, .time(isAdjustedToUTC: false, unit: .nanos),
            .timestamp(isAdjustedToUTC: true, unit: .micros), .integer(bitWidth: 16, isSigned: false), .null, .json,
            .bson, .uuid, .float16, .variant, .geometry, .geography,
        ]
        var schema = [SchemaElement(name: "schema", numChildren: 2)]
        schema.append(SchemaElement(name: "a", repetition: .optional, numChildren: 1, logicalType: .list))
        schema.append(
            SchemaElement(
                name: "b", type: .int32, repetition: .repeated, convertedType: .decimal, scale: 2, precision: 9,
                fieldID: 7, logicalType: .decimal(precision: 9, scale: 2)))
        for (index, logical) in logicalTypes.enumerated() {
            schema.append(SchemaElement(name: "l\(index)", type: .byteArray, repetition: .optional, logicalType: logical))
        }
        return FileMetaData(
            version: 2, schema: schema, numRows: 100, rowGroups: [group],
            keyValueMetadata: [KeyValue(key: "iceberg.schema", value: "{}")], createdBy: "amoro test",
            columnOrders: [.typeDefined, .ieee754TotalOrder, .int96Timestamp])
    }

    @Test func footerRoundTrips() throws {
        let footer = Self.sampleFooter()
        let bytes = footer.serialized()
        let decoded = try bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try FileMetaData(bytes: buffer) }
        }.get()
        #expect(decoded == footer)
    }

    @Test func pageHeadersRoundTrip() throws {
        var header = PageHeader(type: .dataPageV2, uncompressedPageSize: 100, compressedPageSize: 80)
        header.crc = -5
        header.dataPageHeaderV2 = DataPageHeaderV2(
            numValues: 10, numNulls: 2, numRows: 4, encoding: .deltaBinaryPacked, definitionLevelsByteLength: 3,
            repetitionLevelsByteLength: 2, isCompressed: false, statistics: Statistics())
        var other = PageHeader(type: .dataPage, uncompressedPageSize: 10, compressedPageSize: 10)
        other.dataPageHeader = DataPageHeader(
            numValues: 3, encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .bitPacked)
        var dictionary = PageHeader(type: .dictionaryPage, uncompressedPageSize: 1, compressedPageSize: 1)
        dictionary.dictionaryPageHeader = DictionaryPageHeader(numValues: 1, encoding: .plainDictionary, isSorted: true)
        for page in [header, other, dictionary] {
            var writer = ThriftCompactWriter()
            page.write(to: &writer)
            let decoded = try writer.bytes.withUnsafeBytes { buffer in
                Result { () throws(ParquetError) in
                    var reader = ThriftCompactReader(buffer)
                    return try PageHeader(from: &reader)
                }
            }.get()
            #expect(decoded == page)
        }
    }

    @Test func missingRequiredFieldIsCorrupt() {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.i32(1, 2)
        writer.endStruct()
        #expect(throws: ParquetError.self) {
            try writer.bytes.withUnsafeBytes { buffer in
                Result { () throws(ParquetError) in try FileMetaData(bytes: buffer) }
            }.get()
        }
    }

    /// An offset of 0 names no page: parquet-mr's dictionary offset 0, Arrow's data page offset 0 in a chunk holding
    /// only a dictionary page. Negative offsets stay, for the range check to refuse.
    @Test(arguments: [
        (Int64?.none, Int64(50), Int64(50)), (10, 50, 10), (50, 10, 10), (0, 4, 4), (4, 0, 4), (nil, -5, -5), (10, -5, -5),
        (-5, 10, -5), (0, 0, 0),
    ])
    func chunkStartsAtItsFirstPage(dictionary: Int64?, data: Int64, start: Int64) {
        var metadata = ColumnMetaData(
            type: .int32, encodings: [], pathInSchema: ["a"], codec: .uncompressed, numValues: 0,
            totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: data)
        metadata.dictionaryPageOffset = dictionary
        #expect(metadata.firstPageOffset == start)
    }
}
