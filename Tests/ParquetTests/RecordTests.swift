import TestSupport
import Testing

@testable import Parquet

@Suite struct RecordTests {
    private func roundTrip(_ schema: ParquetSchema, _ rows: [ParquetValue]) throws -> [ColumnData] {
        let columns = try RecordShredder.columns(schema: schema, rows: rows)
        for (data, column) in zip(columns, schema.columns) { try data.validate(against: column) }
        #expect(try RecordAssembler.rows(schema: schema, columns: columns) == rows)
        return columns
    }

    @Test func nestedListsMapsAndStructs() throws {
        let schema = try SchemaTests.nestedSchema()
        let rows: [ParquetValue] = [
            .group([
                .int64(1), .list([.string("a"), .null, .string("")]),
                .map([
                    .init(key: .string("x"), value: .list([.int32(1), .int32(2)])),
                    .init(key: .string("y"), value: .null), .init(key: .string("z"), value: .list([])),
                ]),
                .group([.double(1.5), .list([.group([.boolean(true)]), .group([.null])])]),
            ]),
            .group([.int64(2), .null, .null, .null]),
            .group([.int64(3), .list([]), .map([]), .group([.double(0), .list([])])]),
        ]
        let columns = try roundTrip(schema, rows)
        // tags.list.element: [a, null, ""], null, []
        #expect(columns[1].definitionLevels == [3, 2, 3, 0, 1])
        #expect(columns[1].repetitionLevels == [0, 1, 1, 0, 0])
        #expect(columns[1].values.count == 2)
        // m.key_value.value.list.element
        #expect(columns[3].definitionLevels == [5, 5, 2, 3, 0, 1])
        #expect(columns[3].repetitionLevels == [0, 2, 1, 1, 0, 0])
    }

    @Test func listOfStructs() throws {
        let schema = try ParquetSchema([
            .list(
                "points",
                element: .group("element", [.primitive("x", .int32, repetition: .required), .primitive("y", .int32)]))
        ])
        let rows: [ParquetValue] = [
            .group([.list([.group([.int32(1), .null]), .null, .group([.int32(3), .int32(4)])])]),
            .group([.list([])]), .group([.null]),
        ]
        _ = try roundTrip(schema, rows)
    }

    @Test func legacyTwoLevelLists() throws {
        // optional group a (LIST) { repeated int32 array; } and a repeated group named "array" with one field.
        let schema = try ParquetSchema([
            .group("a", [.primitive("array", .int32, repetition: .repeated)], logicalType: .list),
            .group(
                "b", [.group("array", repetition: .repeated, [.primitive("v", .int64, repetition: .required)])],
                logicalType: .list),
            .group(
                "c", [.group("c_tuple", repetition: .repeated, [.primitive("v", .int64, repetition: .required)])],
                logicalType: .list),
            .primitive("bare", .int32, repetition: .repeated),
        ])
        let rows: [ParquetValue] = [
            .group([
                .list([.int32(1), .int32(2)]), .list([.group([.int64(5)])]), .list([.group([.int64(6)])]),
                .list([.int32(9)]),
            ]),
            .group([.null, .list([]), .null, .list([])]),
        ]
        let columns = try roundTrip(schema, rows)
        #expect(columns[0].definitionLevels == [2, 2, 0])
        #expect(columns[3].values == .int32([9]))
    }

    @Test func optionalEverythingDeep() throws {
        var node = SchemaNode.primitive("leaf", .byteArray)
        for depth in 0..<6 { node = depth % 2 == 0 ? .list("l\(depth)", element: node) : .group("g\(depth)", [node]) }
        let schema = try ParquetSchema([node])
        #expect(schema.columns[0].maxDefinitionLevel == 10)
        #expect(schema.columns[0].maxRepetitionLevel == 3)
        let leaf = ParquetValue.string("v")
        let inner: ParquetValue = .list([.group([.list([leaf, .null])]), .null, .group([.list([])])])
        let deep: ParquetValue = .group([.list([.group([inner]), .null, .group([.null])])])
        let rows: [ParquetValue] = [.group([deep]), .group([.null]), .group([.group([.null])])]
        _ = try roundTrip(schema, rows)
    }

