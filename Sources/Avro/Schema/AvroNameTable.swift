/// The named types (records, enums, fixed) defined in one schema, by full name, so `.reference` nodes can be
/// followed to their definitions.
package struct AvroNameTable: Sendable {
    package private(set) var definitions: [String: AvroSchema] = [:]

    package init(_ schema: AvroSchema) { collect(schema) }

    private mutating func collect(_ schema: AvroSchema) {
        switch schema.type {
        case .record(let record):
            definitions[record.name.fullName] = schema
            for field in record.fields { collect(field.type) }
        case .enumeration(let enumeration): definitions[enumeration.name.fullName] = schema
        case .fixed(let fixed): definitions[fixed.name.fullName] = schema
        case .array(let items): collect(items)
        case .map(let values): collect(values)
        case .union(let branches): for branch in branches { collect(branch) }
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string, .reference: break
        }
    }

    /// The definition a reference names, or the schema itself when it is not a reference.
    package func resolve(_ schema: AvroSchema) throws(AvroError) -> AvroSchema {
        guard case .reference(let name) = schema.type else { return schema }
        guard let definition = definitions[name.fullName] else {
            throw .invalidSchema("reference to undefined type \(name)")
        }
        return definition
    }
}
