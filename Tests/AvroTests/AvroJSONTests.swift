import Testing

@testable import Avro

@Suite struct AvroJSONTests {
    @Test(arguments: [
        #"null"#, #"true"#, #"false"#, #"0"#, #"-12"#, #"9223372036854775807"#, #"-9223372036854775808"#, #"1.5"#,
        #"-2.5e-07"#, #""""#, #""a\"b\\c\n\u0001é🌍""#, #"[]"#, #"[1,[2,[3]],{}]"#, #"{"b":1,"a":{"c":[true,null]}}"#,
    ])
    func printsWhatItParses(_ text: String) throws {
        let value = try AvroJSON(parsing: text)
        #expect(try AvroJSON(parsing: value.jsonText) == value)
    }

    @Test func keepsMemberOrderAndExactIntegers() throws {
        let value = try AvroJSON(parsing: #" { "z" : 1 , "a" : 9223372036854775807, "m": 1e2 } "#)
        #expect(
            value
                == .object([
                    AvroJSONMember("z", 1), AvroJSONMember("a", .integer(.max)), AvroJSONMember("m", .double(100)),
                ]))
        #expect(value.jsonText == #"{"z":1,"a":9223372036854775807,"m":100.0}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try AvroJSON(parsing: #""\ud83c\udf0d\t\/""#) == .string("🌍\t/"))
        #expect(AvroJSON.string("\u{1}\"").jsonText == #""\u0001\"""#)
    }

    @Test(arguments: [
        "", "{", "[1,", #"{"a" 1}"#, #"{"a":1,}"#, "[1 2]", "tru", "01", "1.", "1e", "-", #""abc"#, #""\x""#,
        #""\ud800""#, #""\ud800\u0041""#, "\"a\u{1}\"", "1 2", "nan", "1e999",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: AvroError.self) { try AvroJSON(parsing: text) }
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: AvroError.self) { try AvroJSON(parsing: deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try AvroJSON(parsing: fine) }
    }
}
