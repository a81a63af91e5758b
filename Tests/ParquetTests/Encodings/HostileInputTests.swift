import TestSupport
import ByteCoding
import Parquet
import Testing

/// Mutated and random bytes fed to every decoder: each call must either decode or throw a ParquetError; a crash or
/// a trap fails the whole run.
@Suite struct HostileInputTests {
    static let cases: [EncodedType] = ValueEncodingTests.cases + PhysicalType.allCases.map {
        EncodedType(encoding: .plain, type: $0)
    }

    @Test(arguments: cases)
    func mutatedStreamsNeverCrash(_ encoded: EncodedType) throws {
        let typeLength = EncodingSamples.typeLength(encoded.type)
        let values = EncodingSamples.values(encoded.type, count: 300)
        var writer = ByteWriter()
        try ValueEncoder.encode(values, range: 0..<300, encoding: encoded.encoding, into: &writer)
        var random = SeededGenerator(seed: UInt64(encoded.encoding.rawValue * 100 + encoded.type.rawValue))
        for round in 0..<300 {
            var bytes = writer.bytes
            for _ in 0..<(1 + round % 4) where !bytes.isEmpty {
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] = round % 3 == 0 ? 0xFF : UInt8(truncatingIfNeeded: random.next())
            }
            let count = round % 5 == 0 ? Int(random.next() % 1000) : 300
            var decoded = try ColumnValues.empty(encoded.type, typeLength: typeLength)
            bytes.withUnsafeBytes { buffer in
                do {
                    _ = try ValueDecoder.decode(buffer, encoding: encoded.encoding, type: encoded.type,
                        typeLength: typeLength, count: count, into: &decoded)
                    #expect(decoded.count == count)
                } catch {
                    #expect(decoded.count == 0)
                }
            }
        }
    }

    @Test(arguments: 0..<8)
    func randomBytesNeverCrash(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed))
        for _ in 0..<400 {
            let length = Int(random.next() % 64)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let count = Int(random.next() % 2000)
            for encoded in Self.cases {
                let typeLength = EncodingSamples.typeLength(encoded.type)
                var decoded = try ColumnValues.empty(encoded.type, typeLength: typeLength)
                bytes.withUnsafeBytes { buffer in
                    _ = try? ValueDecoder.decode(buffer, encoding: encoded.encoding, type: encoded.type,
                        typeLength: typeLength, count: count, into: &decoded)
                }
            }
            var levels: [Int16] = []
            var dictionaryValues = ColumnValues.int32([])
            bytes.withUnsafeBytes { buffer in
                _ = try? LevelDecoder.decodeHybrid(buffer, bitWidth: Int(random.next() % 34), count: count, maxLevel: 5,
                    into: &levels)
                _ = try? LevelDecoder.decodeBitPacked(buffer, bitWidth: Int(random.next() % 18), count: count,
                    maxLevel: 5, into: &levels)
                _ = try? ValueDecoder.decodeDictionaryIndices(buffer, count: count, dictionary: .int32([1, 2, 3]),
                    into: &dictionaryValues)
            }
        }
    }
}
