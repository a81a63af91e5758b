import Parquet

/// The equality-key columns of one Parquet file (a data file or an equality-delete file), read by field id and
/// encoded into canonical key bytes per row, so that equal bytes mean equal keys by Iceberg value semantics:
///
/// - null equals null (a marker byte), and a column missing from the file (added to the schema later) is null;
/// - int and long (and date, time, timestamps) compare as 64-bit integers, so a file written before an int → long
///   promotion matches;
/// - float and double compare as doubles (float → double promotion is exact), with every NaN equal to every NaN and
///   -0.0 different from 0.0, as Java's `Comparators` for float and double (`Float.compareTo`) decide;
/// - decimals compare by unscaled value (Iceberg never changes a decimal's scale), whatever the physical type;
/// - strings, binary, fixed and uuid compare by bytes.
struct EqualityKeyColumns {
    fileprivate enum Kind {
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

    fileprivate struct Column {
        var kind: Kind
        var definitionLevels: [Int16]
        var maxDefinitionLevel: Int16
    }

    private var columns: [Column]
    let rowCount: Int

    /// Reads the columns of `fieldIds` (in that order) from every row group of `reader`. With `allowMissing`, a field
    /// the file lacks reads as null (data files); otherwise it is an error (delete files). A data file written
    /// without any field id (imported by `add_files`, migrated) finds its columns through the table's
    /// `nameMapping`; without one it is an error, since reading every key as null would keep deleted rows.
    init(
        _ reader: ParquetFileReader, fieldIds: [Int], allowMissing: Bool, nameMapping: NameMapping? = nil,
        location: String
    ) throws(IcebergError) {
        var schema = reader.schema
        if allowMissing, schema.columns.allSatisfy({ $0.fieldID == nil }) {
            guard let nameMapping else {
                throw .invalidFile(location, "has no field ids and the table has no name mapping to find its equality-delete keys")
            }
            do { schema = try nameMapping.applied(to: schema) } catch { throw .invalidFile(location, "\(error)") }
        }
        var columns: [Column] = []
        for id in fieldIds {
            let found = schema.columns(fieldID: Int32(truncatingIfNeeded: id))
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

    /// The canonical key bytes of every row: per column, a null marker (0) or 1 followed by the value (integers
    /// and floats as 8 bytes, decimals as 16, booleans as 1, fixed as its width, strings and binary as a 4-byte
    /// length and the bytes). Built column by column into one buffer.
    func encoded() -> EncodedKeys {
        var lengths = [Int](repeating: 0, count: rowCount)
        for column in columns { column.addLengths(to: &lengths) }
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        for row in 0..<rowCount { offsets[row + 1] = offsets[row] + lengths[row] }
        var cursors = Array(offsets.dropLast())
        var bytes = [UInt8](repeating: 0, count: offsets[rowCount])
        bytes.withUnsafeMutableBytes { output in
            for column in columns { column.write(into: output, cursors: &cursors) }
        }
        return EncodedKeys(bytes: bytes, offsets: offsets)
    }
}

extension EqualityKeyColumns.Column {
    /// Bytes of a non-null value (strings: length prefix included), nil when they vary by value.
    private var fixedWidth: Int? {
        switch kind {
        case .missing: 0
        case .boolean: 1
        case .integer32, .integer64, .float, .double: 8
        case .decimal: 16
        case .fixed(let values): values.width
        case .bytes: nil
        }
    }

    func addLengths(to lengths: inout [Int]) {
        if case .missing = kind {
            for row in lengths.indices { lengths[row] += 1 }
        } else if let width = fixedWidth {
            forEachRow(count: lengths.count) { row, _ in lengths[row] += 1 + width } null: { lengths[$0] += 1 }
        } else if case .bytes(let values) = kind {
            values.offsets.withUnsafeBufferPointer { offsets in
                forEachRow(count: lengths.count) { row, value in
                    lengths[row] += 5 + offsets[value + 1] - offsets[value]
                } null: { lengths[$0] += 1 }
            }
        }
    }

    /// Writes each row's marker and value at its cursor and advances the cursors.
    func write(into output: UnsafeMutableRawBufferPointer, cursors: inout [Int]) {
        cursors.withUnsafeMutableBufferPointer { cursors in
            let count = cursors.count
            func null(_ row: Int) {
                output[cursors[row]] = 0
                cursors[row] += 1
            }
            switch kind {
            case .missing:
                for row in 0..<count { null(row) }
            case .boolean(let values):
                forEachRow(count: count) { row, value in
                    output[cursors[row]] = 1
                    output[cursors[row] + 1] = values[value] ? 1 : 0
                    cursors[row] += 2
                } null: { null($0) }
            case .integer32(let values):
                values.withUnsafeBufferPointer { values in
                    forEachRow(count: count) { row, value in
                        Self.store(Int64(values[value]).littleEndian, output, &cursors[row])
                    } null: { null($0) }
                }
            case .integer64(let values):
                values.withUnsafeBufferPointer { values in
                    forEachRow(count: count) { row, value in
                        Self.store(values[value].littleEndian, output, &cursors[row])
                    } null: { null($0) }
                }
            case .float(let values):
                values.withUnsafeBufferPointer { values in
                    forEachRow(count: count) { row, value in
                        Self.store(Self.canonicalBits(Double(values[value])), output, &cursors[row])
                    } null: { null($0) }
                }
            case .double(let values):
                values.withUnsafeBufferPointer { values in
                    forEachRow(count: count) { row, value in
                        Self.store(Self.canonicalBits(values[value]), output, &cursors[row])
                    } null: { null($0) }
                }
            case .decimal(let values):
                values.withUnsafeBufferPointer { values in
                    forEachRow(count: count) { row, value in
                        Self.store(values[value].littleEndian, output, &cursors[row])
                    } null: { null($0) }
                }
            case .fixed(let values):
                let width = values.width
                values.data.withUnsafeBytes { source in
                    forEachRow(count: count) { row, value in
                        output[cursors[row]] = 1
                        (output.baseAddress! + cursors[row] + 1).copyMemory(from: source.baseAddress! + value * width, byteCount: width)
                        cursors[row] += 1 + width
                    } null: { null($0) }
                }
            case .bytes(let values):
                values.data.withUnsafeBytes { source in
                    values.offsets.withUnsafeBufferPointer { offsets in
                        forEachRow(count: count) { row, value in
                            let start = offsets[value]
                            let length = offsets[value + 1] - start
                            var cursor = cursors[row]
                            output[cursor] = 1
                            output.storeBytes(of: UInt32(length).littleEndian, toByteOffset: cursor + 1, as: UInt32.self)
                            cursor += 5
                            if length > 0 { (output.baseAddress! + cursor).copyMemory(from: source.baseAddress! + start, byteCount: length) }
                            cursors[row] = cursor + length
                        } null: { null($0) }
                    }
                }
            }
        }
    }

    /// Calls `value(row, valueIndex)` for the non-null rows and `null(row)` for the others, in row order.
    @inline(__always)
    private func forEachRow(count: Int, _ value: (Int, Int) -> Void, null: (Int) -> Void) {
        if definitionLevels.isEmpty {
            for row in 0..<count { value(row, row) }
            return
        }
        definitionLevels.withUnsafeBufferPointer { levels in
            var next = 0
            for row in 0..<count {
                if levels[row] < maxDefinitionLevel {
                    null(row)
                } else {
                    value(row, next)
                    next += 1
                }
            }
        }
    }

    /// A marker byte then `value`'s bytes at `cursor`, which moves past them.
    @inline(__always)
    private static func store<T: FixedWidthInteger>(_ value: T, _ output: UnsafeMutableRawBufferPointer, _ cursor: inout Int) {
        output[cursor] = 1
        output.storeBytes(of: value, toByteOffset: cursor + 1, as: T.self)
        cursor += 1 + MemoryLayout<T>.size
    }

    /// Every NaN as one bit pattern; -0.0 stays apart from 0.0.
    @inline(__always)
    private static func canonicalBits(_ value: Double) -> UInt64 {
        (value.isNaN ? Double.nan.bitPattern : value.bitPattern).littleEndian
    }
}
