import ByteCoding
import Compression

/// Encodes one leaf column's chunks, a row group at a time, as the rows arrive: `append` turns slots into data
/// pages at once (dictionary or fallback encoded, then compressed), so a row group is held encoded rather than as
/// values; `finish` puts the dictionary page first and returns the chunk's bytes and metadata.
///
/// Pages end at row boundaries and hold about `pageSize` bytes or `pageSlotLimit` slots, however the rows are cut
/// into calls: the last, partial page of a call is kept back (copied, at most one page) until more rows or
/// `finish` complete it.
package struct ColumnChunkWriter {
    package let column: ColumnDescriptor
    package let options: ParquetWriterOptions
    private let codec: CompressionCodec
    /// The encoding of pages that are not dictionary encoded.
    private let fallback: Encoding
    private var pending: PendingChunk

    package init(column: ColumnDescriptor, options: ParquetWriterOptions) throws(ParquetError) {
        self.column = column
        self.options = options
        codec = try ColumnChunkReader.codec(for: options.compression)
        guard codec.canCompress else { throw .unsupported("writing \(options.compression) compression") }
        // A column's own encoding is used as asked (an impossible one is an error); the file-wide fallback only
        // where the type supports it.
        let requested = options.columnEncodings[column.dottedPath]
        var fallback = requested ?? options.fallbackEncoding
        if requested == nil && !Self.supports(fallback, column.physicalType) { fallback = .plain }
        self.fallback = fallback
        pending = PendingChunk(column: column, options: options)
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

    /// About the bytes the pending chunk will take: its encoded pages, the dictionary (PLAIN size, before
    /// compression) and the kept-back partial page at the ratio the encoded pages achieved.
    package var bufferedBytes: Int {
        let ratio = pending.rawBytes > 0 ? Double(pending.pageBytes) / Double(pending.rawBytes) : 1
        let partial = Double(pending.partialPage?.estimatedBytes ?? 0) * ratio
        return pending.pageBytes + (pending.dictionary?.plainBytes ?? 0) + Int(partial)
    }

    /// Adds slots `levels` of `data`, whose values are `values`, to the pending chunk.
    package mutating func append(_ data: ColumnData, levels: Range<Int>, values: Range<Int>) throws(ParquetError) {
        var levels = levels
        var values = values
        if let partial = pending.partialPage {
            // Complete the kept-back page with the first slots of `data`, up to a row boundary.
            pending.partialPage = nil
            let wanted = slotsPerPage(partial, values: 0..<partial.values.count) - partial.levelCount
            let head = Self.rowPrefix(data, column, levels: levels, values: values, slots: max(wanted, 1))
            var page = partial
            page.append(contentsOf: data.subrange(levels: head.levels, values: head.values))
            levels = head.levels.upperBound..<levels.upperBound
            values = head.values.upperBound..<values.upperBound
            try encodePages(of: page, levels: 0..<page.levelCount, values: 0..<page.values.count, keepPartial: levels.isEmpty)
        }
        if !levels.isEmpty { try encodePages(of: data, levels: levels, values: values, keepPartial: true) }
    }

    /// Ends the row group's chunk: encodes a kept-back page, writes the dictionary page (when used) before the data
    /// pages, and starts an empty chunk for the next row group. Offsets are relative to `fileOffset`.
    package mutating func finish(fileOffset: Int) throws(ParquetError) -> Chunk {
        if let partial = pending.partialPage {
            pending.partialPage = nil
            try encodePages(of: partial, levels: 0..<partial.levelCount, values: 0..<partial.values.count, keepPartial: false)
        }
        let finished = pending
        pending = PendingChunk(column: column, options: options)
        return try assemble(finished, fileOffset: fileOffset)
    }

    /// Encodes `data`'s slots `levels` as pages; with `keepPartial`, a last page short of a full one is kept back.
    private mutating func encodePages(of data: ColumnData, levels: Range<Int>, values: Range<Int>, keepPartial: Bool)
        throws(ParquetError)
    {
        let perPage = slotsPerPage(data, values: values)
        let pages = pageBoundaries(data, levels: levels, values: values, slotsPerPage: perPage)
        for (number, page) in pages.enumerated() {
            if keepPartial && number == pages.count - 1 && page.levels.count < perPage {
                pending.partialPage = data.subrange(levels: page.levels, values: page.values)
            } else {
                try encodePage(data, page)
            }
        }
    }

    private mutating func encodePage(_ data: ColumnData, _ page: PageRange) throws(ParquetError) {
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
        if pending.dictionary != nil && !pending.dictionaryFull {
            indices = pending.dictionary!.append(data.values, range: page.values)
            // Past the size limit: this and every later page of the chunk use the fallback encoding.
            if indices == nil { pending.dictionaryFull = true }
        }
        if let indices {
            pending.dictionary!.encodeIndices(indices[...], into: &body)
            encoding = .rleDictionary
            pending.usedDictionary = true
        } else {
            try ValueEncoder.encode(data.values, range: page.values, encoding: encoding, into: &body)
        }
        var encoded = try dataPage(
            page, encoding: encoding, body: body.bytes, levels: levels.bytes, repetitionLength: repetitionLength)
        if options.writeStatistics || options.writePageIndex {
            encoded.statistics = StatisticsBuilder.statistics(
                column: column, values: data.values, range: page.values, nullCount: page.levels.count - page.values.count)
        }
        pending.add(encoded, rawBytes: data.estimatedBytes(levels: page.levels, values: page.values))
    }

    /// The chunk's bytes and metadata from its encoded pages.
    private func assemble(_ chunk: PendingChunk, fileOffset: Int) throws(ParquetError) -> Chunk {
        var output = ChunkParts()
        var uncompressedTotal = 0
        var encodings: [Encoding] = []
        var dictionaryOffset: Int64?
        var statsCounts: [PageEncodingStats] = []
        if chunk.usedDictionary, let dictionary = chunk.dictionary {
            var plain = ByteWriter(capacity: 1024)
            dictionary.encodeDictionaryPage(into: &plain)
            let body = try compress(plain.bytes)
            var header = PageHeader(
                type: .dictionaryPage, uncompressedPageSize: try size32(plain.count), compressedPageSize: try size32(body.count))
            header.dictionaryPageHeader = DictionaryPageHeader(numValues: try size32(dictionary.count), encoding: .plain)
            dictionaryOffset = Int64(fileOffset)
            uncompressedTotal += append(header, body, to: &output) - body.count + plain.count
            encodings.append(.plain)
            statsCounts.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        let dataOffset = Int64(fileOffset + output.count)
        var locations: [PageLocation] = []
        var firstRow: Int64 = 0
        for page in chunk.pages {
            let start = output.count
            let headerSize = append(page.header, page.body, to: &output) - page.body.count
            uncompressedTotal += headerSize + Int(page.header.uncompressedPageSize)
            locations.append(
                PageLocation(
                    offset: Int64(fileOffset + start), compressedPageSize: try size32(output.count - start),
                    firstRowIndex: firstRow))
            firstRow += Int64(page.rows)
            count(&statsCounts, page.header.type, page.encoding)
        }
        if column.maxDefinitionLevel > 0 || column.maxRepetitionLevel > 0 { encodings.append(.rle) }
        for stats in statsCounts where stats.pageType != .dictionaryPage && !encodings.contains(stats.encoding) {
            encodings.append(stats.encoding)
        }
        var metadata = ColumnMetaData(
            type: column.physicalType, encodings: encodings, pathInSchema: column.path, codec: options.compression,
            numValues: Int64(chunk.slots), totalUncompressedSize: Int64(uncompressedTotal),
            totalCompressedSize: Int64(output.count), dataPageOffset: dataOffset)
        metadata.dictionaryPageOffset = dictionaryOffset
        metadata.encodingStats = statsCounts
        if options.writeStatistics {
            metadata.statistics = StatisticsBuilder.merged(chunk.pages.compactMap(\.statistics), column: column)
        }
        var result = Chunk(parts: output.parts, metadata: metadata)
        if options.writePageIndex {
            result.offsetIndex = OffsetIndex(pageLocations: locations)
            result.columnIndex = columnIndex(chunk.pages)
        }
        return result
    }

    /// Per-page bounds in the column's order; nil when a page with values has none (INT96, INTERVAL, all NaN),
    /// since a column index must then not be written.
    private func columnIndex(_ pages: [EncodedPage]) -> ColumnIndex? {
        var index = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered, nullCounts: [])
        for page in pages {
            index.nullCounts!.append(Int64(page.slots - page.values))
            if page.values == 0 {
                index.nullPages.append(true)
                index.minValues.append([])
                index.maxValues.append([])
                continue
            }
            guard let low = page.statistics?.minValue, let high = page.statistics?.maxValue else { return nil }
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

    /// A compressed data page waiting in the pending chunk.
    private struct EncodedPage {
        var header: PageHeader
        var body: [UInt8]
        var encoding: Encoding
        var rows: Int
        var slots: Int
        var values: Int
        /// The page's bounds and counts, for the chunk statistics and the column index.
        var statistics: Statistics?
    }

    /// A row group's chunk as far as it is encoded.
    private struct PendingChunk {
        var dictionary: DictionaryEncoder?
        /// Set once the dictionary reached its size limit: later pages use the fallback encoding.
        var dictionaryFull = false
        var usedDictionary = false
        var pages: [EncodedPage] = []
        /// The last slots appended when they were short of a page, not yet encoded.
        var partialPage: ColumnData?
        var slots = 0
        /// Compressed bytes of the encoded pages, and the in-memory bytes of the slots they hold.
        var pageBytes = 0
        var rawBytes = 0

        init(column: ColumnDescriptor, options: ParquetWriterOptions) {
            if options.columnEncodings[column.dottedPath] == nil && options.dictionaryEnabled
                && column.physicalType != .boolean
            {
                dictionary = DictionaryEncoder(
                    type: column.physicalType, typeLength: column.typeLength,
                    maxDictionaryBytes: options.dictionaryPageSizeLimit)
            }
        }

        mutating func add(_ page: EncodedPage, rawBytes raw: Int) {
            pages.append(page)
            slots += page.slots
            pageBytes += page.body.count
            rawBytes += raw
        }
    }

    /// How many slots of values like `data`'s `values` make a page of about `pageSize` bytes.
    private func slotsPerPage(_ data: ColumnData, values: Range<Int>) -> Int {
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
        return max(1, min(options.pageSlotLimit, options.pageSize / max(slotBytes, 1)))
    }

    /// Splits the slots into pages of `slotsPerPage` slots, each extended to end at a row boundary.
    private func pageBoundaries(_ data: ColumnData, levels: Range<Int>, values: Range<Int>, slotsPerPage: Int)
        -> [PageRange]
    {
        var pages: [PageRange] = []
        var start = levels.lowerBound
        var valueStart = values.lowerBound
        repeat {
            let page = Self.rowPrefix(
                data, column, levels: start..<levels.upperBound, values: valueStart..<values.upperBound,
                slots: slotsPerPage)
            pages.append(page)
            start = page.levels.upperBound
            valueStart = page.values.upperBound
        } while start < levels.upperBound
        return pages
    }

    /// The first `slots` slots of `levels` (more, up to the end of the row the last one is in), their values and
    /// the rows they hold.
    private static func rowPrefix(
        _ data: ColumnData, _ column: ColumnDescriptor, levels: Range<Int>, values: Range<Int>, slots: Int
    ) -> PageRange {
        let start = levels.lowerBound
        var end = min(start + slots, levels.upperBound)
        var rows = end - start
        if !data.repetitionLevels.isEmpty {
            while end < levels.upperBound && data.repetitionLevels[end] != 0 { end += 1 }
            rows = 0
            for index in start..<end where data.repetitionLevels[index] == 0 { rows += 1 }
        }
        var present = end - start
        if column.maxDefinitionLevel > 0 {
            present = 0
            for index in start..<end where data.definitionLevels[index] == column.maxDefinitionLevel { present += 1 }
        }
        return PageRange(
            levels: start..<end, values: values.lowerBound..<values.lowerBound + present, rows: rows)
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
            return EncodedPage(
                header: header, body: compressed, encoding: encoding, rows: page.rows, slots: slots,
                values: page.values.count)
        case .v2:
            let compressed = try compress(body)
            var header = PageHeader(
                type: .dataPageV2, uncompressedPageSize: try size32(levels.count + body.count),
                compressedPageSize: try size32(levels.count + compressed.count))
            header.dataPageHeaderV2 = DataPageHeaderV2(
                numValues: try size32(slots), numNulls: Int32(nulls), numRows: Int32(page.rows), encoding: encoding,
                definitionLevelsByteLength: Int32(levels.count - repetitionLength),
                repetitionLevelsByteLength: Int32(repetitionLength), isCompressed: codec != .uncompressed)
            return EncodedPage(
                header: header, body: levels.isEmpty ? compressed : levels + compressed, encoding: encoding,
                rows: page.rows, slots: slots, values: page.values.count)
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
