import Avro
import Testing

/// Random schemas with random data: what is written is what is read, through every path.
@Suite struct AvroPropertyTests {
    static let seeds: [UInt64] = Array(1...60)

    @Test(arguments: seeds)
    func randomDataRoundTripsThroughFiles(seed: UInt64) throws {
        var generator = RandomAvro(seed: seed)
        let schema = generator.record(depth: 0)
        let values = (0..<Int.random(in: 0..<200, using: &generator.random)).map { _ in generator.value(for: schema) }
        let codec = AvroCodec.allCases.randomElement(using: &generator.random)!
        let options = AvroFileWriter.Options(
            codec: codec, blockRecordLimit: Int.random(in: 1..<50, using: &generator.random),
            collectionBlockSize: Bool.random(using: &generator.random)
                ? Int.random(in: 1..<4, using: &generator.random) : nil)
        let (bytes, read) = try AvroRoundTrip.file(values, schema: schema, options: options)
        #expect(read == values, "seed \(seed), codec \(codec), schema \(schema.jsonText)")
        // Blocks decoded a few at a time side by side give the same records in the same order.
        var batched = try AvroFileReader(bytes: bytes)
        var records: [AvroValue] = []
        var batches = try batched.nextRecordBatches(limit: 3)
        while !batches.isEmpty {
            records += batches.flatMap { $0 }
            batches = try batched.nextRecordBatches(limit: 3)
        }
        #expect(records == values, "seed \(seed), decoded in batches")
        // The header's schema text gives back the schema.
        #expect(try AvroFileReader(bytes: bytes).header.schema == schema)
    }

    @Test(arguments: seeds)
    func randomSchemasRoundTripThroughText(seed: UInt64) throws {
        var generator = RandomAvro(seed: seed &* 7919)
        let schema = generator.record(depth: 0)
        #expect(try AvroSchema(parsing: schema.jsonText) == schema)
    }

    /// A reader that keeps a shuffled subset of the fields, matched by field id, reads exactly those values.
    @Test(arguments: seeds)
    func projectionsReadTheChosenFields(seed: UInt64) throws {
        var generator = RandomAvro(seed: seed &+ 1_000)
        let writer = generator.record(depth: 0)
        guard case .record(let record) = writer.type else { return }
        var chosen = Array(record.fields.indices).filter { _ in Bool.random(using: &generator.random) }
        chosen.shuffle(using: &generator.random)
        let readerFields = chosen.map { index in
            AvroField("renamed\(index)", record.fields[index].type, fieldID: record.fields[index].fieldID!)
        }
        let reader = AvroSchema.record("projection", fields: readerFields)
        for _ in 0..<20 {
            let value = generator.value(for: writer)
            guard case .record(let fields) = value else { continue }
            let read = try AvroRoundTrip.run(
                value, writer: writer, reader: reader, matching: .byFieldID, collectionBlockSize: 2)
            #expect(read == .record(chosen.map { fields[$0] }), "seed \(seed)")
        }
    }
}
