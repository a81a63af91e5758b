import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Storage
import Testing
import TestSupport

/// Parquet files built in memory for delete tests.
enum DeleteTestFiles {
    static func reader(_ nodes: [SchemaNode], _ columns: [ColumnData]) throws -> ParquetFileReader {
        try ParquetFileReader(source: MemorySource(try bytes(nodes, columns)))
    }

    static func bytes(_ nodes: [SchemaNode], _ columns: [ColumnData]) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: try ParquetSchema(nodes), sink: sink)
        try writer.write(columns)
        try writer.close()
        return sink.bytes
    }

    static func strings(_ values: [String]) -> ByteArrays {
        var result = ByteArrays()
        for value in values { result.append(Array(value.utf8)) }
        return result
    }
}

@Suite struct EqualityDeleteTests {
    /// Deletes over (name, id): null matches null, an int column written before promotion to long matches, and the
    /// order of `equality_ids` does not matter.
    @Test func nullsAndPromotedIntegers() throws {
        let deletes = try DeleteTestFiles.reader(
            [.primitive("id", .int64, repetition: .required, fieldID: 1),
             .primitive("name", .byteArray, repetition: .optional, logicalType: .string, fieldID: 2)],
            [ColumnData(values: .int64([1, 2, 3])),
             ColumnData(values: .byteArray(DeleteTestFiles.strings(["a", "c"])), definitionLevels: [1, 0, 1])])
        let set = try EqualityDeleteSet.read(deletes, fieldIds: [2, 1], location: "d")
        #expect(set.fieldIds == [1, 2] && set.count == 3)
        let data = try DeleteTestFiles.reader(
            [.primitive("id", .int32, repetition: .required, fieldID: 1),
             .primitive("name", .byteArray, repetition: .optional, logicalType: .string, fieldID: 2),
             .primitive("other", .int32, repetition: .required, fieldID: 5)],
            [ColumnData(values: .int32([1, 1, 2, 2, 3, 4])),
             ColumnData(values: .byteArray(DeleteTestFiles.strings(["a", "b", "", "c"])), definitionLevels: [1, 1, 0, 1, 1, 0]),
             ColumnData(values: .int32([0, 0, 0, 0, 0, 0]))])
        #expect(try set.matchingRows(in: data, location: "a").positions == [0, 2, 4])
        // A data file written before `name` existed reads it as null.
        let old = try DeleteTestFiles.reader([.primitive("id", .int32, repetition: .required, fieldID: 1)],
            [ColumnData(values: .int32([2, 1, 2]))])
        #expect(try set.matchingRows(in: old, location: "old").positions == [0, 2])
        // A delete file lacking one of its equality columns is invalid.
        #expect(throws: IcebergError.self) { try EqualityDeleteSet.read(old, fieldIds: [1, 2], location: "d") }
    }

    /// A data file written without field ids (PyIceberg's add_files, migrated tables) finds its key columns through
    /// the table's name mapping; without one it is refused, since reading every key as null would keep deleted rows.
    @Test func dataFileWithoutFieldIdsUsesTheNameMapping() throws {
        let deletes = try DeleteTestFiles.reader([.primitive("id", .int64, repetition: .required, fieldID: 1)],
            [ColumnData(values: .int64([2, 4]))])
        let set = try EqualityDeleteSet.read(deletes, fieldIds: [1], location: "d")
        let data = try DeleteTestFiles.reader(
            [.primitive("other", .int32, repetition: .required), .primitive("id", .int64, repetition: .optional)],
            [ColumnData(values: .int32([0, 0, 0, 0])), ColumnData(values: .int64([1, 2, 4]), definitionLevels: [1, 1, 0, 1])])
        let mapping = NameMapping(fields: [.init(fieldId: 7, names: ["other"]), .init(fieldId: 1, names: ["id"])])
        #expect(try set.matchingRows(in: data, nameMapping: mapping, location: "a").positions == [1, 3])
        #expect(throws: IcebergError.self) { try set.matchingRows(in: data, location: "a") }
    }

    /// Floats compare as doubles by value; NaN equals NaN; -0.0 and 0.0 differ (Java's Float.compareTo).
    @Test func floatingPoint() throws {
        let deletes = try DeleteTestFiles.reader([.primitive("f", .double, repetition: .required, fieldID: 3)],
            [ColumnData(values: .double([.nan, 0.0, 1.5]))])
        let set = try EqualityDeleteSet.read(deletes, fieldIds: [3], location: "d")
        let data = try DeleteTestFiles.reader([.primitive("f", .float, repetition: .required, fieldID: 3)],
            [ColumnData(values: .float([-.nan, -0.0, 0.0, 1.5, 2.0]))])
        #expect(try set.matchingRows(in: data, location: "a").positions == [0, 2, 3])
    }

