import ByteCoding
import CPrefetch

/// Dictionary encoding (PLAIN_DICTIONARY = 2, RLE_DICTIONARY = 8): a dictionary page of PLAIN values, then data pages
/// holding a 1-byte bit width followed by RLE/bit-packed hybrid indices into it.
enum DictionaryDecoding {
    /// Decodes `count` indices from `bytes` (bit width byte + hybrid runs) and appends the dictionary values they name.
    static func decodeIndices(
        _ bytes: UnsafeRawBufferPointer, count: Int, dictionary: ColumnValues, into values: inout ColumnValues
    ) throws(ParquetError) {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        guard dictionary.physicalType == values.physicalType else {
            throw ColumnValues.mismatch(values, expected: dictionary.physicalType)
        }
        guard count > 0 else { return }
        guard let first = bytes.first else { throw .corrupt("dictionary-encoded data is empty") }
        var decoder = try RLEBitPackedHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(first))
        guard decoder.holds(count) else { throw .corrupt("dictionary indices hold fewer than \(count) values") }
        var indices = [UInt32]()
        try indices.appendUnsafe(count: count, zero: 0) { (buffer) throws(ParquetError) in
            try decoder.decode(into: buffer.baseAddress!, count: count)
        }
        let dictionaryCount = dictionary.count
        var largest: UInt32 = 0
        for index in indices { largest = max(largest, index) }
        guard Int(largest) < dictionaryCount else {
            throw .corrupt("dictionary index \(largest) is past the dictionary's \(dictionaryCount) entries")
        }
        switch dictionary {
        case .boolean(let entries):
            var output = values.takeBooleans()!
            defer { values = .boolean(output) }
            gather(indices, from: entries, zero: false, into: &output)
        case .int32(let entries):
            var output = values.takeInt32s()!
            defer { values = .int32(output) }
            gather(indices, from: entries, zero: 0, into: &output)
        case .int64(let entries):
            var output = values.takeInt64s()!
            defer { values = .int64(output) }
            gather(indices, from: entries, zero: 0, into: &output)
        case .int96(let entries):
            var output = values.takeInt96s()!
            defer { values = .int96(output) }
            gather(indices, from: entries, zero: Int96(nanosecondsOfDay: 0, julianDay: 0), into: &output)
        case .float(let entries):
            var output = values.takeFloats()!
            defer { values = .float(output) }
            gather(indices, from: entries, zero: 0, into: &output)
        case .double(let entries):
            var output = values.takeDoubles()!
            defer { values = .double(output) }
            gather(indices, from: entries, zero: 0, into: &output)
        case .byteArray(let entries):
            var output = values.takeByteArrays()!
            defer { values = .byteArray(output) }
            gather(indices, from: entries, into: &output)
        case .fixedLenByteArray(let entries):
            var output = values.takeFixedLengthByteArrays()!
            defer { values = .fixedLenByteArray(output) }
            guard entries.width == output.width else {
                throw .invalidArgument("dictionary width \(entries.width) differs from the column's \(output.width)")
            }
            gather(indices, from: entries, into: &output)
        }
    }

    private static func gather<Value: BitwiseCopyable>(
        _ indices: [UInt32], from entries: [Value], zero: Value, into output: inout [Value]
    ) {
        entries.withUnsafeBufferPointer { entries in
            indices.withUnsafeBufferPointer { indices in
                output.appendUnsafe(count: indices.count, zero: zero) { output in
                    for position in 0..<indices.count { output[position] = entries[Int(indices[position])] }
                }
            }
        }
    }

    private static func gather(_ indices: [UInt32], from entries: ByteArrays, into output: inout ByteArrays) {
        entries.offsets.withUnsafeBufferPointer { offsets in
            let base = output.data.count
            var end = base
            output.offsets.appendUnsafe(count: indices.count, zero: 0) { output in
                for position in 0..<indices.count {
                    let index = Int(indices[position])
                    end += offsets[index + 1] - offsets[index]
                    output[position] = end
                }
            }
            let total = end - base
            guard total > 0 else { return }
            entries.data.withUnsafeBytes { data in
                output.data.appendUnsafe(count: total + ShortCopy.slack, zero: 0) { output in
                    let target = UnsafeMutableRawPointer(output.baseAddress!)
                    var written = 0
                    for index in indices {
                        let start = offsets[Int(index)]
                        let length = offsets[Int(index) + 1] - start
                        ShortCopy.copy(
                            target + written, from: data.baseAddress! + start, count: length,
                            sourceHasSlack: start + ShortCopy.slack <= data.count)
                        written += length
                    }
                }
            }
            output.data.removeLast(ShortCopy.slack)
        }
    }

    private static func gather(_ indices: [UInt32], from entries: FixedLengthByteArrays, into output: inout FixedLengthByteArrays) {
        let width = entries.width
        entries.data.withUnsafeBytes { data in
            output.data.appendUnsafe(count: indices.count * width, zero: 0) { output in
                let target = UnsafeMutableRawPointer(output.baseAddress!)
                for (position, index) in indices.enumerated() {
                    (target + position * width).copyMemory(from: data.baseAddress! + Int(index) * width, byteCount: width)
                }
            }
        }
    }
}

