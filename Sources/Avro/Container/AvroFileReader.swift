import ByteCoding
import Compression

/// A streaming reader of an Avro object container file: the header is read at once, then blocks are fetched,
/// decompressed and decoded one at a time, so neither the file nor its records need to be in memory whole.
package struct AvroFileReader: Sendable {
    package let header: AvroFileHeader
    /// The resolved reader tree (writer schema from the header, read as the reader schema).
    package let plan: AvroReadPlan
    private let source: any AvroByteSource
    /// Offset of the next block in the file.
    package private(set) var position: Int

    /// Reads the header from `source` and resolves its schema against `readerSchema` (default: the writer
    /// schema).
    package init(source: any AvroByteSource, readerSchema: AvroSchema? = nil, matching: AvroFieldMatching = .byName)
        throws(AvroError)
    {
        self.source = source
        self.header = try Self.readHeader(source)
        self.position = header.size
        self.plan = try AvroReadPlan(writer: header.schema, reader: readerSchema, matching: matching)
    }

    /// Reads a file held in memory.
    package init(bytes: [UInt8], readerSchema: AvroSchema? = nil, matching: AvroFieldMatching = .byName)
        throws(AvroError)
    {
        try self.init(source: AvroMemorySource(bytes), readerSchema: readerSchema, matching: matching)
    }

    /// Fetches a growing prefix until it holds the header, then parses it.
    private static func readHeader(_ source: any AvroByteSource) throws(AvroError) -> AvroFileHeader {
        var prefixSize = min(source.size, 4096)
        while true {
            let prefix = try source.read(at: 0, count: prefixSize)
            let header = try prefix.withUnsafeBytes { buffer in
                Result { () throws(AvroError) -> AvroFileHeader? in
                    switch AvroFileHeader.extent(of: buffer, fileSize: source.size) {
                    case .needsMore where prefixSize < source.size: return nil
                    case .length(let length):
                        var cursor = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[..<length]))
                        return try AvroFileHeader(reading: &cursor)
                    case .needsMore, .invalid:
                        // Parsing what there is gives the precise error.
                        var cursor = ByteReader(buffer)
                        _ = try AvroFileHeader(reading: &cursor)
                        throw AvroError.corrupt("invalid file header")
                    }
                }
            }.get()
            if let header { return header }
            prefixSize = min(source.size, prefixSize * 4)
        }
    }

    /// The file's size in bytes.
    package var fileSize: Int { source.size }

    /// The next block, decompressed and with its sync marker checked; `nil` at the end of the file.
    package mutating func nextBlock() throws(AvroError) -> AvroBlock? {
        try nextStoredBlock().map { stored throws(AvroError) in try decompressed(stored) }
    }

    /// The records of the next blocks, up to `limit` of them (none at the end of the file): read in order, then
    /// decompressed and decoded side by side on every core.
    package mutating func nextRecordBatches(limit: Int) throws(AvroError) -> [[AvroValue]] {
        var stored: [StoredBlock] = []
        while stored.count < limit, let next = try nextStoredBlock() { stored.append(next) }
        let blocks = stored
        let reader = self
        return try IndexedWork.map(blocks.count, parallel: true) { (index) throws(AvroError) in
            try reader.records(in: try reader.decompressed(blocks[index]))
        }
    }

    /// A block as stored: where it starts, its declared record count and its compressed bytes.
    private struct StoredBlock: Sendable {
        let offset: Int
        let recordCount: Int64
        let bytes: [UInt8]
    }

    /// Reads the next block and checks its sync marker; `nil` at the end of the file.
    private mutating func nextStoredBlock() throws(AvroError) -> StoredBlock? {
        let fileSize = source.size
        guard position < fileSize else { return nil }
        let start = position
        // Record count and byte size: two varints of at most ten bytes each.
        let head = try source.read(at: start, count: min(20, fileSize - start))
        let (count, size, headLength) = try head.withUnsafeBytes { buffer in
            Result { () throws(AvroError) in
                var cursor = ByteReader(buffer)
                return (try cursor.avroLong(), try cursor.avroLong(), cursor.offset)
            }
        }.get()
        guard count >= 0 else { throw .corrupt("block at byte \(start) has a negative record count \(count)") }
        let dataStart = start + headLength
        let left = fileSize - dataStart
        guard size >= 0, size <= left - AvroFileHeader.syncMarkerSize else {
            throw .corrupt("block at byte \(start) declares \(size) bytes, \(left) are left with its sync marker")
        }
        let stored = try source.read(at: dataStart, count: Int(size))
        let marker = try source.read(at: dataStart + Int(size), count: AvroFileHeader.syncMarkerSize)
        guard marker == header.syncMarker else {
            throw .corrupt("block at byte \(start) does not end with the file's sync marker")
        }
        position = dataStart + Int(size) + AvroFileHeader.syncMarkerSize
        return StoredBlock(offset: start, recordCount: count, bytes: stored)
    }

    /// A stored block decompressed, its record count checked against its size.
    private func decompressed(_ block: StoredBlock) throws(AvroError) -> AvroBlock {
        let data = try header.codec.decompress(
            block.bytes, sizeLimit: min(CompressionCodec.defaultSizeLimit, max(Self.minimumBlockLimit, block.bytes.count * 1024)))
        // Records take a byte or more, except for schemas that encode to nothing (null): those are capped.
        guard block.recordCount <= max(data.count, AvroReadPlan.emptyItemLimit) else {
            throw .corrupt("block at byte \(block.offset) declares \(block.recordCount) records in \(data.count) bytes")
        }
        return AvroBlock(offset: block.offset, recordCount: Int(block.recordCount), compressedSize: block.bytes.count, data: data)
    }

    /// Decompressed blocks may grow to 1024 times their stored size, and at least to this (16 MiB), before the
    /// block is rejected as a decompression bomb.
    package static let minimumBlockLimit = 16 << 20

    /// Decodes every record of `block`, in order.
    package func records(in block: AvroBlock) throws(AvroError) -> [AvroValue] {
        var values: [AvroValue] = []
        values.reserveCapacity(min(block.recordCount, block.data.count))
        try forEachRecord(in: block) { (value) throws(AvroError) in values.append(value) }
        return values
    }

    /// Calls `body` with each record of `block`, decoding with one cursor over the block; checks that the block
    /// holds exactly its declared number of records.
    package func forEachRecord(in block: AvroBlock, _ body: (AvroValue) throws(AvroError) -> Void) throws(AvroError) {
        let plan = self.plan
        try block.data.withUnsafeBytes { buffer in
            Result { () throws(AvroError) in
                var cursor = ByteReader(buffer)
                var budget = AvroReadPlan.emptyItemLimit
                for _ in 0..<block.recordCount { try body(try plan.decode(&cursor, emptyItemBudget: &budget)) }
                guard cursor.isAtEnd else {
                    let extra = cursor.remaining
                    throw .corrupt(
                        "block at byte \(block.offset) has \(extra) bytes after its \(block.recordCount) records")
                }
            }
        }.get()
    }

    /// Calls `body` with every remaining record, block by block.
    package mutating func forEachRecord(_ body: (AvroValue) throws(AvroError) -> Void) throws(AvroError) {
        while let block = try nextBlock() { try forEachRecord(in: block, body) }
    }

    /// Reads every remaining record; for small files (manifests) and tests. Large files: iterate blocks.
    package mutating func readAll() throws(AvroError) -> [AvroValue] {
        var values: [AvroValue] = []
        while let block = try nextBlock() { values += try records(in: block) }
        return values
    }
}
