import ByteCoding
import Compression

/// Encodes one leaf column's slots `levels` (with values `values`) into a column chunk: an optional dictionary
/// page, then data pages v1 or v2, each compressed with the file's codec; returns the bytes and the chunk's
/// metadata (offsets relative to `fileOffset`, where the bytes will be written).
package struct ColumnChunkWriter {
    package let column: ColumnDescriptor
    package let options: ParquetWriterOptions
    private let codec: CompressionCodec

    package init(column: ColumnDescriptor, options: ParquetWriterOptions) throws(ParquetError) {
        self.column = column
        self.options = options
        codec = try ColumnChunkReader.codec(for: options.compression)
        guard codec.canCompress else { throw .unsupported("writing \(options.compression) compression") }
    }

    /// The encoded chunk: its bytes, as consecutive parts (page headers and bodies, not concatenated), and metadata.
    package struct Chunk: Sendable {
        package var parts: [[UInt8]]
        package var metadata: ColumnMetaData
        /// With `writePageIndex`: the data pages (absolute offsets, first rows relative to the row group) and, when
        /// every page has bounds, their column index.
        package var offsetIndex: OffsetIndex?
        package var columnIndex: ColumnIndex?
    }

    private struct EncodedPage {
        var header: PageHeader
        var body: [UInt8]
    }

    package func write(_ data: ColumnData, levels: Range<Int>, values: Range<Int>, fileOffset: Int)
        throws(ParquetError) -> Chunk
    {
        let pages = pageBoundaries(data, levels: levels, values: values)
        let requested = options.columnEncodings[column.dottedPath]
        var dictionary: DictionaryEncoder? = nil
        if requested == nil && options.dictionaryEnabled && column.physicalType != .boolean {
            dictionary = DictionaryEncoder(
                type: column.physicalType, typeLength: column.typeLength,
                maxDictionaryBytes: options.dictionaryPageSizeLimit)
        }
        // A column's own encoding is used as asked (an impossible one is an error); the file-wide fallback only
        // where the type supports it.
        var fallback = requested ?? options.fallbackEncoding
        if requested == nil && !Self.supports(fallback, column.physicalType) { fallback = .plain }
        var encoded: [EncodedPage] = []
        var usedDictionary = false
        var dictionaryActive = dictionary != nil
        var statsCounts: [PageEncodingStats] = []
        for page in pages {
            // v1 pages hold levels then values in one buffer; v2 keeps its levels apart (never compressed).
            var body = ByteWriter(capacity: 1024)
            var levels = ByteWriter(capacity: 64)
            var repetitionLength = 0
            switch options.dataPageVersion {
            case .v1:
                if column.maxRepetitionLevel > 0 {
                    lengthPrefixedLevels(data.repetitionLevels[page.levels], column.maxRepetitionLevel, into: &body)
                }
                if column.maxDefinitionLevel > 0 {
                    lengthPrefixedLevels(data.definitionLevels[page.levels], column.maxDefinitionLevel, into: &body)
                }
            case .v2:
                if column.maxRepetitionLevel > 0 {
                    LevelEncoder.encodeHybrid(
                        data.repetitionLevels[page.levels],
                        bitWidth: ColumnChunkReader.bitWidth(column.maxRepetitionLevel), into: &levels)
                }
                repetitionLength = levels.count
                if column.maxDefinitionLevel > 0 {
                    LevelEncoder.encodeHybrid(
                        data.definitionLevels[page.levels],
                        bitWidth: ColumnChunkReader.bitWidth(column.maxDefinitionLevel), into: &levels)
                }
            }
            var encoding = fallback
            var indices: [Int32]?
            if dictionaryActive {
                indices = dictionary!.append(data.values, range: page.values)
                // Past the size limit: this and every later page use the fallback encoding.
                if indices == nil { dictionaryActive = false }
            }
            if let indices {
                dictionary!.encodeIndices(indices[...], into: &body)
                encoding = .rleDictionary
                usedDictionary = true
            } else {
                try ValueEncoder.encode(data.values, range: page.values, encoding: encoding, into: &body)
            }
            encoded.append(
                try dataPage(page, encoding: encoding, body: body.bytes, levels: levels.bytes,
                    repetitionLength: repetitionLength))
            count(&statsCounts, encoded.last!.header.type, encoding)
        }
        // Assemble: dictionary page first.
        var output = ChunkParts()
        var uncompressedTotal = 0
        var encodings: [Encoding] = []
        var dictionaryOffset: Int64?
        if usedDictionary, let dictionary {
            var plain = ByteWriter(capacity: 1024)
            dictionary.encodeDictionaryPage(into: &plain)
            let body = try compress(plain.bytes)
            var header = PageHeader(
                type: .dictionaryPage, uncompressedPageSize: try size32(plain.count), compressedPageSize: try size32(body.count))
            header.dictionaryPageHeader = DictionaryPageHeader(numValues: try size32(dictionary.count), encoding: .plain)
            dictionaryOffset = Int64(fileOffset)
            uncompressedTotal += append(header, body, to: &output) - body.count + plain.count
            encodings.append(.plain)
            statsCounts.insert(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1), at: 0)
        }
        let dataOffset = Int64(fileOffset + output.count)
        var locations: [PageLocation] = []
        var firstRow: Int64 = 0
        for (page, range) in zip(encoded, pages) {
            let start = output.count
            let headerSize = append(page.header, page.body, to: &output) - page.body.count
            uncompressedTotal += headerSize + Int(page.header.uncompressedPageSize)
            locations.append(
                PageLocation(
                    offset: Int64(fileOffset + start), compressedPageSize: try size32(output.count - start),
                    firstRowIndex: firstRow))
            firstRow += Int64(range.rows)
        }
        if column.maxDefinitionLevel > 0 || column.maxRepetitionLevel > 0 { encodings.append(.rle) }
        for stats in statsCounts where stats.pageType != .dictionaryPage && !encodings.contains(stats.encoding) {
            encodings.append(stats.encoding)
        }
        var metadata = ColumnMetaData(
            type: column.physicalType, encodings: encodings, pathInSchema: column.path, codec: options.compression,
            numValues: Int64(levels.count), totalUncompressedSize: Int64(uncompressedTotal),
            totalCompressedSize: Int64(output.count), dataPageOffset: dataOffset)
        metadata.dictionaryPageOffset = dictionaryOffset
        metadata.encodingStats = statsCounts
        if options.writeStatistics {
            metadata.statistics = StatisticsBuilder.statistics(
                column: column, values: data.values, range: values, nullCount: levels.count - values.count)
        }
        var chunk = Chunk(parts: output.parts, metadata: metadata)
        if options.writePageIndex {
            chunk.offsetIndex = OffsetIndex(pageLocations: locations)
            chunk.columnIndex = columnIndex(data, pages)
        }
        return chunk
    }

    /// Per-page bounds in the column's order; nil when a page with values has none (INT96, INTERVAL, all NaN),
    /// since a column index must then not be written.
    private func columnIndex(_ data: ColumnData, _ pages: [PageRange]) -> ColumnIndex? {
        var index = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered, nullCounts: [])
        for page in pages {
            let nulls = page.levels.count - page.values.count
            index.nullCounts!.append(Int64(nulls))
            if page.values.isEmpty {
                index.nullPages.append(true)
                index.minValues.append([])
                index.maxValues.append([])
                continue
            }
            let statistics = StatisticsBuilder.statistics(
                column: column, values: data.values, range: page.values, nullCount: nulls)
            guard let low = statistics.minValue, let high = statistics.maxValue else { return nil }
            index.nullPages.append(false)
            index.minValues.append(low)
            index.maxValues.append(high)
        }
        return index
    }

    /// A page size or count as Thrift's i32; larger pages cannot be described in Parquet.
    private func size32(_ value: Int) throws(ParquetError) -> Int32 {
        guard let narrow = Int32(exactly: value) else {
            throw .invalidArgument("column \(column.dottedPath): a page of \(value) bytes or values is over Parquet's 2 GiB limit")
        }
        return narrow
    }

    /// Whether `encoding` can hold values of `type` (dictionary encodings aside).
    static func supports(_ encoding: Encoding, _ type: PhysicalType) -> Bool {
        switch encoding {
        case .plain: true
        case .rle: type == .boolean
        case .deltaBinaryPacked: type == .int32 || type == .int64
        case .deltaLengthByteArray: type == .byteArray
        case .deltaByteArray: type == .byteArray || type == .fixedLenByteArray
        case .byteStreamSplit: [.float, .double, .int32, .int64, .fixedLenByteArray].contains(type)
        case .plainDictionary, .rleDictionary, .bitPacked: false
        }
    }

    private func count(_ stats: inout [PageEncodingStats], _ type: PageType, _ encoding: Encoding) {
        if let index = stats.firstIndex(where: { $0.pageType == type && $0.encoding == encoding }) {
            stats[index].count += 1
        } else {
            stats.append(PageEncodingStats(pageType: type, encoding: encoding, count: 1))
        }
    }

    // MARK: Pages

    private struct PageRange {
        var levels: Range<Int>
        var values: Range<Int>
        var rows: Int
    }

    /// Splits the slots into pages of about `pageSize` bytes, each starting at a row boundary.
    private func pageBoundaries(_ data: ColumnData, levels: Range<Int>, values: Range<Int>) -> [PageRange] {
        let slotBytes: Int
        switch data.values {
        case .boolean: slotBytes = 1
        case .int32, .float: slotBytes = 4
        case .int64, .double: slotBytes = 8
        case .int96: slotBytes = 12
        case .fixedLenByteArray(let fixed): slotBytes = fixed.width
        case .byteArray(let arrays):
            let total = values.isEmpty ? 0 : arrays.offsets[values.upperBound] - arrays.offsets[values.lowerBound]
            slotBytes = 4 + total / max(values.count, 1)
        }
        let slotsPerPage = max(1, min(options.pageSlotLimit, options.pageSize / max(slotBytes, 1)))
        let maxDefinition = column.maxDefinitionLevel
        var pages: [PageRange] = []
        var start = levels.lowerBound
        var valueStart = values.lowerBound
        repeat {
            var end = min(start + slotsPerPage, levels.upperBound)
            if !data.repetitionLevels.isEmpty {
                while end < levels.upperBound && data.repetitionLevels[end] != 0 { end += 1 }
            }
            var present = end - start
            var rows = end - start
            if maxDefinition > 0 {
                present = 0
                for index in start..<end where data.definitionLevels[index] == maxDefinition { present += 1 }
            }
            if !data.repetitionLevels.isEmpty {
                rows = 0
                for index in start..<end where data.repetitionLevels[index] == 0 { rows += 1 }
            }
            pages.append(PageRange(levels: start..<end, values: valueStart..<valueStart + present, rows: rows))
            start = end
            valueStart += present
        } while start < levels.upperBound
        return pages
    }

    /// A data page from its encoded parts: for v1 `body` is levels and values, for v2 `body` is the values and
    /// `levels` the uncompressed repetition then definition levels.
    private func dataPage(
        _ page: PageRange, encoding: Encoding, body: [UInt8], levels: [UInt8], repetitionLength: Int
    ) throws(ParquetError) -> EncodedPage {
        let slots = page.levels.count
        let nulls = slots - page.values.count
        switch options.dataPageVersion {
        case .v1:
            let compressed = try compress(body)
            var header = PageHeader(
                type: .dataPage, uncompressedPageSize: try size32(body.count), compressedPageSize: try size32(compressed.count))
            header.dataPageHeader = DataPageHeader(
                numValues: try size32(slots), encoding: encoding, definitionLevelEncoding: .rle,
                repetitionLevelEncoding: .rle)
            return EncodedPage(header: header, body: compressed)
        case .v2:
            let compressed = try compress(body)
            var header = PageHeader(
                type: .dataPageV2, uncompressedPageSize: try size32(levels.count + body.count),
                compressedPageSize: try size32(levels.count + compressed.count))
            header.dataPageHeaderV2 = DataPageHeaderV2(
                numValues: try size32(slots), numNulls: Int32(nulls), numRows: Int32(page.rows), encoding: encoding,
                definitionLevelsByteLength: Int32(levels.count - repetitionLength),
                repetitionLevelsByteLength: Int32(repetitionLength), isCompressed: codec != .uncompressed)
            return EncodedPage(header: header, body: levels.isEmpty ? compressed : levels + compressed)
        }
    }

    private func lengthPrefixedLevels(_ levels: ArraySlice<Int16>, _ maxLevel: Int16, into writer: inout ByteWriter) {
        let start = writer.count
        writer.writeLittleEndian(UInt32(0))
        LevelEncoder.encodeHybrid(levels, bitWidth: ColumnChunkReader.bitWidth(maxLevel), into: &writer)
        let length = UInt32(writer.count - start - 4)
        writer.overwrite(at: start, with: withUnsafeBytes(of: length.littleEndian) { Array($0) })
    }

    private func compress(_ bytes: [UInt8]) throws(ParquetError) -> [UInt8] {
        if codec == .uncompressed { return bytes }
        do { return try codec.compress(bytes, level: options.compressionLevel) } catch {
            throw ParquetError(error, in: "compressing column \(column.dottedPath)")
        }
    }

    /// Appends a page header and body; returns the bytes written.
    private func append(_ header: PageHeader, _ body: [UInt8], to output: inout ChunkParts) -> Int {
        var header = header
        if options.pageChecksums { header.crc = Int32(bitPattern: CRC32.checksum(body)) }
        var thrift = ThriftCompactWriter(capacity: 64)
        header.write(to: &thrift)
        output.append(thrift.bytes)
        output.append(body)
        return thrift.bytes.count + body.count
    }

    /// Buffers kept apart until they are written, with their total size.
    private struct ChunkParts {
        var parts: [[UInt8]] = []
        var count = 0

        mutating func append(_ part: [UInt8]) {
            parts.append(part)
            count += part.count
        }
    }
}
