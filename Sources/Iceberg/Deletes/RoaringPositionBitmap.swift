import ByteCoding

/// A set of row positions (non-negative 64-bit integers) stored as 32-bit Roaring bitmaps keyed by the positions'
/// high 32 bits: the in-memory form of a deletion vector and of a data file's position deletes.
///
/// `serialized()` / `init(serialized:)` use the portable 64-bit Roaring format Iceberg's deletion vectors carry:
/// an 8-byte little-endian bitmap count, then per key (ascending) a 4-byte little-endian key and a standard 32-bit
/// Roaring bitmap. Like Java's writer, every key from 0 to the highest is written (gaps as empty bitmaps) unless the
/// gaps are implausibly many; the reader accepts both dense and sparse key lists.
package struct RoaringPositionBitmap: Sendable, Equatable, CustomStringConvertible {
    private var keys: [UInt32] = []
    private var bitmaps: [RoaringBitmap32] = []

    /// Keys above this would make positions negative.
    private static let maxKey = UInt32(Int32.max)
    /// Writing empty bitmaps for more gaps than this is pointless bloat; the keys are then written sparsely.
    private static let maxGapFill = 65536

    package init() {}

    /// A bitmap of `positions`, each of which must be non-negative.
    package init(_ positions: some Sequence<Int64>) {
        for position in positions { insert(position) }
    }

    package var isEmpty: Bool { bitmaps.isEmpty }

    /// The number of positions in the set.
    package var cardinality: Int64 { bitmaps.reduce(0) { $0 + Int64($1.cardinality) } }

    /// Bytes held in memory (approximate), for cache budgets.
    package var estimatedBytes: Int { 64 + bitmaps.reduce(0) { $0 + $1.estimatedBytes + 4 } }

    /// Adds `position` (which must be non-negative); returns whether it was new.
    @discardableResult
    package mutating func insert(_ position: Int64) -> Bool {
        precondition(position >= 0, "row positions are non-negative")
        let key = UInt32(truncatingIfNeeded: position >> 32)
        if let last = keys.last, last == key {  // ascending input stays in the last bitmap
            return bitmaps[bitmaps.count - 1].insert(UInt32(truncatingIfNeeded: position))
        }
        let (found, index) = RoaringContainer.search(keys, key)
        if !found {
            keys.insert(key, at: index)
            bitmaps.insert(RoaringBitmap32(), at: index)
        }
        return bitmaps[index].insert(UInt32(truncatingIfNeeded: position))
    }

    package func contains(_ position: Int64) -> Bool {
        guard position >= 0 else { return false }
        let (found, index) = RoaringContainer.search(keys, UInt32(truncatingIfNeeded: position >> 32))
        return found && bitmaps[index].contains(UInt32(truncatingIfNeeded: position))
    }

    /// Calls `body` with every position in ascending order.
    package func forEach<E: Error>(_ body: (Int64) throws(E) -> Void) throws(E) {
        for (key, bitmap) in zip(keys, bitmaps) {
            let high = Int64(key) << 32
            try bitmap.forEach { (low: UInt32) throws(E) in try body(high | Int64(low)) }
        }
    }

    /// Every position, ascending.
    package var positions: [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(Int(cardinality))
        forEach { result.append($0) }
        return result
    }

    /// Adds every position of `other`.
    package mutating func formUnion(_ other: RoaringPositionBitmap) {
        guard !other.isEmpty else { return }
        guard !isEmpty else { self = other; return }
        var mergedKeys: [UInt32] = []
        var merged: [RoaringBitmap32] = []
        var i = 0
        var j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                mergedKeys.append(keys[i]); merged.append(bitmaps[i]); i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                mergedKeys.append(other.keys[j]); merged.append(other.bitmaps[j]); j += 1
            } else {
                mergedKeys.append(keys[i]); merged.append(bitmaps[i].union(other.bitmaps[j])); i += 1; j += 1
            }
        }
        keys = mergedKeys
        bitmaps = merged
    }

    package func union(_ other: RoaringPositionBitmap) -> RoaringPositionBitmap {
        var result = self
        result.formUnion(other)
        return result
    }

    /// The portable 64-bit serialization.
    package func serialized() -> [UInt8] {
        var writer = ByteWriter(capacity: 8 + bitmaps.reduce(0) { $0 + 12 + $1.estimatedBytes })
        let highest = keys.last.map { Int($0) } ?? -1
        let fillGaps = highest - keys.count < Self.maxGapFill
        writer.writeLittleEndian(UInt64(fillGaps ? highest + 1 : keys.count))
        var index = 0
        for key in fillGaps ? Array(0..<UInt32(highest + 1)) : keys {
            writer.writeLittleEndian(key)
            if index < keys.count && keys[index] == key {
                bitmaps[index].serialize(into: &writer)
                index += 1
            } else {
                RoaringBitmap32().serialize(into: &writer)
            }
        }
        return writer.bytes
    }

    /// Reads a portable 64-bit serialization that must fill `bytes` exactly.
    package init(serialized bytes: UnsafeRawBufferPointer) throws(RoaringFormatError) {
        var reader = ByteReader(bytes)
        let declared: UInt64
        do { declared = try reader.readLittleEndian(UInt64.self) } catch { throw .invalid(error.description) }
        // Each bitmap takes at least a 4-byte key and an 8-byte empty bitmap.
        guard declared <= UInt64(reader.remaining / 12) else {
            throw .invalid("\(declared) bitmaps do not fit in \(reader.remaining) bytes")
        }
        var previous: Int64 = -1
        for _ in 0..<Int(declared) {
            let key: UInt32
            do { key = try reader.readLittleEndian(UInt32.self) } catch { throw .invalid(error.description) }
            guard Int64(key) > previous else { throw .invalid("bitmap keys do not ascend at key \(key)") }
            guard key <= Self.maxKey else { throw .invalid("key \(key) makes positions negative") }
            previous = Int64(key)
            let bitmap = try RoaringBitmap32.deserialize(from: &reader)
            if !bitmap.isEmpty {
                keys.append(key)
                bitmaps.append(bitmap)
            }
        }
        guard reader.isAtEnd else { throw .invalid("\(reader.remaining) bytes after the last bitmap") }
    }

    package init(serialized bytes: [UInt8]) throws(RoaringFormatError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(RoaringFormatError) in try RoaringPositionBitmap(serialized: buffer) }
        }
        self = try result.get()
    }

    /// Reads one standard 32-bit Roaring bitmap in the portable format (as Paimon's deletion vectors carry it) that
    /// must fill `bytes` exactly; its values are the positions below 2^32.
    package init(portable32 bytes: [UInt8]) throws(RoaringFormatError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(RoaringFormatError) -> RoaringBitmap32 in
                var reader = ByteReader(buffer)
                let bitmap = try RoaringBitmap32.deserialize(from: &reader)
                guard reader.isAtEnd else { throw .invalid("\(reader.remaining) bytes after the bitmap") }
                return bitmap
            }
        }
        let bitmap = try result.get()
        if !bitmap.isEmpty {
            keys = [0]
            bitmaps = [bitmap]
        }
    }

    package static func == (lhs: RoaringPositionBitmap, rhs: RoaringPositionBitmap) -> Bool {
        lhs.keys == rhs.keys && lhs.cardinality == rhs.cardinality && lhs.positions == rhs.positions
    }

    package var description: String {
        let shown = positions.prefix(20).map(String.init).joined(separator: ", ")
        return "RoaringPositionBitmap(\(cardinality): \(shown)\(cardinality > 20 ? ", …" : ""))"
    }
}
