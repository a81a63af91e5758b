import ByteCoding

/// Encodes `AvroValue`s in Avro's binary encoding for one schema, checking that each value fits it.
package struct AvroEncoder: Sendable {
    package let schema: AvroSchema
    private let names: AvroNameTable
    /// When set, arrays and maps are written in blocks of at most this many items, each with a negative count
    /// followed by the block's byte size (the form that lets readers skip); otherwise as one positive block.
    package let collectionBlockSize: Int?

    package init(schema: AvroSchema, collectionBlockSize: Int? = nil) throws(AvroError) {
        if let collectionBlockSize, collectionBlockSize <= 0 {
            throw .invalidValue("collection block size must be positive, not \(collectionBlockSize)")
        }
        self.schema = schema
        self.names = AvroNameTable(schema)
        self.collectionBlockSize = collectionBlockSize
    }

    /// Appends the encoding of `value` to `writer`. On error, `writer` may hold part of the value.
    package func encode(_ value: AvroValue, into writer: inout ByteWriter) throws(AvroError) {
        do {
            try write(value, schema, &writer)
        } catch {
            let place = error.path.isEmpty ? "" : "field \(error.path.reversed().joined(separator: ".")): "
            throw .invalidValue(place + error.message)
        }
    }

    /// Why a value did not fit, and where: field names from the innermost out, collected only on failure so the
    /// encoder builds no strings while it succeeds.
    private struct Failure: Error {
        var path: [String] = []
        let message: String
    }

    package func encode(_ value: AvroValue) throws(AvroError) -> [UInt8] {
        var writer = ByteWriter()
        try encode(value, into: &writer)
        return writer.bytes
    }

    private func write(_ value: AvroValue, _ node: AvroSchema, _ writer: inout ByteWriter) throws(Failure) {
        let schema: AvroSchema
        do { schema = try names.resolve(node) } catch { throw Failure(message: error.description) }
        func mismatch() -> Failure { Failure(message: "\(value) is not a \(schema.fullName ?? schema.type.name)") }
        switch (schema.type, value) {
        case (.null, .null): break
        case (.boolean, .boolean(let flag)): writer.writeByte(flag ? 1 : 0)
        case (.int, .int(let number)): writer.writeZigZag(Int64(number))
        case (.long, .long(let number)): writer.writeZigZag(number)
        case (.float, .float(let number)): writer.writeFloat(number)
        case (.double, .double(let number)): writer.writeDouble(number)
        case (.bytes, .bytes(let bytes)):
            writer.writeZigZag(Int64(bytes.count))
            writer.writeBytes(bytes)
        case (.string, .string(let text)):
            writer.writeZigZag(Int64(text.utf8.count))
            writer.writeBytes(text.utf8)
        case (.fixed(let fixed), .fixed(let bytes)):
            guard bytes.count == fixed.size else {
                throw Failure(message: "\(bytes.count) bytes do not fit fixed \(fixed.name) of \(fixed.size)")
            }
            writer.writeBytes(bytes)
        case (.enumeration(let enumeration), .enumeration(let index)):
            guard index >= 0, index < enumeration.symbols.count else { throw mismatch() }
            writer.writeZigZag(Int64(index))
        case (.array(let items), .array(let elements)):
            try writeBlocks(elements.count, &writer) { (index, writer) throws(Failure) in
                try write(elements[index], items, &writer)
            }
        case (.map(let valueSchema), .map(let entries)):
            try writeBlocks(entries.count, &writer) { (index, writer) throws(Failure) in
                writer.writeZigZag(Int64(entries[index].key.utf8.count))
                writer.writeBytes(entries[index].key.utf8)
                try write(entries[index].value, valueSchema, &writer)
            }
        case (.record(let record), .record(let fields)):
            guard fields.count == record.fields.count else {
                throw Failure(
                    message: "record \(record.name) has \(record.fields.count) fields, the value \(fields.count)")
            }
            for (field, fieldValue) in zip(record.fields, fields) {
                do {
                    try write(fieldValue, field.type, &writer)
                } catch {
                    var failure = error
                    failure.path.append(field.name)
                    throw failure
                }
            }
        case (.union(let branches), .union(let index, let inner)):
            guard index >= 0, index < branches.count else { throw mismatch() }
            writer.writeZigZag(Int64(index))
            try write(inner, branches[index], &writer)
        default:
            throw mismatch()
        }
    }

    private func writeBlocks(
        _ count: Int, _ writer: inout ByteWriter, item: (Int, inout ByteWriter) throws(Failure) -> Void
    ) throws(Failure) {
        guard count > 0 else {
            writer.writeByte(0)
            return
        }
        guard let blockSize = collectionBlockSize else {
            writer.writeZigZag(Int64(count))
            for index in 0..<count { try item(index, &writer) }
            writer.writeByte(0)
            return
        }
        var block = ByteWriter()
        var start = 0
        while start < count {
            let end = min(start + blockSize, count)
            block.removeAll()
            for index in start..<end { try item(index, &block) }
            writer.writeZigZag(-Int64(end - start))
            writer.writeZigZag(Int64(block.count))
            block.bytes.withUnsafeBytes { writer.writeBytes($0) }
            start = end
        }
        writer.writeByte(0)
    }
}
