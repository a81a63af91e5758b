import JSONCoding
import Testing

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValueAndKeepsMemberOrder() throws {
        let text = #"{"z": 1, "a": [true, false, null, -0.5, 1e3, "x\u00e9\ud83d\ude00\n"], "big": 18446744073709551615, "neg": -9223372036854775808}"#
        let value = try JSON.parse(text)
        #expect(value.objectValue?.map(\.0) == ["z", "a", "big", "neg"])
        #expect(value["z"] == .int(1))
        #expect(value["a"] == .array([.bool(true), .bool(false), .null, .double(-0.5), .double(1000), .string("xé😀\n")]))
        #expect(value["big"] == .uint(UInt64.max))
        #expect(value["neg"]?.int64Value == Int64.min)
    }

    @Test(arguments: [
        #"null"#, #"true"#, #"false"#, #"0"#, #"-12"#, #"9223372036854775807"#, #"-9223372036854775808"#,
        #"18446744073709551615"#, #"1.5"#, #"-2.5e-07"#, #"1e300"#, #""""#, #""a\"b\\c\n\u0001é🌍""#, #"[]"#,
        #"[1,[2,[3]],{}]"#, #"{"b":1,"a":{"c":[true,null]}}"#,
    ])
    func rendersWhatItParses(text: String) throws {
        let value = try JSON.parse(text)
        #expect(try JSON.parse(value.rendered()) == value)
        #expect(try JSON.parse(value.rendered(pretty: true)) == value)
    }

    @Test func rendersCompactlyInMemberOrderWithExactIntegers() throws {
        let value = try JSON.parse(#" { "z" : 1 , "a" : 9223372036854775807, "m": 1e2 } "#)
        #expect(value == .object([("z", .int(1)), ("a", .int(.max)), ("m", .double(100))]))
        #expect(value.rendered() == #"{"z":1,"a":9223372036854775807,"m":100.0}"#)
    }

    @Test func parsesIntegersOfEveryLength() throws {
        let text = "[999999999999999999,-999999999999999999,1000000000000000000,-1000000000000000000,-0,7]"
        let expected: [JSON] = [
            .int(999_999_999_999_999_999), .int(-999_999_999_999_999_999), .int(1_000_000_000_000_000_000),
            .int(-1_000_000_000_000_000_000), .int(0), .int(7),
        ]
        #expect(try JSON.parse(text) == .array(expected))
        #expect(try JSON.parse("-9223372036854775809") == .double(-0x1p63))
    }

    @Test func rendersDoublesInTheirShortestExactForm() throws {
        #expect(JSON.array([.double(-0.0), .double(0.1), .double(1e16), .double(-3)]).rendered() == "[-0.0,0.1,1e+16,-3.0]")
        #expect(try JSON.parse("-0.0").doubleValue?.sign == .minus)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83c\udf0d\t\/\b\f\r""#) == .string("🌍\t/\u{08}\u{0C}\r"))
    }

    @Test func errorsNameTheByteOffset() {
        let error = #expect(throws: JSONError.self) { try JSON.parse("[1, x]") }
        #expect(error?.offset == 4)
        #expect(error?.description.hasPrefix("invalid JSON at byte 4: ") == true)
    }

    @Test func literalsSpellStringsIntegersAndBooleans() {
        let value: JSON = .object([("logicalType", "date"), ("field-id", 7), ("adjust-to-utc", false)])
        #expect(value == .object([("logicalType", .string("date")), ("field-id", .int(7)), ("adjust-to-utc", .bool(false))]))
    }

    @Test func roundTripsThroughRendering() throws {
        let value = JSON.object([
            ("s", .string("tab\t\"q\" \u{01} ü")), ("n", .int(-42)), ("d", .double(0.1)),
            ("o", .object([("e", .array([]))])),
        ])
        #expect(try JSON.parse(value.rendered()) == value)
        #expect(try JSON.parse(value.rendered(pretty: true)) == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "\"\\x\"", "\"\\ud800\"", "{\"a\":1}x",
        "[1 2]", "\"\u{01}\"", "1e", "[1,", #"{"a":1,}"#, #""\ud800\u0041""#, "1 2", "nan", "1e999", "-1e999",
    ])
    func rejectsInvalidDocuments(text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) { try JSON.parse(deep) }
        #expect(throws: Never.self) { try JSON.parse("[[[]]]", maxDepth: 4) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONError.self) { try JSON.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONError.self) { try JSON.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
        #expect(throws: JSONError.self) { try JSON.parse([0x22, 0x5C, 0x6E, 0x01, 0x22]) }
    }

    @Test func parsesBytesThatAreNotContiguous() throws {
        let text = Array(#"{"a":[1,"é\n"]}"#.utf8).lazy.map { $0 }
        #expect(try JSON.parse(text) == .object([("a", .array([.int(1), .string("é\n")]))]))
    }

    @Test func rendersSpecialFloatsAsIcebergDoes() {
        let value = JSON.object([
            ("z", .int(1)), ("a", .array([.double(.nan), .double(-.infinity), .double(1.5), .double(2)])),
            ("s", .string("quote \" and \u{01}")), ("n", .null),
        ])
        #expect(value.rendered() == #"{"z":1,"a":["NaN","-Infinity",1.5,2.0],"s":"quote \" and \u0001","n":null}"#)
        #expect(JSON.array([]).rendered(pretty: true) == "[]")
        #expect(JSON.object([("a", .bool(true))]).rendered(pretty: true) == "{\n  \"a\": true\n}")
    }
}
