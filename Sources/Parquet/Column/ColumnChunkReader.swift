import ByteCoding
import Compression

/// Decodes the pages of one column chunk (already read into memory) into a `ColumnData`.
///
/// Handles dictionary pages, data pages v1 and v2 (v2 levels are never compressed, and `is_compressed = false`
/// leaves the values uncompressed too), empty pages, and every encoding through `ValueDecoder` / `LevelDecoder`.
/// Every size in a page header is checked against the bytes that are really there, and the level count is checked
/// against the column chunk's `num_values`, so a lying header is `.corrupt`, not a crash.
package struct ColumnChunkReader {
    package let column: ColumnDescriptor
    package let metadata: ColumnMetaData
    /// Most bytes the chunk may decode to (`maxChunkBytes` unless a caller asks for less).
    package let byteLimit: Int
    private let codec: CompressionCodec

    /// Largest level count accepted for one page whose body is small (RLE runs can describe many levels in a few
    /// bytes, but not more than this): a lying header cannot make us allocate gigabytes.
    package static let maxLevelsPerPage = 1 << 24
    /// Most bytes one page's values may decode to (1 GiB, the decompression limit too).
    package static let maxPageBytes = CompressionCodec.defaultSizeLimit
    /// Most bytes a whole chunk's values and levels may decode to (4 GiB): a chunk of many small pages that each
    /// pass the page limit (RLE and dictionary runs expand) cannot ask for unbounded memory either.
    package static let maxChunkBytes = 4 << 30

    package init(column: ColumnDescriptor, metadata: ColumnMetaData, byteLimit: Int = maxChunkBytes) throws(ParquetError) {
        guard metadata.type == column.physicalType else {
            throw .corrupt("column \(column.dottedPath) chunk says \(metadata.type), schema says \(column.physicalType)")
        }
        guard metadata.numValues >= 0, metadata.totalCompressedSize >= 0 else {
            throw .corrupt("column \(column.dottedPath) chunk has negative counts")
        }
        self.column = column
        self.metadata = metadata
        self.byteLimit = byteLimit
        self.codec = try Self.codec(for: metadata.codec)
    }

    /// The compression library codec for a Parquet codec; LZO and BROTLI are `.unsupported`.
    package static func codec(for kind: CompressionKind) throws(ParquetError) -> CompressionCodec {
        switch kind {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .gzip: .gzip
        case .zstd: .zstd
        case .lz4Raw: .lz4Raw
        case .lz4: .lz4Hadoop
        case .lzo: throw .unsupported("LZO compression")
        case .brotli: throw .unsupported("BROTLI compression")
        }
    }

    /// Decodes every page of the chunk held in `bytes`.
    package func read(_ bytes: [UInt8]) throws(ParquetError) -> ColumnData {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try read(buffer) }
        }.get()
    }

    package func read(_ buffer: UnsafeRawBufferPointer) throws(ParquetError) -> ColumnData {
        let expected = Int(clamping: metadata.numValues)
        // Reserve what the chunk says it holds, but never more than its bytes could plausibly describe.
        let capacity = min(expected, Self.maxLevelsPerPage, max(buffer.count * 4, 1024))
        var values = ColumnData.emptyValues(column.physicalType, typeLength: column.typeLength)
        values.reserveCapacity(
            forAdditional: capacity,
            bytes: min(Int(clamping: metadata.totalUncompressedSize), buffer.count * 8))
        var state = DecodeState(values: values)
        if column.maxDefinitionLevel > 0 { state.definitionLevels.reserveCapacity(capacity) }
        if column.maxRepetitionLevel > 0 { state.repetitionLevels.reserveCapacity(capacity) }
        var reader = ThriftCompactReader(buffer)
        while state.levelsRead < expected {
            guard reader.offset < buffer.count else {
                throw .corrupt("column \(column.dottedPath) ends after \(state.levelsRead) of \(expected) values")
            }
            let header = try PageHeader(from: &reader)
            let start = reader.offset
            let size = Int(header.compressedPageSize)
            guard size <= buffer.count - start else {
                throw .corrupt("column \(column.dottedPath): page of \(size) bytes runs past the chunk")
            }
            let body = UnsafeRawBufferPointer(rebasing: buffer[start..<start + size])
            if let crc = header.crc, UInt32(bitPattern: crc) != CRC32.checksum(body) {
                throw .corrupt("column \(column.dottedPath): page checksum mismatch at chunk byte \(start)")
            }
            try decodePage(header, body, expected: expected, into: &state)
            let held = state.values.memoryBytes + 2 * (state.definitionLevels.count + state.repetitionLevels.count)
            guard held <= byteLimit else {
                throw .corrupt("column \(column.dottedPath): the chunk decodes to more than \(byteLimit) bytes")
            }
            do { try reader.bytes.skip(size) } catch { throw ParquetError(error, in: "page body") }
        }
        return ColumnData(
            values: state.values, definitionLevels: state.definitionLevels, repetitionLevels: state.repetitionLevels)
    }

    /// Checks, without decompressing, that the chunk in `bytes` is what its metadata says: page headers that parse,
    /// pages that fill the chunk exactly, data pages holding `num_values` level slots and, for a column outside any
    /// list, one slot per row of its row group's `rows`. What copies pages unread refuses a corrupt chunk by it.
    package func checkPages(_ bytes: [UInt8], rows: Int64) throws(ParquetError) {
        let pages = try bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try self.pages(buffer, chunkOffset: 0) }
        }.get()
        let end = pages.last.map { $0.offset + $0.headerSize + $0.compressedSize } ?? 0
        let slots = pages.reduce(0) { $0 + ($1.type == .dataPage || $1.type == .dataPageV2 ? $1.valueCount : 0) }
        guard end == bytes.count, Int64(slots) == metadata.numValues,
            column.maxRepetitionLevel > 0 || metadata.numValues == rows
        else {
            throw .corrupt(
                "column \(column.dottedPath): its pages hold \(slots) values in \(end) bytes, the metadata says \(metadata.numValues) in \(bytes.count) for \(rows) rows")
        }
    }

    /// Lists the pages without decoding values.
    package func pages(_ buffer: UnsafeRawBufferPointer, chunkOffset: Int) throws(ParquetError) -> [PageInfo] {
        var pages: [PageInfo] = []
        var reader = ThriftCompactReader(buffer)
        var levels = 0
        let expected = Int(clamping: metadata.numValues)
        // The first page is listed even in a chunk of no values (an empty row group may keep a dictionary page).
        while reader.offset < buffer.count && (levels < expected || reader.offset == 0) {
            let start = reader.offset
            let header = try PageHeader(from: &reader)
            let size = Int(header.compressedPageSize)
            guard size <= buffer.count - reader.offset else {
                throw .corrupt("column \(column.dottedPath): page of \(size) bytes runs past the chunk")
            }
            var info = PageInfo(
                offset: chunkOffset + start, type: header.type, encoding: nil, valueCount: 0, compressedSize: size,
                uncompressedSize: Int(header.uncompressedPageSize), headerSize: reader.offset - start)
            if let data = header.dataPageHeader {
                info.encoding = data.encoding
                info.valueCount = Int(data.numValues)
            } else if let data = header.dataPageHeaderV2 {
                info.encoding = data.encoding
                info.valueCount = Int(data.numValues)
                let levels = Int(data.definitionLevelsByteLength) + Int(data.repetitionLevelsByteLength)
                info.uncompressedPrefix = data.isCompressed ? min(max(levels, 0), size) : size
            } else if let dictionary = header.dictionaryPageHeader {
                info.encoding = dictionary.encoding
                info.valueCount = Int(dictionary.numValues)
            }
            if header.type == .dataPage || header.type == .dataPageV2 { levels += info.valueCount }
            pages.append(info)
            do { try reader.bytes.skip(size) } catch { throw ParquetError(error, in: "page body") }
        }
        return pages
    }

    // MARK: Pages

    private struct DecodeState {
        var values: ColumnValues
        var definitionLevels: [Int16] = []
        var repetitionLevels: [Int16] = []
        var dictionary: ColumnValues?
        /// Longest dictionary entry in bytes (byte-array dictionaries), to bound what indices can expand to.
        var longestEntry = 0
        var levelsRead = 0
    }

    private func decodePage(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, expected: Int, into state: inout DecodeState
    ) throws(ParquetError) {
        switch header.type {
        case .indexPage:
            return
        case .dictionaryPage:
            guard let dictionaryHeader = header.dictionaryPageHeader else {
                throw .corrupt("column \(column.dottedPath): dictionary page without its header")
            }
            guard state.dictionary == nil else { throw .corrupt("column \(column.dottedPath): a second dictionary page") }
            guard dictionaryHeader.encoding == .plain || dictionaryHeader.encoding == .plainDictionary else {
                throw .unsupported("dictionary page encoding \(dictionaryHeader.encoding)")
            }
            let count = Int(dictionaryHeader.numValues)
            state.dictionary = try withPage(body, size: Int(header.uncompressedPageSize)) { bytes throws(ParquetError) in
                try ValueDecoder.decodeDictionary(
                    bytes, type: column.physicalType, typeLength: column.typeLength, count: count)
            }
            if case .byteArray(let entries)? = state.dictionary {
                state.longestEntry = entries.count == 0 ? 0 : (0..<entries.count).map { entries.offsets[$0 + 1] - entries.offsets[$0] }.max()!
            } else if case .fixedLenByteArray(let entries)? = state.dictionary {
                state.longestEntry = entries.width
            }
        case .dataPage:
            guard let dataHeader = header.dataPageHeader else {
                throw .corrupt("column \(column.dottedPath): data page without its header")
            }
            let count = try levelCount(Int(dataHeader.numValues), expected: expected, state: state)
            if count == 0 { return }  // an empty page: nothing to decode, whatever its body holds
            try withPage(body, size: Int(header.uncompressedPageSize)) { bytes throws(ParquetError) in
                var position = 0
                if column.maxRepetitionLevel > 0 {
                    position += try readV1Levels(
                        bytes, from: position, encoding: dataHeader.repetitionLevelEncoding, count: count,
                        maxLevel: column.maxRepetitionLevel, into: &state.repetitionLevels)
                }
                if column.maxDefinitionLevel > 0 {
                    position += try readV1Levels(
                        bytes, from: position, encoding: dataHeader.definitionLevelEncoding, count: count,
                        maxLevel: column.maxDefinitionLevel, into: &state.definitionLevels)
                }
                let present = presentCount(state.definitionLevels, last: count)
                try decodeValues(
                    UnsafeRawBufferPointer(rebasing: bytes[position...]), encoding: dataHeader.encoding,
                    count: present, state: &state)
            }
            state.levelsRead += count
        case .dataPageV2:
            guard let v2 = header.dataPageHeaderV2 else {
                throw .corrupt("column \(column.dottedPath): data page v2 without its header")
            }
            let count = try levelCount(Int(v2.numValues), expected: expected, state: state)
            if count == 0 { return }
            let repetitionLength = Int(v2.repetitionLevelsByteLength)
            let definitionLength = Int(v2.definitionLevelsByteLength)
            guard repetitionLength <= body.count, definitionLength <= body.count - repetitionLength else {
                throw .corrupt("column \(column.dottedPath): v2 level lengths exceed the page")
            }
            if column.maxRepetitionLevel > 0 {
                try LevelDecoder.decodeHybrid(
                    UnsafeRawBufferPointer(rebasing: body[0..<repetitionLength]),
                    bitWidth: Self.bitWidth(column.maxRepetitionLevel), count: count,
                    maxLevel: column.maxRepetitionLevel, into: &state.repetitionLevels)
            }
            if column.maxDefinitionLevel > 0 {
                try LevelDecoder.decodeHybrid(
                    UnsafeRawBufferPointer(rebasing: body[repetitionLength..<repetitionLength + definitionLength]),
                    bitWidth: Self.bitWidth(column.maxDefinitionLevel), count: count,
                    maxLevel: column.maxDefinitionLevel, into: &state.definitionLevels)
            }
            let present = presentCount(state.definitionLevels, last: count)
            guard column.maxDefinitionLevel == 0 || Int(v2.numNulls) == count - present else {
                throw .corrupt("column \(column.dottedPath): v2 page says \(v2.numNulls) nulls, levels say \(count - present)")
            }
            let valueSection = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
            if v2.isCompressed && codec != .uncompressed {
                let size = Int(header.uncompressedPageSize) - repetitionLength - definitionLength
                guard size >= 0 else { throw .corrupt("column \(column.dottedPath): v2 sizes are inconsistent") }
                try withPage(valueSection, size: size) { bytes throws(ParquetError) in
                    try decodeValues(bytes, encoding: v2.encoding, count: present, state: &state)
                }
            } else {
                try decodeValues(valueSection, encoding: v2.encoding, count: present, state: &state)
            }
            state.levelsRead += count
        }
    }

    private func levelCount(_ declared: Int, expected: Int, state: DecodeState) throws(ParquetError) -> Int {
        guard declared >= 0, declared <= expected - state.levelsRead, declared <= Self.maxLevelsPerPage else {
            throw .corrupt(
                "column \(column.dottedPath): page declares \(declared) values, \(expected - state.levelsRead) remain")
        }
        return declared
    }

    private func presentCount(_ levels: [Int16], last count: Int) -> Int {
        guard column.maxDefinitionLevel > 0 else { return count }
        let maximum = column.maxDefinitionLevel
        var present = 0
        for index in (levels.count - count)..<levels.count where levels[index] == maximum { present += 1 }
        return present
    }

    /// v1 levels: RLE with a 4-byte length prefix, or the deprecated BIT_PACKED. Returns bytes consumed.
    private func readV1Levels(
        _ bytes: UnsafeRawBufferPointer, from position: Int, encoding: Encoding, count: Int, maxLevel: Int16,
        into levels: inout [Int16]
    ) throws(ParquetError) -> Int {
        let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
        let width = Self.bitWidth(maxLevel)
        switch encoding {
        case .rle:
            guard rest.count >= 4 else { throw .corrupt("column \(column.dottedPath): level length is truncated") }
            let length = Int(UInt32(littleEndian: rest.loadUnaligned(as: UInt32.self)))
            guard length <= rest.count - 4 else {
                throw .corrupt("column \(column.dottedPath): levels of \(length) bytes run past the page")
            }
            try LevelDecoder.decodeHybrid(
                UnsafeRawBufferPointer(rebasing: rest[4..<4 + length]), bitWidth: width, count: count,
                maxLevel: maxLevel, into: &levels)
            return 4 + length
        case .bitPacked:
            return try LevelDecoder.decodeBitPacked(rest, bitWidth: width, count: count, maxLevel: maxLevel, into: &levels)
        default:
            throw .unsupported("level encoding \(encoding)")
        }
    }

    private func decodeValues(
        _ bytes: UnsafeRawBufferPointer, encoding: Encoding, count: Int, state: inout DecodeState
    ) throws(ParquetError) {
        guard count > 0 else { return }
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard let dictionary = state.dictionary else {
                throw .corrupt("column \(column.dottedPath): dictionary-encoded page without a dictionary page")
            }
            // A few bytes of RLE can repeat a long entry millions of times: refuse pages that could expand past
            // the size any page may decode to.
            let (expansion, overflow) = count.multipliedReportingOverflow(by: state.longestEntry)
            guard !overflow, expansion <= Self.maxPageBytes else {
                throw .corrupt("column \(column.dottedPath): \(count) dictionary indices could expand past \(Self.maxPageBytes) bytes")
            }
            try ValueDecoder.decodeDictionaryIndices(bytes, count: count, dictionary: dictionary, into: &state.values)
        default:
            try ValueDecoder.decode(
                bytes, encoding: encoding, type: column.physicalType, typeLength: column.typeLength, count: count,
                into: &state.values)
        }
    }

    /// Runs `body` on the page's uncompressed bytes: the stored bytes themselves when the chunk is uncompressed,
    /// else a decompressed copy of exactly `size` bytes.
    private func withPage<T>(
        _ stored: UnsafeRawBufferPointer, size: Int, _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> T
    ) throws(ParquetError) -> T {
        // An empty page may be stored as zero bytes even under a codec whose empty output is not empty.
        if codec == .uncompressed || (size == 0 && stored.isEmpty) {
            guard stored.count == size else {
                throw .corrupt("column \(column.dottedPath): uncompressed page of \(stored.count) bytes says \(size)")
            }
            return try body(stored)
        }
        let page: [UInt8]
        do { page = try codec.decompress(stored, expectedSize: size) } catch {
            throw ParquetError(error, in: "column \(column.dottedPath) page")
        }
        return try page.withUnsafeBytes { buffer in Result { () throws(ParquetError) in try body(buffer) } }.get()
    }

    /// Bits needed for levels up to `maxLevel`.
    package static func bitWidth(_ maxLevel: Int16) -> Int { Int(16 - UInt16(maxLevel).leadingZeroBitCount) }
}
