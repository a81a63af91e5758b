import Avro
import Compression
import Foundation
import Iceberg
import Paimon
import Storage

/// Paimon's deletion vectors (`deletion-vectors.enabled`): reading the vectors of a compaction's inputs from the
/// `DELETION_VECTORS` index files, and the index manifest of the `COMPACT` snapshot that drops them.
///
/// An index file starts with a version byte (1); each vector lies at the offset the index manifest records as a
/// 4-byte big-endian length, that many bytes (the magic number 1581511376 big-endian, then one 32-bit Roaring bitmap
/// in the portable format), and the CRC-32 of those bytes, big-endian. The bitmap holds the deleted row positions.
package enum PaimonDeletionVectors {
    /// `BitmapDeletionVector.MAGIC_NUMBER`.
    static let magic: [UInt8] = [0x5E, 0x43, 0xF2, 0xD0]
    static let indexType = "DELETION_VECTORS"

    /// Where one data file's vector lies: the index file and the range the index manifest records.
    package struct Location: Hashable, Sendable {
        package var indexFile: String
        package var offset: Int64
        package var length: Int64

        package init(indexFile: String, offset: Int64, length: Int64) {
            self.indexFile = indexFile
            self.offset = offset
            self.length = length
        }
    }

    /// The vectors of `dataFiles` at a snapshot, by data file name: where each lies, as its bucket's index entries say.
    static func locations(_ index: [PaimonIndexEntry], partition: [UInt8], bucket: Int, dataFiles: Set<String>)
        throws(PaimonError) -> [String: Location]
    {
        var found: [String: Location] = [:]
        for entry in index where entry.indexType == indexType && entry.partition == partition && entry.bucket == bucket {
            for vector in entry.deletionVectors where dataFiles.contains(vector.dataFile) {
                let location = Location(indexFile: entry.fileName, offset: vector.offset, length: vector.length)
                guard found.updateValue(location, forKey: vector.dataFile) == nil else {
                    throw .invalidFile(entry.fileName, "a second deletion vector of \(vector.dataFile) in its bucket")
                }
            }
        }
        return found
    }

    /// Reads the vectors at `locations` (each index file read once), checking each vector's length, magic, checksum
    /// and, where recorded, cardinality.
    static func read(_ locations: [String: Location], index: [PaimonIndexEntry], table: PaimonTable)
        async throws(PaimonError) -> [String: RoaringPositionBitmap]
    {
        var files: [String: [UInt8]] = [:]
        var vectors: [String: RoaringPositionBitmap] = [:]
        for (dataFile, location) in locations.sorted(by: { $0.key < $1.key }) {
            guard let entry = index.first(where: { $0.indexType == indexType && $0.fileName == location.indexFile }) else {
                throw .invalidFile(location.indexFile, "is not in the index manifest")
            }
            // The name comes from the table's metadata: it must name a file of `index/`, nothing elsewhere.
            guard entry.externalPath != nil || PaimonSnapshot.isPlainName(entry.fileName) else {
                throw .invalidFile(entry.fileName, "an index file name is not a plain file name")
            }
            if files[location.indexFile] == nil {
                let bytes = try await read(table.indexFileLocation(entry), table)
                guard bytes.first == 1 else {
                    throw .unsupported("deletion-vector index files of version \(bytes.first.map { String($0) } ?? "none") (\(location.indexFile))")
                }
                files[location.indexFile] = bytes
            }
            let cardinality = entry.deletionVectors.first { $0.dataFile == dataFile }?.cardinality
            let bitmap = try decode(files[location.indexFile]!, at: location, name: location.indexFile)
            if let cardinality, cardinality != bitmap.cardinality {
                throw .invalidFile(location.indexFile, "the vector of \(dataFile) holds \(bitmap.cardinality) rows, the index manifest says \(cardinality)")
            }
            vectors[dataFile] = bitmap
        }
        return vectors
    }

    /// The rows each `DELETION_VECTORS` vector of `index` deletes, by data file name: the cardinality the index
    /// manifest records (Paimon 1.x), else the vector's own, read and checked (Paimon 0.9 records none); one index
    /// file held at a time.
    static func cardinalities(_ index: [PaimonIndexEntry], table: PaimonTable) async throws(PaimonError) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for entry in index where entry.indexType == indexType {
            var unrecorded: [String: Location] = [:]
            for vector in entry.deletionVectors {
                if let cardinality = vector.cardinality {
                    counts[vector.dataFile] = cardinality
                } else {
                    unrecorded[vector.dataFile] = Location(indexFile: entry.fileName, offset: vector.offset, length: vector.length)
                }
            }
            guard !unrecorded.isEmpty else { continue }
            for (dataFile, bitmap) in try await read(unrecorded, index: [entry], table: table) { counts[dataFile] = bitmap.cardinality }
        }
        return counts
    }

    /// One vector of an index file's bytes.
    package static func decode(_ bytes: [UInt8], at location: Location, name: String) throws(PaimonError) -> RoaringPositionBitmap {
        let offset = location.offset
        let length = location.length
        guard offset >= 1, length >= 4, length <= Int64(bytes.count), offset <= Int64(bytes.count) - 8 - length else {
            throw .invalidFile(name, "a deletion vector's range \(offset)+\(length) lies outside the file's \(bytes.count) bytes")
        }
        let start = Int(offset)
        let body = (start + 4)..<(start + 4 + Int(length))
        func bigEndian(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        guard Int64(bigEndian(start)) == length else {
            throw .invalidFile(name, "a deletion vector at \(offset) declares \(bigEndian(start)) bytes, the index manifest \(length)")
        }
        guard bytes[body.prefix(4)].elementsEqual(magic) else { throw .unsupported("deletion vectors other than 32-bit bitmaps (\(name))") }
        // The checksum is taken in place; the bitmap's bytes are the one copy.
        let checksum = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[body])) }
        guard checksum == bigEndian(body.upperBound) else {
            throw .invalidFile(name, "the deletion vector at \(offset) fails its checksum")
        }
        do { return try RoaringPositionBitmap(portable32: Array(bytes[(body.lowerBound + 4)..<body.upperBound])) } catch {
            throw .invalidFile(name, "deletion vector at \(offset): \(error)")
        }
    }

    /// What a compaction of a table with deletion vectors commits with: the data files rewritten per bucket, where
    /// their vectors lay when read, and the manifests' compression.
    struct Compaction: Sendable {
        var rewritten: [PaimonCompactionPlanner.BucketKey: Set<String>] = [:]
        var applied: [String: Location] = [:]
        var compression: String

        func indexManifest(head: PaimonSnapshot, table: PaimonTable, written: (String) -> Void) async throws(PaimonError) -> String? {
            try await PaimonDeletionVectors.indexManifest(head: head, table: table, rewritten: rewritten, applied: applied,
                compression: compression, written: written)
        }
    }

    /// The name of the index manifest a `COMPACT` snapshot on `head` carries, once the vectors of `rewritten` data
    /// files (by partition and bucket) are gone: `head`'s own when none of its entries names one, else a new index
    /// manifest written (its location passed to `written`) without the `DELETION_VECTORS` entries of those buckets
    /// whose every vector is of a rewritten file. Every vector of a rewritten file must still lie where the
    /// compaction read it (`applied`), or a writer changed it since: a conflict. An index file that also holds the
    /// vector of a file that stays is refused.
    static func indexManifest(
        head: PaimonSnapshot, table: PaimonTable, rewritten: [PaimonCompactionPlanner.BucketKey: Set<String>],
        applied: [String: Location], compression: String, written: (String) -> Void
    ) async throws(PaimonError) -> String? {
        guard let name = head.indexManifest else {
            guard applied.isEmpty else { throw .conflict("the deletion vectors of the inputs are gone from the head; plan again") }
            return nil
        }
        let bytes = try await read(table.manifestLocation(name), table)
        let entries = try PaimonManifestDecoder.indexManifest(bytes, location: name)
        var dropped = Set<Int>()
        var seen: [String: Location] = [:]
        for (position, entry) in entries.enumerated() where entry.indexType == indexType {
            guard let files = rewritten[.init(partition: entry.partition, bucket: entry.bucket)] else { continue }
            let covered = entry.deletionVectors.filter { files.contains($0.dataFile) }
            for vector in covered {
                seen[vector.dataFile] = Location(indexFile: entry.fileName, offset: vector.offset, length: vector.length)
            }
            guard !covered.isEmpty else { continue }
            guard covered.count == entry.deletionVectors.count else {
                throw .unsupported("rewriting an index file that also holds deletion vectors of files not compacted (\(entry.fileName))")
            }
            dropped.insert(position)
        }
        guard seen == applied else {
            throw .conflict("a writer changed the deletion vectors of the inputs since they were read; plan again")
        }
        guard !dropped.isEmpty else { return name }
        let kept: [AvroValue]
        let schema: AvroSchema
        do {
            var reader = try AvroFileReader(bytes: bytes)
            schema = reader.header.schema
            kept = try reader.readAll().enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        } catch {
            throw .invalidFile(name, "\(error)")
        }
        let newName = "index-manifest-\(UUID().uuidString.lowercased())-0"
        let encoded: [UInt8]
        do {
            var writer = try AvroFileWriter(schema: schema, options: .init(codec: try AvroCodec(icebergName: compression)))
            for record in kept { try writer.append(record) }
            encoded = try writer.finish()
        } catch {
            throw .invalidFile(newName, "cannot be encoded: \(error)")
        }
        let location = table.manifestLocation(newName)
        written(location)
        do { try await table.storage.write(location, bytes: encoded, mode: .createNew) } catch { throw .storage(error) }
        return newName
    }

    private static func read(_ location: String, _ table: PaimonTable) async throws(PaimonError) -> [UInt8] {
        do { return try await table.storage.read(location) } catch { throw .storage(error) }
    }
}
