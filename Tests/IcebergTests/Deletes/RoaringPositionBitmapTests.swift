import Iceberg
import Testing
import TestSupport

/// Little-endian byte builders for hand-made bitmaps.
func le16(_ values: UInt16...) -> [UInt8] { values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
func le32(_ values: UInt32...) -> [UInt8] { values.flatMap { v in (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } } }
func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(value >> (8 * $0) & 0xFF) } }

@Suite struct RoaringPositionBitmapTests {
    /// {1, 2, 65539}: one 64-bit key (0) holding a 32-bit bitmap with two array containers (keys 0 and 1), laid out
    /// by RoaringFormatSpec: cookie 12346, count, (key, cardinality - 1) pairs, offsets, then the values.
    static let knownBytes: [UInt8] =
        le64(1) + le32(0)
        + le32(12346, 2) + le16(0, 1, 1, 0) + le32(24, 28) + le16(1, 2, 3)

    @Test func writesTheSpecLayout() {
        let bitmap = RoaringPositionBitmap([65539, 2, 1, 2])
        #expect(bitmap.serialized() == Self.knownBytes)
        #expect(bitmap.cardinality == 3)
        #expect(bitmap.positions == [1, 2, 65539])
    }

    @Test func readsTheSpecLayout() throws {
        let bitmap = try RoaringPositionBitmap(serialized: Self.knownBytes)
        #expect(bitmap.positions == [1, 2, 65539])
        #expect(bitmap.contains(65539) && !bitmap.contains(65538) && !bitmap.contains(-1))
    }

    /// Java writes every key from 0 to the highest, with empty bitmaps for the gaps.
    @Test func writesEmptyBitmapsForKeyGaps() throws {
        let high = Int64(2) << 32 | 7
        let bitmap = RoaringPositionBitmap([5, high])
        let expected =
            le64(3)
            + le32(0) + le32(12346, 1) + le16(0, 0) + le32(16) + le16(5)
            + le32(1) + le32(12346, 0)
            + le32(2) + le32(12346, 1) + le16(0, 0) + le32(16) + le16(7)
        #expect(bitmap.serialized() == expected)
        #expect(try RoaringPositionBitmap(serialized: expected).positions == [5, high])
    }

    /// Sparse keys (no gap bitmaps) are accepted too.
    @Test func readsSparseKeys() throws {
        let bytes = le64(1) + le32(3) + le32(12346, 1) + le16(0, 0) + le32(16) + le16(9)
        #expect(try RoaringPositionBitmap(serialized: bytes).positions == [Int64(3) << 32 | 9])
    }

    /// A run container (cookie 12347 with a run-flag bitset, no offset header below four containers): 100...109,
    /// plus an array container at key 2.
    @Test func readsRunContainers() throws {
        let cookie = UInt32(12347) | UInt32(2 - 1) << 16
        let bytes =
            le64(1) + le32(0)
            + le32(cookie) + [0b01] + le16(0, 9, 2, 1)
            + le16(1, 100, 9)
            + le16(4, 8)
        let bitmap = try RoaringPositionBitmap(serialized: bytes)
        #expect(bitmap.positions == Array(100...109) + [2 << 16 | 4, 2 << 16 | 8])
        #expect(bitmap.cardinality == 12)
        #expect(bitmap.contains(105) && !bitmap.contains(110) && !bitmap.contains(99))
        // Inserting into a run container keeps every value; written back without runs, it reads the same.
        var grown = bitmap
        grown.insert(50)
        #expect(grown.positions == [50] + bitmap.positions)
        #expect(try RoaringPositionBitmap(serialized: grown.serialized()) == grown)
    }

