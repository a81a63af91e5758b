import Avro
import Testing

@Suite struct AvroContainerTests {
    static let schema = AvroSchema.record(
        "row",
        fields: [
            AvroField("id", .long, fieldID: 1), AvroField("name", .optional(.string), fieldID: 2),
            AvroField("tags", .array(.string), fieldID: 3),
        ])

    static func rows(_ count: Int) -> [AvroValue] {
        (0..<count).map { index in
            .record([
                .long(Int64(index)), index % 3 == 0 ? .union(0, .null) : .union(1, .string("name \(index)")),
                .array((0..<index % 4).map { .string("t\($0)") }),
            ])
        }
    }

    @Test(arguments: AvroCodec.allCases)
    func everyCodecRoundTrips(_ codec: AvroCodec) throws {
        let rows = Self.rows(2_500)
        let (bytes, read) = try AvroRoundTrip.file(
            rows, schema: Self.schema, options: AvroFileWriter.Options(codec: codec, blockRecordLimit: 1_000))
        #expect(read == rows)
        let reader = try AvroFileReader(bytes: bytes)
        #expect(reader.header.codec == codec)
        #expect(reader.header.metadataString("avro.codec") == codec.rawValue)
    }

    @Test(arguments: [(AvroCodec.deflate, 1), (.deflate, 9), (.zstandard, 1), (.zstandard, 19)])
    func compressionLevelsAreUsed(codec: AvroCodec, level: Int) throws {
        let rows = Self.rows(500)
        let (_, read) = try AvroRoundTrip.file(
            rows, schema: Self.schema, options: AvroFileWriter.Options(codec: codec, level: level))
        #expect(read == rows)
    }

    @Test func splitsBlocksByRecordsAndBytes() throws {
        let rows = Self.rows(1_000)
        var byRecords = try AvroFileReader(
            bytes: try AvroRoundTrip.file(
                rows, schema: Self.schema, options: AvroFileWriter.Options(blockRecordLimit: 300)
            ).bytes)
        var counts: [Int] = []
        var offset = byRecords.header.size
        while let block = try byRecords.nextBlock() {
            counts.append(block.recordCount)
            #expect(block.offset == offset)
            #expect(block.compressedSize == block.uncompressedSize)
            offset = byRecords.position
        }
        #expect(counts == [300, 300, 300, 100])
        #expect(offset == byRecords.fileSize)

        var byBytes = try AvroFileReader(
            bytes: try AvroRoundTrip.file(
                rows, schema: Self.schema, options: AvroFileWriter.Options(blockByteLimit: 1_000)
            ).bytes)
        var blocks = 0
        var total = 0
        while let block = try byBytes.nextBlock() {
            blocks += 1
            total += block.recordCount
            #expect(block.uncompressedSize < 1_000 + 64)
            #expect(try byBytes.records(in: block).count == block.recordCount)
        }
        #expect(blocks > 10)
        #expect(total == 1_000)
    }

    @Test func keepsMetadataAndTheInjectedSyncMarker() throws {
        var options = AvroFileWriter.Options(syncMarker: Array(100..<116))
        options.setMetadata("schema", #"{"type":"struct","fields":[]}"#)
        options.setMetadata("format-version", "2")
        options.metadata.append(("binary", [0, 255, 7]))
        let (bytes, _) = try AvroRoundTrip.file(Self.rows(3), schema: Self.schema, options: options)
        let reader = try AvroFileReader(bytes: bytes)
        #expect(reader.header.syncMarker == Array(100..<116))
        #expect(Array(bytes.suffix(16)) == Array(100..<116))
        #expect(reader.header.metadataString("format-version") == "2")
        #expect(reader.header.metadataString("schema") == #"{"type":"struct","fields":[]}"#)
        #expect(reader.header.metadataValue("binary") == [0, 255, 7])
        #expect(
            reader.header.metadata.map(\.key) == ["avro.schema", "avro.codec", "schema", "format-version", "binary"])
        #expect(reader.header.schema == Self.schema)
    }

