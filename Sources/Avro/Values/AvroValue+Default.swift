import JSONCoding

extension AvroValue {
    /// The value a JSON field default denotes for `schema` (Avro's default rules: bytes and fixed as strings of
    /// code points 0-255, a union's default in its first branch, or in another branch as Avro 1.12 allows).
    package init(default json: JSON, schema: AvroSchema, names: AvroNameTable, depth: Int = 0) throws(AvroError) {
        guard depth < AvroSchema.jsonDepthLimit else { throw .invalidSchema("default nests too deeply") }
        let schema = try names.resolve(schema)
        func mismatch() -> AvroError { .invalidSchema("default \(json.rendered()) does not fit \(schema.type.name)") }
        func byteString(_ text: String) throws(AvroError) -> [UInt8] {
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw mismatch() }
                bytes.append(UInt8(scalar.value))
            }
            return bytes
        }
        switch (schema.type, json) {
        case (.null, .null): self = .null
        case (.boolean, .bool(let value)): self = .boolean(value)
        case (.int, _):
            guard let value = json.int64Value, let narrow = Int32(exactly: value) else { throw mismatch() }
            self = .int(narrow)
        case (.long, _):
            guard let value = json.int64Value else { throw mismatch() }
            self = .long(value)
        case (.float, _):
            guard let value = json.doubleValue else { throw mismatch() }
            self = .float(Float(value))
        case (.double, _):
            guard let value = json.doubleValue else { throw mismatch() }
            self = .double(value)
        case (.bytes, .string(let text)): self = .bytes(try byteString(text))
        case (.string, .string(let text)): self = .string(text)
        case (.fixed(let fixed), .string(let text)):
            let bytes = try byteString(text)
            guard bytes.count == fixed.size else { throw mismatch() }
            self = .fixed(bytes)
        case (.enumeration(let enumeration), .string(let symbol)):
            guard let index = enumeration.symbols.firstIndex(of: symbol) else { throw mismatch() }
            self = .enumeration(index)
        case (.array(let items), .array(let elements)):
            var values: [AvroValue] = []
            for element in elements {
                values.append(try AvroValue(default: element, schema: items, names: names, depth: depth + 1))
            }
            self = .array(values)
        case (.map(let valueSchema), .object(let members)):
            var entries: [(key: String, value: AvroValue)] = []
            for (key, value) in members {
                entries.append((key, try AvroValue(default: value, schema: valueSchema, names: names, depth: depth + 1)))
            }
            self = .map(entries)
        case (.record(let record), .object):
            var fields: [AvroValue] = []
            for field in record.fields {
                guard let value = json[field.name] ?? field.defaultValue else { throw mismatch() }
                fields.append(try AvroValue(default: value, schema: field.type, names: names, depth: depth + 1))
            }
            self = .record(fields)
        case (.union(let branches), _):
            for (index, branch) in branches.enumerated() {
                if let value = try? AvroValue(default: json, schema: branch, names: names, depth: depth + 1) {
                    self = .union(index, value)
                    return
                }
            }
            throw mismatch()
        default:
            throw mismatch()
        }
    }
}
