import Compression
import IcebergSpec
import Storage

/// Iceberg v3 deletion vectors: the deleted positions of one data file as a `deletion-vector-v1` Puffin blob.
///
/// Blob layout (spec "Deletion Vectors"): `length: u32 BE` of magic + bitmap, magic `D1 D3 39 64`, the portable
/// 64-bit Roaring bitmap, `CRC-32: u32 BE` of magic + bitmap. A Puffin file may hold the DVs of many data files;
/// each gets its own manifest entry pointing at its blob with `content_offset` / `content_size_in_bytes`.
package enum DeletionVector {
    /// One data file's deleted positions to write, and the partition its DV entry must carry (the data file's).
    package struct Vector: Sendable {
        package var dataFilePath: String
        package var positions: RoaringPositionBitmap
        package var specId: Int
        package var partition: [Literal?]

        package init(dataFilePath: String, positions: RoaringPositionBitmap, specId: Int, partition: [Literal?]) {
            self.dataFilePath = dataFilePath
            self.positions = positions
            self.specId = specId
            self.partition = partition
        }
    }

    package static let blobType = "deletion-vector-v1"
    package static let magic: [UInt8] = [0xD1, 0xD3, 0x39, 0x64]
    /// The `_pos` metadata column, which Java lists as the blob's field.
    package static let positionFieldId = 2_147_483_645

    /// The blob bytes of `positions`.
    package static func blob(_ positions: RoaringPositionBitmap) -> [UInt8] {
        let body = magic + positions.serialized()
        let crc = CRC32.checksum(body)
        return bigEndian(UInt32(body.count)) + body + bigEndian(crc)
    }

    /// The positions in a blob, after checking its length, magic and checksum.
    package static func positions(blob: [UInt8], location: String) throws(IcebergError) -> RoaringPositionBitmap {
        guard blob.count >= 12 else { throw .invalidFile(location, "deletion vector blob of \(blob.count) bytes is too short") }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length == blob.count - 8 else {
            throw .invalidFile(location, "deletion vector declares \(length) bytes, the blob holds \(blob.count - 8)")
        }
        guard Array(blob[4..<8]) == magic else { throw .invalidFile(location, "deletion vector magic is wrong") }
        let body = blob[4..<(4 + length)]
        let stored = blob.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let computed = body.withUnsafeBytes { CRC32.checksum($0) }
        guard stored == computed else { throw .invalidFile(location, "deletion vector checksum mismatch") }
        let result = body.dropFirst(4).withUnsafeBytes { buffer in
            Result { () throws(RoaringFormatError) in try RoaringPositionBitmap(serialized: buffer) }
        }
        do { return try result.get() } catch { throw .invalidFile(location, "deletion vector: \(error)") }
    }

    /// Reads the DV a manifest entry describes (one range read of its blob) and checks its cardinality against the
    /// entry's record count.
    package static func read(_ file: DataFile, storage: any Storage) async throws(IcebergError) -> RoaringPositionBitmap {
        guard file.isDeletionVector, let offset = file.contentOffset, let size = file.contentSizeInBytes,
            offset >= 0, size >= 12, offset <= file.fileSizeInBytes - size
        else {
            throw .invalidFile(file.filePath, "is not a deletion vector entry with a content offset and size inside the file")
        }
        let blob: [UInt8]
        do { blob = try await storage.read(file.filePath, range: offset..<(offset + size)) } catch { throw .storage(error) }
        guard blob.count == Int(size) else { throw .invalidFile(file.filePath, "deletion vector blob is truncated") }
        let positions = try positions(blob: blob, location: file.filePath)
        guard positions.cardinality == file.recordCount else {
            throw .invalidFile(file.filePath,
                "deletion vector for \(file.referencedDataFile ?? "?") holds \(positions.cardinality) positions, its entry says \(file.recordCount)")
        }
        return positions
    }

    /// A Puffin file holding one DV per vector (each data file at most once), and the manifest entry of each DV as
    /// it will be once the file is stored at `location`.
    package static func file(
        _ vectors: [Vector], location: String, createdBy: String = "amoro version 0.1.0"
    ) throws(IcebergError) -> (bytes: [UInt8], dataFiles: [DataFile]) {
        guard Set(vectors.map(\.dataFilePath)).count == vectors.count else {
            throw .invalidFile(location, "a data file may have only one deletion vector")
        }
        if let empty = vectors.first(where: { $0.positions.isEmpty }) {
            throw .invalidFile(location, "the deletion vector for \(empty.dataFilePath) deletes nothing")
        }
        var writer = PuffinWriter(createdBy: createdBy)
        var placed: [PuffinBlobMetadata] = []
        for vector in vectors {
            placed.append(writer.add(blob(vector.positions), metadata: PuffinBlobMetadata(
                type: blobType, fields: [positionFieldId], snapshotId: -1, sequenceNumber: -1,
                properties: ["referenced-data-file": vector.dataFilePath, "cardinality": String(vector.positions.cardinality)])))
        }
        let bytes = writer.finish()
        let dataFiles = zip(vectors, placed).map { vector, blob in
            var file = DataFile(
                content: .positionDeletes, filePath: location, fileFormat: "PUFFIN", specId: vector.specId,
                partition: vector.partition, recordCount: vector.positions.cardinality, fileSizeInBytes: Int64(bytes.count))
            file.referencedDataFile = vector.dataFilePath
            file.contentOffset = blob.offset
            file.contentSizeInBytes = blob.length
            return file
        }
        return (bytes, dataFiles)
    }

    /// Writes `file(vectors, location:)` to storage (the location must not exist yet) and returns the DVs' entries.
    package static func write(
        _ vectors: [Vector], to location: String, storage: any Storage, createdBy: String = "amoro version 0.1.0"
    ) async throws(IcebergError) -> [DataFile] {
        let (bytes, dataFiles) = try file(vectors, location: location, createdBy: createdBy)
        do { try await storage.write(location, bytes: bytes, mode: .createNew) } catch { throw .storage(error) }
        return dataFiles
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
