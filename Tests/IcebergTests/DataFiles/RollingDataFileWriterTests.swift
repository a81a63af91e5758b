import Foundation
import Iceberg
import IcebergSpec
import Parquet
import TestSupport
import Testing

@Suite struct RollingDataFileWriterTests {
    typealias T = DataFileTesting

    static let schema = Schema(schemaId: 0, fields: [
        T.field(1, "id", T.p(.long), required: true),
        T.field(2, "name", T.p(.string)),
        T.field(3, "score", T.p(.double)),
        T.field(4, "tags", .list(ListType(elementId: 5, elementRequired: false, element: T.p(.string)))),
        T.field(6, "at", T.p(.timestamptz)),
        T.field(7, "amount", T.p(.decimal(precision: 20, scale: 2))),
    ])

    static func batch(_ rows: [ParquetValue]) throws -> DataBatch {
        let parquet = try IcebergParquetSchema.parquetSchema(for: schema)
        return DataBatch(schema: parquet, columns: try RecordShredder.columns(schema: parquet, rows: rows),
            positions: (0..<Int64(rows.count)).map { $0 })
    }

    @Test func metricsFollowTheFooterAndTheModes() throws {
        let rows: [ParquetValue] = [
            .group([.int64(4), .string("abcdefghijklmnopqrstuvwxyz"), .double(1.0), .list([.string("x"), .null]),
                .int64(1_000), T.bigEndian(-250, width: 9)]),
            .group([.int64(1), .null, .double(.nan), .null, .null, .null]),
            .group([.int64(3), .string("b"), .null, .list([]), .int64(-5), T.bigEndian(7, width: 9)]),
            .group([.int64(2), .string("zz"), .double(-2.5), .list([.string("y")]), .int64(9), .null]),
        ]
        try Fixtures.withTemporaryDirectory { directory in
            let properties = try DataWriteProperties(
                properties: ["write.metadata.metrics.column.at": "counts", "write.parquet.compression-codec": "snappy"],
                schema: Self.schema)
            let writer = try RollingDataFileWriter(
                schema: Self.schema, properties: properties, targetFileSize: 1 << 20, directory: directory.path,
                specId: 3, partition: [.int(7)], sortOrderId: 0)
            try writer.write(try Self.batch(rows))
            let files = try writer.finish()
            #expect(files.count == 1)
            let file = try #require(files.first)
            #expect(file.recordCount == 4)
            #expect(file.specId == 3 && file.partition == [.int(7)] && file.fileFormat == "PARQUET")
            #expect(file.fileSizeInBytes == Int64(try FileManager.default.attributesOfItem(atPath: file.filePath)[.size] as! Int))
            #expect(file.splitOffsets == [4])
            #expect(file.valueCounts == [1: 4, 2: 4, 3: 4, 5: 5, 6: 4, 7: 4])
            #expect(file.nullValueCounts == [1: 0, 2: 1, 3: 1, 5: 3, 6: 1, 7: 2])
            #expect(file.nanValueCounts == [3: 1])
            #expect(Set(file.columnSizes?.keys ?? [:].keys) == [1, 2, 3, 5, 6, 7])
            #expect(file.lowerBounds?[1] == Literal.long(1).binary)
            #expect(file.upperBounds?[1] == Literal.long(4).binary)
            #expect(file.lowerBounds?[2] == Array("abcdefghijklmnop".utf8))
            #expect(file.upperBounds?[2] == Array("zz".utf8))
            #expect(file.lowerBounds?[3] == Literal.double(-2.5).binary)
            #expect(file.upperBounds?[3] == Literal.double(1.0).binary)
            // Inside a list: counts, no bounds. Counts mode: no bounds.
            #expect(file.lowerBounds?[5] == nil && file.lowerBounds?[6] == nil)
            // Decimals as minimal big-endian two's complement.
            #expect(file.lowerBounds?[7] == [0xFF, 0x06])
            #expect(file.upperBounds?[7] == [0x07])
            // NaN is not equal to itself: compare the rendered rows.
            let read = try T.read(file.filePath, as: Self.schema)
            let rendered = try T.rows(read).map { String(describing: $0) }
            #expect(rendered == rows.map { String(describing: $0) })
            #expect(rendered[1].contains("nan"))
        }
    }

