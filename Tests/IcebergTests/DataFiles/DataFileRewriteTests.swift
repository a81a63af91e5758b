import Foundation
import Iceberg
import IcebergSpec
import Parquet
import TestSupport
import Testing

@Suite struct DataFileRewriteTests {
    typealias T = DataFileTesting

    static let schema = Schema(schemaId: 0, fields: [
        T.field(1, "id", T.p(.long), required: true),
        T.field(2, "name", T.p(.string)),
    ])

    static func inputs(_ directory: URL) throws -> [DataFileRewrite.Input] {
        let first = directory.appendingPathComponent("a.parquet").path
        let second = directory.appendingPathComponent("b.parquet").path
        try T.write((0..<6).map { .group([.int64($0 * 2), .string("a\($0)")]) }, schema: schema, to: first, rowGroupRows: 4)
        try T.write((0..<5).map { .group([.int64($0 * 2 + 1), .null]) }, schema: schema, to: second)
        return [
            DataFileRewrite.Input(path: first, isDeleted: { $0 == 0 || $0 == 5 }),
            DataFileRewrite.Input(path: second, isDeleted: { $0 == 2 }, filter: { batch throws(DataFileError) in
                // An equality delete on id = 9.
                let ids = try batch.literals(fieldID: 1, schema: schema)
                return batch.removingRows { ids[$0] == .long(9) }
            }),
        ]
    }

    @Test(arguments: [false, true])
    func rewritesATask(sorted: Bool) throws {
        try Fixtures.withTemporaryDirectory { directory in
            let writer = try RollingDataFileWriter(schema: Self.schema, properties: DataWriteProperties(),
                targetFileSize: 1 << 20, directory: directory.path + "/out", specId: 0, partition: [])
            let order = SortOrder(orderId: 1, fields: [
                SortField(sourceId: 1, transform: .identity, direction: .descending, nullOrder: .nullsLast),
            ])
            let files = try DataFileRewrite.run(try Self.inputs(directory), into: writer, sortOrder: sorted ? order : nil)
            #expect(files.count == 1)
            let ids = try T.rows(try T.read(files[0].filePath, as: Self.schema)).map { row -> Int64 in
                guard case .group(let fields) = row, case .int64(let id) = fields[0] else { return -1 }
                return id
            }
            let expected: [Int64] = [2, 4, 6, 8, 1, 3, 7]
            #expect(ids == (sorted ? expected.sorted(by: >) : expected))
            #expect(files[0].recordCount == 7)
        }
    }

    @Test func aFailedTaskLeavesNoFiles() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let out = directory.path + "/out"
            let writer = try RollingDataFileWriter(schema: Self.schema, properties: DataWriteProperties(),
                targetFileSize: 1 << 20, directory: out, specId: 0, partition: [])
            let inputs = try Self.inputs(directory) + [DataFileRewrite.Input(path: directory.path + "/missing.parquet")]
            #expect(throws: DataFileError.self) { try DataFileRewrite.run(inputs, into: writer) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        }
    }
}
