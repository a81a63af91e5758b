import Testing

@testable import Parquet

@Suite struct ParquetJSONTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01"), (-1, "1969-12-31"), (19_723, "2024-01-01"), (11_016, "2000-02-29"),
        (-719_468, "0000-03-01"), (2_932_896, "9999-12-31"),
    ])
    func dates(days: Int64, text: String) {
        #expect(ParquetJSON.date(days) == text)
    }

    @Test func timesAndTimestamps() {
        #expect(ParquetJSON.timestamp(-1, unit: .millis, utc: true) == "1969-12-31T23:59:59.999Z")
        #expect(ParquetJSON.timestamp(1_700_000_000_123_456, unit: .micros, utc: false) == "2023-11-14T22:13:20.123456")
        #expect(ParquetJSON.timestamp(86_400_000_000_001, unit: .nanos, utc: false) == "1970-01-02T00:00:00.000000001")
        #expect(ParquetJSON.time(3_723_004, unit: .millis) == "01:02:03.004")
    }

    @Test func decimals() {
        #expect(ParquetJSON.decimal("-5", scale: 2) == "-0.05")
        #expect(ParquetJSON.decimal("12345", scale: 2) == "123.45")
        #expect(ParquetJSON.decimal("7", scale: 0) == "7")
        #expect(ParquetJSON.decimal([0xFF, 0x00], scale: 1) == "-25.6")
        #expect(ParquetJSON.decimal(Array(repeating: 0xFF, count: 16), scale: 3) == "-0.001")
    }

    @Test func rowsRenderWithNamesAndLogicalTypes() throws {
        let schema = try ParquetSchema([
            .primitive("id", .int64, repetition: .required),
            .primitive("name", .byteArray, logicalType: .string),
            .primitive("u", .fixedLenByteArray, typeLength: 16, logicalType: .uuid),
            .primitive("n", .int32, logicalType: .integer(bitWidth: 32, isSigned: false)),
            .list("tags", element: .primitive("e", .byteArray, logicalType: .string)),
            .map("m", key: .primitive("k", .byteArray, logicalType: .string), value: .primitive("v", .double)),
            .map("mi", key: .primitive("k", .int32), value: .primitive("v", .boolean)),
            .group("s", [.primitive("d", .int32, logicalType: .date), .primitive("x", .float)]),
        ])
        let row: ParquetValue = .group([
            .int64(7), .string("a\"b\n"), .bytes(Array(0..<16)), .int32(-1), .list([.string("x"), .null]),
            .map([.init(key: .string("k"), value: .double(.nan))]), .map([.init(key: .int32(1), value: .boolean(true))]),
            .group([.int32(1), .float(1.5)]),
        ])
        #expect(
            ParquetJSON.render(row: row, schema: schema)
                == #"{"id":7,"name":"a\"b\n","u":"00010203-0405-0607-0809-0a0b0c0d0e0f","n":4294967295,"tags":["x",null],"m":{"k":"NaN"},"mi":[{"key":1,"value":true}],"s":{"d":"1970-01-02","x":1.5}}"#)
    }

    @Test func schemaDescription() throws {
        let schema = try SchemaTests.nestedSchema()
        let text = schema.description
        #expect(text.hasPrefix("message schema {\n  required int64 id = 1;\n  optional group tags (LIST) = 2 {\n"))
        #expect(text.contains("      optional binary element (STRING) = 3;\n"))
        #expect(text.contains("optional group m (MAP) = 4 {"))
    }
}
