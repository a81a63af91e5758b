import Avro
import Documents
import IcebergSpec
import JSONCoding

/// What `amoro inspect` shows of an Avro object container file: its header, blocks and records.
enum AvroInspection {
    /// The `amoro.inspect` document: schema, codec, metadata, sync marker and every block's position and sizes.
    static func document(path: String, size: Int) throws -> InspectDocument {
        var reader = try AvroFileReader(source: try AvroLocalFile(path: path))
        let header = reader.header
        var blocks: [InspectDocument.Avro.Block] = []
        var records: Int64 = 0
        while let block = try reader.nextBlock() {
            records += Int64(block.recordCount)
            blocks.append(InspectDocument.Avro.Block(
                index: blocks.count, offset: Int64(block.offset), records: Int64(block.recordCount),
                compressedBytes: Int64(block.compressedSize), uncompressedBytes: Int64(block.uncompressedSize)))
        }
        let metadata = header.metadata.filter { !$0.key.hasPrefix("avro.") }.map { entry in
            InspectDocument.Entry(key: entry.key, value: String(validating: entry.value, as: UTF8.self) ?? IcebergJSON.hex(entry.value))
        }
        return InspectDocument(file: path, sizeBytes: Int64(size), layout: .avro(InspectDocument.Avro(
            codec: header.codec.rawValue, syncMarker: IcebergJSON.hex(header.syncMarker), headerBytes: Int64(header.size),
            records: records, schema: (try? JSON.parse(header.schema.jsonText)) ?? .string(header.schema.jsonText),
            metadata: metadata, blocks: blocks)))
    }

    /// Calls `emit` with each record (projected to `columns` when given) as a JSON object, at most `limit` of them.
    static func rows(path: String, columns: [String]?, limit: Int?, _ emit: (JSON) -> Void) throws {
        let probe = try AvroFileReader(source: try AvroLocalFile(path: path))
        let readerSchema = try columns.map { try probe.header.schema.projected(to: $0) }
        var reader = try AvroFileReader(source: try AvroLocalFile(path: path), readerSchema: readerSchema)
        let schema = reader.plan.readerSchema
        let names = AvroNameTable(schema)
        var remaining = limit ?? Int.max
        while remaining > 0, let block = try reader.nextBlock() {
            for record in try reader.records(in: block) {
                guard remaining > 0 else { break }
                emit(try json(record, schema: schema, names: names))
                remaining -= 1
            }
        }
    }

    /// A value in Iceberg's JSON single-value form, guided by its schema node's logical type.
    static func json(_ value: AvroValue, schema: AvroSchema, names: AvroNameTable) throws -> JSON {
        let schema = try names.resolve(schema)
        let utc = schema.property("adjust-to-utc").map { $0 != .bool(false) } ?? true
        switch (value, schema.type) {
        case (.union(let branch, let inner), .union(let branches)):
            guard branch < branches.count else { return .null }
            return try json(inner, schema: branches[branch], names: names)
        case (.null, _): return .null
        case (.boolean(let flag), _): return .bool(flag)
        case (.int(let number), _):
            switch schema.logicalType {
            case .date?: return .string(IcebergJSON.date(daysSinceEpoch: Int64(number)))
            case .timeMillis?: return .string(IcebergJSON.time(Int64(number), unit: .milliseconds))
            default: return .int(Int64(number))
            }
        case (.long(let number), _):
            switch schema.logicalType {
            case .timeMicros?: return .string(IcebergJSON.time(number, unit: .microseconds))
            case .timestampMillis?: return .string(IcebergJSON.timestamp(number, unit: .milliseconds, adjustedToUTC: utc))
            case .timestampMicros?: return .string(IcebergJSON.timestamp(number, unit: .microseconds, adjustedToUTC: utc))
            case .timestampNanos?: return .string(IcebergJSON.timestamp(number, unit: .nanoseconds, adjustedToUTC: utc))
            case .localTimestampMillis?: return .string(IcebergJSON.timestamp(number, unit: .milliseconds, adjustedToUTC: false))
            case .localTimestampMicros?: return .string(IcebergJSON.timestamp(number, unit: .microseconds, adjustedToUTC: false))
            case .localTimestampNanos?: return .string(IcebergJSON.timestamp(number, unit: .nanoseconds, adjustedToUTC: false))
            default: return .int(number)
            }
        case (.float(let number), _): return .double(Double(number))
        case (.double(let number), _): return .double(number)
        case (.string(let text), _): return .string(text)
        case (.bytes(let bytes), _), (.fixed(let bytes), _):
            switch schema.logicalType {
            case .decimal(_, let scale)?: return .string(IcebergJSON.decimal(bigEndianTwosComplement: bytes, scale: scale))
            case .uuid?: return .string(IcebergJSON.uuid(bytes) ?? IcebergJSON.hex(bytes))
            default: return .string(IcebergJSON.hex(bytes))
            }
        case (.enumeration(let index), .enumeration(let enumeration)):
            return index < enumeration.symbols.count ? .string(enumeration.symbols[index]) : .int(Int64(index))
        case (.array(let items), .array(let itemSchema)):
            // Iceberg writes maps with non-string keys as arrays of key/value records marked logicalType map.
            if schema.property("logicalType") == .string("map"), case .record(let entry) = try names.resolve(itemSchema).type,
                entry.fields.count == 2
            {
                var keys: [JSON] = []
                var values: [JSON] = []
                for item in items {
                    guard case .record(let pair) = item, pair.count == 2 else { continue }
                    keys.append(try json(pair[0], schema: entry.fields[0].type, names: names))
                    values.append(try json(pair[1], schema: entry.fields[1].type, names: names))
                }
                return .object([("keys", .array(keys)), ("values", .array(values))])
            }
            return .array(try items.map { try json($0, schema: itemSchema, names: names) })
        case (.map(let entries), .map(let valueSchema)):
            return .object([
                ("keys", .array(entries.map { .string($0.key) })),
                ("values", .array(try entries.map { try json($0.value, schema: valueSchema, names: names) })),
            ])
        case (.record(let values), .record(let record)):
            return .object(try zip(record.fields, values).map { field, value in
                (field.name, try json(value, schema: field.type, names: names))
            })
        default:
            return .string(value.description)
        }
    }
}