    @Test func rollsAtTheTargetSize() throws {
        var generator = SystemRandomNumberGenerator()
        let rows: [ParquetValue] = (0..<30_000).map { index in
            let text = String((0..<24).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &generator))) })
            return .group([.int64(Int64(index)), .string(text), .double(Double(index) / 3),
                .list(index % 3 == 0 ? [] : [.string(String(text.prefix(5)))]), .int64(Int64(index) * 1_000_000),
                T.bigEndian(Int64(index), width: 9)])
        }
        try Fixtures.withTemporaryDirectory { directory in
            let target: Int64 = 256 << 10
            let location = "file://" + directory.path
            let properties = try DataWriteProperties(properties: [:], schema: Self.schema)
            let partitionDirectory = properties.directory(tableLocation: location, partitionPath: "p=1")
            #expect(partitionDirectory == location + "/data/p=1")
            let writer = try RollingDataFileWriter(
                schema: Self.schema, properties: properties, targetFileSize: target, directory: partitionDirectory,
                specId: 0, partition: [])
            for start in stride(from: 0, to: rows.count, by: 7_000) {
                try writer.write(try Self.batch(Array(rows[start..<min(rows.count, start + 7_000)])))
            }
            let files = try writer.finish()
            #expect(files.count >= 3)
            for file in files.dropLast() {
                #expect(file.fileSizeInBytes <= target + target / 10, "\(file.fileSizeInBytes)")
                #expect(file.fileSizeInBytes >= target - target / 5, "\(file.fileSizeInBytes)")
            }
            #expect(files.reduce(0) { $0 + $1.recordCount } == Int64(rows.count))
            var readBack: [ParquetValue] = []
            for (index, file) in files.enumerated() {
                #expect(file.filePath.hasPrefix(location + "/data/p=1/"))
                #expect(file.filePath.hasSuffix("-\(index).parquet"))
                let path = String(file.filePath.dropFirst("file://".count))
                readBack += try T.rows(try T.read(path, as: Self.schema))
            }
            #expect(readBack == rows)
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/data/p=1")
            #expect(left.count == files.count && left.allSatisfy { !$0.hasPrefix(".") })
        }
    }

    @Test func rowGroupsFollowTheRowGroupSize() throws {
        let rows: [ParquetValue] = (0..<20_000).map { index in
            .group([.int64(Int64(index)), .string("name-\(index)"), .double(Double(index)), .null, .null, .null])
        }
        try Fixtures.withTemporaryDirectory { directory in
            let properties = try DataWriteProperties(
                properties: ["write.parquet.row-group-size-bytes": "65536", "write.parquet.page-row-limit": "1000",
                    "write.parquet.compression-codec": "gzip", "write.parquet.compression-level": "9"],
                schema: Self.schema)
            #expect(properties.parquetOptions.compression == .gzip && properties.parquetOptions.compressionLevel == 9)
            let writer = try RollingDataFileWriter(schema: Self.schema, properties: properties, targetFileSize: 64 << 20,
                directory: directory.path, specId: 0, partition: [])
            try writer.write(try Self.batch(rows))
            let files = try writer.finish()
            #expect(files.count == 1)
            let reader = try ParquetFileReader(path: files[0].filePath)
            #expect(reader.rowGroupCount > 4)
            #expect(files[0].splitOffsets?.count == reader.rowGroupCount)
            #expect(files[0].splitOffsets == reader.metadata.rowGroups.map { $0.columns[0].metaData?.dataPageOffset ?? -1 }
                || files[0].splitOffsets == reader.metadata.rowGroups.map { $0.columns[0].metaData?.dictionaryPageOffset ?? -1 })
            #expect(reader.metadata.rowGroups.allSatisfy { $0.columns[0].metaData?.codec == .gzip })
            #expect(try reader.pages(rowGroup: 0, column: 0).count > 1)
        }
    }

    @Test func abortRemovesEverything() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let writer = try RollingDataFileWriter(
                schema: Self.schema, properties: DataWriteProperties(), targetFileSize: 1 << 20,
                directory: directory.path, specId: 0, partition: [])
            try writer.write(try Self.batch([.group([.int64(1), .null, .null, .null, .null, .null])]))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 1)
            writer.abort()
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    @Test func badPropertiesAreRejected() {
        #expect(throws: DataFileError.self) {
            try DataWriteProperties(properties: ["write.parquet.compression-codec": "brotli"], schema: Self.schema)
        }
        #expect(throws: DataFileError.self) {
            try DataWriteProperties(properties: ["write.parquet.page-size-bytes": "-1"], schema: Self.schema)
        }
    }
}