    @Test func rowsThatDoNotFitTheSchemaAreRejected() throws {
        let schema = try ParquetSchema([.primitive("a", .int32, repetition: .required)])
        #expect(throws: ParquetError.self) { try RecordShredder.columns(schema: schema, rows: [.group([.null])]) }
        #expect(throws: ParquetError.self) { try RecordShredder.columns(schema: schema, rows: [.group([.int64(1)])]) }
        #expect(throws: ParquetError.self) { try RecordShredder.columns(schema: schema, rows: [.int32(1)]) }
    }

    @Test func inconsistentLevelsAreCorrupt() throws {
        let schema = try ParquetSchema([.list("l", element: .primitive("e", .int32))])
        // A row starting with repetition level 1, and a value missing for a present slot.
        let bad = [
            ColumnData(values: .int32([1]), definitionLevels: [3], repetitionLevels: [1]),
            ColumnData(values: .int32([]), definitionLevels: [3], repetitionLevels: [0]),
        ]
        for data in bad {
            #expect(throws: ParquetError.self) { try RecordAssembler.rows(schema: schema, columns: [data]) }
        }
    }
}

extension RecordTests {
    @Test func filteringColumnsDropsWholeRows() throws {
        let schema = try SchemaTests.nestedSchema()
        var random = SeededGenerator(seed: 3)
        let rows = (0..<60).map { _ in RandomData.row(schema, &random) }
        let keep = (0..<60).map { $0 % 3 != 1 }
        let columns = try RecordShredder.columns(schema: schema, rows: rows)
        let filtered = try zip(columns, schema.columns).map { try $0.filtered(keepingRows: keep, column: $1) }
        let expected = zip(rows, keep).filter(\.1).map(\.0)
        #expect(try RecordAssembler.rows(schema: schema, columns: filtered) == expected)
        #expect(filtered == (try RecordShredder.columns(schema: schema, rows: expected)))
        #expect(throws: ParquetError.self) { try columns[0].filtered(keepingRows: [true], column: schema.columns[0]) }
    }

    @Test func filteringEveryPhysicalType() throws {
        var random = SeededGenerator(seed: 8)
        let schema = try ParquetSchema(
            PhysicalType.allCases.map { .primitive("c\($0.rawValue)", $0, typeLength: 3) })
        let rows = (0..<40).map { _ in RandomData.row(schema, &random) }
        let keep = (0..<40).map { _ in random.chance(0.5) }
        let columns = try RecordShredder.columns(schema: schema, rows: rows)
        let filtered = try zip(columns, schema.columns).map { try $0.filtered(keepingRows: keep, column: $1) }
        #expect(filtered == (try RecordShredder.columns(schema: schema, rows: zip(rows, keep).filter(\.1).map(\.0))))
    }
}

extension RecordTests {
    @Test func writerRejectsLevelsThatContinueAnAbsentList() throws {
        let schema = try ParquetSchema([.list("l", element: .primitive("e", .int32))])
        #expect(schema.columns[0].repeatedDefinitionLevels == [2])
        let bad = ColumnData(values: .int32([1]), definitionLevels: [3, 1], repetitionLevels: [0, 1])
        #expect(throws: ParquetError.self) { try bad.validate(against: schema.columns[0]) }
        let good = ColumnData(values: .int32([1]), definitionLevels: [3, 2], repetitionLevels: [0, 1])
        try good.validate(against: schema.columns[0])
    }
}

extension RecordTests {
    /// A legacy map whose key_value group holds only keys (a set): values read as null.
    @Test func keyOnlyMapsReadAsNullValues() throws {
        let schema = try ParquetSchema([
            .group("m", [.group("key_value", repetition: .repeated, [.primitive("key", .int32, repetition: .required)])],
                logicalType: .map)
        ])
        let columns = [ColumnData(values: .int32([1, 2]), definitionLevels: [2, 2, 0], repetitionLevels: [0, 1, 0])]
        let rows = try RecordAssembler.rows(schema: schema, columns: columns)
        #expect(rows == [
            .group([.map([.init(key: .int32(1), value: .null), .init(key: .int32(2), value: .null)])]), .group([.null]),
        ])
        #expect(try RecordShredder.columns(schema: schema, rows: rows) == columns)
    }
}
