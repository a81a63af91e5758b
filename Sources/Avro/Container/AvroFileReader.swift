import ByteCoding
import Compression

/// A streaming reader of an Avro object container file held in memory: the header is read at once, then blocks
/// are decompressed and decoded one at a time, so no more than one block of records exists at a time.
package struct AvroFileReader: Sendable {
    package let header: AvroFileHeader
    /// The resolved reader tree (writer schema from the header, read as the reader schema).
    package let plan: AvroReadPlan
    private let bytes: [UInt8]
    /// Offset of the next block in the file.
    package private(set) var position: Int

    /// Reads the header of `bytes` and resolves its schema against `readerSchema` (default: the writer schema).
    package init(bytes: [UInt8], readerSchema: AvroSchema? = nil, matching: AvroFieldMatching = .byName)
        throws(AvroError)
    {
        self.bytes = bytes
        let header = try bytes.withUnsafeBytes { buffer in
            Result { () throws(AvroError) in
                var cursor = ByteReader(buffer)
                return try AvroFileHeader(reading: &cursor)
            }
        }.get()
        self.header = header
        self.position = header.size
        self.plan = try AvroReadPlan(writer: header.schema, reader: readerSchema, matching: matching)
    }

    /// The file's size in bytes.
    package var fileSize: Int { bytes.count }

    /// The next block, decompressed and with its sync marker checked; `nil` at the end of the file.
    package mutating func nextBlock() throws(AvroError) -> AvroBlock? {
        guard position < bytes.count else { return nil }
        let start = position
        let sync = header.syncMarker
        let codec = header.codec
        let (block, end) = try bytes.withUnsafeBytes { buffer in
            Result { () throws(AvroError) -> (AvroBlock, Int) in
                var cursor = ByteReader(buffer, offset: start)
                let count = try cursor.avroLong()
                let size = try cursor.avroLong()
                guard count >= 0 else { throw .corrupt("block at byte \(start) has a negative record count \(count)") }
                guard size >= 0, size <= cursor.remaining else {
                    throw .corrupt("block at byte \(start) declares \(size) bytes, \(cursor.remaining) are left")
                }
                let stored = try cursor.avroFixed(Int(size))
                let marker = try cursor.avroFixed(AvroFileHeader.syncMarkerSize)
                guard marker.elementsEqual(sync) else {
                    throw .corrupt("block at byte \(start) does not end with the file's sync marker")
                }
                let data = try codec.decompress(
                    stored,
                    sizeLimit: min(CompressionCodec.defaultSizeLimit, max(Self.minimumBlockLimit, Int(size) * 1024)))
                // Records take a byte or more, except for schemas that encode to nothing (null): those are capped.
                guard count <= max(data.count, AvroReadPlan.emptyItemLimit) else {
                    throw .corrupt("block at byte \(start) declares \(count) records in \(data.count) bytes")
                }
                return (
                    AvroBlock(offset: start, recordCount: Int(count), compressedSize: Int(size), data: data),
                    cursor.offset
                )
            }
        }.get()
        position = end
        return block
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
                    throw .corrupt("block at byte \(block.offset) has \(extra) bytes after its \(block.recordCount) records")
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
