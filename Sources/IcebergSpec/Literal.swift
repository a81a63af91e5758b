/// One typed Iceberg value: a partition value, a bound, or a transform's input and output.
package enum Literal: Hashable, Sendable {
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since midnight.
    case time(Int64)
    /// Microseconds since the epoch, without and with UTC adjustment.
    case timestamp(Int64)
    case timestamptz(Int64)
    /// Nanoseconds since the epoch, without and with UTC adjustment.
    case timestampNs(Int64)
    case timestamptzNs(Int64)
    case string(String)
    /// 16 bytes in RFC 4122 (big-endian) order.
    case uuid([UInt8])
    case fixed([UInt8])
    case binary([UInt8])
    case decimal(unscaled: Int128, precision: Int, scale: Int)

    /// The Iceberg type of the value (fixed and decimal values carry their length, precision and scale).
    package var type: PrimitiveType {
        switch self {
        case .boolean: .boolean
        case .int: .int
        case .long: .long
        case .float: .float
        case .double: .double
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .timestamptz: .timestamptz
        case .timestampNs: .timestampNs
        case .timestamptzNs: .timestamptzNs
        case .string: .string
        case .uuid: .uuid
        case .fixed(let bytes): .fixed(length: bytes.count)
        case .binary: .binary
        case .decimal(_, let precision, let scale): .decimal(precision: precision, scale: scale)
        }
    }

    /// The type's name as metadata writes it, for messages.
    package var typeName: String { type.name }

    /// The bucket transform's hash input rules (spec appendix B); nil for types that cannot be bucketed.
    var bucketHash: Int32? {
        switch self {
        case .int(let value): Murmur3.hash32(long: Int64(value))
        case .long(let value), .time(let value), .timestamp(let value), .timestamptz(let value):
            Murmur3.hash32(long: value)
        case .date(let value): Murmur3.hash32(long: Int64(value))
        case .timestampNs(let value), .timestamptzNs(let value): Murmur3.hash32(long: floorDivide(value, 1000))
        case .string(let text): Murmur3.hash32(Array(text.utf8))
        case .uuid(let bytes), .fixed(let bytes), .binary(let bytes): Murmur3.hash32(bytes)
        case .decimal(let unscaled, _, _): Murmur3.hash32(Self.minimalTwosComplement(unscaled))
        case .boolean, .float, .double: nil
        }
    }

    /// Microseconds since the epoch for the time-based transforms (dates count as midnight).
    func microsecondsForTimeTransforms(allowDates: Bool) -> Int64? {
        switch self {
        case .date(let days): allowDates ? Int64(days) * 86_400_000_000 : nil
        case .timestamp(let value), .timestamptz(let value): value
        case .timestampNs(let value), .timestamptzNs(let value): floorDivide(value, 1000)
        default: nil
        }
    }

    // MARK: - Binary single-value serialization (spec appendix D)

    /// The value's bytes as manifests store bounds and partition values.
    package var binary: [UInt8] {
        func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        switch self {
        case .boolean(let value): return [value ? 1 : 0]
        case .int(let value): return littleEndian(value)
        case .date(let value): return littleEndian(value)
        case .long(let value), .time(let value), .timestamp(let value), .timestamptz(let value),
            .timestampNs(let value), .timestamptzNs(let value):
            return littleEndian(value)
        case .float(let value): return littleEndian(value.bitPattern)
        case .double(let value): return littleEndian(value.bitPattern)
        case .string(let text): return Array(text.utf8)
        case .uuid(let bytes), .fixed(let bytes), .binary(let bytes): return bytes
        case .decimal(let unscaled, _, _): return Self.minimalTwosComplement(unscaled)
        }
    }

    /// Reads a value of `type` from its binary form. Bounds written before a type promotion are accepted as the
    /// spec says: a 4-byte `long` bound was an int, a 4-byte `double` bound was a float, a 4-byte timestamp bound
    /// was a date. Throws when the bytes cannot be a value of the type.
    package init(binary bytes: some Collection<UInt8>, type: PrimitiveType) throws(IcebergSpecError) {
        let bytes = Array(bytes)
        func fail() -> IcebergSpecError { .invalidField("bound", "\(bytes.count) bytes cannot hold a \(type.name)") }
        func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch type {
        case .boolean:
            guard bytes.count == 1 else { throw fail() }
            self = .boolean(bytes[0] != 0)
        case .int:
            guard let value = integer(Int32.self) else { throw fail() }
            self = .int(value)
        case .date:
            guard let value = integer(Int32.self) else { throw fail() }
            self = .date(value)
        case .long:
            if let value = integer(Int64.self) {
                self = .long(value)
            } else if let value = integer(Int32.self) {
                self = .long(Int64(value))
            } else {
                throw fail()
            }
        case .time:
            guard let value = integer(Int64.self) else { throw fail() }
            self = .time(value)
        case .timestamp, .timestamptz, .timestampNs, .timestamptzNs:
            let value: Int64
            if let long = integer(Int64.self) {
                value = long
            } else if let days = integer(Int32.self) {
                // Promoted from date: midnight of that day in the column's unit.
                let perDay: Int64 = (type == .timestampNs || type == .timestamptzNs) ? 86_400_000_000_000 : 86_400_000_000
                value = Int64(days) * perDay
            } else {
                throw fail()
            }
            switch type {
            case .timestamp: self = .timestamp(value)
            case .timestamptz: self = .timestamptz(value)
            case .timestampNs: self = .timestampNs(value)
            default: self = .timestamptzNs(value)
            }
        case .float:
            guard let bits = integer(UInt32.self) else { throw fail() }
            self = .float(Float(bitPattern: bits))
        case .double:
            if let bits = integer(UInt64.self) {
                self = .double(Double(bitPattern: bits))
            } else if let bits = integer(UInt32.self) {
                self = .double(Double(Float(bitPattern: bits)))
            } else {
                throw fail()
            }
        case .string:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .invalidField("bound", "is not valid UTF-8 for a string")
            }
            self = .string(text)
        case .uuid:
            guard bytes.count == 16 else { throw fail() }
            self = .uuid(bytes)
        case .fixed(let length):
            guard bytes.count == length else { throw fail() }
            self = .fixed(bytes)
        case .binary: self = .binary(bytes)
        case .decimal(let precision, let scale):
            guard (1...16).contains(bytes.count) else { throw fail() }
            var value: Int128 = (bytes[0] & 0x80) != 0 ? -1 : 0
            for byte in bytes { value = (value << 8) | Int128(byte) }
            self = .decimal(unscaled: value, precision: precision, scale: scale)
        case .unknown, .variant, .geometry, .geography:
            throw .unsupported("binary values of type \(type.name)")
        }
    }

    /// The shortest big-endian two's-complement form (Java's BigInteger.toByteArray).
    package static func minimalTwosComplement(_ value: Int128) -> [UInt8] {
        var bytes = withUnsafeBytes(of: value.bigEndian) { Array($0) }
        while bytes.count > 1 {
            let first = bytes[0]
            let nextSign = bytes[1] & 0x80
            if (first == 0x00 && nextSign == 0) || (first == 0xFF && nextSign != 0) {
                bytes.removeFirst()
            } else {
                break
            }
        }
        return bytes
    }
}