    /// Decimals compare by unscaled value whatever their physical type.
    @Test func decimalsAcrossPhysicalTypes() throws {
        let deletes = try DeleteTestFiles.reader(
            [.primitive("d", .int32, repetition: .required, logicalType: .decimal(precision: 9, scale: 2), fieldID: 4)],
            [ColumnData(values: .int32([12345, -5]))])
        let set = try EqualityDeleteSet.read(deletes, fieldIds: [4], location: "d")
        let fixed: [UInt8] = [0, 0, 0x30, 0x39] + [0xFF, 0xFF, 0xFF, 0xFB] + [0, 0, 0, 7]
        let data = try DeleteTestFiles.reader(
            [.primitive("d", .fixedLenByteArray, repetition: .required, typeLength: 4,
                logicalType: .decimal(precision: 9, scale: 2), fieldID: 4)],
            [ColumnData(values: .fixedLenByteArray(FixedLengthByteArrays(width: 4, data: fixed)))])
        #expect(try set.matchingRows(in: data, location: "a").positions == [0, 1])
    }

    @Test func unionOfSets() throws {
        func set(_ values: [Int64]) throws -> EqualityDeleteSet {
            try EqualityDeleteSet.read(try DeleteTestFiles.reader([.primitive("id", .int64, repetition: .required, fieldID: 1)],
                [ColumnData(values: .int64(values))]), fieldIds: [1], location: "d")
        }
        var a = try set([1, 2])
        a.formUnion(try set([2, 3]))
        #expect(a.count == 3)
        let data = try DeleteTestFiles.reader([.primitive("id", .int64, repetition: .required, fieldID: 1)],
            [ColumnData(values: .int64([3, 4, 1]))])
        #expect(try a.matchingRows(in: data, location: "a").positions == [0, 2])
    }

    /// Thousands of keys, so the set and its quick filter grow many times: every row whose key is in the set
    /// matches and no other, whichever rows the filter turns away.
    @Test func manyKeysMatchExactly() throws {
        let id = SchemaNode.primitive("id", .int64, repetition: .required, fieldID: 1)
        let deleted = (0..<5_000).map { Int64($0) * 7_919 % 100_003 }
        let set = try EqualityDeleteSet.read(
            try DeleteTestFiles.reader([id], [ColumnData(values: .int64(deleted))]), fieldIds: [1], location: "d")
        #expect(set.count == 5_000)
        let data = try DeleteTestFiles.reader([id], [ColumnData(values: .int64((0..<100_003).map { Int64($0) }))])
        #expect(try set.matchingRows(in: data, location: "a").positions == deleted.sorted())
    }

    @Test func repeatedKeyColumnsAreRejected() throws {
        let data = try DeleteTestFiles.reader(
            [.list("ids", element: .primitive("element", .int64, repetition: .required, fieldID: 1), fieldID: 9)],
            [ColumnData(values: .int64([1]), definitionLevels: [2], repetitionLevels: [0])])
        #expect(throws: IcebergError.self) { try EqualityDeleteSet.read(data, fieldIds: [1], location: "d") }
    }
}

@Suite struct RowDeletesTests {
    @Test func combinesEveryKindOfDeleteAndCachesFiles() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-rowdeletes")
        defer { try? FileManager.default.removeItem(at: root) }
        let base = "file://\(root.path)"
        let storage = LocalStorage()
        func dataFile(_ name: String, _ ids: [Int64]) async throws -> DataFile {
            let bytes = try DeleteTestFiles.bytes([.primitive("id", .int64, repetition: .required, fieldID: 1)],
                [ColumnData(values: .int64(ids))])
            try await storage.write("\(base)/\(name)", bytes: bytes, mode: .createNew)
            return DataFile(content: .data, filePath: "\(base)/\(name)", fileFormat: "PARQUET", specId: 0, partition: [],
                recordCount: Int64(ids.count), fileSizeInBytes: Int64(bytes.count))
        }
        let a = try await dataFile("a.parquet", Array(0..<10))
        let b = try await dataFile("b.parquet", Array(0..<5))
        let positionFile = try await PositionDeleteFile.write(
            [a.filePath: RoaringPositionBitmap([1, 2]), b.filePath: RoaringPositionBitmap([0])], to: "\(base)/pos.parquet",
            storage: storage, specId: 0, partition: [])
        let vector = try await DeletionVector.write(
            [.init(dataFilePath: b.filePath, positions: RoaringPositionBitmap([4]), specId: 0, partition: [])],
            to: "\(base)/dv.puffin", storage: storage)[0]
        let equalityBytes = try DeleteTestFiles.bytes([.primitive("id", .int64, repetition: .required, fieldID: 1)],
            [ColumnData(values: .int64([7, 3]))])
        try await storage.write("\(base)/eq.parquet", bytes: equalityBytes, mode: .createNew)
        var equalityFile = DataFile(content: .equalityDeletes, filePath: "\(base)/eq.parquet", fileFormat: "PARQUET", specId: 0,
            partition: [], recordCount: 2, fileSizeInBytes: Int64(equalityBytes.count))
        equalityFile.equalityIds = [1]
        let deletes = [positionFile, vector, equalityFile]

