/// The order min_value/max_value statistics follow (Thrift union `ColumnOrder`).
package enum ColumnOrder: Sendable, Hashable {
    /// The order of the logical type, or of the physical type when there is none.
    case typeDefined
    case ieee754TotalOrder
    case int96Timestamp
    /// A member this implementation does not know: statistics in that order must be ignored.
    case unknown

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var order = ColumnOrder.unknown
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: order = .typeDefined
            case 2: order = .ieee754TotalOrder
            case 3: order = .int96Timestamp
            default: return false
            }
            try reader.skip(field.type)
            return true
        }
        self = order
    }

    package func write(to writer: inout ThriftCompactWriter) {
        let id: Int16
        switch self {
        case .typeDefined, .unknown: id = 1
        case .ieee754TotalOrder: id = 2
        case .int96Timestamp: id = 3
        }
        writer.beginStruct()
        writer.beginStructField(id)
        writer.endStruct()
        writer.endStruct()
    }
}
