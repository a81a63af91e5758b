/// The unit of TIME and TIMESTAMP logical types (Thrift union `TimeUnit`).
package enum TimeUnit: Sendable, Hashable {
    case millis, micros, nanos
}

/// A column's logical type annotation (Thrift union `LogicalType`), superseding `ConvertedType`.
package enum LogicalType: Sendable, Hashable {
    case string
    case map
    case list
    case enumeration
    case decimal(precision: Int32, scale: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Always null (Thrift `UNKNOWN` / `NullType`).
    case null
    case json
    case bson
    case uuid
    case float16
    case variant
    case geometry
    case geography

    /// Reads the union; returns nil for a member this implementation does not know (it is skipped).
    package static func read(from reader: inout ThriftCompactReader) throws(ParquetError) -> LogicalType? {
        var result: LogicalType?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enumeration
            case 5:
                var scale: Int32?
                var precision: Int32?
                try reader.structField(field) { reader, inner throws(ParquetError) in
                    switch inner.id {
                    case 1: scale = try reader.i32(inner)
                    case 2: precision = try reader.i32(inner)
                    default: return false
                    }
                    return true
                }
                guard let scale, let precision else { throw .missing("scale/precision", in: "DecimalType") }
                result = .decimal(precision: precision, scale: scale)
                return true
            case 6: result = .date
            case 7, 8:
                var utc: Bool?
                var unit: TimeUnit?
                try reader.structField(field) { reader, inner throws(ParquetError) in
                    switch inner.id {
                    case 1: utc = try reader.bool(inner)
                    case 2: unit = try readTimeUnit(inner, &reader)
                    default: return false
                    }
                    return true
                }
                guard let utc, let unit else { throw .missing("isAdjustedToUTC/unit", in: "TimeType") }
                result = field.id == 7 ? .time(isAdjustedToUTC: utc, unit: unit) : .timestamp(isAdjustedToUTC: utc, unit: unit)
                return true
            case 10:
                var width: Int8?
                var signed: Bool?
                try reader.structField(field) { reader, inner throws(ParquetError) in
                    switch inner.id {
                    case 1: width = try reader.i8(inner)
                    case 2: signed = try reader.bool(inner)
                    default: return false
                    }
                    return true
                }
                guard let width, let signed else { throw .missing("bitWidth/isSigned", in: "IntType") }
                result = .integer(bitWidth: width, isSigned: signed)
                return true
            case 11: result = .null
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            case 16: result = .variant
            case 17: result = .geometry
            case 18: result = .geography
            default: return false
            }
            // Empty-struct members (and members whose details we drop): skip their body.
            try reader.skip(field.type)
            return true
        }
        return result
    }

    private static func readTimeUnit(_ field: ThriftField, _ reader: inout ThriftCompactReader)
        throws(ParquetError) -> TimeUnit
    {
        var unit: TimeUnit?
        try reader.structField(field) { reader, inner throws(ParquetError) in
            switch inner.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: return false
            }
            try reader.skip(inner.type)
            return true
        }
        guard let unit else { throw .unsupported("unknown time unit") }
        return unit
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        func empty(_ id: Int16, _ writer: inout ThriftCompactWriter) {
            writer.beginStructField(id)
            writer.endStruct()
        }
        func unit(_ unit: TimeUnit, _ writer: inout ThriftCompactWriter) {
            writer.beginStructField(2)
            switch unit {
            case .millis: empty(1, &writer)
            case .micros: empty(2, &writer)
            case .nanos: empty(3, &writer)
            }
            writer.endStruct()
        }
        switch self {
        case .string: empty(1, &writer)
        case .map: empty(2, &writer)
        case .list: empty(3, &writer)
        case .enumeration: empty(4, &writer)
        case .decimal(let precision, let scale):
            writer.beginStructField(5)
            writer.i32(1, scale)
            writer.i32(2, precision)
            writer.endStruct()
        case .date: empty(6, &writer)
        case .time(let utc, let timeUnit), .timestamp(let utc, let timeUnit):
            if case .time = self { writer.beginStructField(7) } else { writer.beginStructField(8) }
            writer.bool(1, utc)
            unit(timeUnit, &writer)
            writer.endStruct()
        case .integer(let width, let signed):
            writer.beginStructField(10)
            writer.i8(1, width)
            writer.bool(2, signed)
            writer.endStruct()
        case .null: empty(11, &writer)
        case .json: empty(12, &writer)
        case .bson: empty(13, &writer)
        case .uuid: empty(14, &writer)
        case .float16: empty(15, &writer)
        case .variant: empty(16, &writer)
        case .geometry: empty(17, &writer)
        case .geography: empty(18, &writer)
        }
        writer.endStruct()
    }
}
