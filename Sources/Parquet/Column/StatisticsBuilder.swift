#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Computes column chunk statistics in the sort order of the column's logical type: signed or unsigned integers,
/// unsigned byte-wise for strings and binary, signed for decimals, by value for FLOAT16, and for floats ignoring
/// NaN with a zero minimum written as -0.0 and a zero maximum as +0.0. The deprecated `min`/`max` fields are
/// written too where the order is the signed one old readers assumed.
package enum StatisticsBuilder {
    package static func statistics(
        column: ColumnDescriptor, values: ColumnValues, range: Range<Int>, nullCount: Int
    ) -> Statistics {
        var statistics = Statistics()
        statistics.nullCount = Int64(nullCount)
        var legacy = false
        switch values {
        case .boolean(let array):
            if let (low, high) = extremes(array[range], by: { !$0 && $1 }) {
                statistics.minValue = [low ? 1 : 0]
                statistics.maxValue = [high ? 1 : 0]
                legacy = true
            }
        case .int32(let array):
            let extremes =
                column.isUnsignedInteger
                ? extremes(array[range], by: { UInt32(bitPattern: $0) < UInt32(bitPattern: $1) })
                : extremes(array[range], by: <)
            if let (low, high) = extremes {
                statistics.minValue = littleEndian(low)
                statistics.maxValue = littleEndian(high)
                legacy = !column.isUnsignedInteger
            }
        case .int64(let array):
            let extremes =
                column.isUnsignedInteger
                ? extremes(array[range], by: { UInt64(bitPattern: $0) < UInt64(bitPattern: $1) })
                : extremes(array[range], by: <)
            if let (low, high) = extremes {
                statistics.minValue = littleEndian(low)
                statistics.maxValue = littleEndian(high)
                legacy = !column.isUnsignedInteger
            }
        case .int96:
            break  // INT96 order is undefined under TYPE_ORDER: no min/max.
        case .float(let array):
            let (extremes, nans) = floatExtremes(array[range])
            statistics.nanCount = Int64(nans)
            if let (low, high) = extremes {
                statistics.minValue = littleEndian((low == 0 ? -Float(0) : low).bitPattern)
                statistics.maxValue = littleEndian((high == 0 ? Float(0) : high).bitPattern)
                legacy = true
            }
        case .double(let array):
            let (extremes, nans) = floatExtremes(array[range])
            statistics.nanCount = Int64(nans)
            if let (low, high) = extremes {
                statistics.minValue = littleEndian((low == 0 ? -Double(0) : low).bitPattern)
                statistics.maxValue = littleEndian((high == 0 ? Double(0) : high).bitPattern)
                legacy = true
            }
        case .byteArray(let array) where !isSignedBytes(column):
            if let (low, high) = unsignedExtremes(array, range) {
                statistics.minValue = low
                statistics.maxValue = high
            }
        case .byteArray(let array):
            if let (low, high) = byteExtremes(count: range.count, column: column, { array[range.lowerBound + $0] }) {
                statistics.minValue = low
                statistics.maxValue = high
            }
        case .fixedLenByteArray(let array):
            if column.convertedType == .interval { break }
            if let (low, high) = byteExtremes(count: range.count, column: column, { array[range.lowerBound + $0] }) {
                statistics.minValue = low
                statistics.maxValue = high
            }
        }
        if legacy {
            statistics.min = statistics.minValue
            statistics.max = statistics.maxValue
        }
        return statistics
    }

    /// The statistics of a chunk from those of its pages: the extremes of the pages' extremes, counts summed.
    package static func merged(_ parts: [Statistics], column: ColumnDescriptor) -> Statistics {
        let bounds = parts.flatMap { part in [part.minValue, part.maxValue].compactMap { $0 } }
        var merged = Statistics()
        if let values = boundValues(bounds, column: column) {
            merged = statistics(column: column, values: values, range: 0..<values.count, nullCount: 0)
        }
        merged.nullCount = parts.reduce(0) { $0 + ($1.nullCount ?? 0) }
        if column.physicalType == .float || column.physicalType == .double {
            merged.nanCount = parts.reduce(0) { $0 + ($1.nanCount ?? 0) }
        }
        return merged
    }

    /// Encoded bounds (PLAIN bytes, as statistics hold them) as values of the column's physical type.
    private static func boundValues(_ bounds: [[UInt8]], column: ColumnDescriptor) -> ColumnValues? {
        guard !bounds.isEmpty else { return nil }
        func words<T: FixedWidthInteger>(_: T.Type) -> [T] {
            bounds.map { bytes in bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) } }
        }
        switch column.physicalType {
        case .boolean: return .boolean(bounds.map { $0.first == 1 })
        case .int32: return .int32(words(Int32.self))
        case .int64: return .int64(words(Int64.self))
        case .float: return .float(words(UInt32.self).map(Float.init(bitPattern:)))
        case .double: return .double(words(UInt64.self).map(Double.init(bitPattern:)))
        case .int96: return nil
        case .byteArray:
            var values = ByteArrays()
            for bytes in bounds { values.append(bytes) }
            return .byteArray(values)
        case .fixedLenByteArray:
            var values = FixedLengthByteArrays(width: column.typeLength)
            for bytes in bounds { values.append(bytes) }
            return .fixedLenByteArray(values)
        }
    }

    private static func extremes<C: Collection>(_ values: C, by less: (C.Element, C.Element) -> Bool)
        -> (C.Element, C.Element)?
    {
        guard var low = values.first else { return nil }
        var high = low
        for value in values {
            if less(value, low) { low = value }
            if less(high, value) { high = value }
        }
        return (low, high)
    }

    private static func floatExtremes<F: BinaryFloatingPoint>(_ values: ArraySlice<F>) -> ((F, F)?, Int) {
        var low = F.infinity
        var high = -F.infinity
        var nans = 0
        var any = false
        for value in values {
            if value.isNaN {
                nans += 1
                continue
            }
            any = true
            if value < low { low = value }
            if value > high { high = value }
        }
        return (any ? (low, high) : nil, nans)
    }

    private static func byteExtremes(
        count: Int, column: ColumnDescriptor, _ value: (Int) -> ArraySlice<UInt8>
    ) -> ([UInt8], [UInt8])? {
        guard count > 0 else { return nil }
        let less: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Bool
        switch column.logicalType {
        case .decimal?: less = { signedLess($0, $1) }
        case .float16?:
            less = { a, b in
                let x = halfToFloat(a), y = halfToFloat(b)
                return x < y || (x == 0 && y == 0 && x.sign == .minus && y.sign == .plus)
            }
        default: less = { $0.lexicographicallyPrecedes($1) }
        }
        var low = value(0)
        var high = low
        var any = column.logicalType != .float16 || !halfToFloat(low).isNaN
        if !any {
            // Find the first non-NaN half float.
            for index in 1..<count where !halfToFloat(value(index)).isNaN {
                low = value(index)
                high = low
                any = true
                break
            }
            guard any else { return nil }
        }
        for index in 0..<count {
            let candidate = value(index)
            if column.logicalType == .float16 && halfToFloat(candidate).isNaN { continue }
            if less(candidate, low) { low = candidate }
            if less(high, candidate) { high = candidate }
        }
        if column.logicalType == .float16 {
            // Zero bounds follow the floating-point rule: -0 as the minimum, +0 as the maximum.
            let minimum: [UInt8] = halfToFloat(low) == 0 ? [0x00, 0x80] : Array(low)
            let maximum: [UInt8] = halfToFloat(high) == 0 ? [0x00, 0x00] : Array(high)
            return (minimum, maximum)
        }
        return (Array(low), Array(high))
    }

    /// Whether byte values of this column compare other than unsigned byte-wise (decimals, FLOAT16).
    private static func isSignedBytes(_ column: ColumnDescriptor) -> Bool {
        switch column.logicalType {
        case .decimal?, .float16?: true
        default: false
        }
    }

    /// Unsigned byte-wise minimum and maximum of BYTE_ARRAY values, compared in place.
    private static func unsignedExtremes(_ array: ByteArrays, _ range: Range<Int>) -> ([UInt8], [UInt8])? {
        guard !range.isEmpty else { return nil }
        return array.offsets.withUnsafeBufferPointer { offsets in
            array.data.withUnsafeBytes { data in
                func less(_ a: Int, _ b: Int) -> Bool {
                    let aStart = offsets[a], aCount = offsets[a + 1] - aStart
                    let bStart = offsets[b], bCount = offsets[b + 1] - bStart
                    let common = min(aCount, bCount)
                    if common > 0 {
                        let order = memcmp(data.baseAddress! + aStart, data.baseAddress! + bStart, common)
                        if order != 0 { return order < 0 }
                    }
                    return aCount < bCount
                }
                var low = range.lowerBound
                var high = low
                for index in range.dropFirst() {
                    if less(index, low) { low = index }
                    if less(high, index) { high = index }
                }
                return (Array(array[low]), Array(array[high]))
            }
        }
    }

    /// Big-endian two's complement comparison (decimals in binary form), for any lengths.
    package static func signedLess(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        let aNegative = (a.first ?? 0) >= 0x80
        let bNegative = (b.first ?? 0) >= 0x80
        if aNegative != bNegative { return aNegative }
        let length = max(a.count, b.count)
        let pad: UInt8 = aNegative ? 0xFF : 0x00
        for position in 0..<length {
            let x = position < length - a.count ? pad : a[a.startIndex + position - (length - a.count)]
            let y = position < length - b.count ? pad : b[b.startIndex + position - (length - b.count)]
            if x != y { return x < y }
        }
        return false
    }

    /// An IEEE half-precision value (2 bytes, little-endian) as a Float.
    package static func halfToFloat(_ bytes: ArraySlice<UInt8>) -> Float {
        guard bytes.count == 2 else { return .nan }
        let bits = UInt16(bytes[bytes.startIndex]) | UInt16(bytes[bytes.startIndex + 1]) << 8
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

extension StatisticsBuilder {
    /// A chunk's minimum and maximum as values of `column`'s physical type, for display and pruning: the
    /// `min_value`/`max_value` fields, else the deprecated `min`/`max` when the column's order is the signed one
    /// they were computed in (never for byte arrays, unsigned integers or INT96). Nil when absent or malformed.
    package static func bounds(_ statistics: Statistics, column: ColumnDescriptor, order: ColumnOrder?)
        -> (min: ParquetValue, max: ParquetValue)?
    {
        guard let (low, high, _) = boundBytes(statistics, column: column, order: order),
            let min = value(low, column), let max = value(high, column)
        else { return nil }
        return (min, max)
    }

    /// The encoded pair `bounds` reads: `min_value`/`max_value` (`current`), else the deprecated pair where its
    /// signed order is the column's own.
    private static func boundBytes(_ statistics: Statistics, column: ColumnDescriptor, order: ColumnOrder?)
        -> (low: [UInt8], high: [UInt8], current: Bool)?
    {
        if case .unknown? = order { return nil }
        if let low = statistics.minValue, let high = statistics.maxValue { return (low, high, true) }
        guard legacyOrderHolds(column), let low = statistics.min, let high = statistics.max else { return nil }
        return (low, high, false)
    }

    /// A copied chunk's statistics as this library's writer states them, for a footer that declares the type-defined
    /// order for every column: min and max kept only where they are valid bounds in that order (`bounds`, and the
    /// source's order the type-defined one) and neither is NaN, the deprecated pair only where old readers' signed
    /// order agrees; null, distinct and NaN counts kept. Nil when nothing is left.
    package static func carried(_ statistics: Statistics?, column: ColumnDescriptor, sourceOrder: ColumnOrder?)
        -> Statistics?
    {
        guard let statistics else { return nil }
        var result = Statistics()
        result.nullCount = statistics.nullCount
        result.distinctCount = statistics.distinctCount
        if column.physicalType == .float || column.physicalType == .double { result.nanCount = statistics.nanCount }
        if sourceOrder == nil || sourceOrder == .typeDefined,
            let (lowBytes, highBytes, current) = boundBytes(statistics, column: column, order: sourceOrder),
            let low = value(lowBytes, column), let high = value(highBytes, column), !isNaN(low), !isNaN(high)
        {
            result.minValue = lowBytes
            result.maxValue = highBytes
            if current {
                result.isMinValueExact = statistics.isMinValueExact
                result.isMaxValueExact = statistics.isMaxValueExact
            }
            if legacyOrderHolds(column) {
                result.min = lowBytes
                result.max = highBytes
            }
        }
        return result.nullCount == nil && result.minValue == nil && result.distinctCount == nil
            && result.nanCount == nil ? nil : result
    }

    /// Whether the signed order old readers assume for the deprecated `min`/`max` is the column's own.
    private static func legacyOrderHolds(_ column: ColumnDescriptor) -> Bool {
        switch column.physicalType {
        case .boolean, .float, .double: true
        case .int32, .int64: !column.isUnsignedInteger
        case .int96, .byteArray, .fixedLenByteArray: false
        }
    }

    private static func isNaN(_ value: ParquetValue) -> Bool {
        switch value {
        case .float(let v): v.isNaN
        case .double(let v): v.isNaN
        default: false
        }
    }

    private static func value(_ bytes: [UInt8], _ column: ColumnDescriptor) -> ParquetValue? {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch column.physicalType {
        case .boolean: return bytes.count == 1 ? .boolean(bytes[0] != 0) : nil
        case .int32: return load(Int32.self).map { .int32($0) }
        case .int64: return load(Int64.self).map { .int64($0) }
        case .float: return load(UInt32.self).map { .float(Float(bitPattern: $0)) }
        case .double: return load(UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .int96:
            guard bytes.count == 12 else { return nil }
            return bytes.withUnsafeBytes {
                .int96(Int96(
                    nanosecondsOfDay: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)),
                    julianDay: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self))))
            }
        case .byteArray: return .bytes(bytes)
        case .fixedLenByteArray: return bytes.count == column.typeLength ? .bytes(bytes) : nil
        }
    }
}
