import Avro
import Foundation
import TestSupport
import Testing

/// Every file of `Fixtures/bad` (made by `Fixtures/bad/generate.py`) must give a clean `AvroError` of the
/// expected kind, naming the problem: never a crash, a hang or a huge allocation.
@Suite struct AvroBadInputTests {
    enum Kind: Sendable { case corrupt, unsupported, invalidSchema }

    /// File name → the kind of error and a phrase its message must contain.
    static let expectations: [String: (Kind, String)] = [
        "bad-magic.avro": (.corrupt, "bad magic"),
        "not-avro-at-all.avro": (.corrupt, "bad magic"),
        "empty-file.avro": (.corrupt, "unexpected end"),
        "truncated-header.avro": (.corrupt, "past the end"),
        "truncated-sync-marker.avro": (.corrupt, "unexpected end"),
        "metadata-length-past-end.avro": (.corrupt, "past the end"),
        "metadata-negative-length.avro": (.corrupt, "negative"),
        "metadata-count-past-end.avro": (.corrupt, "larger than"),
        "missing-schema.avro": (.corrupt, "no avro.schema"),
        "schema-invalid-json.avro": (.invalidSchema, "JSON"),
        "schema-not-a-schema.avro": (.invalidSchema, "fields"),
        "schema-undefined-name.avro": (.invalidSchema, "unknown type"),
        "schema-deep-nesting.avro": (.invalidSchema, "nesting deeper"),
        "unknown-codec.avro": (.unsupported, "lzma"),
        "bad-sync-marker.avro": (.corrupt, "sync marker"),
        "block-size-past-end.avro": (.corrupt, "declares"),
        "block-negative-size.avro": (.corrupt, "declares"),
        "block-negative-count.avro": (.corrupt, "negative record count"),
        "block-count-too-high.avro": (.corrupt, "unexpected end"),
        "block-count-too-low.avro": (.corrupt, "bytes after its 2 records"),
        "block-count-huge.avro": (.corrupt, "records in 0 bytes"),
        "truncated-block.avro": (.corrupt, "declares"),
        "corrupt-deflate.avro": (.corrupt, "deflate"),
        "deflate-wrong-content.avro": (.corrupt, "unexpected end"),
        "corrupt-snappy.avro": (.corrupt, "snappy"),
        "snappy-crc-mismatch.avro": (.corrupt, "CRC32"),
        "snappy-without-crc.avro": (.corrupt, "no CRC32"),
        "corrupt-zstandard.avro": (.corrupt, "zstandard"),
        "zstandard-not-a-frame.avro": (.corrupt, "zstandard"),
        "union-index-out-of-range.avro": (.corrupt, "union branch 5"),
        "union-index-negative.avro": (.corrupt, "union branch -1"),
        "enum-index-out-of-range.avro": (.corrupt, "enum index 2"),
        "bad-boolean.avro": (.corrupt, "boolean"),
        "int-out-of-range.avro": (.corrupt, "out of range"),
        "varint-too-long.avro": (.corrupt, "too long"),
        "negative-string-length.avro": (.corrupt, "length -3"),
        "huge-string-length.avro": (.corrupt, "past the end"),
        "huge-bytes-length.avro": (.corrupt, "past the end"),
        "invalid-utf8-string.avro": (.corrupt, "UTF-8"),
        "fixed-truncated.avro": (.corrupt, "unexpected end"),
        "huge-array-count.avro": (.corrupt, "larger than"),
        "huge-negative-array-count.avro": (.corrupt, "larger than"),
        "array-block-size-past-end.avro": (.corrupt, "past the end"),
        "array-block-size-lies.avro": (.corrupt, "declares 3 bytes, its items take 2"),
        "huge-null-array.avro": (.corrupt, "empty items"),
        "huge-map-count.avro": (.corrupt, "larger than"),
        "deep-recursion.avro": (.corrupt, "deeper than"),
        "schema-infinite-recursion.avro": (.corrupt, "deeper than"),
    ]

    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/AvroTests/Fixtures/bad")

    static var corpus: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".avro") }
            .sorted()
    }

    @Test func everyFileIsCoveredAndEveryExpectationHasAFile() {
        let files = Set(Self.corpus)
        #expect(!files.isEmpty)
        for file in files.subtracting(Self.expectations.keys).sorted() { Issue.record("\(file) has no expectation") }
        for name in Set(Self.expectations.keys).subtracting(files).sorted() { Issue.record("\(name) is missing") }
    }

    @Test(arguments: corpus)
    func failsCleanly(_ file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(file)))
        guard let (kind, phrase) = Self.expectations[file] else {
            Issue.record("\(file) has no expectation")
            return
        }
        let error = #expect(throws: AvroError.self) {
            var reader = try AvroFileReader(bytes: bytes)
            while let block = try reader.nextBlock() { _ = try reader.records(in: block) }
        }
        guard let error else { return }
        switch (kind, error) {
        case (.corrupt, .corrupt(let message)), (.unsupported, .unsupported(let message)),
            (.invalidSchema, .invalidSchema(let message)):
            #expect(message.contains(phrase), "\(file): \(message)")
        default:
            Issue.record("\(file): expected \(kind), got \(error)")
        }
    }

    /// Truncating a good file anywhere gives an error (or, at a block boundary, fewer records), never a crash.
    @Test(arguments: AvroCodec.allCases)
    func everyTruncationFailsCleanly(_ codec: AvroCodec) throws {
        let rows = AvroContainerTests.rows(40)
        let (bytes, _) = try AvroRoundTrip.file(
            rows, schema: AvroContainerTests.schema, options: AvroFileWriter.Options(codec: codec, blockRecordLimit: 15)
        )
        for length in 0..<bytes.count {
            do {
                var reader = try AvroFileReader(bytes: Array(bytes.prefix(length)))
                let read = try reader.readAll()
                #expect(read.count < rows.count && read == Array(rows.prefix(read.count)), "length \(length)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    /// Flipping any single byte of a good file gives an error or different values, never a crash or a hang.
    @Test(arguments: [AvroCodec.null, .snappy])
    func everyByteFlipFailsCleanly(_ codec: AvroCodec) throws {
        let (bytes, _) = try AvroRoundTrip.file(
            AvroContainerTests.rows(20), schema: AvroContainerTests.schema,
            options: AvroFileWriter.Options(codec: codec, blockRecordLimit: 8))
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0x5A
            do {
                var reader = try AvroFileReader(bytes: damaged)
                _ = try reader.readAll()
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}
