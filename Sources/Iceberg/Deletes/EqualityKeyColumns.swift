import Parquet

/// The equality-key columns of one Parquet file (a data file or an equality-delete file), read by field id, turned
/// row by row into canonical key bytes so that keys compare by Iceberg value semantics:
///
/// - null equals null (a marker byte), and a column missing from the file (added to the schema later) is null;
/// - int and long (and date, time, timestamps) compare as 64-bit integers, so a file written before an int → long
///   promotion matches;
/// - float and double compare as doubles (float → double promotion is exact), with every NaN equal to every NaN and
///   -0.0 different from 0.0, as Java's `Comparators` for float and double (`Float.compareTo`) decide;
/// - decimals compare by unscaled value (Iceberg never changes a decimal's scale), whatever the physical type;
/// - strings, binary, fixed and uuid compare by bytes.
struct EqualityKeyColumns {
    private enum Kind {
        case missing
        case boolean([Bool])
        case integer32([Int32])
        case integer64([Int64])
        case float([Float])
        case double([Double])
        case bytes(ByteArrays)
        case fixed(FixedLengthByteArrays)
        /// Unscaled decimal values from any physical type.
        case decimal([Int128])
    }

    private struct Column {
        var kind: Kind
        var definitionLevels: [Int16]
        var maxDefinitionLevel: Int16
    }

    private var columns: [Column]
    let rowCount: Int

    /// Reads the columns of `fieldIds` (in that order) from every row group of `reader`. With `allowMissing`, a field
    /// the file lacks reads as null (data files); otherwise it is an error (delete files).
    init(_ reader: ParquetFileReader, fieldIds: [Int], allowMissing: Bool, location: String) throws(IcebergError) {
        var columns: [Column] = []
        for id in fieldIds {
            let found = reader.schema.columns(fieldID: Int32(truncatingIfNeeded: id))
            guard let descriptor = found.first else {
                guard allowMissing else { throw .invalidFile(location, "has no column for equality field \(id)") }
                columns.append(Column(kind: .missing, definitionLevels: [], maxDefinitionLevel: 0))
                continue
            }
            guard found.count == 1, descriptor.maxRepetitionLevel == 0 else {
                throw .invalidFile(location, "equality field \(id) is not a primitive outside lists and maps")
            }
            let data: ColumnData
            do { data = try reader.readColumns([descriptor.index])[0] } catch { throw .invalidFile(location, error.description) }
            let present = data.definitionLevels.isEmpty
                ? data.levelCount : data.definitionLevels.reduce(0) { $0 + ($1 == descriptor.maxDefinitionLevel ? 1 : 0) }
            guard data.levelCount == reader.rowCount, data.values.count == present else {
                throw .invalidFile(location, "column \(descriptor.dottedPath) does not hold one value or null per row")
            }
            columns.append(Column(
                kind: try Self.kind(data.values, descriptor, location: location), definitionLevels: data.definitionLevels,
                maxDefinitionLevel: descriptor.maxDefinitionLevel))
        }
        self.columns = columns
        self.rowCount = reader.rowCount
    }

    private static func kind(_ values: ColumnValues, _ column: ColumnDescriptor, location: String) throws(IcebergError) -> Kind {
        var isDecimal = column.convertedType == .decimal
        if case .decimal = column.logicalType { isDecimal = true }
        switch values {
        case .boolean(let values): return .boolean(values)
        case .int32(let values): return isDecimal ? .decimal(values.map { Int128($0) }) : .integer32(values)
        case .int64(let values): return isDecimal ? .decimal(values.map { Int128($0) }) : .integer64(values)
        case .float(let values): return .float(values)
        case .double(let values): return .double(values)
        case .byteArray(let values):
            guard isDecimal else { return .bytes(values) }
            var result: [Int128] = []
            result.reserveCapacity(values.count)
            for index in 0..<values.count { result.append(try unscaled(values[index], column, location: location)) }
            return .decimal(result)
        case .fixedLenByteArray(let values):
            guard isDecimal else { return .fixed(values) }
            var result: [Int128] = []
            result.reserveCapacity(values.count)
            for index in 0..<values.count {
                result.append(try unscaled(values.data[(index * values.width)..<((index + 1) * values.width)], column, location: location))
            }
            return .decimal(result)
        case .int96:
            throw .invalidFile(location, "INT96 column \(column.dottedPath) cannot be an equality key")
        }
    }

    /// A big-endian two's-complement unscaled decimal.
    private static func unscaled(_ bytes: ArraySlice<UInt8>, _ column: ColumnDescriptor, location: String) throws(IcebergError) -> Int128 {
        guard !bytes.isEmpty, bytes.count <= 16 else {
            throw .invalidFile(location, "decimal of \(bytes.count) bytes in \(column.dottedPath)")
        }
        var value: Int128 = bytes.first! & 0x80 != 0 ? -1 : 0
        for byte in bytes { value = value << 8 | Int128(byte) }
        return value
    }

    /// Calls `body` with each row's position and canonical key bytes (valid only during the call), in row order.
    func forEachKey<E: Error>(_ body: (Int, [UInt8]) throws(E) -> Void) throws(E) {
        var key: [UInt8] = []
        key.reserveCapacity(columns.count * 9 + 32)
        var valueIndex = [Int](repeating: 0, count: columns.count)
        for row in 0..<rowCount {
            key.removeAll(keepingCapacity: true)
            for (index, column) in columns.enumerated() {
                if case .missing = column.kind { key.append(0); continue }
                if !column.definitionLevels.isEmpty && column.definitionLevels[row] < column.maxDefinitionLevel {
                    key.append(0)
                    continue
                }
                key.append(1)
                let value = valueIndex[index]
                valueIndex[index] += 1
                switch column.kind {
                case .missing: break
                case .boolean(let values): key.append(values[value] ? 1 : 0)
                case .integer32(let values): Self.append(Int64(values[value]), to: &key)
                case .integer64(let values): Self.append(values[value], to: &key)
                case .float(let values): Self.append(Double(values[value]), to: &key)
                case .double(let values): Self.append(values[value], to: &key)
                case .bytes(let values):
                    let bytes = values[value]
                    Self.append(Int64(bytes.count), to: &key)
                    key += bytes
                case .fixed(let values):
                    Self.append(Int64(values.width), to: &key)
                    key += values.data[(value * values.width)..<((value + 1) * values.width)]
                case .decimal(let values):
                    let unscaled = UInt128(bitPattern: values[value])
                    Self.append(Int64(bitPattern: UInt64(truncatingIfNeeded: unscaled)), to: &key)
                    Self.append(Int64(bitPattern: UInt64(truncatingIfNeeded: unscaled >> 64)), to: &key)
                }
            }
            try body(row, key)
        }
    }

    @inline(__always)
    private static func append(_ value: Int64, to key: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { key.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func append(_ value: Double, to key: inout [UInt8]) {
        append(Int64(bitPattern: value.isNaN ? Double.nan.bitPattern : value.bitPattern), to: &key)
    }
}