    @Test func namesCodecsAsAvroAndIcebergDo() throws {
        #expect(try AvroCodec(name: nil) == .null)
        #expect(try AvroCodec(name: "zstandard") == .zstandard)
        #expect(throws: AvroError.unsupported("codec \"bzip2\"")) { try AvroCodec(name: "bzip2") }
        #expect(try AvroCodec(icebergName: "gzip") == .deflate)
        #expect(try AvroCodec(icebergName: "ZSTD") == .zstandard)
        #expect(try AvroCodec(icebergName: "uncompressed") == .null)
        #expect(try AvroCodec(icebergName: "snappy") == .snappy)
        #expect(throws: AvroError.self) { try AvroCodec(icebergName: "lz4") }
    }

    @Test func randomSyncMarkersDiffer() throws {
        let first = try AvroFileWriter(schema: Self.schema).syncMarker
        let second = try AvroFileWriter(schema: Self.schema).syncMarker
        #expect(first.count == 16)
        #expect(first != second)
    }

    @Test func emptyFilesHaveAHeaderOnly() throws {
        let (bytes, read) = try AvroRoundTrip.file([], schema: Self.schema)
        #expect(read.isEmpty)
        #expect(try AvroFileReader(bytes: bytes).header.size == bytes.count)
    }

    @Test func streamsOutputAsBlocksComplete() throws {
        var writer = try AvroFileWriter(schema: Self.schema, options: AvroFileWriter.Options(blockRecordLimit: 10))
        var bytes = writer.takeOutput()
        let rows = Self.rows(35)
        for row in rows {
            try writer.append(row)
            bytes += writer.takeOutput()
        }
        bytes += try writer.finish()
        #expect(writer.recordCount == 35)
        var reader = try AvroFileReader(bytes: bytes)
        #expect(try reader.readAll() == rows)
    }

    @Test func rejectsBadValuesWithoutDamagingTheFile() throws {
        var writer = try AvroFileWriter(schema: Self.schema)
        try writer.append(Self.rows(1)[0])
        #expect(throws: AvroError.self) { try writer.append(.record([.long(1), .union(1, .long(2)), .array([])])) }
        try writer.append(Self.rows(2)[1])
        var reader = try AvroFileReader(bytes: try writer.finish())
        #expect(try reader.readAll() == Self.rows(2))
    }

    @Test func rejectsBadOptions() {
        #expect(throws: AvroError.self) {
            try AvroFileWriter(schema: Self.schema, options: AvroFileWriter.Options(syncMarker: [1]))
        }
        #expect(throws: AvroError.self) {
            try AvroFileWriter(schema: Self.schema, options: AvroFileWriter.Options(metadata: [("avro.codec", [])]))
        }
        #expect(throws: AvroError.self) {
            try AvroFileWriter(schema: Self.schema, options: AvroFileWriter.Options(blockRecordLimit: 0))
        }
        #expect(throws: AvroError.self) {
            try AvroFileWriter(schema: Self.schema, options: AvroFileWriter.Options(codec: .deflate, level: 42))
        }
        #expect(throws: AvroError.self) {
            try AvroFileWriter(schema: Self.schema, options: AvroFileWriter.Options(codec: .zstandard, level: 99))
        }
    }

    @Test func readsWithAReaderSchemaByFieldID() throws {
        let (bytes, _) = try AvroRoundTrip.file(Self.rows(5), schema: Self.schema)
        let reader = AvroSchema.record("projected", fields: [AvroField("tag_list", .array(.string), fieldID: 3)])
        var file = try AvroFileReader(bytes: bytes, readerSchema: reader, matching: .byFieldID)
        let values = try file.readAll()
        #expect(values.count == 5)
        #expect(values[3] == .record([.array([.string("t0"), .string("t1"), .string("t2")])]))
        #expect(file.plan.readerSchema == reader)
    }
}
