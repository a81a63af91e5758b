import ByteCoding

/// Writes an Avro object container file: header, then blocks of records closed by the sync marker. Records are
/// buffered until a block reaches its record or byte limit; full blocks are compressed a batch at a time on every
/// core (blocks are independent) and appended to the output in order, which the caller may drain as it grows
/// (`takeOutput`, after `flush`) or take whole at the end (`finish`).
package struct AvroFileWriter: Sendable {
    /// How the file is written.
    package struct Options: Sendable {
        package var codec: AvroCodec
        /// The codec's level (deflate 0...9, zstandard 1...22); `nil` is the library default.
        package var level: Int?
        /// A block ends after this many records...
        package var blockRecordLimit: Int
        /// ...or once its serialized (uncompressed) records reach this many bytes.
        package var blockByteLimit: Int
        /// Extra header metadata (Iceberg's `schema`, `partition-spec`, `format-version`, `content`, ...), in
        /// order. Keys starting with `avro.` are reserved.
        package var metadata: [(key: String, value: [UInt8])]
        /// The 16-byte sync marker; random when `nil` (tests inject a fixed one).
        package var syncMarker: [UInt8]?
        /// Write arrays and maps in blocks of at most this many items with byte sizes (see `AvroEncoder`).
        package var collectionBlockSize: Int?

        package init(
            codec: AvroCodec = .null, level: Int? = nil, blockRecordLimit: Int = 10_000, blockByteLimit: Int = 64 << 10,
            metadata: [(key: String, value: [UInt8])] = [], syncMarker: [UInt8]? = nil, collectionBlockSize: Int? = nil
        ) {
            self.codec = codec
            self.level = level
            self.blockRecordLimit = blockRecordLimit
            self.blockByteLimit = blockByteLimit
            self.metadata = metadata
            self.syncMarker = syncMarker
            self.collectionBlockSize = collectionBlockSize
        }

        /// Metadata values given as text.
        package mutating func setMetadata(_ key: String, _ text: String) {
            metadata.removeAll { $0.key == key }
            metadata.append((key, Array(text.utf8)))
        }
    }

    package let options: Options
    package let syncMarker: [UInt8]
    private let encoder: AvroEncoder
    private var output = ByteWriter()
    private var block = ByteWriter()
    private var record = ByteWriter()
    private var blockCount = 0
    /// Full blocks not compressed yet: their record counts and serialized records.
    private var sealed: [(recordCount: Int, data: [UInt8])] = []
    /// Records appended so far.
    package private(set) var recordCount = 0

    /// Starts a file: checks the options and writes the header to the output.
    package init(schema: AvroSchema, options: Options = Options()) throws(AvroError) {
        guard options.blockRecordLimit > 0, options.blockByteLimit > 0 else {
            throw .invalidValue("block limits must be positive")
        }
        if let key = options.metadata.first(where: { $0.key.hasPrefix("avro.") })?.key {
            throw .invalidValue("metadata key \(key) is reserved")
        }
        var generator = SystemRandomNumberGenerator()
        let sync =
            options.syncMarker
            ?? (0..<AvroFileHeader.syncMarkerSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard sync.count == AvroFileHeader.syncMarkerSize else {
            throw .invalidValue("sync marker must be \(AvroFileHeader.syncMarkerSize) bytes, not \(sync.count)")
        }
        // The schema must survive its own JSON form, since readers will parse it from the header.
        _ = try AvroSchema(parsing: schema.jsonText)
        // An unusable codec level is reported now rather than at the first block.
        _ = try [UInt8]().withUnsafeBytes { empty in
            Result { () throws(AvroError) in try options.codec.compress(empty, level: options.level) }
        }.get()
        self.options = options
        self.syncMarker = sync
        self.encoder = try AvroEncoder(schema: schema, collectionBlockSize: options.collectionBlockSize)
        AvroFileHeader.write(
            schema: schema, codec: options.codec, metadata: options.metadata, syncMarker: sync, into: &output)
    }

    /// Adds one record; a value that does not fit the schema is rejected and leaves the file as it was.
    package mutating func append(_ value: AvroValue) throws(AvroError) {
        record.removeAll()
        try encoder.encode(value, into: &record)
        record.bytes.withUnsafeBytes { block.writeBytes($0) }
        blockCount += 1
        recordCount += 1
        if blockCount >= options.blockRecordLimit || block.count >= options.blockByteLimit {
            seal()
            if sealed.count >= Self.blocksCompressedTogether { try compressSealed() }
        }
    }

    /// Ends the current block, if it has records, and writes every block to the output.
    package mutating func flush() throws(AvroError) {
        seal()
        try compressSealed()
    }

    /// Full blocks compressed side by side: enough to keep every core busy, few enough to bound the memory held.
    static let blocksCompressedTogether = 16

    private mutating func seal() {
        guard blockCount > 0 else { return }
        sealed.append((blockCount, block.bytes))
        block.removeAll()
        blockCount = 0
    }

    private mutating func compressSealed() throws(AvroError) {
        guard !sealed.isEmpty else { return }
        let blocks = sealed
        let level = options.level
        let codec = options.codec
        let compressed = try IndexedWork.map(blocks.count, parallel: codec != .null) { (index) throws(AvroError) in
            try blocks[index].data.withUnsafeBytes { buffer in
                Result { () throws(AvroError) in try codec.compress(buffer, level: level) }
            }.get()
        }
        for (block, bytes) in zip(blocks, compressed) {
            output.writeZigZag(Int64(block.recordCount))
            output.writeZigZag(Int64(bytes.count))
            output.writeBytes(bytes)
            output.writeBytes(syncMarker)
        }
        sealed = []
    }

    /// The bytes written since the last call (header and the blocks compressed so far), for streaming to a file.
    package mutating func takeOutput() -> [UInt8] {
        let bytes = output.bytes
        output = ByteWriter()
        return bytes
    }

    /// Flushes the last block and returns the output not yet taken.
    package mutating func finish() throws(AvroError) -> [UInt8] {
        try flush()
        return takeOutput()
    }
}
