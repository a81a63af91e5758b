import Parquet

/// How each file of `Fixtures/bad/` is made: a small valid file written by amoro, then one defect. The corpus test
/// checks the committed bytes still equal these recipes, so the README and the files cannot drift apart.
enum BadFileRecipes {
    /// File name → bytes.
    static func all() throws -> [(String, [UInt8])] {
        let flat = try base(version: .v1)
        let v2 = try base(version: .v2)
        let single = try singleColumn(version: .v1)
        let singleV2 = try singleColumn(version: .v2)
        let tail = flat.count
        func replacing(_ bytes: [UInt8], at offset: Int, with new: [UInt8]) -> [UInt8] {
            var copy = bytes
            copy.replaceSubrange(offset..<offset + new.count, with: new)
            return copy
        }
        var files: [(String, [UInt8])] = [
            ("empty.parquet", []),
            ("too-small.parquet", Array("PAR1PAR1".utf8)),
            ("bad-magic-head.parquet", replacing(flat, at: 0, with: Array("PAR0".utf8))),
            ("bad-magic-tail.parquet", replacing(flat, at: tail - 4, with: Array("PAR0".utf8))),
            ("truncated-file.parquet", Array(flat[..<(tail / 2)])),
            ("footer-length-past-start.parquet", replacing(flat, at: tail - 8, with: littleEndian(UInt32(tail)))),
            // An unknown field 100 of FileMetaData holding 400 nested structs: skipping it must stop at the depth limit.
            ("deep-thrift-nesting.parquet", withFooter(flat, [0x0C, 0xC8, 0x01] + Array(repeating: 0x1C, count: 400) + Array(repeating: 0, count: 402))),
        ]
        // Truncated footer: keep the first half of the footer and say so in the length.
        let footerLength = Int(flat[tail - 8]) | Int(flat[tail - 7]) << 8 | Int(flat[tail - 6]) << 16
        files.append(("truncated-footer.parquet", withFooter(flat, Array(flat[(tail - 8 - footerLength)..<(tail - 8 - footerLength / 2)]))))
        files.append(("chunk-past-end.parquet", try rewriteFooter(flat) { $0.rowGroups[0].columns[0].metaData!.totalCompressedSize = 1 << 40 }))
        files.append(("chunk-offset-negative.parquet", try rewriteFooter(flat) { $0.rowGroups[0].columns[1].metaData!.dataPageOffset = -5 }))
        files.append(("negative-row-count.parquet", try rewriteFooter(flat) { $0.numRows = -1 }))
        files.append(("negative-value-count.parquet", try rewriteFooter(flat) { $0.rowGroups[0].columns[0].metaData!.numValues = -7 }))
        files.append(("row-count-lie.parquet", try rewriteFooter(flat) { $0.rowGroups[0].numRows = 5 }))
        files.append(("schema-children-overflow.parquet", try rewriteFooter(flat) { $0.schema[0].numChildren = 1000 }))
        files.append(("schema-fixed-without-length.parquet", try rewriteFooter(flat) {
            $0.schema[1].type = .fixedLenByteArray
            $0.schema[1].typeLength = 0
        }))
        files.append(("wrong-codec-data.parquet", try rewriteFooter(flat) { $0.rowGroups[0].columns[0].metaData!.codec = .zstd }))
        files.append(("unsupported-codec-lzo.parquet", try rewriteFooter(flat) { $0.rowGroups[0].columns[0].metaData!.codec = .lzo }))
        files.append(("page-compressed-size-lie.parquet", try rewritePage(single, index: 1) { $0.compressedPageSize = 1 << 30 }))
        files.append(("page-uncompressed-size-lie.parquet", try rewritePage(single, index: 1) { $0.uncompressedPageSize = 1 << 29 }))
        files.append(("page-value-count-lie.parquet", try rewritePage(single, index: 1) { $0.dataPageHeader!.numValues = 1000 }))
        files.append(("page-value-count-negative.parquet", try rewritePage(single, index: 1) { $0.dataPageHeader!.numValues = -3 }))
        files.append(("page-value-count-short.parquet", try rewritePage(single, index: 1) { $0.dataPageHeader!.numValues = 1 }))
        files.append(("page-unknown-encoding.parquet", try rewritePage(single, index: 1) { $0.dataPageHeader!.encoding = .bitPacked }))
        files.append(("dictionary-index-out-of-range.parquet", try rewritePage(single, index: 0) { $0.dictionaryPageHeader!.numValues = 1 }))
        files.append(("dictionary-negative-count.parquet", try rewritePage(single, index: 0) { $0.dictionaryPageHeader!.numValues = -1 }))
        files.append(("v2-level-lengths-lie.parquet", try rewritePage(singleV2, index: 1) { $0.dataPageHeaderV2!.definitionLevelsByteLength = 1 << 20 }))
        files.append(("v2-null-count-lie.parquet", try rewritePage(singleV2, index: 1) { $0.dataPageHeaderV2!.numNulls = 0 }))
        files.append(("dictionary-expansion-bomb.parquet", try expansionBomb()))
        let indexed = try withPageIndex()
        files.append(("page-index-past-end.parquet", try rewriteFooter(indexed) {
            $0.rowGroups[0].columns[0].offsetIndexOffset = 1 << 40
        }))
        // A column index whose min_values list is one entry short.
        let chunk = try ParquetFileReader(source: MemorySource(indexed)).metadata.rowGroups[0].columns[0]
        var index = try ParquetFileReader(source: MemorySource(indexed)).columnIndex(rowGroup: 0, column: 0)!
        index.minValues.removeLast()
        var thrift = ThriftCompactWriter()
        index.write(to: &thrift)
        let start = Int(chunk.columnIndexOffset!)
        var shortened = indexed
        shortened.replaceSubrange(start..<(start + Int(chunk.columnIndexLength!)), with: thrift.bytes)
        let delta = Int64(thrift.bytes.count - Int(chunk.columnIndexLength!))
        files.append(("column-index-lists-disagree.parquet", try rewriteFooter(shortened) { metadata in
            metadata.rowGroups[0].columns[0].columnIndexLength = Int32(thrift.bytes.count)
            for column in metadata.rowGroups[0].columns.indices {
                if let offset = metadata.rowGroups[0].columns[column].offsetIndexOffset {
                    metadata.rowGroups[0].columns[column].offsetIndexOffset = offset + delta
                }
                if column > 0, let offset = metadata.rowGroups[0].columns[column].columnIndexOffset {
                    metadata.rowGroups[0].columns[column].columnIndexOffset = offset + delta
                }
            }
        }))
        _ = v2
        return files
    }

