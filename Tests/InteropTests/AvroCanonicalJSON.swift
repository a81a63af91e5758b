import Avro
import JSONCoding

/// The canonical JSON of `AvroInteropPeer` for amoro's values, and back: records and maps are objects in order,
/// unions their value, enums their symbol, bytes and fixed `{"$bytes": hex}`, non-finite floats
/// `{"$float": ...}`; logical types are not applied.
enum AvroCanonicalJSON {
    struct Mismatch: Error, CustomStringConvertible {
        let description: String
    }

    static func records(_ values: [AvroValue], schema: AvroSchema) throws -> JSON {
        let names = AvroNameTable(schema)
        return .array(try values.map { try json($0, schema: schema, names: names) })
    }

    static func json(_ value: AvroValue, schema: AvroSchema) throws -> JSON {
        try json(value, schema: schema, names: AvroNameTable(schema))
    }

    static func json(_ value: AvroValue, schema: AvroSchema, names: AvroNameTable) throws -> JSON {
        let schema = try names.resolve(schema)
        switch (value, schema.type) {
        case (.null, _): return .null
        case (.boolean(let flag), _): return .bool(flag)
        case (.int(let number), _): return .int(Int64(number))
        case (.long(let number), _): return .int(number)
        case (.float(let number), _): return floating(Double(number))
        case (.double(let number), _): return floating(number)
        case (.bytes(let bytes), _), (.fixed(let bytes), _): return hex(bytes)
        case (.string(let text), _): return .string(text)
        case (.enumeration(let index), .enumeration(let enumeration)): return .string(enumeration.symbols[index])
        case (.array(let elements), .array(let items)):
            return .array(try elements.map { try json($0, schema: items, names: names) })
        case (.map(let entries), .map(let values)):
            return .object(try entries.map { ($0.key, try json($0.value, schema: values, names: names)) })
        case (.record(let fields), .record(let record)):
            return .object(
                try zip(record.fields, fields).map {
                    ($0.name, try json($1, schema: $0.type, names: names))
                })
        case (.union(let branch, let inner), .union(let branches)):
            return try json(inner, schema: branches[branch], names: names)
        default:
            throw Mismatch(description: "\(value) does not fit \(schema.jsonText)")
        }
    }

    /// The value of `schema` that canonical JSON stands for (a union takes its first branch that fits).
    static func value(_ json: JSON, schema: AvroSchema) throws -> AvroValue {
        try value(json, schema: schema, names: AvroNameTable(schema))
    }

    static func value(_ json: JSON, schema: AvroSchema, names: AvroNameTable) throws -> AvroValue {
        let schema = try names.resolve(schema)
        func mismatch() -> Mismatch { Mismatch(description: "\(json.rendered()) does not fit \(schema.type.name)") }
        switch (schema.type, json) {
        case (.null, .null): return .null
        case (.boolean, .bool(let flag)): return .boolean(flag)
        case (.int, .int(let number)):
            guard let narrow = Int32(exactly: number) else { throw mismatch() }
            return .int(narrow)
        case (.long, .int(let number)): return .long(number)
        case (.float, _): return .float(Float(try double(json)))
        case (.double, _): return .double(try double(json))
        case (.bytes, _): return .bytes(try bytes(json))
        case (.fixed(let fixed), _):
            let value = try bytes(json)
            guard value.count == fixed.size else { throw mismatch() }
            return .fixed(value)
        case (.string, .string(let text)): return .string(text)
        case (.enumeration(let enumeration), .string(let symbol)):
            guard let index = enumeration.symbols.firstIndex(of: symbol) else { throw mismatch() }
            return .enumeration(index)
        case (.array(let items), .array(let elements)):
            return .array(try elements.map { try value($0, schema: items, names: names) })
        case (.map(let values), .object(let members)):
            return .map(try members.map { ($0.0, try value($0.1, schema: values, names: names)) })
        case (.record(let record), .object):
            return .record(
                try record.fields.map { field in
                    try value(json[field.name] ?? .null, schema: field.type, names: names)
                })
        case (.union(let branches), _):
            for (index, branch) in branches.enumerated() {
                if let inner = try? value(json, schema: branch, names: names) { return .union(index, inner) }
            }
            throw mismatch()
        default:
            throw mismatch()
        }
    }

    private static func floating(_ number: Double) -> JSON {
        if number.isNaN { return .object([("$float", "nan")]) }
        if number.isInfinite { return .object([("$float", number > 0 ? "inf" : "-inf")]) }
        return .double(number)
    }

    private static func double(_ json: JSON) throws -> Double {
        switch json {
        case .double(let number): return number
        case .int(let number): return Double(number)
        case .object:
            switch json["$float"]?.stringValue {
            case "nan": return .nan
            case "inf": return .infinity
            case "-inf": return -.infinity
            default: break
            }
        default: break
        }
        throw Mismatch(description: "\(json.rendered()) is not a float")
    }

    private static func hex(_ bytes: [UInt8]) -> JSON {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return .object([("$bytes", .string(text))])
    }

    private static func bytes(_ json: JSON) throws -> [UInt8] {
        guard let text = json["$bytes"]?.stringValue, text.utf8.count % 2 == 0 else {
            throw Mismatch(description: "\(json.rendered()) is not bytes")
        }
        let characters = Array(text.utf8)
        var result: [UInt8] = []
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw Mismatch(description: "\(text) is not hex")
            }
            result.append(byte)
        }
        return result
    }
}
