import Foundation
import Iceberg
import IcebergSpec
import JSONCoding
import Parquet
import TestSupport
import Testing

@Suite struct DataFileReaderTests {
    typealias T = DataFileTesting

    static let oldSchema = Schema(schemaId: 0, fields: [
        T.field(1, "id", T.p(.int), required: true),
        T.field(2, "name", T.p(.string)),
        T.field(3, "price", T.p(.float)),
        T.field(4, "amount", T.p(.decimal(precision: 9, scale: 2))),
        T.field(5, "items", .list(ListType(elementId: 6, elementRequired: false, element: .struct(StructType(fields: [
            T.field(7, "q", T.p(.int)),
        ]))))),
        T.field(12, "flag", T.p(.boolean), required: true),
    ])

    /// After evolution: id int→long, name renamed, price float→double, amount decimal(9,2)→(20,2), a field added
    /// inside the list's struct, a new struct column, flag made optional.
    static let newSchema = Schema(schemaId: 1, fields: [
        T.field(1, "id", T.p(.long), required: true),
        T.field(2, "label", T.p(.string)),
        T.field(3, "price", T.p(.double)),
        T.field(4, "amount", T.p(.decimal(precision: 20, scale: 2))),
        T.field(5, "items", .list(ListType(elementId: 6, elementRequired: false, element: .struct(StructType(fields: [
            T.field(7, "q", T.p(.int)),
            T.field(8, "note", T.p(.string)),
        ]))))),
        T.field(9, "extra", .struct(StructType(fields: [T.field(10, "x", T.p(.long))]))),
        T.field(12, "flag", T.p(.boolean)),
        T.field(13, "tags", .list(ListType(elementId: 14, elementRequired: true, element: T.p(.string)))),
    ])

    static let oldRows: [ParquetValue] = [
        .group([.int32(1), .string("a"), .float(1.5), .int32(12345),
            .list([.group([.int32(1)]), .group([.null]), .null]), .boolean(true)]),
        .group([.int32(2), .null, .null, .null, .null, .boolean(false)]),
        .group([.int32(3), .string("c"), .float(2.25), .int32(-5), .list([]), .boolean(true)]),
    ]

