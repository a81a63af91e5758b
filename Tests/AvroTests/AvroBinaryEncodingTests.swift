import Avro
import ByteCoding
import Testing

/// Every type and logical type through encoder and decoder, with the specification's byte layouts and limits.
@Suite struct AvroBinaryEncodingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let schema: AvroSchema
        let value: AvroValue
        var testDescription: String { label }
    }

    static let fixed4 = AvroSchema(.fixed(AvroFixedSchema(name: AvroName("F4"), size: 4)))
    static let color = AvroSchema(
        .enumeration(AvroEnumSchema(name: AvroName("Color"), symbols: ["RED", "GREEN", "BLUE"])))

    static let cases: [Case] = [
        Case(label: "null", schema: .null, value: .null),
        Case(label: "true", schema: .boolean, value: .boolean(true)),
        Case(label: "false", schema: .boolean, value: .boolean(false)),
        Case(label: "int min", schema: .int, value: .int(.min)),
        Case(label: "int max", schema: .int, value: .int(.max)),
        Case(label: "long min", schema: .long, value: .long(.min)),
        Case(label: "long max", schema: .long, value: .long(.max)),
        Case(label: "long zero", schema: .long, value: .long(0)),
        Case(label: "float nan", schema: .float, value: .float(.nan)),
        Case(label: "float -inf", schema: .float, value: .float(-.infinity)),
        Case(label: "float -0", schema: .float, value: .float(-0.0)),
        Case(label: "float subnormal", schema: .float, value: .float(.leastNonzeroMagnitude)),
        Case(label: "double nan", schema: .double, value: .double(.nan)),
        Case(label: "double signalling nan", schema: .double, value: .double(.signalingNaN)),
        Case(label: "double inf", schema: .double, value: .double(.infinity)),
        Case(label: "double max", schema: .double, value: .double(.greatestFiniteMagnitude)),
        Case(label: "empty bytes", schema: .bytes, value: .bytes([])),
        Case(label: "bytes", schema: .bytes, value: .bytes([0, 255, 1, 128])),
        Case(label: "empty string", schema: .string, value: .string("")),
        Case(label: "unicode string", schema: .string, value: .string("héllo 🌍 \u{0}")),
        Case(label: "long string", schema: .string, value: .string(String(repeating: "abc", count: 10_000))),
        Case(label: "fixed", schema: fixed4, value: .fixed([1, 2, 3, 4])),
        Case(
            label: "empty fixed", schema: AvroSchema(.fixed(AvroFixedSchema(name: AvroName("F0"), size: 0))),
            value: .fixed([])),
        Case(label: "enum", schema: color, value: .enumeration(2)),
        Case(label: "empty array", schema: .array(.long), value: .array([])),
        Case(label: "array", schema: .array(.long), value: .array((0..<300).map { .long($0 * 1_000_003) })),
        Case(label: "array of null", schema: .array(.null), value: .array([.null, .null])),
        Case(label: "empty map", schema: .map(.string), value: .map([])),
        Case(label: "map", schema: .map(.int), value: .map([("a", .int(1)), ("", .int(-1)), ("ü", .int(7))])),
        Case(label: "union null first", schema: .optional(.string), value: .union(0, .null)),
        Case(label: "union null first, value", schema: .optional(.string), value: .union(1, .string("x"))),
        Case(label: "union null last", schema: .union([.long, .null]), value: .union(1, .null)),
        Case(label: "union null last, value", schema: .union([.long, .null]), value: .union(0, .long(-5))),
        Case(
            label: "record",
            schema: .record(
                "R",
                fields: [AvroField("a", .long), AvroField("b", .optional(.string)), AvroField("c", .array(.double))]),
            value: .record([.long(1), .union(1, .string("two")), .array([.double(3)])])),
        Case(label: "empty record", schema: .record("Empty", fields: []), value: .record([])),
        Case(label: "date", schema: AvroSchema(.int, logicalType: .date), value: .int(-719_162)),
        Case(label: "time-millis", schema: AvroSchema(.int, logicalType: .timeMillis), value: .int(86_399_999)),
        Case(label: "time-micros", schema: AvroSchema(.long, logicalType: .timeMicros), value: .long(86_399_999_999)),
        Case(label: "timestamp-millis", schema: AvroSchema(.long, logicalType: .timestampMillis), value: .long(-1)),
        Case(
            label: "timestamp-micros", schema: AvroSchema(.long, logicalType: .timestampMicros),
            value: .long(1_700_000_000_000_000)),
        Case(label: "timestamp-nanos", schema: AvroSchema(.long, logicalType: .timestampNanos), value: .long(.max)),
        Case(
            label: "local-timestamp-millis", schema: AvroSchema(.long, logicalType: .localTimestampMillis),
            value: .long(.min)),
        Case(
            label: "local-timestamp-micros", schema: AvroSchema(.long, logicalType: .localTimestampMicros),
            value: .long(42)),
        Case(
            label: "local-timestamp-nanos", schema: AvroSchema(.long, logicalType: .localTimestampNanos),
            value: .long(43)),
        Case(
            label: "decimal bytes", schema: AvroSchema(.bytes, logicalType: .decimal(precision: 9, scale: 2)),
            value: .bytes([0xFF, 0x85])),
        Case(
            label: "decimal fixed",
            schema: AvroSchema(
                .fixed(AvroFixedSchema(name: AvroName("D"), size: 8)), logicalType: .decimal(precision: 18, scale: 4)),
            value: .fixed([0, 0, 0, 0, 0, 1, 0xE2, 0x40])),
        Case(
            label: "uuid string", schema: AvroSchema(.string, logicalType: .uuid),
            value: .string("123e4567-e89b-12d3-a456-426614174000")),
        Case(
            label: "uuid fixed",
            schema: AvroSchema(.fixed(AvroFixedSchema(name: AvroName("U"), size: 16)), logicalType: .uuid),
            value: .fixed(Array(0..<16))),
    ]

    @Test(arguments: cases)
    func roundTrips(_ testCase: Case) throws {
        #expect(try AvroRoundTrip.run(testCase.value, writer: testCase.schema) == testCase.value)
        // The same through negative-count blocks with byte sizes.
        #expect(
            try AvroRoundTrip.run(testCase.value, writer: testCase.schema, collectionBlockSize: 7) == testCase.value)
    }

    @Test(arguments: cases)
    func logicalTypesSurviveTheSchemaText(_ testCase: Case) throws {
        let reparsed = try AvroSchema(parsing: testCase.schema.jsonText)
        #expect(reparsed == testCase.schema)
        #expect(reparsed.logicalType == testCase.schema.logicalType)
    }

    @Test func bytesFollowTheSpecification() throws {
        // Examples from the specification: long 64 is 0x80 0x01, "foo" is 06 66 6f 6f, a union's branch index first.
        #expect(try AvroEncoder(schema: .long).encode(.long(64)) == [0x80, 0x01])
        #expect(try AvroEncoder(schema: .long).encode(.long(-64)) == [0x7F])
        #expect(try AvroEncoder(schema: .string).encode(.string("foo")) == [0x06, 0x66, 0x6F, 0x6F])
        #expect(try AvroEncoder(schema: .optional(.long)).encode(.union(1, .long(1))) == [0x02, 0x02])
        #expect(try AvroEncoder(schema: .float).encode(.float(1)) == [0, 0, 0x80, 0x3F])
        // An array of {3, 27}: count 2, items, terminating 0.
        #expect(
            try AvroEncoder(schema: .array(.long)).encode(.array([.long(3), .long(27)])) == [0x04, 0x06, 0x36, 0x00])
        // With byte-sized blocks: count -2, size 2, items, 0.
        #expect(
            try AvroEncoder(schema: .array(.long), collectionBlockSize: 10).encode(.array([.long(3), .long(27)]))
                == [0x03, 0x04, 0x06, 0x36, 0x00])
    }

    @Test func logicalTypesAreRecognisedOnlyOnTheirTypes() throws {
        #expect(try AvroSchema(parsing: #"{"type":"int","logicalType":"date"}"#).logicalType == .date)
        #expect(try AvroSchema(parsing: #"{"type":"long","logicalType":"date"}"#).logicalType == nil)
        #expect(
            try AvroSchema(parsing: #"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#).logicalType
                == .decimal(precision: 4, scale: 2))
        #expect(
            try AvroSchema(parsing: #"{"type":"bytes","logicalType":"decimal","precision":4}"#).logicalType
                == .decimal(precision: 4, scale: 0))
        // Scale above precision, or precision too large for the fixed size: ignored, as the specification says.
        #expect(
            try AvroSchema(parsing: #"{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}"#).logicalType
                == nil)
        #expect(
            try AvroSchema(parsing: #"{"type":"fixed","name":"f","size":2,"logicalType":"decimal","precision":5}"#)
                .logicalType
                == nil)
        #expect(AvroLogicalType.maxDecimalPrecision(fixedSize: 16) == 38)
        #expect(AvroLogicalType.maxDecimalPrecision(fixedSize: 8) == 18)
        #expect(
            try AvroSchema(parsing: #"{"type":"fixed","name":"u","size":16,"logicalType":"uuid"}"#).logicalType == .uuid
        )
        #expect(try AvroSchema(parsing: #"{"type":"string","logicalType":"mystery"}"#).logicalType == nil)
    }

    @Test func deepNestingRoundTrips() throws {
        var schema = AvroSchema.long
        var value = AvroValue.long(7)
        for level in 0..<40 {
            schema = .record("Level\(level)", fields: [AvroField("inner", .optional(.array(schema)))])
            value = .record([.union(1, .array([value]))])
        }
        #expect(try AvroRoundTrip.run(value, writer: schema) == value)
        #expect(try AvroSchema(parsing: schema.jsonText) == schema)
    }

    @Test func recursiveLinkedListRoundTrips() throws {
        let schema = try AvroSchema(
            parsing:
                #"{"type":"record","name":"Node","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","Node"]}]}"#
        )
        var value = AvroValue.record([.long(0), .union(0, .null)])
        for index in 1...60 { value = .record([.long(Int64(index)), .union(1, value)]) }
        #expect(try AvroRoundTrip.run(value, writer: schema) == value)
    }

    @Test func valuesThatDoNotFitAreRejected() throws {
        let record = AvroSchema.record("R", fields: [AvroField("a", .long)])
        #expect(throws: AvroError.self) { try AvroEncoder(schema: .long).encode(.int(1)) }
        #expect(throws: AvroError.self) { try AvroEncoder(schema: record).encode(.record([])) }
        #expect(throws: AvroError.self) { try AvroEncoder(schema: Self.fixed4).encode(.fixed([1])) }
        #expect(throws: AvroError.self) { try AvroEncoder(schema: Self.color).encode(.enumeration(3)) }
        #expect(throws: AvroError.self) { try AvroEncoder(schema: .optional(.long)).encode(.union(2, .long(1))) }
        #expect(throws: AvroError.self) { try AvroEncoder(schema: .optional(.long)).encode(.long(1)) }
        let nested = AvroSchema.record(
            "O", fields: [AvroField("outer", .record("I", fields: [AvroField("inner", .string)]))])
        #expect(throws: AvroError.invalidValue("field outer.inner: 1L is not a string")) {
            try AvroEncoder(schema: nested).encode(.record([.record([.long(1)])]))
        }
    }
}
