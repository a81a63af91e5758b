/// The order min_value/max_value statistics follow (Thrift union `ColumnOrder`).
package enum ColumnOrder: Sendable, Hashable {
    /// The order of the logical type, or of the physical type when there is none.
    case typeDefined
    case ieee754TotalOrder
    case int96Timestamp
    /// A member this implementation does not know (its field id; nil for an empty union): statistics in that order
    /// must be ignored. Written back as it was read, never as an order it does not claim.
    case unknown(Int16?)

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var order = ColumnOrder.unknown(nil)
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: order = .typeDefined
            case 2: order = .ieee754TotalOrder
            case 3: order = .int96Timestamp
            default:
                order = .unknown(field.id)
                return false
            }
            try reader.skip(field.type)
            return true
        }
        self = order
    }

    package func write(to writer: inout ThriftCompactWriter) {
        let id: Int16?
        switch self {
        case .typeDefined: id = 1
        case .ieee754TotalOrder: id = 2
        case .int96Timestamp: id = 3
        case .unknown(let unknown): id = unknown
        }
        writer.beginStruct()
        if let id {
            // Every member of the union is an empty struct.
            writer.beginStructField(id)
            writer.endStruct()
        }
        writer.endStruct()
    }
}
