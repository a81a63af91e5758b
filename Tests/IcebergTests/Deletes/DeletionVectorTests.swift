import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Storage
import Testing
import TestSupport

@Suite struct DeletionVectorTests {
    /// The blob of {1, 2, 65539} by the spec's layout: length of magic + bitmap (BE), magic D1 D3 39 64, bitmap,
    /// CRC-32 of magic + bitmap (BE; 0x5adb06c9 computed independently with Python's zlib.crc32).
    static let knownBlob: [UInt8] = [0, 0, 0, 46, 0xD1, 0xD3, 0x39, 0x64] + RoaringPositionBitmapTests.knownBytes
        + [0x5A, 0xDB, 0x06, 0xC9]

    @Test func blobHasTheSpecLayout() throws {
        #expect(DeletionVector.blob(RoaringPositionBitmap([1, 2, 65539])) == Self.knownBlob)
        #expect(try DeletionVector.positions(blob: Self.knownBlob, location: "t").positions == [1, 2, 65539])
    }

    static let corruptBlobs: [(String, [UInt8])] = [
        ("short", [0, 0, 0, 4]),
        ("length", [0, 0, 0, 45] + Array(knownBlob.dropFirst(4))),
        ("magic", Array(knownBlob.prefix(4)) + [0xD1, 0xD3, 0x39, 0x65] + Array(knownBlob.dropFirst(8))),
        ("checksum", Array(knownBlob.dropLast()) + [0xCA]),
        ("bitmap", {
            // A valid checksum over an invalid bitmap (unknown cookie).
            var blob = knownBlob
            blob[20] = 0x99
            let crc = CRC.of(Array(blob[4..<(blob.count - 4)]))
            blob.replaceSubrange((blob.count - 4)..., with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
            return blob
        }()),
    ]

    @Test(arguments: corruptBlobs.indices)
    func corruptBlobsAreRejected(index: Int) {
        #expect(throws: IcebergError.self, "\(Self.corruptBlobs[index].0)") {
            try DeletionVector.positions(blob: Self.corruptBlobs[index].1, location: "t")
        }
    }

