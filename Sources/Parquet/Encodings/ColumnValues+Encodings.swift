/// Helpers the encodings use to grow typed column vectors in bulk.
extension ColumnValues {
    /// An empty vector of physical type `type`; `typeLength` is the FIXED_LEN_BYTE_ARRAY width (else ignored).
    package static func empty(_ type: PhysicalType, typeLength: Int) throws(ParquetError) -> ColumnValues {
        switch type {
        case .boolean: return .boolean([])
        case .int32: return .int32([])
        case .int64: return .int64([])
        case .int96: return .int96([])
        case .float: return .float([])
        case .double: return .double([])
        case .byteArray: return .byteArray(ByteArrays())
        case .fixedLenByteArray:
            guard typeLength > 0 else {
                throw .invalidArgument("FIXED_LEN_BYTE_ARRAY needs a positive type length, not \(typeLength)")
            }
            return .fixedLenByteArray(FixedLengthByteArrays(width: typeLength))
        }
    }

    /// Makes room for `count` more values (and, for BYTE_ARRAY, `bytes` more data bytes), so that decoding a column
    /// chunk page by page into one vector does not regrow and copy it; call it with the chunk's value count. Repeated
    /// calls grow the vector at least geometrically, never by a copy per call.
    package mutating func reserveCapacity(forAdditional count: Int, bytes: Int = 0) {
        let target = self.count + max(count, 0)
        switch physicalType {
        case .boolean:
            var values = takeBooleans()!
            Self.grow(&values, to: target)
            self = .boolean(values)
        case .int32:
            var values = takeInt32s()!
            Self.grow(&values, to: target)
            self = .int32(values)
        case .int64:
            var values = takeInt64s()!
            Self.grow(&values, to: target)
            self = .int64(values)
        case .int96:
            var values = takeInt96s()!
            Self.grow(&values, to: target)
            self = .int96(values)
        case .float:
            var values = takeFloats()!
            Self.grow(&values, to: target)
            self = .float(values)
        case .double:
            var values = takeDoubles()!
            Self.grow(&values, to: target)
            self = .double(values)
        case .byteArray:
            var values = takeByteArrays()!
            Self.grow(&values.offsets, to: target + 1)
            Self.grow(&values.data, to: values.data.count + max(bytes, 0))
            self = .byteArray(values)
        case .fixedLenByteArray:
            var values = takeFixedLengthByteArrays()!
            Self.grow(&values.data, to: target * values.width)
            self = .fixedLenByteArray(values)
        }
    }

    /// Reserves `target` elements, or twice the current capacity if that is more (Array.reserveCapacity alone
    /// allocates exactly what is asked, so small repeated reservations would copy the array each time).
    private static func grow<Element>(_ array: inout [Element], to target: Int) {
        guard target > array.capacity else { return }
        array.reserveCapacity(max(target, array.capacity * 2))
    }

    // Moving a payload out (leaving an empty placeholder) before appending to it keeps the array uniquely referenced,
    // so it grows in place; binding it with `switch` or `case let` can leave a second reference alive and make every
    // append copy the whole vector. Callers put the payload back when done.

    mutating func takeBooleans() -> [Bool]? {
        guard case .boolean(let values) = self else { return nil }
        self = .int32([])
        return values
    }

    mutating func takeInt32s() -> [Int32]? {
        guard case .int32(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    mutating func takeInt64s() -> [Int64]? {
        guard case .int64(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    mutating func takeInt96s() -> [Int96]? {
        guard case .int96(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    mutating func takeFloats() -> [Float]? {
        guard case .float(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    mutating func takeDoubles() -> [Double]? {
        guard case .double(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    mutating func takeByteArrays() -> ByteArrays? {
        guard case .byteArray(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    mutating func takeFixedLengthByteArrays() -> FixedLengthByteArrays? {
        guard case .fixedLenByteArray(let values) = self else { return nil }
        self = .boolean([])
        return values
    }

    /// The error for a vector whose physical type is not the one an encoding call expects.
    static func mismatch(_ values: ColumnValues, expected: PhysicalType) -> ParquetError {
        .invalidArgument("values of type \(values.physicalType) where \(expected) was expected")
    }
}

extension Array where Element: BitwiseCopyable {
    /// Appends `count` elements written by `initialize`, which must set every element of the buffer it is given.
    ///
    /// An empty array with too little capacity is replaced by a fresh uninitialized one (no zero fill); otherwise the
    /// tail is zero-filled first. If `initialize` throws, the array is left as it was.
    @inline(__always)
    mutating func appendUnsafe<E: Error>(
        count: Int, zero: Element, _ initialize: (UnsafeMutableBufferPointer<Element>) throws(E) -> Void
    ) throws(E) {
        guard count > 0 else { return }
        let old = self.count
        var failure: E?
        if old == 0 && capacity < count {
            let fresh = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                do throws(E) {
                    try initialize(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
                    initialized = count
                } catch {
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            self = fresh
        } else {
            append(contentsOf: repeatElement(zero, count: count))
            withUnsafeMutableBufferPointer { all in
                do throws(E) {
                    try initialize(UnsafeMutableBufferPointer(rebasing: all[old...]))
                } catch {
                    failure = error
                }
            }
            if let failure {
                removeLast(count)
                throw failure
            }
        }
    }
}

/// Two integers and no references: lets INT96 vectors use the bulk append and gather paths.
extension Int96: BitwiseCopyable {}
