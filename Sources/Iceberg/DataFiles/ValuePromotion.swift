import Parquet

/// Converts a file column's values to the table column's physical form: Iceberg's allowed type promotions
/// (int→long, float→double, decimal precision widening) and the stored forms other writers use for the same
/// Iceberg type (decimals as INT32/INT64/BINARY, timestamps in other units or as INT96).
package enum ValuePromotion {
    package static func convert(_ values: ColumnValues, from file: ColumnDescriptor, to target: ColumnDescriptor,
        path: String) throws(DataFileError) -> ColumnValues
    {
        // Built only when thrown: this runs per column of every row group read.
        func mismatch() -> DataFileError {
            .schemaMismatch(path, "column \(target.dottedPath) is \(file.physicalType) in the file, \(target.physicalType) in the table")
        }
        switch (values, target.physicalType) {
        case (.int64(let a), .int64):
            let factor = try timestampFactor(file.logicalType, target.logicalType, path: path, column: target.dottedPath)
            return factor == 1 ? values : .int64(try scale(a, factor, path: path, column: target.dottedPath))
        case (.fixedLenByteArray(let a), .fixedLenByteArray) where a.width == target.typeLength:
            return values
        case (.int32(let a), .int64):
            return .int64(a.map(Int64.init))
        case (.float(let a), .double):
            return .double(a.map(Double.init))
        case (.int96(let a), .int64):
            guard case .timestamp(_, let unit) = target.logicalType else { throw mismatch() }
            let perUnit: Int64 = unit == .nanos ? 1 : (unit == .micros ? 1000 : 1_000_000)
            var result: [Int64] = []
            result.reserveCapacity(a.count)
            for value in a {
                let days = Int64(value.julianDay) - 2_440_588
                let (dayNanos, overflow) = days.multipliedReportingOverflow(by: 86_400_000_000_000)
                let (nanos, carry) = dayNanos.addingReportingOverflow(Int64(truncatingIfNeeded: value.nanosecondsOfDay))
                guard !overflow && !carry && value.nanosecondsOfDay < 86_400_000_000_000 else {
                    throw .schemaMismatch(path, "column \(target.dottedPath): INT96 timestamp out of range")
                }
                result.append(nanos / perUnit)
            }
            return .int64(result)
        case (.int32(let a), .fixedLenByteArray):
            return .fixedLenByteArray(try widen(a.map { Int64($0) }, width: target.typeLength, path: path))
        case (.int64(let a), .fixedLenByteArray):
            return .fixedLenByteArray(try widen(a, width: target.typeLength, path: path))
        case (.fixedLenByteArray(let a), .fixedLenByteArray):
            return .fixedLenByteArray(try signExtend((0..<a.count).map { a[$0] }, width: target.typeLength, path: path))
        case (.fixedLenByteArray(let a), .int32) where target.logicalType.isDecimal:
            return .int32(try narrow((0..<a.count).map { a[$0] }, to: Int32.self, path: path, column: target.dottedPath))
        case (.fixedLenByteArray(let a), .int64) where target.logicalType.isDecimal:
            return .int64(try narrow((0..<a.count).map { a[$0] }, to: Int64.self, path: path, column: target.dottedPath))
        case (.byteArray(let a), .int32) where target.logicalType.isDecimal:
            return .int32(try narrow((0..<a.count).map { a[$0] }, to: Int32.self, path: path, column: target.dottedPath))
        case (.byteArray(let a), .int64) where target.logicalType.isDecimal:
            return .int64(try narrow((0..<a.count).map { a[$0] }, to: Int64.self, path: path, column: target.dottedPath))
        case (.int64(let a), .int32) where target.logicalType.isDecimal:
            var result: [Int32] = []
            result.reserveCapacity(a.count)
            for value in a {
                guard let narrowed = Int32(exactly: value) else {
                    throw .schemaMismatch(path, "column \(target.dottedPath): decimal \(value) does not fit its precision")
                }
                result.append(narrowed)
            }
            return .int32(result)
        case (.byteArray(let a), .fixedLenByteArray) where target.logicalType.isDecimal:
            return .fixedLenByteArray(try signExtend((0..<a.count).map { a[$0] }, width: target.typeLength, path: path))
        default:
            if values.physicalType == target.physicalType { return values }
            throw mismatch()
        }
    }

    /// How many target units one file unit is (1 when neither is a timestamp or the units agree).
    private static func timestampFactor(_ file: LogicalType?, _ target: LogicalType?, path: String, column: String)
        throws(DataFileError) -> Int64
    {
        guard case .timestamp(_, let to) = target, case .timestamp(_, let from) = file, from != to else { return 1 }
        func exponent(_ unit: TimeUnit) -> Int { unit == .millis ? 3 : (unit == .micros ? 6 : 9) }
        let difference = exponent(to) - exponent(from)
        guard difference > 0 else {
            throw .schemaMismatch(path, "column \(column) stores a finer timestamp unit than the table")
        }
        return difference == 3 ? 1000 : 1_000_000
    }

    private static func scale(_ values: [Int64], _ factor: Int64, path: String, column: String) throws(DataFileError)
        -> [Int64]
    {
        var result: [Int64] = []
        result.reserveCapacity(values.count)
        for value in values {
            let (scaled, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .schemaMismatch(path, "column \(column): timestamp \(value) overflows") }
            result.append(scaled)
        }
        return result
    }

    private static func widen(_ values: [Int64], width: Int, path: String) throws(DataFileError) -> FixedLengthByteArrays {
        guard width >= 8 else {
            return try signExtend(values.map { value in
                withUnsafeBytes(of: value.bigEndian) { Array($0) }[...]
            }, width: width, path: path)
        }
        var data: [UInt8] = []
        data.reserveCapacity(values.count * width)
        for value in values {
            data.append(contentsOf: repeatElement(value < 0 ? 0xFF : 0, count: width - 8))
            withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) }
        }
        return FixedLengthByteArrays(width: width, data: data)
    }

    /// Big-endian two's-complement values (decimals stored as FIXED or BINARY) as integers.
    private static func narrow<I: FixedWidthInteger & SignedInteger>(
        _ values: [ArraySlice<UInt8>], to _: I.Type, path: String, column: String
    ) throws(DataFileError) -> [I] {
        var result: [I] = []
        result.reserveCapacity(values.count)
        for value in values {
            var unscaled: Int64 = (value.first ?? 0) & 0x80 != 0 ? -1 : 0
            var significant = value
            let sign: UInt8 = unscaled < 0 ? 0xFF : 0
            while significant.count > 8, significant.first == sign, let next = significant.dropFirst().first,
                (next & 0x80 != 0) == (unscaled < 0)
            {
                significant = significant.dropFirst()
            }
            guard significant.count <= 8 else {
                throw .schemaMismatch(path, "column \(column): a \(value.count)-byte decimal does not fit its precision")
            }
            for byte in significant { unscaled = (unscaled << 8) | Int64(byte) }
            guard let narrowed = I(exactly: unscaled) else {
                throw .schemaMismatch(path, "column \(column): decimal \(unscaled) does not fit its precision")
            }
            result.append(narrowed)
        }
        return result
    }

    /// Big-endian two's-complement values re-encoded at `width` bytes (dropping only redundant sign bytes).
    private static func signExtend(_ values: [ArraySlice<UInt8>], width: Int, path: String) throws(DataFileError)
        -> FixedLengthByteArrays
    {
        var data: [UInt8] = []
        data.reserveCapacity(values.count * width)
        for value in values {
            var bytes = value
            let negative = (bytes.first ?? 0) & 0x80 != 0
            let sign: UInt8 = negative ? 0xFF : 0
            while bytes.count > width, bytes.first == sign, let second = bytes.dropFirst().first,
                (second & 0x80 != 0) == negative
            {
                bytes = bytes.dropFirst()
            }
            guard bytes.count <= width else {
                throw .schemaMismatch(path, "a decimal of \(bytes.count) bytes does not fit \(width) bytes")
            }
            data.append(contentsOf: repeatElement(sign, count: width - bytes.count))
            data.append(contentsOf: bytes)
        }
        return FixedLengthByteArrays(width: width, data: data)
    }
}

extension LogicalType? {
    var isDecimal: Bool { if case .decimal = self { true } else { false } }
}
