import Avro
import JSONCoding
import Testing

/// Writer schema read as a different reader schema: promotions, field matching, defaults, unions, enums.
@Suite struct AvroResolutionTests {
    struct Promotion: CustomTestStringConvertible, Sendable {
        let writer: AvroSchema
        let value: AvroValue
        let reader: AvroSchema
        let expected: AvroValue
        var testDescription: String { "\(writer.type.name) → \(reader.type.name)" }
    }

    @Test(arguments: [
        Promotion(writer: .int, value: .int(-7), reader: .long, expected: .long(-7)),
        Promotion(writer: .int, value: .int(16_777_217), reader: .float, expected: .float(16_777_216)),
        Promotion(writer: .int, value: .int(.max), reader: .double, expected: .double(2_147_483_647)),
        Promotion(writer: .long, value: .long(1 << 40), reader: .float, expected: .float(Float(1 << 40))),
        Promotion(writer: .long, value: .long(.min), reader: .double, expected: .double(-9.223372036854775808e18)),
        Promotion(writer: .float, value: .float(0.1), reader: .double, expected: .double(Double(Float(0.1)))),
        Promotion(writer: .string, value: .string("é"), reader: .bytes, expected: .bytes([0xC3, 0xA9])),
        Promotion(writer: .bytes, value: .bytes([0x61]), reader: .string, expected: .string("a")),
        Promotion(writer: .long, value: .long(5), reader: .optional(.long), expected: .union(1, .long(5))),
        Promotion(
            writer: .int, value: .int(5), reader: .union([.null, .string, .double]), expected: .union(2, .double(5))),
        Promotion(writer: .optional(.int), value: .union(1, .int(3)), reader: .long, expected: .long(3)),
        Promotion(
            writer: .optional(.int), value: .union(0, .null), reader: .union([.long, .null]), expected: .union(1, .null)
        ),
        Promotion(
            writer: .array(.int), value: .array([.int(1)]), reader: .array(.double), expected: .array([.double(1)])),
        Promotion(
            writer: .map(.float), value: .map([("k", .float(2))]), reader: .map(.double),
            expected: .map([("k", .double(2))])),
    ])
    func promotes(_ promotion: Promotion) throws {
        #expect(
            try AvroRoundTrip.run(promotion.value, writer: promotion.writer, reader: promotion.reader)
                == promotion.expected)
    }

    @Test func prefersTheSameTypeInAReaderUnion() throws {
        // int could promote to long (first), but the reader also has int: that branch wins.
        let read = try AvroRoundTrip.run(.int(4), writer: .int, reader: .union([.long, .int]))
        #expect(read == .union(1, .int(4)))
    }

    @Test func matchesFieldsByNameAndAliasSkippingTheRest() throws {
        let writer = AvroSchema.record(
            "R",
            fields: [
                AvroField("skipped_array", .array(.map(.string))), AvroField("a", .int), AvroField("old", .string),
                AvroField(
                    "skipped_union", .union([.null, .double, .record("Inner", fields: [AvroField("x", .bytes)])])),
                AvroField("b", .long),
            ])
        let value = AvroValue.record([
            .array([.map([("k", .string("v"))]), .map([])]), .int(1), .string("renamed"),
            .union(2, .record([.bytes([1, 2, 3])])), .long(2),
        ])
        let reader = AvroSchema.record(
            "R",
            fields: [
                AvroField("b", .long), AvroField("new", .string, aliases: ["old"]), AvroField("a", .long),
                AvroField("added", .string, defaultValue: "dflt"),
            ])
        let read = try AvroRoundTrip.run(value, writer: writer, reader: reader)
        #expect(read == .record([.long(2), .string("renamed"), .long(1), .string("dflt")]))
        // The same with negative block counts, which the skipper jumps over whole.
        let sized = try AvroRoundTrip.run(value, writer: writer, reader: reader, collectionBlockSize: 1)
        #expect(sized == read)
    }

    @Test func matchesFieldsByFieldIDWhateverTheirNames() throws {
        let writer = AvroSchema.record(
            "manifest_file",
            fields: [
                AvroField("manifest_path", .string, fieldID: 500), AvroField("manifest_length", .long, fieldID: 501),
                AvroField("partition_spec_id", .int, fieldID: 502),
            ])
        let value = AvroValue.record([.string("s3://m.avro"), .long(4096), .int(0)])
        let reader = AvroSchema.record(
            "anything",
            fields: [
                AvroField("spec", .long, fieldID: 502), AvroField("path", .string, fieldID: 500),
                AvroField("added_rows", .optional(.long), fieldID: 504),
            ])
        let read = try AvroRoundTrip.run(value, writer: writer, reader: reader, matching: .byFieldID)
        #expect(read == .record([.long(0), .string("s3://m.avro"), .union(0, .null)]))
        // By name the same reader fails: the record names differ and the optional field has no default.
        #expect(throws: AvroError.self) { try AvroRoundTrip.run(value, writer: writer, reader: reader) }
    }

    @Test func ignoresTypeNamesWhenMatchingByFieldID() throws {
        let writer = AvroSchema.record(
            "r1",
            fields: [
                AvroField("d", AvroSchema(.fixed(AvroFixedSchema(name: AvroName("fixed_8"), size: 8))), fieldID: 1),
                AvroField(
                    "e", AvroSchema(.enumeration(AvroEnumSchema(name: AvroName("E1"), symbols: ["A"]))), fieldID: 2),
            ])
        let reader = AvroSchema.record(
            "r2",
            fields: [
                AvroField(
                    "d", AvroSchema(.fixed(AvroFixedSchema(name: AvroName("decimal_18_2"), size: 8))), fieldID: 1),
                AvroField(
                    "e", AvroSchema(.enumeration(AvroEnumSchema(name: AvroName("E2"), symbols: ["A"]))), fieldID: 2),
            ])
        let value = AvroValue.record([.fixed([0, 0, 0, 0, 0, 0, 1, 0]), .enumeration(0)])
        #expect(try AvroRoundTrip.run(value, writer: writer, reader: reader, matching: .byFieldID) == value)
        #expect(throws: AvroError.self) { try AvroReadPlan(writer: writer, reader: reader) }
    }

    @Test func resolvesRecursiveSchemas() throws {
        let writer = try AvroSchema(
            parsing:
                #"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"extra","type":"string"},{"name":"next","type":["null","Node"]}]}"#
        )
        let reader = try AvroSchema(
            parsing:
                #"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]},{"name":"v","type":"long"}]}"#
        )
        let value = AvroValue.record([
            .int(1), .string("a"), .union(1, .record([.int(2), .string("b"), .union(0, .null)])),
        ])
        let read = try AvroRoundTrip.run(value, writer: writer, reader: reader)
        #expect(read == .record([.union(1, .record([.union(0, .null), .long(2)])), .long(1)]))
    }

    @Test func mapsEnumSymbolsAndUsesTheReaderDefault() throws {
        let writer = AvroSchema(.enumeration(AvroEnumSchema(name: AvroName("E"), symbols: ["A", "B", "C"])))
        let reader = AvroSchema(
            .enumeration(AvroEnumSchema(name: AvroName("E"), symbols: ["C", "A", "X"], defaultSymbol: "X")))
        #expect(try AvroRoundTrip.run(.enumeration(0), writer: writer, reader: reader) == .enumeration(1))
        #expect(try AvroRoundTrip.run(.enumeration(1), writer: writer, reader: reader) == .enumeration(2))
        let strict = AvroSchema(.enumeration(AvroEnumSchema(name: AvroName("E"), symbols: ["A"])))
        #expect(try AvroRoundTrip.run(.enumeration(0), writer: writer, reader: strict) == .enumeration(0))
        #expect(throws: AvroError.self) { try AvroRoundTrip.run(.enumeration(2), writer: writer, reader: strict) }
    }

    @Test func failsOnlyWhenDataTakesAnUnreadableBranch() throws {
        let writer = AvroSchema.union([.null, .string, .long])
        let reader = AvroSchema.union([.null, .long])
        #expect(try AvroRoundTrip.run(.union(2, .long(9)), writer: writer, reader: reader) == .union(1, .long(9)))
        #expect(throws: AvroError.self) {
            try AvroRoundTrip.run(.union(1, .string("s")), writer: writer, reader: reader)
        }
    }

    @Test func convertsDefaultsOfEveryType() throws {
        let names = AvroNameTable(.null)
        let cases: [(JSON, AvroSchema, AvroValue)] = [
            (.null, .null, .null), (true, .boolean, .boolean(true)), (5, .int, .int(5)),
            (.int(.max), .long, .long(.max)), (1, .float, .float(1)), (.double(2.5), .double, .double(2.5)),
            ("\u{0}\u{ff}", .bytes, .bytes([0, 255])), ("s", .string, .string("s")),
            (.array([1, 2]), .array(.int), .array([.int(1), .int(2)])),
            (.object([("k", "v")]), .map(.string), .map([("k", .string("v"))])),
            (.null, .optional(.int), .union(0, .null)),
            (
                .object([("a", 1)]),
                .record("D", fields: [AvroField("a", .long), AvroField("b", .string, defaultValue: "x")]),
                .record([.long(1), .string("x")])
            ),
        ]
        for (json, schema, expected) in cases {
            #expect(try AvroValue(default: json, schema: schema, names: names) == expected)
        }
        #expect(throws: AvroError.self) { try AvroValue(default: "x", schema: .int, names: names) }
        #expect(throws: AvroError.self) { try AvroValue(default: .int(1 << 40), schema: .int, names: names) }
        #expect(throws: AvroError.self) { try AvroValue(default: "Ā", schema: .bytes, names: names) }
    }

    @Test(arguments: [
        (AvroSchema.string, AvroSchema.long), (.long, .int), (.double, .float), (.array(.int), .map(.int)),
        (.record("A", fields: []), .record("B", fields: [])),
        (.record("A", fields: []), .record("A", fields: [AvroField("needed", .int)])),
        (.optional(.string), .long),
    ])
    func rejectsIncompatibleSchemas(writer: AvroSchema, reader: AvroSchema) {
        #expect(throws: AvroError.self) { try AvroReadPlan(writer: writer, reader: reader) }
    }
}