        for maxBytes in [256 << 20, 1] {
            let rowDeletes = RowDeletes(storage: storage, cache: DeleteFileCache(maxBytes: maxBytes))
            let forA = try await rowDeletes.deletedPositions(of: a, deleteFiles: [deletes[0], deletes[2]])
            #expect(forA.positions == [1, 2, 3, 7])
            let opened = try ParquetFileReader(path: "\(root.path)/b.parquet")
            let forB = try await rowDeletes.deletedPositions(of: b, deleteFiles: deletes, data: opened)
            #expect(forB.positions == [0, 3, 4])
            let statistics = rowDeletes.cache.statistics
            if maxBytes > 1 {
                #expect(statistics.misses == 2 && statistics.hits == 2 && statistics.files == 2 && statistics.bytes > 0)
            } else {
                #expect(statistics.misses == 4 && statistics.hits == 0 && statistics.files == 0)
            }
        }
        // A DV applied to another data file is a planning error.
        let rowDeletes = RowDeletes(storage: storage)
        await #expect(throws: IcebergError.self) { try await rowDeletes.deletedPositions(of: a, deleteFiles: [deletes[1]]) }
    }

    @Test func leastRecentlyUsedFilesAreDropped() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-cache")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = LocalStorage()
        var files: [DataFile] = []
        for index in 0..<3 {
            let positions = ["file:///d\(index)": RoaringPositionBitmap((0..<100).map { Int64($0 * 2) })]
            files.append(try await PositionDeleteFile.write(positions, to: "file://\(root.path)/p\(index).parquet",
                storage: storage, specId: 0, partition: []))
        }
        // Room for two parsed files, not three.
        let one = try await DeleteFileCache().positions(of: files[0], storage: storage)
        let size = one.reduce(64) { $0 + $1.key.utf8.count + 48 + $1.value.estimatedBytes }
        let cache = DeleteFileCache(maxBytes: size * 2 + size / 2)
        for file in files { _ = try await cache.positions(of: file, storage: storage) }
        #expect(cache.statistics.files == 2 && cache.statistics.misses == 3)
        _ = try await cache.positions(of: files[2], storage: storage)
        #expect(cache.statistics.hits == 1)
        _ = try await cache.positions(of: files[0], storage: storage)
        #expect(cache.statistics.misses == 4, "the oldest file was dropped")
    }
}

