import ByteCoding

/// A standard 32-bit Roaring bitmap: containers keyed by the high 16 bits, in the portable serialization of
/// RoaringFormatSpec (read: array, bitset and run containers; written without runs, cookie 12346).
struct RoaringBitmap32: Sendable {
    private(set) var keys: [UInt16] = []
    private(set) var containers: [RoaringContainer] = []

    static let cookieNoRuns: UInt32 = 12346
    static let cookieRuns: UInt32 = 12347
    /// With the run cookie, the offset header is present only from this many containers on.
    static let noOffsetThreshold = 4

    var isEmpty: Bool { keys.isEmpty }

    var cardinality: Int { containers.reduce(0) { $0 + $1.cardinality } }

    var estimatedBytes: Int { 32 + containers.reduce(0) { $0 + $1.estimatedBytes + 2 } }

    func contains(_ value: UInt32) -> Bool {
        let (found, index) = RoaringContainer.search(keys, UInt16(value >> 16))
        return found && containers[index].contains(UInt16(truncatingIfNeeded: value))
    }

    @discardableResult
    mutating func insert(_ value: UInt32) -> Bool {
        let key = UInt16(value >> 16)
        let low = UInt16(truncatingIfNeeded: value)
        if let last = keys.last, last == key { return containers[containers.count - 1].insert(low) }
        let (found, index) = RoaringContainer.search(keys, key)
        if found { return containers[index].insert(low) }
        keys.insert(key, at: index)
        containers.insert(.array([low]), at: index)
        return true
    }

    func forEach<E: Error>(_ body: (UInt32) throws(E) -> Void) throws(E) {
        for (key, container) in zip(keys, containers) {
            let high = UInt32(key) << 16
            try container.forEach { (low: UInt16) throws(E) in try body(high | UInt32(low)) }
        }
    }

