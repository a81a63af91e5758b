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
        "[1 2]", "\"\u{01}\"", "1e",
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
