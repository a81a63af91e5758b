import CLZ4
import JSONCoding
import Storage

/// A blob's entry in a Puffin footer (Puffin spec "BlobMetadata").
package struct PuffinBlobMetadata: Sendable, Equatable {
    package var type: String
    /// Field ids the blob was computed from.
    package var fields: [Int]
    package var snapshotId: Int64
    package var sequenceNumber: Int64
    /// Where the blob's bytes start in the file, and how many there are (as stored, after any compression).
    package var offset: Int64
    package var length: Int64
    package var compressionCodec: String?
    package var properties: [String: String]

    package init(
        type: String, fields: [Int], snapshotId: Int64, sequenceNumber: Int64, offset: Int64 = 0, length: Int64 = 0,
        compressionCodec: String? = nil, properties: [String: String] = [:]
    ) {
        self.type = type
        self.fields = fields
        self.snapshotId = snapshotId
        self.sequenceNumber = sequenceNumber
        self.offset = offset
        self.length = length
        self.compressionCodec = compressionCodec
        self.properties = properties
    }
}

/// A Puffin file's footer: its blobs and file properties.
///
/// Layout (Puffin spec): `PFA1`, blobs, then the footer `PFA1 | payload | payload size: i32 LE | flags: 4 bytes |
/// PFA1`. The payload is UTF-8 JSON `{"blobs": [...], "properties": {...}}`, LZ4-frame compressed when bit 0 of the
/// first flag byte is set (read only; amoro writes it uncompressed).
package struct PuffinFooter: Sendable, Equatable {
    package var blobs: [PuffinBlobMetadata]
    package var properties: [String: String]

    package static let magic: [UInt8] = [0x50, 0x46, 0x41, 0x31]
    /// Magic, payload size, flags, magic around the payload.
    package static let fixedSize = 16
    /// A decompressed footer larger than this is refused.
    static let maxPayload = 64 << 20

    package init(blobs: [PuffinBlobMetadata], properties: [String: String]) {
        self.blobs = blobs
        self.properties = properties
    }

    /// Reads the footer of the Puffin file at `location`.
    package static func read(_ location: String, storage: any Storage) async throws(IcebergError) -> PuffinFooter {
        let size: Int64
        do { size = try await storage.size(location) } catch { throw .storage(error) }
        guard size >= Int64(magic.count + fixedSize) else { throw .invalidFile(location, "is too small for a Puffin file") }
        let trailer: [UInt8]
        do { trailer = try await storage.read(location, range: (size - 12)..<size) } catch { throw .storage(error) }
        let payloadSize = Int64(Int32(littleEndian: trailer.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        guard payloadSize >= 0, payloadSize <= size - Int64(magic.count + fixedSize) else {
            throw .invalidFile(location, "Puffin footer payload size \(payloadSize) does not fit in \(size) bytes")
        }
        let footerStart = size - Int64(fixedSize) - payloadSize
        let footer: [UInt8]
        do { footer = try await storage.read(location, range: footerStart..<size) } catch { throw .storage(error) }
        var head: [UInt8] = []
        do { head = try await storage.read(location, range: 0..<4) } catch { throw .storage(error) }
        guard head == magic else { throw .invalidFile(location, "does not start with the Puffin magic") }
        return try parse(footer: footer, fileSize: size, location: location)
    }

    /// Parses a whole Puffin file held in memory.
    package init(file bytes: [UInt8], location: String) throws(IcebergError) {
        guard bytes.count >= Self.magic.count + Self.fixedSize, Array(bytes.prefix(4)) == Self.magic else {
            throw .invalidFile(location, "is not a Puffin file")
        }
        let payloadSize = Int(Int32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 12, as: Int32.self) }))
        guard payloadSize >= 0, payloadSize <= bytes.count - Self.magic.count - Self.fixedSize else {
            throw .invalidFile(location, "Puffin footer payload size \(payloadSize) does not fit in \(bytes.count) bytes")
        }
        self = try Self.parse(
            footer: Array(bytes[(bytes.count - Self.fixedSize - payloadSize)...]), fileSize: Int64(bytes.count),
            location: location)
    }

    /// `footer` is the whole footer: magic, payload, size, flags, magic.
    private static func parse(footer: [UInt8], fileSize: Int64, location: String) throws(IcebergError) -> PuffinFooter {
        guard Array(footer.prefix(4)) == magic, Array(footer.suffix(4)) == magic else {
            throw .invalidFile(location, "Puffin footer magic is missing")
        }
        let flags = footer[footer.count - 8]
        guard footer[(footer.count - 7)..<(footer.count - 4)].allSatisfy({ $0 == 0 }), flags & 0xFE == 0 else {
            throw .invalidFile(location, "Puffin footer has unknown flags")
        }
        var payload = Array(footer[4..<(footer.count - 12)])
        if flags & 1 != 0 {
            payload = try decompressLZ4Frame(payload, location: location)
        }
        let json: JSON
        do { json = try JSON.parse(payload) } catch { throw .invalidFile(location, "Puffin footer: \(error)") }
        guard let blobList = json["blobs"]?.arrayValue else { throw .invalidFile(location, "Puffin footer has no blobs list") }
        var blobs: [PuffinBlobMetadata] = []
        for (index, blob) in blobList.enumerated() {
            let context = "Puffin blob \(index)"
            guard let type = blob["type"]?.stringValue, let fieldList = blob["fields"]?.arrayValue,
                let snapshotId = blob["snapshot-id"]?.int64Value, let sequenceNumber = blob["sequence-number"]?.int64Value,
                let offset = blob["offset"]?.int64Value, let length = blob["length"]?.int64Value
            else { throw .invalidFile(location, "\(context) lacks type, fields, snapshot-id, sequence-number, offset or length") }
            var fields: [Int] = []
            for field in fieldList {
                guard let id = field.int64Value, let value = Int(exactly: id) else {
                    throw .invalidFile(location, "\(context) has a non-integer field id")
                }
                fields.append(value)
            }
            guard offset >= 0, length >= 0, offset <= fileSize - length else {
                throw .invalidFile(location, "\(context) (offset \(offset), length \(length)) lies outside the file")
            }
            var codec: String? = nil
            if let value = blob["compression-codec"], !value.isNull {
                guard let name = value.stringValue else { throw .invalidFile(location, "\(context) has a bad compression-codec") }
                codec = name
            }
            blobs.append(PuffinBlobMetadata(
                type: type, fields: fields, snapshotId: snapshotId, sequenceNumber: sequenceNumber, offset: offset,
                length: length, compressionCodec: codec,
                properties: try stringMap(blob["properties"], context: context, location: location)))
        }
        return PuffinFooter(blobs: blobs, properties: try stringMap(json["properties"], context: "Puffin footer", location: location))
    }

    private static func stringMap(_ value: JSON?, context: String, location: String) throws(IcebergError) -> [String: String] {
        guard let value, !value.isNull else { return [:] }
        guard let members = value.objectValue else { throw .invalidFile(location, "\(context) properties are not an object") }
        var result: [String: String] = [:]
        for (key, member) in members {
            guard let text = member.stringValue else { throw .invalidFile(location, "\(context) property \(key) is not a string") }
            result[key] = text
        }
        return result
    }

    /// The footer payload as JSON text (blobs in order, properties sorted by key).
    var payload: [UInt8] {
        func map(_ properties: [String: String]) -> JSON {
            .object(properties.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })
        }
        let blobs = blobs.map { blob -> JSON in
            var members: [(String, JSON)] = [
                ("type", .string(blob.type)), ("fields", .array(blob.fields.map { .int(Int64($0)) })),
                ("snapshot-id", .int(blob.snapshotId)), ("sequence-number", .int(blob.sequenceNumber)),
                ("offset", .int(blob.offset)), ("length", .int(blob.length)),
            ]
            if let codec = blob.compressionCodec { members.append(("compression-codec", .string(codec))) }
            if !blob.properties.isEmpty { members.append(("properties", map(blob.properties))) }
            return .object(members)
        }
        var document: [(String, JSON)] = [("blobs", .array(blobs))]
        if !properties.isEmpty { document.append(("properties", map(properties))) }
        return Array(JSON.object(document).rendered().utf8)
    }

    /// Decompresses one LZ4 frame without knowing its size up front, refusing more than `maxPayload` bytes.
    private static func decompressLZ4Frame(_ input: [UInt8], location: String) throws(IcebergError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw .invalidFile(location, "cannot create an LZ4 frame context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var consumed = 0
        var finished = false
        while consumed < input.count {
            var sourceSize = input.count - consumed
            var destinationSize = chunk.count
            let hint = input.withUnsafeBytes { source in
                chunk.withUnsafeMutableBytes { destination in
                    LZ4F_decompress(
                        context, destination.baseAddress, &destinationSize, source.baseAddress!.advanced(by: consumed),
                        &sourceSize, nil)
                }
            }
            if LZ4F_isError(hint) != 0 {
                throw .invalidFile(location, "Puffin footer LZ4 frame: \(String(cString: LZ4F_getErrorName(hint)))")
            }
            consumed += sourceSize
            output += chunk.prefix(destinationSize)
            guard output.count <= maxPayload else { throw .invalidFile(location, "Puffin footer decompresses beyond 64 MiB") }
            if hint == 0 { finished = true; break }
            if sourceSize == 0 && destinationSize == 0 { break }
        }
        guard finished else { throw .invalidFile(location, "Puffin footer LZ4 frame is truncated") }
        return output
    }
}

