import Avro
import Foundation
import TestSupport
import Testing

@Suite struct AvroByteSourceTests {
    /// A source that records the ranges asked for, to check that the reader fetches the header and then one block
    /// at a time rather than the whole file.
    final class CountingSource: AvroByteSource, @unchecked Sendable {
        // Only touched from the test's own thread.
        let inner: AvroMemorySource
        var largestRead = 0

        init(_ bytes: [UInt8]) { inner = AvroMemorySource(bytes) }
        var size: Int { inner.size }

        func read(at offset: Int, count: Int) throws(AvroError) -> [UInt8] {
            largestRead = max(largestRead, count)
            return try inner.read(at: offset, count: count)
        }
    }

    @Test func readsALocalFileBlockByBlock() throws {
        let rows = AvroContainerTests.rows(3_000)
        var options = AvroFileWriter.Options(codec: .zstandard, blockRecordLimit: 500)
        // A header larger than the first read, so the reader has to fetch more of it.
        options.setMetadata("big", String(repeating: "x", count: 10_000))
        let (bytes, _) = try AvroRoundTrip.file(rows, schema: AvroContainerTests.schema, options: options)
        try Fixtures.withTemporaryDirectory("avro-file") { folder in
            let url = folder.appendingPathComponent("rows.avro")
            try Data(bytes).write(to: url)
            var reader = try AvroFileReader(source: try AvroLocalFile(path: url.path))
            #expect(reader.fileSize == bytes.count)
            #expect(reader.header.metadataString("big")?.count == 10_000)
            #expect(try reader.readAll() == rows)
        }
        let (plain, _) = try AvroRoundTrip.file(
            rows, schema: AvroContainerTests.schema, options: AvroFileWriter.Options(blockRecordLimit: 500))
        let counting = CountingSource(plain)
        var reader = try AvroFileReader(source: counting)
        #expect(try reader.readAll() == rows)
        #expect(counting.largestRead < plain.count / 4)
    }

    @Test func reportsUnreadableFiles() throws {
        #expect(throws: AvroError.self) { try AvroLocalFile(path: "/nonexistent/amoro/file.avro") }
        try Fixtures.withTemporaryDirectory("avro-file") { folder in
            #expect(throws: AvroError.self) { try AvroLocalFile(path: folder.path).read(at: 0, count: 1) }
            let empty = folder.appendingPathComponent("empty.avro")
            try Data().write(to: empty)
            let file = try AvroLocalFile(path: empty.path)
            #expect(file.size == 0)
            #expect(try file.read(at: 0, count: 0) == [])
            #expect(throws: AvroError.self) { try file.read(at: 0, count: 1) }
            #expect(throws: AvroError.self) { try AvroFileReader(source: file) }
        }
        #expect(throws: AvroError.self) { try AvroMemorySource([1, 2]).read(at: 1, count: 2) }
    }
}
