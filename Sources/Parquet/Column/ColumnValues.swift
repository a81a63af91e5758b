/// The non-null values of one column (a page, a chunk or a whole column), stored by physical type in contiguous
/// typed arrays: never boxed per value. Where the nulls and list boundaries are is told by definition and
/// repetition levels kept beside them (see `ColumnData`).
package enum ColumnValues: Sendable, Equatable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case int96([Int96])
    case float([Float])
    case double([Double])
    case byteArray(ByteArrays)
    case fixedLenByteArray(FixedLengthByteArrays)

    package var count: Int {
        switch self {
        case .boolean(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        case .int96(let values): values.count
        case .float(let values): values.count
        case .double(let values): values.count
        case .byteArray(let values): values.count
        case .fixedLenByteArray(let values): values.count
        }
    }

    package var physicalType: PhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .int96: .int96
        case .float: .float
        case .double: .double
        case .byteArray: .byteArray
        case .fixedLenByteArray: .fixedLenByteArray
        }
    }
}

/// A 12-byte INT96 value as stored: nanoseconds within the day, then the Julian day number.
package struct Int96: Sendable, Hashable {
    package var nanosecondsOfDay: UInt64
    package var julianDay: UInt32

    package init(nanosecondsOfDay: UInt64, julianDay: UInt32) {
        self.nanosecondsOfDay = nanosecondsOfDay
        self.julianDay = julianDay
    }
}

/// Variable-length byte strings packed into one buffer: value `i` is `data[offsets[i]..<offsets[i + 1]]`.
package struct ByteArrays: Sendable, Equatable {
    package var offsets: [Int]
    package var data: [UInt8]

    package init() {
        offsets = [0]
        data = []
    }

    package init(offsets: [Int], data: [UInt8]) {
        precondition(offsets.first == 0 && offsets.last == data.count, "offsets must span the data")
        self.offsets = offsets
        self.data = data
    }

    package var count: Int { offsets.count - 1 }

    package subscript(index: Int) -> ArraySlice<UInt8> { data[offsets[index]..<offsets[index + 1]] }

    package mutating func append(_ bytes: some Collection<UInt8>) {
        data.append(contentsOf: bytes)
        offsets.append(data.count)
    }

    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(data.count)
    }

    package mutating func reserveCapacity(values: Int, bytes: Int) {
        offsets.reserveCapacity(values + 1)
        data.reserveCapacity(bytes)
    }
}

/// Fixed-length byte strings of `width` bytes each, packed into one buffer.
package struct FixedLengthByteArrays: Sendable, Equatable {
    package let width: Int
    package var data: [UInt8]

    package init(width: Int, data: [UInt8] = []) {
        precondition(width > 0 && data.count % width == 0, "data must hold whole values")
        self.width = width
        self.data = data
    }

    package var count: Int { data.count / width }

    package subscript(index: Int) -> ArraySlice<UInt8> { data[index * width..<(index + 1) * width] }

    package mutating func append(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count == width, "a fixed-length value must have \(width) bytes")
        data.append(contentsOf: bytes)
    }
}
