import Avro
import Foundation
import JSONCoding
import TestSupport
import Testing

/// amoro's Avro codec against fastavro and PyIceberg, on files each side writes at test time.
@Suite(.enabled(if: Peers.isAvailable))
struct AvroInteropTests {
    static let codecs = AvroCodec.allCases

    /// Runs the peer script and parses its JSON output.
    static func peer(_ arguments: [String]) throws -> JSON {
        let output = try Peers.python(AvroInteropPeer.script, arguments: arguments)
        return try JSON.parse(output)
    }

    static func read(_ url: URL, readerSchema: AvroSchema? = nil, matching: AvroFieldMatching = .byName) throws
        -> (AvroFileReader, [AvroValue])
    {
        var reader = try AvroFileReader(
            source: try AvroLocalFile(path: url.path), readerSchema: readerSchema, matching: matching)
        let values = try reader.readAll()
        return (reader, values)
    }

    @Test func fastavroHasEveryCodec() throws {
        // The venv's fastavro lacks cramjam (snappy) and backports.zstd (zstandard); the peer script then
        // installs shims (pyarrow's snappy + zlib's CRC32, the zstandard package). Either way all four must work.
        let codecs = try Self.peer(["codecs"])
        for codec in Self.codecs { #expect(codecs[codec.rawValue] == .bool(true), "fastavro cannot use \(codec)") }
    }

    @Test(arguments: codecs)
    func readsWhatFastavroWrites(_ codec: AvroCodec) throws {
        try Fixtures.withTemporaryDirectory("avro-interop") { folder in
            let url = folder.appendingPathComponent("fastavro-\(codec).avro")
            let dump = try Self.peer(["write", url.path, codec.rawValue])
            let (reader, values) = try Self.read(url)
            #expect(reader.header.codec == codec)
            #expect(dump["codec"] == .string(codec.rawValue))
            #expect(reader.header.metadataString("format-version") == "2")
            #expect(reader.header.metadataString("schema") == #"{"type":"struct"}"#)
            var blocks = 0
            var scan = try AvroFileReader(bytes: [UInt8](try Data(contentsOf: url)))
            while try scan.nextBlock() != nil { blocks += 1 }
            #expect(blocks > 1, "the file should have several blocks")
            let expected = try #require(dump["records"])
            let actual = try AvroCanonicalJSON.records(values, schema: reader.header.schema)
            try Self.expectEqual(actual, expected)
            // The logical types fastavro wrote are recognised on our side.
            guard case .record(let record) = reader.header.schema.type else {
                throw AvroCanonicalJSON.Mismatch(description: "not a record")
            }
            let logical = Dictionary(uniqueKeysWithValues: record.fields.map { ($0.name, $0.type.logicalType) })
            #expect(logical["date"] == .date)
            #expect(logical["tsnan"] == .timestampNanos)
            #expect(logical["ltsmic"] == .localTimestampMicros)
            #expect(logical["ltsnan"] == .localTimestampNanos)
            #expect(logical["tmil"] == .timeMillis)
            #expect(logical["tmic"] == .timeMicros)
            #expect(logical["dec"] == .decimal(precision: 10, scale: 2))
            #expect(logical["decf"] == .decimal(precision: 18, scale: 4))
            #expect(logical["uuidf"] == .uuid)
        }
    }

    /// Arrays and maps in blocks with negative counts and byte sizes (written by hand in Python, since fastavro
    /// does not write them; fastavro reads them for the expected values).
    @Test func readsNegativeBlockCounts() throws {
        try Fixtures.withTemporaryDirectory("avro-interop") { folder in
            let url = folder.appendingPathComponent("negative.avro")
            let dump = try Self.peer(["negative-blocks", url.path])
            let (reader, values) = try Self.read(url)
            #expect(values.count == 5)
            try Self.expectEqual(
                try AvroCanonicalJSON.records(values, schema: reader.header.schema), try #require(dump["records"]))
            // Skipping uses the byte sizes: a reader that wants only the map.
            let projection = try reader.header.schema.projected(to: ["m"])
            let (_, maps) = try Self.read(url, readerSchema: projection)
            guard case .array(let expected) = try #require(dump["records"]) else { return }
            #expect(
                try maps.map { try AvroCanonicalJSON.json($0, schema: projection) }
                    == expected.map { JSON.object([("m", $0["m"] ?? .null)]) })
        }
    }

    /// amoro writes the records fastavro wrote (with every codec, with and without negative block counts);
    /// fastavro reads back the same values.
    @Test(arguments: codecs, [nil, 2])
    func fastavroReadsWhatAmoroWrites(_ codec: AvroCodec, collectionBlockSize: Int?) throws {
        try Fixtures.withTemporaryDirectory("avro-interop") { folder in
            let source = folder.appendingPathComponent("source.avro")
            let dump = try Self.peer(["write", source.path, AvroCodec.null.rawValue])
            let schema = try AvroFileReader(bytes: [UInt8](try Data(contentsOf: source))).header.schema
            guard case .array(let records) = try #require(dump["records"]) else {
                throw AvroCanonicalJSON.Mismatch(description: "no records")
            }
            var options = AvroFileWriter.Options(
                codec: codec, blockRecordLimit: 64, collectionBlockSize: collectionBlockSize)
            options.setMetadata("content", "data")
            var writer = try AvroFileWriter(schema: schema, options: options)
            for record in records { try writer.append(try AvroCanonicalJSON.value(record, schema: schema)) }
            let url = folder.appendingPathComponent("amoro-\(codec).avro")
            try Data(try writer.finish()).write(to: url)
            let reread = try Self.peer(["dump", url.path])
            #expect(reread["codec"] == .string(codec.rawValue))
            #expect(reread["metadata"]?["content"] == "data")
            try Self.expectEqual(try #require(reread["records"]), .array(records))
        }
    }

    @Test func readsPyIcebergManifestsByFieldID() throws {
        try Fixtures.withTemporaryDirectory("avro-iceberg") { folder in
            guard case .object(let files) = try Self.peer(["iceberg", folder.path]) else {
                throw AvroCanonicalJSON.Mismatch(description: "no files")
            }
            #expect(files.count == 4, "two manifest lists and two manifests")
            for (path, file) in files {
                let url = URL(fileURLWithPath: path)
                let expected = try #require(file["records"])
                let (reader, values) = try Self.read(url)
                try Self.expectEqual(try AvroCanonicalJSON.records(values, schema: reader.header.schema), expected)
                guard case .array(let records) = expected else { continue }
                if url.lastPathComponent.hasPrefix("snap-") {
                    #expect(reader.header.metadataString("format-version") == "2")
                    let projection = AvroSchema.record(
                        "any_name",
                        fields: [
                            AvroField("path", .string, fieldID: 500), AvroField("length", .long, fieldID: 501),
                            AvroField("added_snapshot", .optional(.long), fieldID: 503),
                            AvroField("not_in_file", .optional(.string), fieldID: 9_999),
                        ])
                    let (_, projected) = try Self.read(url, readerSchema: projection, matching: .byFieldID)
                    #expect(projected.count == records.count)
                    for (value, record) in zip(projected, records) {
                        #expect(
                            try AvroCanonicalJSON.json(value, schema: projection)
                                == .object([
                                    ("path", try #require(record["manifest_path"])),
                                    ("length", try #require(record["manifest_length"])),
                                    ("added_snapshot", try #require(record["added_snapshot_id"])),
                                    ("not_in_file", .null),
                                ]))
                    }
                } else {
                    for key in ["schema", "partition-spec", "partition-spec-id", "format-version", "content"] {
                        #expect(reader.header.metadataString(key) != nil, "manifest metadata \(key)")
                    }
                    let dataFile = AvroSchema.record(
                        "df",
                        fields: [AvroField("path", .string, fieldID: 100), AvroField("rows", .long, fieldID: 103)])
                    let projection = AvroSchema.record(
                        "entry",
                        fields: [AvroField("file", dataFile, fieldID: 2), AvroField("state", .int, fieldID: 0)])
                    let (_, projected) = try Self.read(url, readerSchema: projection, matching: .byFieldID)
                    for (value, record) in zip(projected, records) {
                        let file = try #require(record["data_file"])
                        #expect(
                            try AvroCanonicalJSON.json(value, schema: projection)
                                == .object([
                                    (
                                        "file",
                                        .object([
                                            ("path", try #require(file["file_path"])),
                                            ("rows", try #require(file["record_count"])),
                                        ])
                                    ),
                                    ("state", try #require(record["status"])),
                                ]))
                    }
                }
            }
        }
    }

    /// Compares record lists one by one, so a failure names the first record that differs.
    static func expectEqual(_ actual: JSON, _ expected: JSON) throws {
        guard case .array(let left) = actual, case .array(let right) = expected else {
            Issue.record("not arrays")
            return
        }
        #expect(left.count == right.count)
        for (index, (a, b)) in zip(left, right).enumerated() where a != b {
            Issue.record("record \(index) differs:\n amoro:    \(a.rendered())\n expected: \(b.rendered())")
            return
        }
    }
}
