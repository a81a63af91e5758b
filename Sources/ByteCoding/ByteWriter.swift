/// An append-only byte buffer for encoders: varints, zigzag and little-endian values written without per-value
/// allocation. Reserve capacity up front when the size is known.
package struct ByteWriter: Sendable {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package var count: Int { bytes.count }

    package mutating func reserveCapacity(_ capacity: Int) { bytes.reserveCapacity(capacity) }
    package mutating func removeAll(keepingCapacity: Bool = true) { bytes.removeAll(keepingCapacity: keepingCapacity) }

    @inline(__always)
    package mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    @inline(__always)
    package mutating func writeBytes(_ source: UnsafeRawBufferPointer) { bytes.append(contentsOf: source) }

    @inline(__always)
    package mutating func writeBytes(_ source: some Sequence<UInt8>) { bytes.append(contentsOf: source) }

    @inline(__always)
    package mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func writeFloat(_ value: Float) { writeLittleEndian(value.bitPattern) }

    @inline(__always)
    package mutating func writeDouble(_ value: Double) { writeLittleEndian(value.bitPattern) }

    @inline(__always)
    package mutating func writeVarUInt64(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    @inline(__always)
    package mutating func writeZigZag(_ value: Int64) { writeVarUInt64(ZigZag.encode(value)) }

    /// Overwrites bytes already written (for lengths known only after their content).
    package mutating func overwrite(at offset: Int, with source: some Collection<UInt8>) {
        bytes.replaceSubrange(offset..<offset + source.count, with: source)
    }
}

/// Zigzag mapping of signed to unsigned integers, as Avro, Thrift and Protocol Buffers use it.
package enum ZigZag {
    @inline(__always)
    package static func encode(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inline(__always)
    package static func decode(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }
}
