import Paimon
import Testing

/// What amoro writes into Paimon's formats reads back as written: binary rows (the inverse of `BinaryRow`),
/// manifests and manifest lists.
struct PaimonWriteFormatTests {
    static func type(_ text: String) throws -> PaimonDataType { try PaimonDataType(text: text) }

    @Test func binaryRowsRoundTrip() throws {
        let types = try ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "DOUBLE", "STRING", "STRING", "BYTES", "DATE",
            "DECIMAL(10, 2)", "TIMESTAMP(3)", "STRING"].map(Self.type)
        let values: [PaimonValue?] = [
            .boolean(true), .long(-7), .long(300), .long(-123_456), .long(Int64.min), .double(-0.5), .string("short"),
            .string("a value longer than seven bytes, ünïcode"), .bytes([0, 1, 2, 3, 4, 5, 6, 7, 8]), .long(19_723),
            .decimal(-12_345, scale: 2), .long(1_700_000_000_123), nil,
        ]
        let bytes = try BinaryRowWriter.serialize(values, types: types)
        let row = try BinaryRow(serialized: bytes)
        #expect(row.arity == values.count)
        for (index, value) in values.enumerated() {
            #expect(try row.value(index, type: types[index]) == value, "field \(index)")
        }
        #expect((bytes.count - 4) % 8 == 0, "the variable part is padded to words")
        #expect(try BinaryRow(serialized: BinaryRowWriter.empty).arity == 0)
    }

    @Test func valuesThatDoNotFitTheirTypeAreRefused() throws {
        #expect(throws: PaimonError.self) { try BinaryRowWriter.serialize([.long(300)], types: [try Self.type("TINYINT")]) }
        #expect(throws: PaimonError.self) { try BinaryRowWriter.serialize([.string("x")], types: [try Self.type("INT")]) }
    }

    @Test func manifestsRoundTrip() throws {
        let partition = try BinaryRowWriter.serialize([.string("2024-01-01")], types: [try Self.type("STRING")])
        var file = PaimonDataFile(fileName: "data-1-0.parquet", fileSize: 1234, rowCount: 10, minKey: BinaryRowWriter.empty,
            maxKey: BinaryRowWriter.empty, minSequenceNumber: 5, maxSequenceNumber: 14, schemaId: 1, level: 0, extraFiles: [],
            creationTimeMs: 1_700_000_000_000, deleteRowCount: 0, fileSource: 1, externalPath: nil)
        file.valueStats = PaimonSimpleStats(minValues: partition, maxValues: partition, nullCounts: [0, nil])
        file.valueStatsCols = ["dt"]
        let entries = [
            PaimonManifestEntry(kind: .add, partition: partition, bucket: 1, totalBuckets: 2, file: file),
            PaimonManifestEntry(kind: .delete, partition: partition, bucket: 1, totalBuckets: 2, file: file),
        ]
        let bytes = try PaimonManifestWriter.manifest(entries, compression: "zstd")
        #expect(try PaimonManifestDecoder.manifest(bytes, location: "m") == entries)
        let meta = PaimonManifestFile(fileName: "manifest-x-0", fileSize: Int64(bytes.count), numAddedFiles: 1, numDeletedFiles: 1,
            schemaId: 1, partitionStats: PaimonSimpleStats(minValues: partition, maxValues: partition, nullCounts: [0]),
            minBucket: 1, maxBucket: 1, minLevel: 0, maxLevel: 0, totalBuckets: 2)
        let list = try PaimonManifestWriter.manifestList([meta], compression: "none")
        #expect(try PaimonManifestDecoder.manifestList(list, location: "l") == [meta])
    }
}
