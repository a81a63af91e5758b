import TestSupport
import ByteCoding
import Testing

@testable import Parquet

@Suite struct RLEBitPackedHybridTests {
    /// Values of `bitWidth` bits mixing long runs, short runs and random values.
    static func sample(bitWidth: Int, count: Int, seed: UInt64) -> [UInt32] {
        var random = SeededGenerator(seed: seed)
        let mask: UInt64 = bitWidth == 0 ? 0 : (1 << UInt64(bitWidth)) - 1
        var values = [UInt32]()
        while values.count < count {
            let value = UInt32(random.next() & mask)
            switch random.next() % 4 {
            case 0: values += repeatElement(value, count: Int(random.next() % 300))
            case 1: values += repeatElement(value, count: Int(random.next() % 9))
            default: values.append(value)
            }
        }
        if count > 2 { values[count - 1] = UInt32(mask) }
        return Array(values.prefix(count))
    }

    static func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) throws(ParquetError) -> [UInt32] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) -> [UInt32] in
                var decoder = try RLEBitPackedHybridDecoder(buffer, bitWidth: bitWidth)
                var output = [UInt32](repeating: 0, count: count)
                try output.withUnsafeMutableBufferPointer { (output) throws(ParquetError) in
                    // Odd batch sizes exercise runs split across calls.
                    var done = 0
                    var batch = 1
                    while done < count {
                        let n = min(batch, count - done)
                        try decoder.decode(into: output.baseAddress! + done, count: n)
                        done += n
                        batch = batch * 3 + 1
                    }
                }
                return output
            }
        }
        return try result.get()
    }

    @Test(arguments: 0...32, [1, 7, 8, 9, 100, 1031])
    func roundTripsEveryBitWidth(bitWidth: Int, count: Int) throws {
        let values = Self.sample(bitWidth: bitWidth, count: count, seed: UInt64(bitWidth * 1000 + count))
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &writer) }
        #expect(try Self.decode(writer.bytes, bitWidth: bitWidth, count: count) == values)
    }

    /// The spec's bit-packing example: 0...7 at width 3 packs to 0x88 0xC6 0xFA.
    @Test func specBitPackingExample() throws {
        let values: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7]
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: 3, into: &writer) }
        #expect(writer.bytes == [0b11, 0b1000_1000, 0b1100_0110, 0b1111_1010])
        #expect(try Self.decode(writer.bytes, bitWidth: 3, count: 8) == values)
    }

    @Test func longRunsBecomeRLERunsAndShortOnesArePacked() throws {
        let values = [UInt32](repeating: 1, count: 1000) + [UInt32](repeating: 0, count: 10)
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: 1, into: &writer) }
        // 1000 << 1 = 2000 as a varint, value 1; then the ten zeros bit-packed as two groups (2 << 1 | 1).
        #expect(writer.bytes == [0xD0, 0x0F, 0x01, 0x05, 0x00, 0x00])
        writer = ByteWriter()
        let wide = [UInt32](repeating: 300, count: 9)
        wide.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: 9, into: &writer) }
        // At 9 bits a run of 9 is cheaper as RLE: 9 << 1, then 300 in two little-endian bytes.
        #expect(writer.bytes == [0x12, 0x2C, 0x01])
    }

    @Test func levelsRoundTripThroughTheEntryPoints() throws {
        let levels: [Int16] = (0..<777).map { Int16($0 % 13 < 5 ? 3 : $0 % 4) }
        var writer = ByteWriter()
        LevelEncoder.encodeHybrid(levels[...], bitWidth: 2, into: &writer)
        var decoded: [Int16] = [9]
        try writer.bytes.withUnsafeBytes { buffer throws in
            try LevelDecoder.decodeHybrid(buffer, bitWidth: 2, count: levels.count, maxLevel: 3, into: &decoded)
        }
        #expect(decoded == [9] + levels)
    }

    @Test func levelAboveTheMaximumIsCorrupt() throws {
        var writer = ByteWriter()
        LevelEncoder.encodeHybrid([0, 1, 2, 3][...], bitWidth: 2, into: &writer)
        var decoded: [Int16] = []
        _ = writer.bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try LevelDecoder.decodeHybrid(buffer, bitWidth: 2, count: 4, maxLevel: 2, into: &decoded)
            }
        }
        #expect(decoded.isEmpty)
    }

    @Test(arguments: [[UInt8](), [0x03], [0x05, 0xFF], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0x10]])
    func truncatedRunsAreCorrupt(bytes: [UInt8]) {
        var decoded: [Int16] = []
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try LevelDecoder.decodeHybrid(buffer, bitWidth: 3, count: 20, maxLevel: 7, into: &decoded)
            }
        }
    }

    /// A count far beyond what the runs hold is rejected before anything is allocated for it.
    @Test func countBeyondTheRunsIsCorruptBeforeAllocating() throws {
        var writer = ByteWriter()
        LevelEncoder.encodeHybrid([1, 0, 1, 1][...], bitWidth: 1, into: &writer)
        var levels: [Int16] = []
        var booleans = ColumnValues.boolean([])
        var values = ColumnValues.int32([])
        let rleBooleans: [UInt8] = [UInt8(writer.count), 0, 0, 0] + writer.bytes
        let indices: [UInt8] = [1] + writer.bytes
        // Four levels are one bit-packed group of eight (zero-padded), so nine is one too many.
        for count in [9, Int(Int32.max), Int.max / 2] {
            _ = writer.bytes.withUnsafeBytes { buffer in
                #expect(throws: ParquetError.self) {
                    try LevelDecoder.decodeHybrid(buffer, bitWidth: 1, count: count, maxLevel: 1, into: &levels)
                }
            }
            _ = rleBooleans.withUnsafeBytes { buffer in
                #expect(throws: ParquetError.self) {
                    try ValueDecoder.decode(buffer, encoding: .rle, type: .boolean, typeLength: 0, count: count, into: &booleans)
                }
            }
            _ = indices.withUnsafeBytes { buffer in
                #expect(throws: ParquetError.self) {
                    try ValueDecoder.decodeDictionaryIndices(buffer, count: count, dictionary: .int32([4, 5]), into: &values)
                }
            }
        }
        #expect(levels.isEmpty)
        // A long RLE run really holds its values.
        let run: [UInt8] = [0x80, 0x80, 0x01, 0x01]  // 8192 copies of 1
        try run.withUnsafeBytes { buffer throws in
            try LevelDecoder.decodeHybrid(buffer, bitWidth: 1, count: 8192, maxLevel: 1, into: &levels)
        }
        #expect(levels == [Int16](repeating: 1, count: 8192))
    }

    @Test func bitWidthAbove32IsCorrupt() {
        #expect(throws: ParquetError.self) {
            try [UInt8]().withUnsafeBytes { buffer throws in _ = try RLEBitPackedHybridDecoder(buffer, bitWidth: 33) }
        }
    }

    /// The spec's deprecated BIT_PACKED example: 0...7 at width 3, MSB first, is 00000101 00111001 01110111.
    @Test func deprecatedBitPackedSpecExample() throws {
        let bytes: [UInt8] = [0b0000_0101, 0b0011_1001, 0b0111_0111]
        var levels: [Int16] = []
        let consumed = try bytes.withUnsafeBytes { buffer throws in
            try LevelDecoder.decodeBitPacked(buffer, bitWidth: 3, count: 8, maxLevel: 7, into: &levels)
        }
        #expect(levels == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(consumed == 3)
        _ = bytes.withUnsafeBytes { buffer in
            #expect(throws: ParquetError.self) {
                try LevelDecoder.decodeBitPacked(buffer, bitWidth: 3, count: 9, maxLevel: 7, into: &levels)
            }
        }
    }

    @Test(arguments: [1, 2, 7, 16])
    func unpackingFromAnyOffsetMatchesOneByOne(bitWidth: Int) {
        let values = Self.sample(bitWidth: bitWidth, count: 200, seed: 5)
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: bitWidth, into: &writer) }
        writer.bytes.withUnsafeBytes { buffer in
            for first in [0, 1, 5, 8, 13, 64, 190] {
                var output = [UInt32](repeating: 0, count: 200 - first)
                output.withUnsafeMutableBufferPointer { output in
                    BitPacking.unpack32(buffer.baseAddress!, byteCount: buffer.count, first: first, count: output.count,
                        bitWidth: bitWidth, into: output.baseAddress!)
                }
                #expect(output == Array(values[first...]))
            }
        }
    }

    @Test(arguments: [0, 1, 13, 31, 32, 33, 57, 63, 64])
    func sixtyFourBitPackingRoundTrips(bitWidth: Int) {
        var random = SeededGenerator(seed: UInt64(bitWidth))
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        let values = (0..<203).map { _ in random.next() & mask }
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: bitWidth, into: &writer) }
        #expect(writer.count == (203 * bitWidth + 7) / 8)
        var output = [UInt64](repeating: 1, count: 203)
        writer.bytes.withUnsafeBytes { buffer in
            output.withUnsafeMutableBufferPointer { output in
                BitPacking.unpack64(buffer.baseAddress ?? UnsafeRawPointer(output.baseAddress!), byteCount: buffer.count,
                    first: 0, count: 203, bitWidth: bitWidth, into: output.baseAddress!)
            }
        }
        #expect(output == values)
    }
}