    @Test func evolvedSchemaReadsByFieldID() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("old.parquet").path
            try T.write(Self.oldRows, schema: Self.oldSchema, to: path, rowGroupRows: 2)
            let batch = try T.read(path, as: Self.newSchema)
            #expect(batch.positions == [0, 1, 2])
            let rows = try T.rows(batch)
            #expect(rows == [
                .group([.int64(1), .string("a"), .double(1.5), T.bigEndian(12345, width: 9),
                    .list([.group([.int32(1), .null]), .group([.null, .null]), .null]), .null, .boolean(true), .null]),
                .group([.int64(2), .null, .null, .null, .null, .null, .boolean(false), .null]),
                .group([.int64(3), .string("c"), .double(2.25), T.bigEndian(-5, width: 9), .list([]), .null,
                    .boolean(true), .null]),
            ])
        }
    }

    @Test func missingFieldsReadAsTheirInitialDefaults() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("old.parquet").path
            try T.write(Self.oldRows, schema: Self.oldSchema, to: path)
            var schema = Self.oldSchema
            schema.fields.append(NestedField(id: 30, name: "level", isRequired: false, type: T.p(.long), initialDefault: .int(7)))
            schema.fields.append(NestedField(id: 31, name: "kind", isRequired: true, type: T.p(.string),
                initialDefault: .string("x")))
            schema.fields[4] = T.field(5, "items", .list(ListType(elementId: 6, elementRequired: false,
                element: .struct(StructType(fields: [
                    T.field(7, "q", T.p(.int)),
                    NestedField(id: 32, name: "note", isRequired: false, type: T.p(.string), initialDefault: .string("n")),
                ])))))
            let rows = try T.rows(try T.read(path, as: schema))
            #expect(rows == [
                .group([.int32(1), .string("a"), .float(1.5), .int32(12345),
                    .list([.group([.int32(1), .string("n")]), .group([.null, .string("n")]), .null]), .boolean(true),
                    .int64(7), .string("x")]),
                .group([.int32(2), .null, .null, .null, .null, .boolean(false), .int64(7), .string("x")]),
                .group([.int32(3), .string("c"), .float(2.25), .int32(-5), .list([]), .boolean(true), .int64(7),
                    .string("x")]),
            ])
            var unsupported = Self.oldSchema
            unsupported.fields.append(NestedField(id: 33, name: "day", isRequired: false, type: T.p(.date),
                initialDefault: .string("2024-01-01")))
            #expect(throws: DataFileError.self) { try DataFileReader(path: path, tableSchema: unsupported) }
        }
    }

    @Test func missingRequiredColumnIsAnError() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("old.parquet").path
            try T.write(Self.oldRows, schema: Self.oldSchema, to: path)
            var schema = Self.newSchema
            schema.fields.append(T.field(20, "must", T.p(.int), required: true))
            #expect(throws: DataFileError.self) { try DataFileReader(path: path, tableSchema: schema) }
            var incompatible = Self.newSchema
            incompatible.fields[1] = T.field(2, "label", T.p(.long))
            let reader = try DataFileReader(path: path, tableSchema: incompatible)
            #expect(throws: DataFileError.self) { try reader.readRowGroup(0) }
        }
    }

    @Test func damagedFilesThrow() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("good.parquet").path
            try T.write(Self.oldRows, schema: Self.oldSchema, to: path)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let truncated = directory.appendingPathComponent("truncated.parquet").path
            try Data(bytes.prefix(bytes.count - 9)).write(to: URL(fileURLWithPath: truncated))
            #expect(throws: DataFileError.self) { try DataFileReader(path: truncated, tableSchema: Self.newSchema) }
            // Page bytes overwritten: every column chunk starts after the 4-byte magic; wreck the first page header.
            var wrecked = bytes
            for index in 4..<12 { wrecked[index] = 0xFF }
            let damaged = directory.appendingPathComponent("damaged.parquet").path
            try Data(wrecked).write(to: URL(fileURLWithPath: damaged))
            let reader = try DataFileReader(path: damaged, tableSchema: Self.newSchema)
            #expect(throws: DataFileError.self) { try reader.readRowGroup(0) }
            #expect(throws: DataFileError.self) {
                try DataFileReader(path: directory.appendingPathComponent("absent.parquet").path, tableSchema: Self.newSchema)
            }
        }
    }

    @Test func deletedPositionsAreDroppedFromNestedColumns() throws {
        let schema = Schema(schemaId: 0, fields: [
            T.field(1, "id", T.p(.long), required: true),
            T.field(2, "tags", .list(ListType(elementId: 3, elementRequired: false, element: T.p(.string)))),
            T.field(4, "attrs", .map(MapType(keyId: 5, key: T.p(.string), valueId: 6, valueRequired: false,
                value: .list(ListType(elementId: 7, elementRequired: true, element: T.p(.int)))))),
        ])
        let rows: [ParquetValue] = (0..<50).map { index in
            let tags: ParquetValue = index % 5 == 0 ? .null : .list((0..<(index % 4)).map { .string("t\(index)-\($0)") })
            let attrs: ParquetValue = index % 7 == 0 ? .null : .map((0..<(index % 3)).map { key in
                .init(key: .string("k\(key)"), value: key == 1 ? .null : .list((0..<key + index % 2).map { .int32(Int32($0)) }))
            })
            return .group([.int64(Int64(index)), tags, attrs])
        }
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nested.parquet").path
            try T.write(rows, schema: schema, to: path, rowGroupRows: 16)
            let deleted: [Int64] = [0, 3, 4, 5, 17, 31, 32, 33, 49]
            let expected = rows.enumerated().filter { !deleted.contains(Int64($0.offset)) }.map(\.element)
            let reader = try DataFileReader(path: path, tableSchema: schema)
            var bySet: [DataBatch] = []
            var bySorted: [DataBatch] = []
            for group in 0..<reader.rowGroupCount {
                let batch = try reader.readRowGroup(group)
                bySet.append(batch.removingDeleted { Set(deleted).contains($0) })
                bySorted.append(batch.removingDeleted(sortedPositions: deleted))
            }
            #expect(reader.rowGroupCount == 4)
            let fromSet = try DataBatch.concatenating(bySet, schema: reader.schema)
            let fromSorted = try DataBatch.concatenating(bySorted, schema: reader.schema)
            #expect(try T.rows(fromSet) == expected)
            #expect(try T.rows(fromSorted) == expected)
            #expect(fromSet.positions == (0..<50).map(Int64.init).filter { !deleted.contains($0) })
            for (data, column) in zip(fromSet.columns, fromSet.schema.columns) { try data.validate(against: column) }
        }
    }

    @Test func rowsDeletedByValue() throws {
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("old.parquet").path
            try T.write(Self.oldRows, schema: Self.oldSchema, to: path)
            let batch = try T.read(path, as: Self.newSchema)
            // Equality-delete style: keys read as literals of the table's types (renamed, promoted).
            let labels = try batch.literals(fieldID: 2, schema: Self.newSchema)
            #expect(labels == [.string("a"), nil, .string("c")])
            #expect(try batch.literals(fieldID: 1, schema: Self.newSchema) == [.long(1), .long(2), .long(3)])
            #expect(throws: DataFileError.self) { try batch.literals(fieldID: 7, schema: Self.newSchema) }
            let kept = batch.removingRows { labels[$0] == .string("c") || labels[$0] == nil }
            #expect(kept.positions == [0])
            #expect(try T.rows(kept) == [try T.rows(batch)[0]])
        }
    }

    @Test func rowLineageIsInheritedWhenNull() throws {
        let schema = Schema(schemaId: 0, fields: [T.field(1, "id", T.p(.long), required: true)])
        try Fixtures.withTemporaryDirectory { directory in
            // A file written before lineage: every value is inherited.
            let plain = directory.appendingPathComponent("plain.parquet").path
            try T.write((0..<5).map { .group([.int64($0)]) }, schema: schema, to: plain, rowGroupRows: 2)
            let lineage = RowLineage(firstRowId: 100, dataSequenceNumber: 7)
            let batch = try T.read(plain, as: schema.withRowLineageFields, lineage: lineage)
                .removingDeleted(sortedPositions: [1])
            #expect(try T.rows(batch) == [0, 2, 3, 4].map { .group([.int64($0), .int64(100 + $0), .int64(7)]) })
            // A rewritten file keeps the ids it carries and inherits only the nulls.
            let mixed = directory.appendingPathComponent("mixed.parquet").path
            try T.write([
                .group([.int64(0), .int64(5), .int64(2)]), .group([.int64(1), .null, .null]),
            ], schema: schema.withRowLineageFields, to: mixed)
            let read = try T.read(mixed, as: schema.withRowLineageFields, lineage: lineage)
            #expect(try T.rows(read) == [
                .group([.int64(0), .int64(5), .int64(2)]), .group([.int64(1), .int64(101), .int64(7)]),
            ])
        }
    }

    @Test func filesWithoutFieldIDsNeedTheNameMapping() throws {
        // An imported file: plain Parquet names, no ids, a three-level list and a map.
        let parquet = try ParquetSchema([
            .primitive("user_id", .int64, repetition: .required),
            .list("tags", element: .primitive("element", .byteArray, logicalType: .string)),
            .map("attrs", key: .primitive("key", .byteArray, logicalType: .string), value: .primitive("value", .int32)),
        ])
        let rows: [ParquetValue] = [
            .group([.int64(1), .list([.string("a"), .null]), .map([.init(key: .string("k"), value: .int32(5))])]),
            .group([.int64(2), .null, .map([])]),
        ]
        let schema = Schema(schemaId: 0, fields: [
            T.field(1, "id", T.p(.long), required: true),
            T.field(2, "tags", .list(ListType(elementId: 3, elementRequired: false, element: T.p(.string)))),
            T.field(4, "attrs", .map(MapType(keyId: 5, key: T.p(.string), valueId: 6, valueRequired: false, value: T.p(.int)))),
        ])
        let mapping = try NameMapping(json: #"""
            [{"field-id": 1, "names": ["id", "user_id"]},
             {"field-id": 2, "names": ["tags"], "fields": [{"field-id": 3, "names": ["element"]}]},
             {"field-id": 4, "names": ["attrs"], "fields": [{"field-id": 5, "names": ["key"]}, {"field-id": 6, "names": ["value"]}]}]
            """#)
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("imported.parquet").path
            let writer = try ParquetFileWriter(schema: parquet, path: path)
            try writer.write(try RecordShredder.columns(schema: parquet, rows: rows))
            _ = try writer.close()
            #expect(throws: DataFileError.self) { try DataFileReader(path: path, tableSchema: schema) }
            let reader = try DataFileReader(path: path, tableSchema: schema, nameMapping: mapping)
            #expect(try T.rows(try reader.readRowGroup(0)) == rows)
        }
        #expect(throws: DataFileError.self) { try NameMapping(json: #"[{"field-id": 1}]"#) }
        #expect(throws: DataFileError.self) { try NameMapping(json: "{}") }
    }

    @Test func rowLineageSurvivesARewrite() throws {
        let schema = Schema(schemaId: 0, fields: [T.field(1, "id", T.p(.long), required: true)])
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v3.parquet").path
            try T.write((0..<6).map { .group([.int64($0)]) }, schema: schema, to: path, rowGroupRows: 4)
            let lineaged = schema.withRowLineageFields
            let reader = try DataFileReader(path: path, tableSchema: lineaged,
                rowLineage: RowLineage(firstRowId: 1_000, dataSequenceNumber: 3))
            let writer = try RollingDataFileWriter(schema: lineaged, properties: DataWriteProperties(),
                targetFileSize: 1 << 20, directory: directory.path + "/out", specId: 0, partition: [])
            for group in 0..<reader.rowGroupCount {
                try writer.write(try reader.readRowGroup(group).removingDeleted { $0 % 2 == 1 })
            }
            let files = try writer.finish()
            // Read back without inheritance: the ids and sequence numbers are in the file.
            let rows = try T.rows(try T.read(files[0].filePath, as: lineaged))
            #expect(rows == [0, 2, 4].map { .group([.int64($0), .int64(1_000 + $0), .int64(3)]) })
            #expect(files[0].lowerBounds?[IcebergParquetSchema.rowIDFieldID] == Literal.long(1_000).binary)
        }
    }

    @Test func sortByTransformsDirectionsAndNullOrders() throws {
        let schema = Schema(schemaId: 0, fields: [
            T.field(1, "id", T.p(.long), required: true),
            T.field(2, "name", T.p(.string)),
            T.field(3, "tags", .list(ListType(elementId: 4, elementRequired: true, element: T.p(.int)))),
        ])
        let names: [String?] = ["b", nil, "abc", "b", "abd", nil, "c"]
        let rows: [ParquetValue] = names.enumerated().map { index, name in
            .group([.int64(Int64(index)), name.map { .string($0) } ?? .null, .list((0..<index).map { .int32(Int32($0)) })])
        }
        try Fixtures.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("s.parquet").path
            try T.write(rows, schema: schema, to: path, rowGroupRows: 3)
            let reader = try DataFileReader(path: path, tableSchema: schema)
            let batches = try (0..<reader.rowGroupCount).map { try reader.readRowGroup($0) }
            // truncate[2](name) descending, nulls last; then id descending.
            let order = SortOrder(orderId: 1, fields: [
                SortField(sourceId: 2, transform: .truncate(2), direction: .descending, nullOrder: .nullsLast),
                SortField(sourceId: 1, transform: .identity, direction: .descending, nullOrder: .nullsFirst),
            ])
            let sorted = try DataSorter.sort(batches, by: order, schema: schema)
            #expect(sorted.positions == [6, 3, 0, 4, 2, 5, 1])
            #expect(try T.rows(sorted) == sorted.positions.map { rows[Int($0)] })
            let ascending = SortOrder(orderId: 2, fields: [
                SortField(sourceId: 2, transform: .identity, direction: .ascending, nullOrder: .nullsFirst),
            ])
            #expect(try DataSorter.sort(batches, by: ascending, schema: schema).positions == [1, 5, 2, 4, 0, 3, 6])
        }
    }
}
