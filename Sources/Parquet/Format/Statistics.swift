/// Column chunk or page statistics (Thrift `Statistics`). Values are PLAIN-encoded without a length prefix.
package struct Statistics: Sendable, Hashable {
    /// Deprecated signed-order maximum and minimum.
    package var max: [UInt8]?
    package var min: [UInt8]?
    package var nullCount: Int64?
    package var distinctCount: Int64?
    /// Maximum and minimum in the column's sort order.
    package var maxValue: [UInt8]?
    package var minValue: [UInt8]?
    package var isMaxValueExact: Bool?
    package var isMinValueExact: Bool?
    package var nanCount: Int64?

    package init() {}

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var statistics = Statistics()
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: statistics.max = try reader.binary(field)
            case 2: statistics.min = try reader.binary(field)
            case 3: statistics.nullCount = try reader.i64(field)
            case 4: statistics.distinctCount = try reader.i64(field)
            case 5: statistics.maxValue = try reader.binary(field)
            case 6: statistics.minValue = try reader.binary(field)
            case 7: statistics.isMaxValueExact = try reader.bool(field)
            case 8: statistics.isMinValueExact = try reader.bool(field)
            case 9: statistics.nanCount = try reader.i64(field)
            default: return false
            }
            return true
        }
        self = statistics
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let max { writer.binary(1, max) }
        if let min { writer.binary(2, min) }
        if let nullCount { writer.i64(3, nullCount) }
        if let distinctCount { writer.i64(4, distinctCount) }
        if let maxValue { writer.binary(5, maxValue) }
        if let minValue { writer.binary(6, minValue) }
        if let isMaxValueExact { writer.bool(7, isMaxValueExact) }
        if let isMinValueExact { writer.bool(8, isMinValueExact) }
        if let nanCount { writer.i64(9, nanCount) }
        writer.endStruct()
    }
}
