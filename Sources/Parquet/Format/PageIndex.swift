/// Where one data page is (Thrift `PageLocation`).
package struct PageLocation: Sendable, Hashable {
    /// Offset of the page header in the file.
    package var offset: Int64
    /// Header and body size in bytes.
    package var compressedPageSize: Int32
    /// Index, within the row group, of the page's first row.
    package var firstRowIndex: Int64

    package init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
        self.offset = offset
        self.compressedPageSize = compressedPageSize
        self.firstRowIndex = firstRowIndex
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var offset: Int64?
        var size: Int32?
        var first: Int64?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: offset = try reader.i64(field)
            case 2: size = try reader.i32(field)
            case 3: first = try reader.i64(field)
            default: return false
            }
            return true
        }
        guard let offset, let size, let first else { throw .missing("fields", in: "PageLocation") }
        self.init(offset: offset, compressedPageSize: size, firstRowIndex: first)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.i64(1, offset)
        writer.i32(2, compressedPageSize)
        writer.i64(3, firstRowIndex)
        writer.endStruct()
    }
}

/// The data pages of a column chunk (Thrift `OffsetIndex`), stored after the row groups.
package struct OffsetIndex: Sendable, Hashable {
    package var pageLocations: [PageLocation]

    package init(pageLocations: [PageLocation]) { self.pageLocations = pageLocations }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var locations: [PageLocation]?
        try reader.readStruct { reader, field throws(ParquetError) in
            guard field.id == 1 else { return false }
            locations = try reader.list(field) { reader, _ throws(ParquetError) in try PageLocation(from: &reader) }
            return true
        }
        guard let locations else { throw .missing("page_locations", in: "OffsetIndex") }
        self.init(pageLocations: locations)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.beginListField(1, .struct, count: pageLocations.count)
        for location in pageLocations { location.write(to: &writer) }
        writer.endStruct()
    }
}

/// Whether a column index's page bounds are sorted (Thrift `BoundaryOrder`).
package enum BoundaryOrder: Int32, Sendable, Hashable {
    case unordered = 0
    case ascending = 1
    case descending = 2
}

/// Per-page bounds and null counts of a column chunk (Thrift `ColumnIndex`), stored after the row groups.
package struct ColumnIndex: Sendable, Hashable {
    /// True for pages holding only nulls (their bounds are empty).
    package var nullPages: [Bool]
    package var minValues: [[UInt8]]
    package var maxValues: [[UInt8]]
    package var boundaryOrder: BoundaryOrder
    package var nullCounts: [Int64]?

    package init(
        nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], boundaryOrder: BoundaryOrder,
        nullCounts: [Int64]?
    ) {
        self.nullPages = nullPages
        self.minValues = minValues
        self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder
        self.nullCounts = nullCounts
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var nullPages: [Bool]?
        var minValues: [[UInt8]]?
        var maxValues: [[UInt8]]?
        var order: BoundaryOrder?
        var nullCounts: [Int64]?
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: nullPages = try reader.list(field) { reader, _ throws(ParquetError) in try reader.readBoolElement() }
            case 2: minValues = try reader.list(field) { reader, _ throws(ParquetError) in try reader.readBinary() }
            case 3: maxValues = try reader.list(field) { reader, _ throws(ParquetError) in try reader.readBinary() }
            case 4: order = try reader.enumeration(field)
            case 5: nullCounts = try reader.list(field) { reader, _ throws(ParquetError) in try reader.readI64() }
            default: return false
            }
            return true
        }
        guard let nullPages, let minValues, let maxValues, let order else {
            throw .missing("required fields", in: "ColumnIndex")
        }
        guard minValues.count == nullPages.count, maxValues.count == nullPages.count,
            nullCounts.map({ $0.count == nullPages.count }) ?? true
        else { throw .corrupt("ColumnIndex lists have different lengths") }
        self.init(
            nullPages: nullPages, minValues: minValues, maxValues: maxValues, boundaryOrder: order,
            nullCounts: nullCounts)
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.beginListField(1, .booleanTrue, count: nullPages.count)
        for isNull in nullPages { writer.writeBoolElement(isNull) }
        writer.beginListField(2, .binary, count: minValues.count)
        for value in minValues { writer.writeBinary(value) }
        writer.beginListField(3, .binary, count: maxValues.count)
        for value in maxValues { writer.writeBinary(value) }
        writer.i32(4, boundaryOrder.rawValue)
        if let nullCounts {
            writer.beginListField(5, .i64, count: nullCounts.count)
            for count in nullCounts { writer.writeI64(count) }
        }
        writer.endStruct()
    }
}
