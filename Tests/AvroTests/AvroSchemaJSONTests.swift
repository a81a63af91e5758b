import Avro
import JSONCoding
import Testing

@Suite struct AvroSchemaJSONTests {
    /// Iceberg's manifest-list schema (v2), as PyIceberg and Java write it: field ids, element ids, docs, defaults.
    static let manifestFileSchema = #"""
        {"type":"record","name":"manifest_file","fields":[
          {"name":"manifest_path","type":"string","doc":"Location URI with FS scheme","field-id":500},
          {"name":"manifest_length","type":"long","field-id":501},
          {"name":"partition_spec_id","type":"int","field-id":502},
          {"name":"content","type":"int","field-id":517},
          {"name":"added_snapshot_id","type":["null","long"],"default":null,"field-id":503},
          {"name":"partitions","type":["null",{"type":"array","items":{"type":"record","name":"r508","fields":[
            {"name":"contains_null","type":"boolean","field-id":509},
            {"name":"lower_bound","type":["null","bytes"],"default":null,"field-id":510}]},"element-id":508}],
           "default":null,"field-id":507},
          {"name":"key_metadata","type":["null","bytes"],"default":null,"field-id":519}]}
        """#

    @Test func keepsIcebergAttributes() throws {
        let schema = try AvroSchema(parsing: Self.manifestFileSchema)
        guard case .record(let record) = schema.type else {
            Issue.record("not a record")
            return
        }
        #expect(record.fields.map(\.fieldID) == [500, 501, 502, 517, 503, 507, 519])
        #expect(record.fields[0].doc == "Location URI with FS scheme")
        #expect(record.fields[4].defaultValue == .null)
        guard case .union(let branches) = record.fields[5].type.type, case .array = branches[1].type else {
            Issue.record("partitions is not an optional array")
            return
        }
        #expect(branches[1].property("element-id") == 508)
        #expect(try AvroSchema(parsing: schema.jsonText) == schema)
    }

    @Test(arguments: [
        #""long""#,
        #"{"type":"long","logicalType":"timestamp-micros","adjust-to-utc":true}"#,
        #"{"type":"map","values":"int","key-id":1,"value-id":2}"#,
        #"{"type":"record","name":"a.b.R","doc":"d","aliases":["Old"],"fields":[{"name":"x","type":"int","default":3,"order":"descending","aliases":["y"],"x-custom":{"k":[1,2.5,null]}}],"custom":"v"}"#,
        #"{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"B"}},{"name":"e2","type":"E"},{"name":"f","type":{"type":"fixed","name":"o.F","size":3}},{"name":"f2","type":"o.F"}]}"#,
        #"{"type":"record","name":"Node","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","Node"]}]}"#,
        #"{"type":"error","name":"Oops","fields":[]}"#,
        #"["null","string",{"type":"array","items":"bytes"}]"#,
        #"{"type":"record","name":"R","namespace":"n","fields":[{"name":"inner","type":{"type":"record","name":"I","namespace":"","fields":[]}},{"name":"again","type":"I"}]}"#,
    ])
    func roundTripsThroughText(_ text: String) throws {
        let schema = try AvroSchema(parsing: text)
        let printed = schema.jsonText
        #expect(try AvroSchema(parsing: printed) == schema, "printed: \(printed)")
    }

    @Test func resolvesNamesAgainstTheEnclosingNamespace() throws {
        let schema = try AvroSchema(
            parsing:
                #"{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"e2","type":"E"},{"name":"e3","type":"n.E"}]}"#
        )
        guard case .record(let record) = schema.type else {
            Issue.record("not a record")
            return
        }
        #expect(record.name.fullName == "n.R")
        #expect(record.fields[1].type.type == .reference(AvroName("n.E")))
        #expect(record.fields[2].type.type == .reference(AvroName("n.E")))
        #expect(AvroNameTable(schema).definitions.keys.sorted() == ["n.E", "n.R"])
    }

    @Test(arguments: [
        #"{"type":"record","name":"R"}"#,
        #"{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}"#,
        #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}"#,
        #"{"type":"record","name":"1R","fields":[]}"#,
        #"{"type":"enum","name":"E","symbols":["A","A"]}"#,
        #"{"type":"enum","name":"E","symbols":["A"],"default":"B"}"#,
        #"{"type":"fixed","name":"F","size":-1}"#,
        #"{"type":"fixed","name":"F"}"#,
        #"{"type":"array"}"#,
        #"{"type":"map"}"#,
        #"["int","int"]"#,
        #"["null",["int"]]"#,
        #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"R","size":1}}]}"#,
        #"{"type":"record","name":"int","fields":[]}"#,
        #"{"name":"x"}"#,
        #"42"#,
        #"{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"sideways"}]}"#,
        #""nothing""#,
    ])
    func rejectsInvalidSchemas(_ text: String) {
        #expect(throws: AvroError.self) { try AvroSchema(parsing: text) }
    }

    @Test func printsCompactJSONWithAttributesAfterTheirType() throws {
        let schema = AvroSchema(.long, logicalType: .timestampMicros, properties: [("adjust-to-utc", false)])
        #expect(schema.jsonText == #"{"type":"long","logicalType":"timestamp-micros","adjust-to-utc":false}"#)
        let record = AvroSchema.record("r", fields: [AvroField("id", .int, fieldID: 1)])
        #expect(record.jsonText == #"{"type":"record","name":"r","fields":[{"name":"id","type":"int","field-id":1}]}"#)
    }

    /// Schema text nests at most `AvroSchema.jsonDepthLimit` levels: deeper text is refused before the recursive
    /// schema parser sees it.
    @Test func limitsSchemaNesting() throws {
        func arrays(_ depth: Int) -> String {
            String(repeating: #"{"type":"array","items":"#, count: depth) + #""long""#
                + String(repeating: "}", count: depth)
        }
        var expected = AvroSchema.long
        for _ in 0..<200 { expected = .array(expected) }
        #expect(try AvroSchema(parsing: arrays(200)) == expected)
        let error = #expect(throws: AvroError.self) { try AvroSchema(parsing: arrays(AvroSchema.jsonDepthLimit)) }
        #expect(error?.description.contains("nesting deeper than \(AvroSchema.jsonDepthLimit)") == true)
    }
}
