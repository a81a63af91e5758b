import Avro
import ByteCoding

/// Helpers shared by the Avro tests: encode with one schema, decode with a plan.
enum AvroRoundTrip {
    /// Encodes `value` with `schema` and decodes it back with `reader` (default: the same schema), checking that
    /// the decoder consumed every byte.
    static func run(
        _ value: AvroValue, writer schema: AvroSchema, reader: AvroSchema? = nil, matching: AvroFieldMatching = .byName,
        collectionBlockSize: Int? = nil
    ) throws -> AvroValue {
        let bytes = try AvroEncoder(schema: schema, collectionBlockSize: collectionBlockSize).encode(value)
        let plan = try AvroReadPlan(writer: schema, reader: reader, matching: matching)
        return try decode(bytes, plan: plan)
    }

    /// Decodes one value from the whole of `bytes`.
    static func decode(_ bytes: [UInt8], plan: AvroReadPlan) throws -> AvroValue {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(AvroError) in
                var cursor = ByteReader(buffer)
                let decoded = try plan.decode(&cursor)
                guard cursor.isAtEnd else { throw AvroError.corrupt("\(cursor.remaining) bytes left over") }
                return decoded
            }
        }.get()
    }

    /// Writes a container file of `values` and reads every record back.
    static func file(
        _ values: [AvroValue], schema: AvroSchema, options: AvroFileWriter.Options = AvroFileWriter.Options()
    ) throws -> (bytes: [UInt8], values: [AvroValue]) {
        var writer = try AvroFileWriter(schema: schema, options: options)
        for value in values { try writer.append(value) }
        let bytes = try writer.finish()
        var reader = try AvroFileReader(bytes: bytes)
        return (bytes, try reader.readAll())
    }
}