    @Test func oneFileHoldsTheVectorsOfSeveralDataFiles() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-dv")
        defer { try? FileManager.default.removeItem(at: root) }
        let location = "file://\(root.path)/deletes.puffin"
        let vectors = [
            DeletionVector.Vector(dataFilePath: "file:///t/a.parquet", positions: RoaringPositionBitmap([0, 7, 9]), specId: 1, partition: [.int(3)]),
            DeletionVector.Vector(dataFilePath: "file:///t/b.parquet", positions: RoaringPositionBitmap((0..<6000).map { Int64($0) }), specId: 1, partition: [.int(4)]),
        ]
        let storage = LocalStorage()
        let files = try await DeletionVector.write(vectors, to: location, storage: storage)
        let bytes = try await storage.read(location)
        #expect(files.count == 2)
        for (file, vector) in zip(files, vectors) {
            #expect(file.content == .positionDeletes && file.fileFormat == "PUFFIN" && file.isDeletionVector)
            #expect(file.filePath == location && file.fileSizeInBytes == Int64(bytes.count))
            #expect(file.referencedDataFile == vector.dataFilePath)
            #expect(file.recordCount == vector.positions.cardinality)
            #expect(file.specId == 1 && file.partition == vector.partition)
            #expect(try await DeletionVector.read(file, storage: storage) == vector.positions)
        }
        #expect(files[0].contentOffset == 4)
        #expect(files[1].contentOffset == 4 + files[0].contentSizeInBytes!)
        // The footer lists both blobs as the spec asks.
        let footer = try await PuffinFooter.read(location, storage: storage)
        #expect(footer == (try PuffinFooter(file: bytes, location: location)))
        #expect(footer.properties["created-by"]?.hasPrefix("amoro") == true)
        #expect(footer.blobs.map(\.type) == ["deletion-vector-v1", "deletion-vector-v1"])
        for (blob, file) in zip(footer.blobs, files) {
            #expect(blob.fields == [2_147_483_645] && blob.snapshotId == -1 && blob.sequenceNumber == -1)
            #expect(blob.offset == file.contentOffset && blob.length == file.contentSizeInBytes)
            #expect(blob.compressionCodec == nil)
            #expect(blob.properties["referenced-data-file"] == file.referencedDataFile)
            #expect(blob.properties["cardinality"] == String(file.recordCount))
        }
        // A DV whose entry claims another cardinality is refused.
        var wrong = files[0]
        wrong.recordCount = 2
        await #expect(throws: IcebergError.self) { try await DeletionVector.read(wrong, storage: storage) }
        var outside = files[1]
        outside.contentOffset = outside.fileSizeInBytes - 20
        await #expect(throws: IcebergError.self) { try await DeletionVector.read(outside, storage: storage) }
        #expect(throws: IcebergError.self) { try DeletionVector.file(vectors + [vectors[0]], location: location) }
        let empty = DeletionVector.Vector(dataFilePath: "file:///t/c.parquet", positions: RoaringPositionBitmap(), specId: 1, partition: [.int(3)])
        #expect(throws: IcebergError.self) { try DeletionVector.file([empty], location: location) }
    }

    @Test func puffinFooterLayout() throws {
        var writer = PuffinWriter(createdBy: "amoro test", properties: ["k": "v"])
        let placed = writer.add([1, 2, 3], metadata: PuffinBlobMetadata(type: "x", fields: [1, 2], snapshotId: 5, sequenceNumber: 6, properties: ["p": "q"]))
        let bytes = writer.finish()
        #expect(placed.offset == 4 && placed.length == 3)
        #expect(Array(bytes.prefix(4)) == Array("PFA1".utf8) && Array(bytes.suffix(4)) == Array("PFA1".utf8))
        #expect(Array(bytes[4..<7]) == [1, 2, 3])
        #expect(Array(bytes[7..<11]) == Array("PFA1".utf8))
        #expect(Array(bytes.suffix(8).prefix(4)) == [0, 0, 0, 0], "flags: uncompressed")
        let size = Int(bytes[bytes.count - 12]) | Int(bytes[bytes.count - 11]) << 8
        let json = try JSON.parse(Array(bytes[11..<(11 + size)]))
        #expect(json["properties"]?["created-by"] == .string("amoro test"))
        #expect(json["blobs"]?.arrayValue?.first?["fields"] == .array([.int(1), .int(2)]))
        let footer = try PuffinFooter(file: bytes, location: "t")
        #expect(footer.blobs == [placed])
        #expect(footer.properties == ["k": "v", "created-by": "amoro test"])
    }

    static func corruptPuffins() -> [(String, [UInt8])] {
        var writer = PuffinWriter()
        writer.add([9, 9], metadata: PuffinBlobMetadata(type: "x", fields: [], snapshotId: 1, sequenceNumber: 1))
        let good = writer.finish()
        var badFlags = good
        badFlags[badFlags.count - 7] = 1
        var compressedFlag = good
        compressedFlag[compressedFlag.count - 8] = 1
        var hugeSize = good
        hugeSize[hugeSize.count - 10] = 0x7F
        return [
            ("not puffin", Array("PAR1 and some more bytes".utf8)),
            ("short", Array(good.prefix(10))),
            ("head magic", [0] + Array(good.dropFirst())),
            ("unknown flags", badFlags),
            ("not an LZ4 frame", compressedFlag),
            ("payload size", hugeSize),
            ("blob outside the file", puffin(#"{"blobs":[{"type":"x","fields":[],"snapshot-id":1,"sequence-number":1,"offset":4,"length":999}]}"#)),
            ("payload not JSON", puffin(#"{"blobs":["#)),
            ("blob fields missing", puffin(#"{"blobs":[{"type":"x"}]}"#)),
            ("field id not an integer", puffin(#"{"blobs":[{"type":"x","fields":["a"],"snapshot-id":1,"sequence-number":1,"offset":4,"length":2}]}"#)),
            ("property not a string", puffin(#"{"blobs":[],"properties":{"a":1}}"#)),
        ]
    }

    /// A Puffin file with a two-byte blob and the given footer payload.
    static func puffin(_ payload: String) -> [UInt8] {
        let magic = Array("PFA1".utf8)
        let size = UInt32(payload.utf8.count)
        return magic + [9, 9] + magic + Array(payload.utf8)
            + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16), 0] + [0, 0, 0, 0] + magic
    }

    @Test func handMadePuffinFooterIsRead() throws {
        let footer = try PuffinFooter(file: Self.puffin(
            #"{"blobs":[{"type":"x","fields":[7],"snapshot-id":1,"sequence-number":2,"offset":4,"length":2,"compression-codec":null}]}"#),
            location: "t")
        #expect(footer.blobs == [PuffinBlobMetadata(type: "x", fields: [7], snapshotId: 1, sequenceNumber: 2, offset: 4, length: 2)])
        #expect(footer.properties.isEmpty)
    }

    @Test func corruptPuffinFilesAreRejected() {
        for (label, bytes) in Self.corruptPuffins() {
            #expect(throws: IcebergError.self, "\(label)") { try PuffinFooter(file: bytes, location: "t") }
        }
    }
}

/// CRC-32 (IEEE) computed bit by bit: an independent check of the blob checksum.
enum CRC {
    static func of(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
