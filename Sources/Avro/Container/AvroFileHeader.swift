import ByteCoding

/// The header of an Avro object container file: magic, metadata map, sync marker.
package struct AvroFileHeader: Sendable {
    /// `Obj` followed by the format version 1.
    package static let magic: [UInt8] = [0x4F, 0x62, 0x6A, 0x01]
    package static let syncMarkerSize = 16

    /// Every metadata entry in file order; values are raw bytes (`avro.schema` and Iceberg's keys hold UTF-8 text).
    package let metadata: [(key: String, value: [UInt8])]
    package let syncMarker: [UInt8]
    /// The writer's schema, parsed from `avro.schema`.
    package let schema: AvroSchema
    package let codec: AvroCodec
    /// Bytes from the start of the file to the first block.
    package let size: Int

    /// The metadata value for `key`.
    package func metadataValue(_ key: String) -> [UInt8]? { metadata.first { $0.key == key }?.value }

    /// The metadata value for `key` as UTF-8 text, if it is valid UTF-8.
    package func metadataString(_ key: String) -> String? {
        metadataValue(key).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Reads a header at the start of `cursor`.
    package init(reading cursor: inout ByteReader) throws(AvroError) {
        let magic = try cursor.avroFixed(4)
        guard magic.elementsEqual(Self.magic) else { throw .corrupt("not an Avro container file (bad magic)") }
        var entries: [(key: String, value: [UInt8])] = []
        while true {
            let count = try cursor.avroBlockCount()
            if count == 0 { break }
            for _ in 0..<count {
                let key = try cursor.avroString()
                entries.append((key, Array(try cursor.avroBytes())))
            }
        }
        metadata = entries
        syncMarker = Array(try cursor.avroFixed(Self.syncMarkerSize))
        size = cursor.offset
        guard let schemaBytes = entries.first(where: { $0.key == "avro.schema" })?.value else {
            throw .corrupt("header has no avro.schema")
        }
        guard let schemaText = String(validating: schemaBytes, as: UTF8.self) else {
            throw .invalidSchema("avro.schema is not valid UTF-8")
        }
        schema = try AvroSchema(parsing: schemaText)
        let codecName = entries.first { $0.key == "avro.codec" }.map { String(decoding: $0.value, as: UTF8.self) }
        codec = try AvroCodec(name: codecName)
    }

    /// How much of a file's start the header takes, found without decoding it.
    enum Extent {
        case length(Int)
        /// The header goes on past the bytes given.
        case needsMore
        /// The bytes cannot start a valid header; parsing them gives the precise error.
        case invalid
    }

    /// Finds the header's length in the first bytes of a file of `fileSize` bytes. Declared lengths are checked
    /// against the file size, so a reader never fetches more than the file holds.
    static func extent(of prefix: UnsafeRawBufferPointer, fileSize: Int) -> Extent {
        var cursor = ByteReader(prefix)
        do {
            guard try cursor.readBytes(magic.count).elementsEqual(magic) else { return .invalid }
            while true {
                var count = try cursor.readZigZagInt64()
                if count == 0 { break }
                if count < 0 {
                    guard count != .min else { return .invalid }
                    count = -count
                    _ = try cursor.readZigZagInt64()
                }
                guard count <= fileSize else { return .invalid }
                for _ in 0..<count * 2 {
                    let length = try cursor.readZigZagInt64()
                    guard length >= 0, length <= fileSize - cursor.offset else { return .invalid }
                    try cursor.skip(Int(length))
                }
            }
            try cursor.skip(syncMarkerSize)
            return .length(cursor.offset)
        } catch {
            if case .truncated = error { return .needsMore }
            return .invalid
        }
    }

    /// Writes a header: magic, `avro.schema`, `avro.codec`, then `metadata`, then the sync marker.
    static func write(
        schema: AvroSchema, codec: AvroCodec, metadata: [(key: String, value: [UInt8])], syncMarker: [UInt8],
        into writer: inout ByteWriter
    ) {
        writer.writeBytes(magic)
        let entries =
            [("avro.schema", Array(schema.jsonText.utf8)), ("avro.codec", Array(codec.rawValue.utf8))] + metadata
        writer.writeZigZag(Int64(entries.count))
        for (key, value) in entries {
            writer.writeZigZag(Int64(key.utf8.count))
            writer.writeBytes(key.utf8)
            writer.writeZigZag(Int64(value.count))
            writer.writeBytes(value)
        }
        writer.writeByte(0)
        writer.writeBytes(syncMarker)
    }
}
