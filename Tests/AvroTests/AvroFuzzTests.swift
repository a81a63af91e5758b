import Avro
import ByteCoding
import Testing

/// Damaged and random bytes decoded with random schemas: errors are fine, crashes and hangs are not, and whatever
/// decodes must re-encode (the decoder never builds a value its schema does not allow).
@Suite struct AvroFuzzTests {
    @Test(arguments: Array(UInt64(1)...40))
    func damagedValuesFailCleanly(seed: UInt64) throws {
        var generator = RandomAvro(seed: seed &* 31)
        let schema = generator.record(depth: 0)
        let plan = try AvroReadPlan(writer: schema)
        let encoder = try AvroEncoder(
            schema: schema, collectionBlockSize: Bool.random(using: &generator.random) ? 2 : nil)
        for _ in 0..<30 {
            var bytes = try encoder.encode(generator.value(for: schema))
            guard !bytes.isEmpty else { continue }
            switch Int.random(in: 0..<3, using: &generator.random) {
            case 0:
                bytes[Int.random(in: 0..<bytes.count, using: &generator.random)] ^= UInt8.random(
                    in: 1...255, using: &generator.random)
            case 1: bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator.random))
            default:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &generator.random),
                    at: Int.random(in: 0...bytes.count, using: &generator.random))
            }
            try Self.decodeAndReencode(bytes, plan: plan, encoder: encoder)
        }
    }

    @Test(arguments: Array(UInt64(1)...40))
    func randomBytesFailCleanly(seed: UInt64) throws {
        var generator = RandomAvro(seed: seed &* 131)
        let schema = generator.record(depth: 0)
        let plan = try AvroReadPlan(writer: schema)
        let encoder = try AvroEncoder(schema: schema)
        for _ in 0..<30 {
            let bytes = (0..<Int.random(in: 0..<64, using: &generator.random)).map { _ in
                UInt8.random(in: 0...255, using: &generator.random)
            }
            try Self.decodeAndReencode(bytes, plan: plan, encoder: encoder)
        }
    }

    static func decodeAndReencode(_ bytes: [UInt8], plan: AvroReadPlan, encoder: AvroEncoder) throws {
        let decoded: AvroValue? = bytes.withUnsafeBytes { buffer in
            var cursor = ByteReader(buffer)
            return try? plan.decode(&cursor)
        }
        if let decoded { _ = try encoder.encode(decoded) }
    }
}
