import ByteCoding

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Canonical key bytes of many rows, back to back: row `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
struct EncodedKeys: Sendable {
    var bytes: [UInt8]
    /// One more than there are rows.
    var offsets: [Int]

    var count: Int { offsets.count - 1 }
}

/// A hash set of byte-string keys stored in one buffer (open addressing, linear probing, load ≤ 1/2): no allocation
/// per key, and lookups hash raw bytes once instead of element by element.
struct ByteKeySet: Sendable {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [Int] = []
    /// Key index + 1 per slot, 0 when empty.
    private var slots = [Int32](repeating: 0, count: 16)
    /// Four bits per slot (eight or more per key), each key's set at its quick hash: most keys not in the set are
    /// turned away here, before SipHash and the table. The quick hash is keyed at random, so crafted keys can at
    /// worst send every lookup the full way.
    private var filter = [UInt64](repeating: 0, count: 1)
    private let quick = KeyedHash()

    var count: Int { hashes.count }

    var estimatedBytes: Int { bytes.count + offsets.count * 8 + hashes.count * 8 + slots.count * 4 + filter.count * 8 + 64 }

    /// Adds every row of `keys` not yet present.
    mutating func insert(_ keys: EncodedKeys) {
        keys.bytes.withUnsafeBytes { source in
            for row in 0..<keys.count {
                insert(UnsafeRawBufferPointer(rebasing: source[keys.offsets[row]..<keys.offsets[row + 1]]))
            }
        }
    }

    /// Adds every key of `other`.
    mutating func formUnion(_ other: ByteKeySet) {
        insert(EncodedKeys(bytes: other.bytes, offsets: other.offsets))
    }

    private mutating func insert(_ key: UnsafeRawBufferPointer) {
        let hash = Self.hash(key)
        if find(key, hash: hash) != nil { return }
        if (count + 1) * 2 > slots.count { grow() }
        bytes.append(contentsOf: key)
        offsets.append(bytes.count)
        hashes.append(hash)
        place(index: hashes.count - 1, hash: hash)
        admit(key)
    }

    /// Calls `body` with the index of every row of `keys` that is in the set.
    func forEachMatch(in keys: EncodedKeys, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        keys.bytes.withUnsafeBytes { source in
            keys.offsets.withUnsafeBufferPointer { rows in
                withTables { table in
                    filter.withUnsafeBufferPointer { filter in
                        let shift = Self.filterShift(filter.count)
                        for row in 0..<keys.count {
                            let key = UnsafeRawBufferPointer(rebasing: source[rows[row]..<rows[row + 1]])
                            let bit = Int(truncatingIfNeeded: quick.hash(key) >> shift)
                            guard filter[bit >> 6] & (1 << (bit & 63)) != 0 else { continue }
                            if table.find(key, hash: Self.hash(key)) != nil { body(row) }
                        }
                    }
                }
            }
        }
    }

    private func find(_ key: UnsafeRawBufferPointer, hash: Int) -> Int? {
        withTables { $0.find(key, hash: hash) }
    }

    /// The set's arrays entered once, for lookups.
    private struct Tables {
        let bytes: UnsafeRawBufferPointer
        let offsets: UnsafeBufferPointer<Int>
        let hashes: UnsafeBufferPointer<Int>
        let slots: UnsafeBufferPointer<Int32>

        @inline(__always)
        func find(_ key: UnsafeRawBufferPointer, hash: Int) -> Int? {
            let mask = slots.count - 1
            var slot = hash & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                let index = entry - 1
                let start = offsets[index]
                let length = offsets[index + 1] - start
                if hashes[index] == hash && length == key.count
                    && (length == 0 || memcmp(bytes.baseAddress! + start, key.baseAddress!, length) == 0)
                {
                    return index
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func withTables<R>(_ body: (Tables) -> R) -> R {
        bytes.withUnsafeBytes { bytes in
            offsets.withUnsafeBufferPointer { offsets in
                hashes.withUnsafeBufferPointer { hashes in
                    slots.withUnsafeBufferPointer { slots in
                        body(Tables(bytes: bytes, offsets: offsets, hashes: hashes, slots: slots))
                    }
                }
            }
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for index in hashes.indices { place(index: index, hash: hashes[index]) }
        filter = [UInt64](repeating: 0, count: slots.count / 16)
        bytes.withUnsafeBytes { keys in
            for index in hashes.indices { admit(UnsafeRawBufferPointer(rebasing: keys[offsets[index]..<offsets[index + 1]])) }
        }
    }

    /// Sets `key`'s filter bit.
    private mutating func admit(_ key: UnsafeRawBufferPointer) {
        let bit = Int(truncatingIfNeeded: quick.hash(key) >> Self.filterShift(filter.count))
        filter[bit >> 6] |= 1 << (bit & 63)
    }

    /// The shift that turns a quick hash into a bit of a filter of `words` 64-bit words (a power of two).
    private static func filterShift(_ words: Int) -> UInt64 { UInt64(64 - (words * 64).trailingZeroBitCount) }

    private mutating func place(index: Int, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index + 1)
    }

    private static func hash(_ key: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        return hasher.finalize()
    }
}