@Suite struct EqualityKeyTests {
    /// Many random string/long keys (with nulls, empty strings, uuids and booleans) against a Swift `Set` of tuples:
    /// exercises the byte-key set's growth, the length prefixes and the null markers.
    @Test(arguments: [11, 12, 13])
    func randomKeysMatchASetOfTuples(seed: UInt64) throws {
        struct Row: Hashable { var name: String?; var id: Int64?; var uuid: [UInt8]; var flag: Bool }
        var generator = SeededGenerator(seed: seed)
        func row() -> Row {
            let n = generator.next()
            let name: String? = n % 5 == 0 ? nil : String(repeating: "x", count: Int(n % 4))  // "", "x", ... or null
            let id: Int64? = n % 7 == 0 ? nil : Int64(generator.next() % 50)
            return Row(name: name, id: id, uuid: (0..<16).map { UInt8($0 == 0 ? generator.next() % 3 : 0) }, flag: n % 3 == 0)
        }
        func file(_ rows: [Row]) throws -> ParquetFileReader {
            var uuids: [UInt8] = []
            for row in rows { uuids += row.uuid }
            return try DeleteTestFiles.reader(
                [.primitive("name", .byteArray, repetition: .optional, logicalType: .string, fieldID: 1),
                 .primitive("id", .int64, repetition: .optional, fieldID: 2),
                 .primitive("u", .fixedLenByteArray, repetition: .required, typeLength: 16, logicalType: .uuid, fieldID: 3),
                 .primitive("flag", .boolean, repetition: .required, fieldID: 4)],
                [ColumnData(values: .byteArray(DeleteTestFiles.strings(rows.compactMap(\.name))),
                    definitionLevels: rows.map { $0.name == nil ? 0 : 1 }),
                 ColumnData(values: .int64(rows.compactMap(\.id)), definitionLevels: rows.map { $0.id == nil ? 0 : 1 }),
                 ColumnData(values: .fixedLenByteArray(FixedLengthByteArrays(width: 16, data: uuids))),
                 ColumnData(values: .boolean(rows.map(\.flag)))])
        }
        let deleted = (0..<3000).map { _ in row() }
        let data = (0..<5000).map { _ in row() }
        let set = try EqualityDeleteSet.read(try file(deleted), fieldIds: [1, 2, 3, 4], location: "d")
        let tuples = Set(deleted)
        #expect(set.count == tuples.count)
        let expected = data.indices.filter { tuples.contains(data[$0]) }.map(Int64.init)
        #expect(!expected.isEmpty && expected.count < data.count)
        #expect(try set.matchingRows(in: try file(data), location: "a").positions == expected)
    }

    /// Two equality-delete files over the same fields and one over other fields all apply to one data file.
    @Test func severalFilesAndFieldGroups() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-eqgroups")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = LocalStorage()
        let base = "file://\(root.path)"
        let nodes: [SchemaNode] = [.primitive("id", .int64, repetition: .required, fieldID: 1),
            .primitive("kind", .int32, repetition: .required, fieldID: 2)]
        func write(_ name: String, _ ids: [Int64], _ kinds: [Int32], equalityIds: [Int]) async throws -> DataFile {
            let bytes = try DeleteTestFiles.bytes(nodes, [ColumnData(values: .int64(ids)), ColumnData(values: .int32(kinds))])
            try await storage.write("\(base)/\(name)", bytes: bytes, mode: .createNew)
            var file = DataFile(content: equalityIds.isEmpty ? .data : .equalityDeletes, filePath: "\(base)/\(name)",
                fileFormat: "PARQUET", specId: 0, partition: [], recordCount: Int64(ids.count), fileSizeInBytes: Int64(bytes.count))
            file.equalityIds = equalityIds.isEmpty ? nil : equalityIds
            return file
        }
        let data = try await write("data.parquet", [1, 2, 3, 4, 5, 6], [0, 1, 0, 1, 0, 1], equalityIds: [])
        let byId1 = try await write("e1.parquet", [1], [9], equalityIds: [1])
        let byId2 = try await write("e2.parquet", [4, 9], [9, 9], equalityIds: [1])
        let byBoth = try await write("e3.parquet", [5, 6], [1, 1], equalityIds: [2, 1])
        let deleted = try await RowDeletes(storage: storage).deletedPositions(of: data, deleteFiles: [byId1, byId2, byBoth])
        #expect(deleted.positions == [0, 3, 5])
    }
}

@Suite struct DeleteFileCacheTests {
    /// Tasks asking for the same file at once share one read.
    @Test func concurrentRequestsShareOneRead() async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-cache-shared")
        defer { try? FileManager.default.removeItem(at: root) }
        let storage = LocalStorage()
        let file = try await PositionDeleteFile.write(["file:///d": RoaringPositionBitmap((0..<20000).map(Int64.init))],
            to: "file://\(root.path)/p.parquet", storage: storage, specId: 0, partition: [])
        let cache = DeleteFileCache()
        let counts = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<8 { group.addTask { try await cache.positions(of: file, storage: storage)["file:///d"]?.cardinality ?? 0 } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 20000, count: 8))
        #expect(cache.statistics.misses == 1 && cache.statistics.hits == 7 && cache.statistics.files == 1)
        // A failed read is not kept: the next request reads again.
        var missing = file
        missing.filePath = "file://\(root.path)/missing.parquet"
        for _ in 0..<2 { await #expect(throws: IcebergError.self) { try await cache.positions(of: missing, storage: storage) } }
        #expect(cache.statistics.misses == 3)
        var equality = file
        equality.content = .equalityDeletes
        equality.equalityIds = [1]
        await #expect(throws: IcebergError.self) { try await cache.equalityDeletes(of: equality, storage: storage) }
    }
}