    /// id: required int64, s: optional string, l: list<int32>; 20 rows, uncompressed, one row group.
    static func base(version: ParquetWriterOptions.DataPageVersion) throws -> [UInt8] {
        let schema = try ParquetSchema([
            .primitive("id", .int64, repetition: .required),
            .primitive("s", .byteArray, logicalType: .string),
            .list("l", element: .primitive("element", .int32)),
        ])
        let rows: [ParquetValue] = (0..<20).map { index in
            .group([
                .int64(Int64(index)), index % 4 == 0 ? .null : .string("v\(index % 3)"),
                .list((0..<(index % 3)).map { .int32(Int32($0)) }),
            ])
        }
        return try write(schema, rows, version: version)
    }

    /// One optional dictionary-encoded string column (dictionary page, then data pages); 40 rows.
    static func singleColumn(version: ParquetWriterOptions.DataPageVersion) throws -> [UInt8] {
        let schema = try ParquetSchema([.primitive("s", .byteArray, logicalType: .string)])
        let rows: [ParquetValue] = (0..<40).map { $0 % 5 == 0 ? .group([.null]) : .group([.string("w\($0 % 6)")]) }
        return try write(schema, rows, version: version)
    }

    static func write(_ schema: ParquetSchema, _ rows: [ParquetValue], version: ParquetWriterOptions.DataPageVersion)
        throws -> [UInt8]
    {
        var options = ParquetWriterOptions()
        options.compression = .uncompressed
        options.dataPageVersion = version
        options.createdBy = "amoro bad-file recipes"
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        try writer.write(rows: rows)
        try writer.close()
        return sink.bytes
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    static func footerRange(_ bytes: [UInt8]) -> Range<Int> {
        let tail = bytes.count
        let length = Int(bytes[tail - 8]) | Int(bytes[tail - 7]) << 8 | Int(bytes[tail - 6]) << 16 | Int(bytes[tail - 5]) << 24
        return (tail - 8 - length)..<(tail - 8)
    }

    /// The data part of `bytes` followed by another footer.
    static func withFooter(_ bytes: [UInt8], _ footer: [UInt8]) -> [UInt8] {
        Array(bytes[..<footerRange(bytes).lowerBound]) + footer + littleEndian(UInt32(footer.count)) + Array("PAR1".utf8)
    }

    static func rewriteFooter(_ bytes: [UInt8], _ change: (inout FileMetaData) -> Void) throws -> [UInt8] {
        let range = footerRange(bytes)
        var metadata = try Array(bytes[range]).withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try FileMetaData(bytes: buffer) }
        }.get()
        change(&metadata)
        return withFooter(bytes, metadata.serialized())
    }

    /// The base rows written with a page index, several pages per chunk.
    static func withPageIndex() throws -> [UInt8] {
        let schema = try ParquetSchema([.primitive("a", .int64), .primitive("s", .byteArray, logicalType: .string)])
        let rows: [ParquetValue] = (0..<30).map { .group([.int64(Int64($0)), .string("r\($0 % 4)")]) }
        var options = ParquetWriterOptions()
        options.compression = .uncompressed
        options.createdBy = "amoro bad-file recipes"
        options.writePageIndex = true
        options.pageSize = 64
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        try writer.write(rows: rows)
        try writer.close()
        return sink.bytes
    }

    /// One 10 KB string in the dictionary, and a data page whose few bytes of RLE repeat it 16 million times
    /// (the footer agrees on the count): decoding it would need 160 GB.
    static func expansionBomb() throws -> [UInt8] {
        let schema = try ParquetSchema([.primitive("s", .byteArray, logicalType: .string)])
        let raw = try write(schema, [.group([.string(String(repeating: "x", count: 10_000))])], version: .v1)
        let count = 16_000_000
        var varint: [UInt8] = []
        var run = UInt64(count) << 1
        while run >= 0x80 {
            varint.append(UInt8(run & 0x7F) | 0x80)
            run >>= 7
        }
        varint.append(UInt8(run))
        let levels = varint + [1]  // one RLE run of definition level 1
        let body = littleEndian(UInt32(levels.count)) + levels + [1] + varint + [0]  // bit width 1, run of index 0
        let reader = try ParquetFileReader(source: MemorySource(raw))
        let page = try reader.pages(rowGroup: 0, column: 0)[1]
        let headerRange = page.offset..<(page.offset + page.headerSize)
        var header = try Array(raw[headerRange]).withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in
                var thrift = ThriftCompactReader(buffer)
                return try PageHeader(from: &thrift)
            }
        }.get()
        header.dataPageHeader!.numValues = Int32(count)
        header.compressedPageSize = Int32(body.count)
        header.uncompressedPageSize = Int32(body.count)
        var thrift = ThriftCompactWriter()
        header.write(to: &thrift)
        let oldPage = headerRange.lowerBound..<(headerRange.upperBound + page.compressedSize)
        var copy = raw
        copy.replaceSubrange(oldPage, with: thrift.bytes + body)
        let delta = thrift.bytes.count + body.count - oldPage.count
        return try rewriteFooter(copy) { metadata in
            metadata.numRows = Int64(count)
            metadata.rowGroups[0].numRows = Int64(count)
            metadata.rowGroups[0].columns[0].metaData!.numValues = Int64(count)
            metadata.rowGroups[0].columns[0].metaData!.totalCompressedSize += Int64(delta)
        }
    }

    /// Changes the header of page `index` of a single-column file, fixing up the chunk size (and the data page
    /// offset when the dictionary page header changes size) so only the intended lie remains.
    static func rewritePage(_ bytes: [UInt8], index: Int, _ change: (inout PageHeader) -> Void) throws -> [UInt8] {
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        let pages = try reader.pages(rowGroup: 0, column: 0)
        let page = pages[index]
        let headerRange = page.offset..<(page.offset + page.headerSize)
        var header = try Array(bytes[headerRange]).withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in
                var thrift = ThriftCompactReader(buffer)
                return try PageHeader(from: &thrift)
            }
        }.get()
        change(&header)
        var writer = ThriftCompactWriter()
        header.write(to: &writer)
        let delta = writer.bytes.count - headerRange.count
        var copy = bytes
        copy.replaceSubrange(headerRange, with: writer.bytes)
        return try rewriteFooter(copy) { metadata in
            metadata.rowGroups[0].columns[0].metaData!.totalCompressedSize += Int64(delta)
            if page.type == .dictionaryPage { metadata.rowGroups[0].columns[0].metaData!.dataPageOffset += Int64(delta) }
        }
    }
}