@Suite struct AvroProjectionTests {
    static func writer() throws -> AvroSchema {
        try AvroSchema(
            parsing: #"""
                {"type":"record","name":"R","fields":[
                  {"name":"a","type":{"type":"enum","name":"E","symbols":["X","Y"]}},
                  {"name":"b","type":{"type":"record","name":"P","fields":[{"name":"e","type":"E"},{"name":"self","type":["null","P"]}]}},
                  {"name":"c","type":["null","E","P"]},
                  {"name":"d","type":"long"}]}
                """#)
    }

    @Test func keepsChosenFieldsAndMovesDefinitions() throws {
        let writer = try Self.writer()
        let projection = try writer.projected(to: ["d", "c"])
        // E and P were defined in dropped fields: now defined inside c; the result parses on its own.
        let reparsed = try AvroSchema(parsing: projection.jsonText)
        #expect(reparsed == projection)
        guard case .record(let record) = projection.type else {
            Issue.record("not a record")
            return
        }
        #expect(record.fields.map(\.name) == ["c", "d"])
        let value = AvroValue.record([
            .enumeration(1), .record([.enumeration(0), .union(1, .record([.enumeration(1), .union(0, .null)]))]),
            .union(2, .record([.enumeration(0), .union(0, .null)])), .long(9),
        ])
        let read = try AvroRoundTrip.run(value, writer: writer, reader: projection)
        #expect(read == .record([.union(2, .record([.enumeration(0), .union(0, .null)])), .long(9)]))
        var fileReader = try AvroFileReader(
            bytes: try AvroRoundTrip.file([value, value], schema: writer).bytes, readerSchema: projection)
        var count = 0
        try fileReader.forEachRecord { (record) throws(AvroError) in
            #expect(record == read)
            count += 1
        }
        #expect(count == 2)
    }

    @Test func rejectsUnknownFieldsAndNonRecords() throws {
        let writer = try Self.writer()
        #expect(throws: AvroError.self) { try writer.projected(to: ["zzz"]) }
        #expect(throws: AvroError.self) { try AvroSchema.long.projected(to: []) }
    }
}