/// Builds a Puffin file in memory: blobs are appended one after another, `finish()` adds the uncompressed footer
/// with a `created-by` property.
package struct PuffinWriter: Sendable {
    private var bytes: [UInt8] = PuffinFooter.magic
    private var footer = PuffinFooter(blobs: [], properties: [:])

    package init(createdBy: String = "amoro version 0.1.0", properties: [String: String] = [:]) {
        footer.properties = properties
        footer.properties["created-by"] = createdBy
    }

    /// Appends a blob stored as is (no compression); `metadata`'s offset and length are filled in and returned.
    @discardableResult
    package mutating func add(_ blob: [UInt8], metadata: PuffinBlobMetadata) -> PuffinBlobMetadata {
        var placed = metadata
        placed.offset = Int64(bytes.count)
        placed.length = Int64(blob.count)
        placed.compressionCodec = nil
        bytes += blob
        footer.blobs.append(placed)
        return placed
    }

    /// The complete file.
    package func finish() -> [UInt8] {
        let payload = footer.payload
        var file = bytes
        file.reserveCapacity(bytes.count + payload.count + PuffinFooter.fixedSize)
        file += PuffinFooter.magic
        file += payload
        let size = UInt32(payload.count)
        file += [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
        file += [0, 0, 0, 0]
        file += PuffinFooter.magic
        return file
    }
}