    /// Above 4,096 values a container is a bitset of 1,024 words.
    @Test func bitsetContainersRoundTrip() throws {
        let positions = (0..<5000).map { Int64($0 * 3) }
        let bitmap = RoaringPositionBitmap(positions)
        let bytes = bitmap.serialized()
        // All below 65536: bitmap count, key, cookie and container count, one descriptor, one offset, 8 KiB.
        #expect(bytes.count == 8 + 4 + 8 + 4 + 4 + 8192)
        let read = try RoaringPositionBitmap(serialized: bytes)
        #expect(read.positions == positions)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func randomSetsMatchASet(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let spread: Int64 = [1 << 12, 1 << 16, 1 << 20, 1 << 34, 1 << 40, 1 << 17][Int(seed - 1)]
        let left = (0..<3000).map { _ in Int64(generator.next() % UInt64(spread)) }
        let right = (0..<7000).map { _ in Int64(generator.next() % UInt64(spread)) }
        let a = RoaringPositionBitmap(left)
        let b = RoaringPositionBitmap(right)
        #expect(a.positions == Set(left).sorted())
        #expect(a.cardinality == Int64(Set(left).count))
        let union = a.union(b)
        #expect(union.positions == Set(left).union(right).sorted())
        for probe in right.prefix(200) { #expect(b.contains(probe)) }
        #expect(try RoaringPositionBitmap(serialized: union.serialized()) == union)
        #expect(try RoaringPositionBitmap(serialized: a.serialized()).positions == a.positions)
    }

    @Test func emptyBitmap() throws {
        let empty = RoaringPositionBitmap()
        #expect(empty.serialized() == le64(0))
        #expect(try RoaringPositionBitmap(serialized: le64(0)).isEmpty)
    }

    static let corrupt: [(String, [UInt8])] = [
        ("too many bitmaps", le64(1 << 60) + le32(0) + le32(12346, 0)),
        ("descending keys", le64(2) + le32(1) + le32(12346, 0) + le32(0) + le32(12346, 0)),
        ("key above Int32.max", le64(1) + le32(0x8000_0000) + le32(12346, 0)),
        ("bad cookie", le64(1) + le32(0) + le32(4242, 0)),
        ("too many containers", le64(1) + le32(0) + le32(12346, 70000)),
        ("container count past the end", le64(1) + le32(0) + le32(12346, 5000)),
        ("unsorted array", le64(1) + le32(0) + le32(12346, 1) + le16(0, 1) + le32(16) + le16(5, 4)),
        ("repeated container keys", le64(1) + le32(0) + le32(12346, 2) + le16(0, 0, 0, 0) + le32(24, 26) + le16(1, 2)),
        ("bitset cardinality", le64(1) + le32(0) + le32(12346, 1) + le16(0, 5000) + le32(16) + [UInt8](repeating: 0, count: 8192)),
        ("overlapping runs", le64(1) + le32(0) + le32(12347) + [1] + le16(0, 5) + le16(2, 10, 3, 12, 1)),
        ("run past 65535", le64(1) + le32(0) + le32(12347) + [1] + le16(0, 1) + le16(1, 65535, 1)),
        ("run cardinality", le64(1) + le32(0) + le32(12347) + [1] + le16(0, 7) + le16(1, 10, 3)),
        ("trailing bytes", RoaringPositionBitmapTests.knownBytes + [0]),
    ]

    @Test(arguments: corrupt.indices)
    func corruptBitmapsAreRejected(index: Int) {
        let (label, bytes) = Self.corrupt[index]
        #expect(throws: RoaringFormatError.self, "\(label)") { try RoaringPositionBitmap(serialized: bytes) }
    }

    /// Every truncation of valid bitmaps (array, bitset, run containers) fails cleanly.
    @Test func truncationsAreRejected() {
        let samples = [
            Self.knownBytes,
            RoaringPositionBitmap((0..<5000).map { Int64($0) }).serialized(),
            le64(1) + le32(0) + le32(12347) + [1] + le16(0, 9) + le16(1, 100, 9),
        ]
        for sample in samples {
            for length in 0..<sample.count {
                #expect(throws: RoaringFormatError.self) { try RoaringPositionBitmap(serialized: Array(sample.prefix(length))) }
            }
        }
    }
}


@Suite struct DeleteFormatFuzzTests {
    /// Random byte changes to valid bitmaps (arrays, bitsets, runs, several keys), DV blobs and Puffin files end in
    /// a value or a clean error, never a crash.
    @Test(arguments: [21, 22, 23])
    func mutatedInputNeverCrashes(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let runs = le64(2) + le32(0) + le32(12347 | 1 << 16) + [0b01] + le16(0, 9, 2, 1) + le16(1, 100, 9) + le16(4, 8)
            + le32(3) + le32(12346, 0)
        let dense = RoaringPositionBitmap((0..<5000).map { Int64($0) } + [Int64(1) << 32 | 5]).serialized()
        var puffin = PuffinWriter()
        puffin.add(DeletionVector.blob(RoaringPositionBitmap([1, 2, 3])), metadata: PuffinBlobMetadata(
            type: DeletionVector.blobType, fields: [DeletionVector.positionFieldId], snapshotId: -1, sequenceNumber: -1,
            properties: ["referenced-data-file": "f", "cardinality": "3"]))
        let puffinBytes = puffin.finish()
        let blob = DeletionVector.blob(RoaringPositionBitmap([7, 70000]))
        for _ in 0..<400 {
            for sample in [runs, dense, RoaringPositionBitmapTests.knownBytes] {
                let mutated = mutate(sample, &generator)
                if let bitmap = try? RoaringPositionBitmap(serialized: mutated) {
                    // Whatever was accepted is a consistent set.
                    #expect(Int64(bitmap.positions.count) == bitmap.cardinality)
                }
            }
            _ = try? DeletionVector.positions(blob: mutate(blob, &generator), location: "t")
            _ = try? PuffinFooter(file: mutate(puffinBytes, &generator), location: "t")
        }
    }

    private func mutate(_ bytes: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var result = bytes
        for _ in 0..<(1 + Int(generator.next() % 3)) {
            let index = Int(generator.next() % UInt64(result.count))
            switch generator.next() % 3 {
            case 0: result[index] = UInt8(truncatingIfNeeded: generator.next())
            case 1: result[index] ^= 0xFF
            default: result = Array(result.prefix(index))
            }
            if result.isEmpty { break }
        }
        return result
    }
}