    func union(_ other: RoaringBitmap32) -> RoaringBitmap32 {
        var result = RoaringBitmap32()
        var i = 0
        var j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                result.keys.append(keys[i]); result.containers.append(containers[i]); i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                result.keys.append(other.keys[j]); result.containers.append(other.containers[j]); j += 1
            } else {
                result.keys.append(keys[i]); result.containers.append(containers[i].union(other.containers[j]))
                i += 1; j += 1
            }
        }
        return result
    }

    /// Appends the portable serialization: cookie 12346, container count, descriptive header, offsets, containers
    /// (arrays up to 4,096 values, bitsets above).
    func serialize(into writer: inout ByteWriter) {
        let start = writer.count
        writer.writeLittleEndian(Self.cookieNoRuns)
        writer.writeLittleEndian(UInt32(keys.count))
        let materialized = containers.map { $0.materialized() }
        for (key, container) in zip(keys, materialized) {
            writer.writeLittleEndian(key)
            writer.writeLittleEndian(UInt16(container.cardinality - 1))
        }
        var offset = writer.count - start + keys.count * 4
        for container in materialized {
            writer.writeLittleEndian(UInt32(offset))
            offset += container.cardinality <= RoaringContainer.arrayLimit ? container.cardinality * 2 : 8192
        }
        for container in materialized {
            switch container {
            case .array(let values):
                for value in values { writer.writeLittleEndian(value) }
            case .bitset(let words, _):
                for word in words { writer.writeLittleEndian(word) }
            case .runs:
                preconditionFailure("materialized containers are arrays or bitsets")
            }
        }
    }

    /// Reads one bitmap at the reader's position and leaves the reader after it. Every count is checked against
    /// the bytes left before anything is allocated, keys must ascend, and container contents must match their
    /// declared cardinalities.
    static func deserialize(from reader: inout ByteReader) throws(RoaringFormatError) -> RoaringBitmap32 {
        let start = reader.offset
        let cookie = try read(UInt32.self, &reader)
        let count: Int
        var runFlags: UnsafeRawBufferPointer? = nil
        if cookie & 0xFFFF == cookieRuns {
            count = Int(cookie >> 16) + 1
            runFlags = try bytes((count + 7) / 8, &reader)
        } else if cookie == cookieNoRuns {
            let declared = try read(UInt32.self, &reader)
            guard declared <= 65536 else { throw .invalid("\(declared) containers in a 32-bit bitmap (at most 65536)") }
            count = Int(declared)
        } else {
            throw .invalid("unknown cookie \(cookie) at byte \(start)")
        }
        guard count * 4 <= reader.remaining else { throw .invalid("\(count) containers do not fit in \(reader.remaining) bytes") }
        var bitmap = RoaringBitmap32()
        bitmap.keys.reserveCapacity(count)
        bitmap.containers.reserveCapacity(count)
        var cardinalities: [Int] = []
        cardinalities.reserveCapacity(count)
        for index in 0..<count {
            let key = try read(UInt16.self, &reader)
            if index > 0 && key <= bitmap.keys[index - 1] { throw .invalid("container keys do not ascend at key \(key)") }
            bitmap.keys.append(key)
            cardinalities.append(Int(try read(UInt16.self, &reader)) + 1)
        }
        if runFlags == nil || count >= noOffsetThreshold { _ = try bytes(count * 4, &reader) }
        for index in 0..<count {
            let cardinality = cardinalities[index]
            let isRun = runFlags.map { $0[index / 8] & (1 << UInt8(index % 8)) != 0 } ?? false
            if isRun {
                let runCount = Int(try read(UInt16.self, &reader))
                let raw = try bytes(runCount * 4, &reader)
                var pairs = [UInt16](repeating: 0, count: runCount * 2)
                var total = 0
                var next = 0  // smallest value the next run may start at
                for pair in 0..<runCount {
                    let start = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: pair * 4, as: UInt16.self)))
                    let length = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: pair * 4 + 2, as: UInt16.self)))
                    guard start >= next, start + length <= 65535 else {
                        throw .invalid("run \(pair) of container \(bitmap.keys[index]) overlaps or overflows")
                    }
                    pairs[pair * 2] = UInt16(start)
                    pairs[pair * 2 + 1] = UInt16(length)
                    total += length + 1
                    next = start + length + 1
                }
                guard total == cardinality else {
                    throw .invalid("run container \(bitmap.keys[index]) holds \(total) values, declared \(cardinality)")
                }
                bitmap.containers.append(.runs(pairs))
            } else if cardinality <= RoaringContainer.arrayLimit {
                let raw = try bytes(cardinality * 2, &reader)
                var values = [UInt16](repeating: 0, count: cardinality)
                for position in 0..<cardinality {
                    values[position] = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: position * 2, as: UInt16.self))
                    if position > 0 && values[position] <= values[position - 1] {
                        throw .invalid("array container \(bitmap.keys[index]) is not strictly ascending")
                    }
                }
                bitmap.containers.append(.array(values))
            } else {
                let raw = try bytes(RoaringContainer.bitsetWords * 8, &reader)
                var words = [UInt64](repeating: 0, count: RoaringContainer.bitsetWords)
                var total = 0
                for word in 0..<RoaringContainer.bitsetWords {
                    words[word] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self))
                    total += words[word].nonzeroBitCount
                }
                guard total == cardinality else {
                    throw .invalid("bitset container \(bitmap.keys[index]) holds \(total) values, declared \(cardinality)")
                }
                bitmap.containers.append(.bitset(words, cardinality: total))
            }
        }
        return bitmap
    }

    private static func read<T: FixedWidthInteger>(_ type: T.Type, _ reader: inout ByteReader) throws(RoaringFormatError) -> T {
        do { return try reader.readLittleEndian(T.self) } catch { throw .invalid(error.description) }
    }

    private static func bytes(_ count: Int, _ reader: inout ByteReader) throws(RoaringFormatError) -> UnsafeRawBufferPointer {
        do { return try reader.readBytes(count) } catch { throw .invalid(error.description) }
    }
}

/// Why a serialized Roaring bitmap could not be read.
package enum RoaringFormatError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    package var description: String {
        switch self {
        case .invalid(let why): "invalid Roaring bitmap: \(why)"
        }
    }
}
