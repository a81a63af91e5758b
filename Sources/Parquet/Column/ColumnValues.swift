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

    /// Bytes the values occupy in memory (byte arrays: their data and offsets).
    package var memoryBytes: Int {
        switch self {
        case .boolean(let values): values.count
        case .int32(let values): values.count * 4
        case .int64(let values): values.count * 8
        case .int96(let values): values.count * 12
        case .float(let values): values.count * 4
        case .double(let values): values.count * 8
        case .byteArray(let values): values.data.count + values.offsets.count * 8
        case .fixedLenByteArray(let values): values.data.count
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

extension ColumnValues {
    /// Appends `other`'s values (same physical type) in place. Each case takes its buffer out of `self` before
    /// growing it, so the buffer is uniquely referenced and never copied whole.
    package mutating func append(contentsOf other: ColumnValues) {
        switch other {
        case .boolean(let more): var values = take(\.booleans); values += more; self = .boolean(values)
        case .int32(let more): var values = take(\.int32s); values += more; self = .int32(values)
        case .int64(let more): var values = take(\.int64s); values += more; self = .int64(values)
        case .int96(let more): var values = take(\.int96s); values += more; self = .int96(values)
        case .float(let more): var values = take(\.floats); values += more; self = .float(values)
        case .double(let more): var values = take(\.doubles); values += more; self = .double(values)
        case .byteArray(let more): var values = take(\.byteArrays); values.append(contentsOf: more); self = .byteArray(values)
        case .fixedLenByteArray(let more):
            var values = take(\.fixedLengthByteArrays)
            precondition(values.width == more.width, "appending \(more.width)-byte values to \(values.width)-byte ones")
            values.data += more.data
            self = .fixedLenByteArray(values)
        }
    }

    /// This case's payload, leaving an empty placeholder behind so the caller holds the only reference.
    private mutating func take<Payload>(_ payload: KeyPath<ColumnValues, Payload?>) -> Payload {
        guard let taken = self[keyPath: payload] else {
            preconditionFailure("appending values of another physical type to a \(physicalType) column")
        }
        self = .boolean([])
        return taken
    }

    private var booleans: [Bool]? { if case .boolean(let values) = self { values } else { nil } }
    private var int32s: [Int32]? { if case .int32(let values) = self { values } else { nil } }
    private var int64s: [Int64]? { if case .int64(let values) = self { values } else { nil } }
    private var int96s: [Int96]? { if case .int96(let values) = self { values } else { nil } }
    private var floats: [Float]? { if case .float(let values) = self { values } else { nil } }
    private var doubles: [Double]? { if case .double(let values) = self { values } else { nil } }
    private var byteArrays: ByteArrays? { if case .byteArray(let values) = self { values } else { nil } }
    private var fixedLengthByteArrays: FixedLengthByteArrays? {
        if case .fixedLenByteArray(let values) = self { values } else { nil }
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

    /// Appends every value of `other`.
    package mutating func append(contentsOf other: ByteArrays) {
        let base = data.count
        data += other.data
        offsets.reserveCapacity(offsets.count + other.count)
        for offset in other.offsets.dropFirst() { offsets.append(offset + base) }
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
