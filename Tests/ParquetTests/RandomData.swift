import TestSupport
import Parquet

extension SeededGenerator {
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}

/// Random schemas and rows for property tests: every physical type, nulls, empty strings and lists, type limits,
/// nesting several levels deep.
enum RandomData {
    static func schema(_ random: inout SeededGenerator, fields: Int = 4, depth: Int = 3) throws -> ParquetSchema {
        try ParquetSchema((0..<fields).map { node("f\($0)", &random, depth: depth) })
    }

    static func node(_ name: String, _ random: inout SeededGenerator, depth: Int) -> SchemaNode {
        let repetition: Repetition = random.chance(0.6) ? .optional : (random.chance(0.2) ? .repeated : .required)
        let kind = depth <= 0 ? 0 : Int.random(in: 0..<5, using: &random)
        switch kind {
        case 1:
            let children = (0..<Int.random(in: 1...3, using: &random)).map { node("c\($0)", &random, depth: depth - 1) }
            return .group(name, repetition: repetition, children)
        case 2:
            return .list(name, repetition: repetition == .repeated ? .optional : repetition,
                element: node("element", &random, depth: depth - 1))
        case 3:
            return .map(
                name, repetition: repetition == .repeated ? .optional : repetition,
                key: .primitive("key", .byteArray, repetition: .required, logicalType: .string),
                value: node("value", &random, depth: depth - 1))
        default:
            return primitive(name, repetition, &random)
        }
    }

    static func primitive(_ name: String, _ repetition: Repetition, _ random: inout SeededGenerator) -> SchemaNode {
        switch Int.random(in: 0..<12, using: &random) {
        case 0: return .primitive(name, .boolean, repetition: repetition)
        case 1: return .primitive(name, .int32, repetition: repetition)
        case 2: return .primitive(name, .int64, repetition: repetition)
        case 3: return .primitive(name, .int96, repetition: repetition)
        case 4: return .primitive(name, .float, repetition: repetition)
        case 5: return .primitive(name, .double, repetition: repetition)
        case 6: return .primitive(name, .byteArray, repetition: repetition, logicalType: .string)
        case 7: return .primitive(name, .byteArray, repetition: repetition)
        case 8: return .primitive(name, .fixedLenByteArray, repetition: repetition, typeLength: 3)
        case 9:
            return .primitive(name, .int32, repetition: repetition, logicalType: .integer(bitWidth: 32, isSigned: false))
        case 10:
            return .primitive(
                name, .fixedLenByteArray, repetition: repetition, typeLength: 16, logicalType: .uuid)
        default:
            return .primitive(
                name, .int64, repetition: repetition, logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros))
        }
    }

    static func row(_ schema: ParquetSchema, _ random: inout SeededGenerator) -> ParquetValue {
        .group(schema.root.children.map { value($0, &random) })
    }

    static func value(_ node: SchemaNode, _ random: inout SeededGenerator) -> ParquetValue {
        if node.repetition == .repeated {
            return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in single(node, &random) })
        }
        if node.repetition == .optional && random.chance(0.2) { return .null }
        return single(node, &random)
    }

    static func single(_ node: SchemaNode, _ random: inout SeededGenerator) -> ParquetValue {
        switch node.kind {
        case .primitive(let type, let length): return primitiveValue(type, length, &random)
        case .group(let children):
            if node.logicalType == .list, case .group(let inner) = children[0].kind, inner.count == 1 {
                return .list((0..<Int.random(in: 0...3, using: &random)).map { _ in value(inner[0], &random) })
            }
            if node.logicalType == .map, case .group(let inner) = children[0].kind {
                return .map((0..<Int.random(in: 0...3, using: &random)).map { _ in
                    .init(key: value(inner[0], &random), value: value(inner[1], &random))
                })
            }
            return .group(children.map { value($0, &random) })
        }
    }

    static func primitiveValue(_ type: PhysicalType, _ length: Int, _ random: inout SeededGenerator) -> ParquetValue {
        switch type {
        case .boolean: return .boolean(random.chance(0.5))
        case .int32: return .int32(random.chance(0.1) ? [Int32.min, Int32.max, 0].randomElement(using: &random)! : Int32.random(in: -1000...1000, using: &random))
        case .int64: return .int64(random.chance(0.1) ? [Int64.min, Int64.max, -1].randomElement(using: &random)! : Int64.random(in: -1_000_000...1_000_000, using: &random))
        case .int96:
            return .int96(Int96(nanosecondsOfDay: UInt64.random(in: 0..<86_400_000_000_000, using: &random), julianDay: UInt32.random(in: 2_440_000...2_470_000, using: &random)))
        case .float: return .float(random.chance(0.1) ? [-0.0, .infinity, .greatestFiniteMagnitude].randomElement(using: &random)! : Float.random(in: -100...100, using: &random))
        case .double: return .double(random.chance(0.1) ? [-.infinity, .leastNonzeroMagnitude, 0].randomElement(using: &random)! : Double.random(in: -1e9...1e9, using: &random))
        case .byteArray: return .bytes((0..<Int.random(in: 0...6, using: &random)).map { _ in UInt8.random(in: 97...100, using: &random) })
        case .fixedLenByteArray: return .bytes((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
    }
}
