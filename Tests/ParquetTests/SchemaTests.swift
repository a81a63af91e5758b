import Testing

@testable import Parquet

@Suite struct SchemaTests {
    /// message { required int64 id; optional group tags (LIST) { repeated group list { optional binary element } };
    ///   optional group m (MAP) { repeated group key_value { required binary key; optional group value (LIST) {...} } } }
    static func nestedSchema() throws -> ParquetSchema {
        try ParquetSchema([
            .primitive("id", .int64, repetition: .required, fieldID: 1),
            .list("tags", element: .primitive("element", .byteArray, logicalType: .string, fieldID: 3), fieldID: 2),
            .map(
                "m", key: .primitive("key", .byteArray, logicalType: .string, fieldID: 5),
                value: .list("value", element: .primitive("element", .int32, fieldID: 7), fieldID: 6), fieldID: 4),
            .group(
                "s",
                [
                    .primitive("a", .double, repetition: .required),
                    .group("inner", repetition: .repeated, [.primitive("b", .boolean)]),
                ], fieldID: 8),
        ])
    }

    @Test func levelsFollowRepetition() throws {
        let schema = try Self.nestedSchema()
        let levels = schema.columns.map { ($0.dottedPath, $0.maxDefinitionLevel, $0.maxRepetitionLevel) }
        let expected: [(String, Int16, Int16)] = [
            ("id", 0, 0), ("tags.list.element", 3, 1), ("m.key_value.key", 2, 1),
            ("m.key_value.value.list.element", 5, 2), ("s.a", 1, 0), ("s.inner.b", 3, 1),
        ]
        #expect(levels.count == expected.count)
        for (actual, wanted) in zip(levels, expected) {
            #expect(actual.0 == wanted.0)
            #expect(actual.1 == wanted.1)
            #expect(actual.2 == wanted.2)
        }
        #expect(schema.columns(fieldID: 4).map(\.index) == [2, 3])
        #expect(schema.columns(fieldID: 3).map(\.index) == [1])
        #expect(schema.column(path: ["s", "a"])?.index == 4)
        #expect(schema.columns(fieldID: 99).isEmpty)
    }

    @Test func elementsRoundTrip() throws {
        let schema = try Self.nestedSchema()
        let rebuilt = try ParquetSchema(elements: schema.elements)
        #expect(rebuilt == schema)
        #expect(schema.elements[0].repetition == nil)
        #expect(schema.elements.first { $0.name == "tags" }?.convertedType == .list)
    }

    @Test func legacyConvertedTypesBecomeLogicalTypes() throws {
        let elements = [
            SchemaElement(name: "schema", numChildren: 4),
            SchemaElement(name: "s", type: .byteArray, repetition: .optional, convertedType: .utf8),
            SchemaElement(
                name: "d", type: .fixedLenByteArray, typeLength: 5, repetition: .optional, convertedType: .decimal,
                scale: 3, precision: 10),
            SchemaElement(name: "t", type: .int64, repetition: .optional, convertedType: .timestampMillis),
            SchemaElement(name: "u", type: .int32, repetition: .optional, convertedType: .uint16),
        ]
        let schema = try ParquetSchema(elements: elements)
        #expect(schema.columns[0].logicalType == .string)
        #expect(schema.columns[1].logicalType == .decimal(precision: 10, scale: 3))
        #expect(schema.columns[1].typeLength == 5)
        #expect(schema.columns[2].logicalType == .timestamp(isAdjustedToUTC: true, unit: .millis))
        #expect(schema.columns[3].isUnsignedInteger)
    }

    @Test(arguments: [
        [SchemaElement(name: "schema", numChildren: 3), SchemaElement(name: "a", type: .int32, repetition: .required)],
        [SchemaElement(name: "schema", numChildren: -1)],
        [SchemaElement(name: "schema", numChildren: 1), SchemaElement(name: "a", repetition: .required)],
        [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(name: "f", type: .fixedLenByteArray, repetition: .required),
        ],
        [],
    ])
    func malformedSchemasAreCorrupt(elements: [SchemaElement]) {
        #expect(throws: ParquetError.self) { try ParquetSchema(elements: elements) }
    }

    @Test func projectionKeepsLevels() throws {
        let schema = try Self.nestedSchema()
        let projected = try schema.projected(to: [3, 4])
        #expect(projected.columns.map(\.dottedPath) == ["m.key_value.value.list.element", "s.a"])
        #expect(projected.columns[0].maxDefinitionLevel == 5)
        #expect(projected.columns[0].maxRepetitionLevel == 2)
    }
}
