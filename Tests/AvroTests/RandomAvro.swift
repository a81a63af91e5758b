import TestSupport
import Avro
import JSONCoding


/// Random schemas and values that fit them, for property tests.
struct RandomAvro {
    var random: SeededGenerator
    private var nameCounter = 0

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    private mutating func freshName(_ prefix: String) -> AvroName {
        nameCounter += 1
        return AvroName("\(prefix)\(nameCounter)", namespace: Bool.random(using: &random) ? "ns.x" : nil)
    }

    mutating func schema(depth: Int = 0) -> AvroSchema {
        let leaf = depth >= 3 || Int.random(in: 0..<3, using: &random) > 0
        if leaf {
            switch Int.random(in: 0..<20, using: &random) {
            case 0: return .null
            case 1: return .boolean
            case 2: return .int
            case 3: return .long
            case 4: return .float
            case 5: return .double
            case 6: return .bytes
            case 7: return .string
            case 8:
                return AvroSchema(
                    .fixed(AvroFixedSchema(name: freshName("F"), size: Int.random(in: 0..<20, using: &random))))
            case 9:
                let count = Int.random(in: 1..<6, using: &random)
                return AvroSchema(
                    .enumeration(AvroEnumSchema(name: freshName("E"), symbols: (0..<count).map { "S\($0)" })))
            case 10: return AvroSchema(.int, logicalType: .date)
            case 11:
                return AvroSchema(
                    .long, logicalType: .timestampMicros, properties: [("adjust-to-utc", true)])
            case 12: return AvroSchema(.bytes, logicalType: .decimal(precision: 20, scale: 3))
            case 13: return AvroSchema(.fixed(AvroFixedSchema(name: freshName("U"), size: 16)), logicalType: .uuid)
            case 14: return AvroSchema(.long, logicalType: .timestampNanos)
            case 15: return AvroSchema(.int, logicalType: .timeMillis)
            default: return .string
            }
        }
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            return AvroSchema(
                .array(items: schema(depth: depth + 1)),
                properties: [("element-id", .int(Int64(depth)))])
        case 1: return .map(schema(depth: depth + 1))
        case 2:
            // A union of distinct unnamed kinds, null first or last, plus maybe a record.
            var branches: [AvroSchema] = [.long, .string, .double, .array(.int)].filter { _ in
                Bool.random(using: &random)
            }
            if branches.isEmpty { branches = [.bytes] }
            if Bool.random(using: &random) { branches.append(record(depth: depth + 1)) }
            if Bool.random(using: &random) { branches.insert(.null, at: 0) } else { branches.append(.null) }
            return .union(branches)
        default: return record(depth: depth + 1)
        }
    }

    mutating func record(depth: Int) -> AvroSchema {
        let name = freshName("R")
        let count = Int.random(in: 0..<6, using: &random)
        let fields = (0..<count).map { index in
            AvroField("f\(index)", schema(depth: depth + 1), fieldID: nameCounter * 100 + index)
        }
        return AvroSchema(.record(AvroRecordSchema(name: name, fields: fields)))
    }

    mutating func value(for schema: AvroSchema) -> AvroValue {
        switch schema.type {
        case .null: return .null
        case .boolean: return .boolean(Bool.random(using: &random))
        case .int:
            return .int(
                special([Int32.min, .max, 0, -1]) ?? Int32.random(in: .min ... .max, using: &random)
                    >> Int32.random(in: 0..<31, using: &random))
        case .long:
            return .long(
                special([Int64.min, .max, 0]) ?? Int64.random(in: .min ... .max, using: &random)
                    >> Int64.random(in: 0..<63, using: &random))
        case .float:
            return .float(
                special([Float.nan, .infinity, -0.0])
                    ?? Float(bitPattern: UInt32.random(in: 0 ... .max, using: &random)))
        case .double:
            return .double(
                special([Double.nan, -.infinity, 0])
                    ?? Double(bitPattern: UInt64.random(in: 0 ... .max, using: &random)))
        case .bytes: return .bytes(bytes(Int.random(in: 0..<30, using: &random)))
        case .string:
            let alphabet = Array("aé🌍 z\u{0}\"\\")
            return .string(
                String(
                    (0..<Int.random(in: 0..<20, using: &random)).map { _ in alphabet.randomElement(using: &random)! }))
        case .fixed(let fixed): return .fixed(bytes(fixed.size))
        case .enumeration(let enumeration):
            return .enumeration(Int.random(in: 0..<enumeration.symbols.count, using: &random))
        case .array(let items):
            return .array((0..<Int.random(in: 0..<5, using: &random)).map { _ in value(for: items) })
        case .map(let values):
            return .map((0..<Int.random(in: 0..<4, using: &random)).map { index in ("k\(index)", value(for: values)) })
        case .union(let branches):
            let index = Int.random(in: 0..<branches.count, using: &random)
            return .union(index, value(for: branches[index]))
        case .record(let record): return .record(record.fields.map { value(for: $0.type) })
        case .reference: return .null
        }
    }

    private mutating func special<T>(_ candidates: [T]) -> T? {
        Int.random(in: 0..<8, using: &random) == 0 ? candidates.randomElement(using: &random) : nil
    }

    private mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }
}
