extension AvroSchema {
    /// A reader schema for a record that keeps only the fields named in `fieldNames`, in the record's order
    /// (for `inspect --columns`). A named type defined in a dropped field but used by a kept one is moved to its
    /// first use, so the result stands alone.
    package func projected(to fieldNames: [String]) throws(AvroError) -> AvroSchema {
        guard case .record(var record) = type else { throw .invalidValue("only a record schema can be projected") }
        let known = Set(record.fields.map(\.name))
        if let missing = fieldNames.first(where: { !known.contains($0) }) {
            throw .invalidValue("record \(record.name) has no field \(missing)")
        }
        let keep = Set(fieldNames)
        var inliner = AvroDefinitionInliner(names: AvroNameTable(self))
        inliner.defined.insert(record.name.fullName)
        var fields: [AvroField] = []
        for field in record.fields where keep.contains(field.name) {
            var field = field
            field.type = try inliner.inline(field.type)
            fields.append(field)
        }
        record.fields = fields
        return AvroSchema(.record(record), properties: properties)
    }
}

/// Rewrites a schema so that each named type is defined at its first use.
private struct AvroDefinitionInliner {
    let names: AvroNameTable
    var defined: Set<String> = []

    mutating func inline(_ schema: AvroSchema) throws(AvroError) -> AvroSchema {
        switch schema.type {
        case .reference(let name):
            guard !defined.contains(name.fullName) else { return schema }
            return try inline(try names.resolve(schema))
        case .record(var record):
            defined.insert(record.name.fullName)
            for index in record.fields.indices { record.fields[index].type = try inline(record.fields[index].type) }
            return AvroSchema(.record(record), properties: schema.properties)
        case .enumeration(let enumeration):
            defined.insert(enumeration.name.fullName)
            return schema
        case .fixed(let fixed):
            defined.insert(fixed.name.fullName)
            return schema
        case .array(let items): return AvroSchema(.array(items: try inline(items)), properties: schema.properties)
        case .map(let values): return AvroSchema(.map(values: try inline(values)), properties: schema.properties)
        case .union(let branches):
            var inlined: [AvroSchema] = []
            for branch in branches { inlined.append(try inline(branch)) }
            return AvroSchema(.union(inlined), properties: schema.properties)
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            return schema
        }
    }
}
