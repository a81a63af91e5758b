import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Storage
import Testing
import TestSupport

@Suite struct PositionDeleteFileTests {
    static let positions: [String: RoaringPositionBitmap] = [
        "file:///t/data/b.parquet": RoaringPositionBitmap([9, 3, 70000]),
        "file:///t/data/a.parquet": RoaringPositionBitmap([5]),
        "file:///t/data/c.parquet": RoaringPositionBitmap(),
    ]

    @Test func writesSortedRowsWithFullMetrics() throws {
        let (bytes, file) = try PositionDeleteFile.file(Self.positions, location: "file:///t/d.parquet", specId: 2, partition: [.string("x")])
        let reader = try ParquetFileReader(source: MemorySource(bytes))
        #expect(reader.schema.columns.map(\.fieldID) == [2_147_483_546, 2_147_483_545])
        #expect(reader.schema.columns.map(\.path) == [["file_path"], ["pos"]])
        #expect(reader.schema.columns.allSatisfy { $0.repetition == .required })
        let columns = try reader.readColumns()
        guard case .byteArray(let paths) = columns[0].values, case .int64(let values) = columns[1].values else {
            Issue.record("unexpected column types")
            return
        }
        let rows = (0..<paths.count).map { (String(decoding: paths[$0], as: UTF8.self), values[$0]) }
        #expect(rows.map(\.0) == ["file:///t/data/a.parquet"] + Array(repeating: "file:///t/data/b.parquet", count: 3))
        #expect(rows.map(\.1) == [5, 3, 9, 70000])
        #expect(file.content == .positionDeletes && file.fileFormat == "PARQUET" && file.recordCount == 4)
        #expect(file.fileSizeInBytes == Int64(bytes.count) && file.specId == 2 && file.partition == [.string("x")])
        #expect(file.referencedDataFile == nil, "two data files")
        #expect(file.sortOrderId == nil)
        #expect(file.valueCounts == [2_147_483_546: 4, 2_147_483_545: 4])
        #expect(file.nullValueCounts == [2_147_483_546: 0, 2_147_483_545: 0])
        #expect(file.lowerBounds?[2_147_483_546] == Array("file:///t/data/a.parquet".utf8))
        #expect(file.upperBounds?[2_147_483_546] == Array("file:///t/data/b.parquet".utf8))
        #expect(file.lowerBounds?[2_147_483_545] == Literal.long(3).binary)
        #expect(file.upperBounds?[2_147_483_545] == Literal.long(70000).binary)
        #expect(file.columnSizes?.keys.sorted() == [2_147_483_545, 2_147_483_546])
        #expect(file.columnSizes?.values.allSatisfy { $0 > 0 } == true)
        let read = try PositionDeleteFile.read(reader, location: "t")
        #expect(read == Self.positions.filter { !$0.value.isEmpty })
        #expect(try PositionDeleteFile.read(reader, location: "t", only: ["file:///t/data/b.parquet", "nope"]).keys.sorted()
            == ["file:///t/data/b.parquet"])
    }

    @Test func singleTargetFilesNameIt() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-posdel")
        defer { try? FileManager.default.removeItem(at: root) }
        let location = "file://\(root.path)/d.parquet"
        let storage = LocalStorage()
        let file = try await PositionDeleteFile.write(["file:///t/one.parquet": RoaringPositionBitmap([1, 2])], to: location,
            storage: storage, specId: 0, partition: [])
        #expect(file.referencedDataFile == "file:///t/one.parquet")
        #expect(try await PositionDeleteFile.read(location, storage: storage) == ["file:///t/one.parquet": RoaringPositionBitmap([1, 2])])
        await #expect(throws: IcebergError.self) {
            try await PositionDeleteFile.write(["x": RoaringPositionBitmap([1])], to: location, storage: storage, specId: 0, partition: [])
        }
        #expect(throws: IcebergError.self) { try PositionDeleteFile.file([:], location: location, specId: 0, partition: []) }
    }

    /// Files other writers made: without field ids (matched by name), unsorted, with a path spread over row groups.
    @Test func readsForeignLayouts() throws {
        let schema = try ParquetSchema([
            .primitive("file_path", .byteArray, repetition: .required, logicalType: .string),
            .primitive("pos", .int64, repetition: .required),
            .primitive("extra", .int32, repetition: .optional),
        ])
        let sink = MemorySink()
        var options = ParquetWriterOptions()
        options.rowGroupRows = 2
        let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
        var paths = ByteArrays()
        for path in ["b", "a", "b", "b", "a"] { paths.append(Array(path.utf8)) }
        try writer.write([
            ColumnData(values: .byteArray(paths)), ColumnData(values: .int64([4, 1, 2, 4, 0])),
            ColumnData(values: .int32([]), definitionLevels: [0, 0, 0, 0, 0]),
        ])
        try writer.close()
        let reader = try ParquetFileReader(source: MemorySource(sink.bytes))
        #expect(reader.rowGroupCount == 3)
        #expect(try PositionDeleteFile.read(reader, location: "t") == ["a": RoaringPositionBitmap([0, 1]), "b": RoaringPositionBitmap([2, 4])])
    }

    static func file(_ nodes: [SchemaNode], _ columns: [ColumnData]) throws -> ParquetFileReader {
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: try ParquetSchema(nodes), sink: sink)
        try writer.write(columns)
        try writer.close()
        return try ParquetFileReader(source: MemorySource(sink.bytes))
    }

    @Test func invalidFilesAreRejected() throws {
        var one = ByteArrays()
        one.append(Array("a".utf8))
        let pathNode = SchemaNode.primitive("file_path", .byteArray, repetition: .required, fieldID: 2_147_483_546)
        let negative = try Self.file([pathNode, .primitive("pos", .int64, repetition: .required, fieldID: 2_147_483_545)],
            [ColumnData(values: .byteArray(one)), ColumnData(values: .int64([-1]))])
        #expect(throws: IcebergError.self) { try PositionDeleteFile.read(negative, location: "t") }
        let noPosition = try Self.file([pathNode], [ColumnData(values: .byteArray(one))])
        #expect(throws: IcebergError.self) { try PositionDeleteFile.read(noPosition, location: "t") }
        let wrongType = try Self.file([pathNode, .primitive("pos", .int32, repetition: .required, fieldID: 2_147_483_545)],
            [ColumnData(values: .byteArray(one)), ColumnData(values: .int32([1]))])
        #expect(throws: IcebergError.self) { try PositionDeleteFile.read(wrongType, location: "t") }
        let nullPosition = try Self.file([pathNode, .primitive("pos", .int64, repetition: .optional, fieldID: 2_147_483_545)],
            [ColumnData(values: .byteArray(one)), ColumnData(values: .int64([]), definitionLevels: [0])])
        #expect(throws: IcebergError.self) { try PositionDeleteFile.read(nullPosition, location: "t") }
    }
}