/// Builds a column chunk's dictionary while values arrive, page by page.
///
/// Values are kept as the dictionary page will hold them (numbers as 64-bit patterns, byte strings packed), with an
/// open-addressing hash table of entry numbers over them. Floating-point values are compared by bit pattern, so
/// `0.0` and `-0.0` (and NaNs with different payloads) are distinct entries, as PLAIN would write them.
package struct DictionaryEncoder: Sendable {
    private let type: PhysicalType
    private let typeLength: Int
    private let maxDictionaryBytes: Int
    /// Entries of BOOLEAN, INT32, INT64, FLOAT and DOUBLE columns as bit patterns.
    private var words: [UInt64] = []
    /// Entries of BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY and INT96 (12 bytes) columns.
    private var strings = ByteArrays()
    /// Per slot: the entry's hash tag (top 32 bits) and its number + 1 in the low 32 bits (0 = empty); the
    /// capacity is a power of two, at most half full.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)
    /// 64 minus log2 of the slot count: a slot is the top bits of a hash.
    private var slotShift: UInt64 = 54
    /// Keyed at random per encoder, so values crafted to share one probe chain (an untrusted file's, re-encoded by a
    /// rewrite) cannot; entries keep their order of arrival, so the encoded bytes do not depend on the key.
    private let hasher = KeyedHash()
    /// The dictionary page's PLAIN size so far.
    package private(set) var plainBytes = 0
    package private(set) var count = 0
    /// The farthest any entry was placed from its home slot: a few slots unless hashes collide.
    package private(set) var longestProbe = 0

    /// `maxDictionaryBytes`: when the PLAIN size of the dictionary would pass it, `append` returns nil and the caller
    /// falls back to `ValueEncoder` for this and later pages.
    package init(type: PhysicalType, typeLength: Int, maxDictionaryBytes: Int) {
        self.type = type
        self.typeLength = typeLength
        self.maxDictionaryBytes = maxDictionaryBytes
    }

    /// Adds values[range]; returns their indices into the dictionary, or nil (and adds nothing) if the dictionary
    /// would grow past the limit.
    package mutating func append(_ values: ColumnValues, range: Range<Int>) -> [Int32]? {
        precondition(values.physicalType == type, "values of type \(values.physicalType) for a \(type) dictionary")
        let oldCount = count
        let oldPlainBytes = plainBytes
        var indices = [Int32]()
        indices.reserveCapacity(range.count)
        var fits = true
        switch values {
        case .boolean(let values):
            for index in range {
                guard let entry = insert(word: values[index] ? 1 : 0, plainSize: 0) else { fits = false; break }
                indices.append(entry)
            }
        case .int32(let values):
            for index in range {
                guard let entry = insert(word: UInt64(UInt32(bitPattern: values[index])), plainSize: 4) else { fits = false; break }
                indices.append(entry)
            }
        case .int64(let values):
            for index in range {
                guard let entry = insert(word: UInt64(bitPattern: values[index]), plainSize: 8) else { fits = false; break }
                indices.append(entry)
            }
        case .float(let values):
            for index in range {
                guard let entry = insert(word: UInt64(values[index].bitPattern), plainSize: 4) else { fits = false; break }
                indices.append(entry)
            }
        case .double(let values):
            for index in range {
                guard let entry = insert(word: values[index].bitPattern, plainSize: 8) else { fits = false; break }
                indices.append(entry)
            }
        case .int96(let values):
            for index in range {
                var value = (values[index].nanosecondsOfDay.littleEndian, values[index].julianDay.littleEndian)
                let entry = withUnsafeBytes(of: &value) { raw in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<12])
                    return insert(bytes: bytes, hash: hasher.hash(bytes), plainSize: 12)
                }
                guard let entry else { fits = false; break }
                indices.append(entry)
            }
        case .byteArray(let values):
            fits = values.data.withUnsafeBytes { data in
                values.offsets.withUnsafeBufferPointer { offsets in
                    // A large dictionary lives outside the cache: each block's slots and entries are fetched
                    // together first, so their cache misses overlap instead of following one another.
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.lookupBlock) { hashes in
                        var blockStart = range.lowerBound
                        while blockStart < range.upperBound {
                            let block = blockStart..<min(blockStart + hashes.count, range.upperBound)
                            for index in block {
                                let bytes = UnsafeRawBufferPointer(rebasing: data[offsets[index]..<offsets[index + 1]])
                                hashes[index - block.lowerBound] = hasher.hash(bytes)
                            }
                            if count >= Self.prefetchedEntries { prefetch(hashes: hashes, count: block.count) }
                            for index in block {
                                let start = offsets[index]
                                let end = offsets[index + 1]
                                guard let entry = insert(bytes: UnsafeRawBufferPointer(rebasing: data[start..<end]),
                                    hash: hashes[index - block.lowerBound], plainSize: 4 + end - start)
                                else { return false }
                                indices.append(entry)
                            }
                            blockStart = block.upperBound
                        }
                        return true
                    }
                }
            }
        case .fixedLenByteArray(let values):
            let width = values.width
            precondition(width == typeLength, "values of width \(width) for a FIXED_LEN_BYTE_ARRAY(\(typeLength)) dictionary")
            fits = values.data.withUnsafeBytes { data in
                for index in range {
                    let slice = UnsafeRawBufferPointer(rebasing: data[index * width..<(index + 1) * width])
                    guard let entry = insert(bytes: slice, hash: hasher.hash(slice), plainSize: width) else { return false }
                    indices.append(entry)
                }
                return true
            }
        }
        guard fits else {
            rollBack(to: oldCount, plainBytes: oldPlainBytes)
            return nil
        }
        return indices
    }

    /// The dictionary page's PLAIN bytes.
    package func encodeDictionaryPage(into writer: inout ByteWriter) {
        switch type {
        case .boolean:
            Plain.encode(words.map { $0 != 0 }[...], into: &writer)
        case .int32, .float:
            writer.write(count: 4 * words.count) { output in
                for (index, word) in words.enumerated() {
                    output.storeBytes(of: UInt32(truncatingIfNeeded: word).littleEndian, toByteOffset: 4 * index, as: UInt32.self)
                }
            }
        case .int64, .double:
            words.withUnsafeBytes { writer.writeBytes($0) }
        case .int96, .fixedLenByteArray:
            writer.writeBytes(strings.data)
        case .byteArray:
            Plain.encode(strings, range: 0..<strings.count, into: &writer)
        }
    }

    /// The data page's value section: 1-byte bit width, then RLE/bit-packed hybrid of `indices`.
    package func encodeIndices(_ indices: ArraySlice<Int32>, into writer: inout ByteWriter) {
        let bitWidth = count <= 1 ? 0 : BitPacking.bitWidth(of: UInt64(count - 1))
        writer.writeByte(UInt8(bitWidth))
        indices.withUnsafeBufferPointer { indices in
            indices.withMemoryRebound(to: UInt32.self) {
                RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &writer)
            }
        }
    }

    // MARK: - Hash table

    private var mask: Int { slots.count - 1 }

    @inline(__always)
    private func slot(of hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> slotShift) }

    private mutating func insert(word: UInt64, plainSize: Int) -> Int32? {
        let hash = hasher.hash(word)
        var slot = slot(of: hash)
        while true {
            let stored = slots[slot]
            if stored == 0 {
                let newPlainBytes = type == .boolean ? (count + 8) / 8 : plainBytes + plainSize
                guard newPlainBytes <= maxDictionaryBytes, count < Int32.max - 1 else { return nil }
                plainBytes = newPlainBytes
                words.append(word)
                return added(at: slot, hash: hash)
            }
            if stored & Self.tagMask == hash & Self.tagMask {
                let index = Self.entry(stored)
                if words[index] == word { return Int32(index) }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insert(bytes: UnsafeRawBufferPointer, hash: UInt64, plainSize: Int) -> Int32? {
        var slot = slot(of: hash)
        while true {
            let stored = slots[slot]
            if stored == 0 {
                guard plainBytes + plainSize <= maxDictionaryBytes, count < Int32.max - 1 else { return nil }
                plainBytes += plainSize
                strings.append(bytes)
                return added(at: slot, hash: hash)
            }
            if stored & Self.tagMask == hash & Self.tagMask {
                let index = Self.entry(stored)
                let start = strings.offsets[index]
                if strings.offsets[index + 1] - start == bytes.count
                    && strings.data.withUnsafeBytes({ Self.equal($0.baseAddress! + start, bytes.baseAddress, bytes.count) })
                {
                    return Int32(index)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Entries from which the table and its strings no longer fit in the fastest caches, and lookups prefetch.
    private static let prefetchedEntries = 4096
    /// Byte strings hashed, prefetched and then looked up together.
    private static let lookupBlock = 16

    /// Hints the cache to load what looking up `count` byte strings of these hashes will read: first their home
    /// slots, then the offsets of the entries those slots name, then the entries' first bytes. Each step's loads
    /// are issued for the whole block before any is waited for.
    private func prefetch(hashes: UnsafeMutableBufferPointer<UInt64>, count: Int) {
        slots.withUnsafeBufferPointer { slots in
            strings.offsets.withUnsafeBufferPointer { offsets in
                for position in 0..<count { amoro_prefetch(slots.baseAddress! + slot(of: hashes[position])) }
                for position in 0..<count {
                    let stored = slots[slot(of: hashes[position])]
                    if stored != 0 { amoro_prefetch(offsets.baseAddress! + Self.entry(stored)) }
                }
                strings.data.withUnsafeBytes { data in
                    guard let base = data.baseAddress else { return }  // only empty strings so far
                    for position in 0..<count {
                        let stored = slots[slot(of: hashes[position])]
                        if stored != 0 { amoro_prefetch(base + offsets[Self.entry(stored)]) }
                    }
                }
            }
        }
    }

    /// Whether `count` bytes at `left` and `right` are equal, compared a word at a time.
    @inline(__always)
    private static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer?, _ count: Int) -> Bool {
        guard count > 0, let right else { return true }
        var offset = 0
        while offset + 8 <= count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        while offset < count {
            if left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) {
                return false
            }
            offset += 1
        }
        return true
    }

    /// The top half of a slot: the top 32 bits of its entry's hash, enough to place it again in any table of up
    /// to 2^32 slots and to reject most mismatches without reading the entry.
    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The entry number a non-empty slot holds.
    @inline(__always)
    private static func entry(_ stored: UInt64) -> Int { Int(truncatingIfNeeded: stored & 0xFFFF_FFFF) - 1 }

    /// Records the entry just stored at `slot`, growing the table past half full.
    private mutating func added(at slot: Int, hash: UInt64) -> Int32 {
        longestProbe = max(longestProbe, (slot - self.slot(of: hash)) & mask)
        count += 1
        slots[slot] = hash & Self.tagMask | UInt64(count)
        if count * 2 > slots.count { rehash(capacity: slots.count * 2, entries: count) }
        return Int32(count - 1)
    }

    /// Places the first `entries` entries in a table of `capacity` slots, by the hash tags their slots keep.
    private mutating func rehash(capacity: Int, entries: Int) {
        let old = slots
        slots = Array(repeating: 0, count: capacity)
        slotShift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        for stored in old where stored != 0 && Self.entry(stored) < entries {
            var slot = slot(of: stored & Self.tagMask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = stored
        }
    }

    private mutating func rollBack(to oldCount: Int, plainBytes oldPlainBytes: Int) {
        if type.storesWords {
            words.removeLast(count - oldCount)
        } else {
            strings.offsets.removeLast(count - oldCount)
            strings.data.removeLast(strings.data.count - strings.offsets[oldCount])
        }
        count = oldCount
        plainBytes = oldPlainBytes
        rehash(capacity: slots.count, entries: oldCount)
    }
}

extension PhysicalType {
    /// Whether a dictionary keeps this type's entries as 64-bit patterns rather than byte strings.
    fileprivate var storesWords: Bool {
        switch self {
        case .boolean, .int32, .int64, .float, .double: true
        case .int96, .byteArray, .fixedLenByteArray: false
        }
    }
}
