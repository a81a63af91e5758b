/// One Roaring container: the low 16 bits of the values that share a high 16-bit key (RoaringFormatSpec).
///
/// Arrays hold up to 4,096 sorted values, bitsets 1,024 words, runs `(start, length - 1)` pairs as read from a
/// run-optimised file (kept as runs so a small hostile file cannot expand into large bitsets; changed into an array
/// or bitset only when inserted into).
enum RoaringContainer: Sendable {
    case array([UInt16])
    case bitset([UInt64], cardinality: Int)
    case runs([UInt16])

    /// Above this many values an array becomes a bitset (the format's rule).
    static let arrayLimit = 4096
    static let bitsetWords = 1024

    var cardinality: Int {
        switch self {
        case .array(let values): return values.count
        case .bitset(_, let cardinality): return cardinality
        case .runs(let pairs):
            var total = 0
            var index = 1
            while index < pairs.count {
                total += Int(pairs[index]) + 1
                index += 2
            }
            return total
        }
    }

    /// Bytes held in memory, for cache accounting.
    var estimatedBytes: Int {
        switch self {
        case .array(let values): 32 + values.count * 2
        case .bitset: 32 + Self.bitsetWords * 8
        case .runs(let pairs): 32 + pairs.count * 2
        }
    }

    func contains(_ value: UInt16) -> Bool {
        switch self {
        case .array(let values):
            return Self.search(values, value).found
        case .bitset(let words, _):
            return words[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
        case .runs(let pairs):
            // Last run whose start is <= value.
            var low = 0
            var high = pairs.count / 2
            while low < high {
                let middle = (low + high) / 2
                if pairs[middle * 2] <= value { low = middle + 1 } else { high = middle }
            }
            guard low > 0 else { return false }
            let start = Int(pairs[(low - 1) * 2])
            return Int(value) - start <= Int(pairs[(low - 1) * 2 + 1])
        }
    }

    /// Adds `value`; returns whether it was new.
    @discardableResult
    mutating func insert(_ value: UInt16) -> Bool {
        switch self {
        case .array(var values):
            let index: Int
            if let last = values.last, last < value {  // ascending input appends
                index = values.count
            } else {
                let (found, position) = Self.search(values, value)
                if found { return false }
                index = position
            }
            self = .array([])  // drop the reference so `values` is unique
            values.insert(value, at: index)
            self = values.count > Self.arrayLimit ? Self.bitset(from: values) : .array(values)
            return true
        case .bitset(var words, let cardinality):
            let mask: UInt64 = 1 << UInt64(value & 63)
            if words[Int(value >> 6)] & mask != 0 { return false }
            self = .array([])
            words[Int(value >> 6)] |= mask
            self = .bitset(words, cardinality: cardinality + 1)
            return true
        case .runs:
            self = materialized()
            return insert(value)
        }
    }

    /// Calls `body` with every value in ascending order.
    func forEach<E: Error>(_ body: (UInt16) throws(E) -> Void) throws(E) {
        switch self {
        case .array(let values):
            for value in values { try body(value) }
        case .bitset(let words, _):
            for (index, word) in words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    try body(UInt16(index << 6 | bits.trailingZeroBitCount))
                    bits &= bits - 1
                }
            }
        case .runs(let pairs):
            var index = 0
            while index + 1 < pairs.count {
                let start = Int(pairs[index])
                for value in start...(start + Int(pairs[index + 1])) { try body(UInt16(value)) }
                index += 2
            }
        }
    }

    /// The same values as an array or a bitset, whichever the format would choose.
    func materialized() -> RoaringContainer {
        if case .runs = self {
            if cardinality <= Self.arrayLimit {
                var values: [UInt16] = []
                values.reserveCapacity(cardinality)
                forEach { values.append($0) }
                return .array(values)
            }
            return .bitset(bitsetWords(), cardinality: cardinality)
        }
        return self
    }

    /// The values as 1,024 words.
    func bitsetWords() -> [UInt64] {
        if case .bitset(let words, _) = self { return words }
        var words = [UInt64](repeating: 0, count: Self.bitsetWords)
        forEach { words[Int($0 >> 6)] |= 1 << UInt64($0 & 63) }
        return words
    }

    /// The values of both containers.
    func union(_ other: RoaringContainer) -> RoaringContainer {
        if case .array(let left) = self, case .array(let right) = other, left.count + right.count <= Self.arrayLimit {
            var merged: [UInt16] = []
            merged.reserveCapacity(left.count + right.count)
            var i = 0
            var j = 0
            while i < left.count && j < right.count {
                if left[i] < right[j] {
                    merged.append(left[i]); i += 1
                } else if right[j] < left[i] {
                    merged.append(right[j]); j += 1
                } else {
                    merged.append(left[i]); i += 1; j += 1
                }
            }
            merged += left[i...]
            merged += right[j...]
            return .array(merged)
        }
        var words = bitsetWords()
        let otherWords = other.bitsetWords()
        var cardinality = 0
        for index in 0..<Self.bitsetWords {
            words[index] |= otherWords[index]
            cardinality += words[index].nonzeroBitCount
        }
        if cardinality <= Self.arrayLimit {
            return RoaringContainer.bitset(words, cardinality: cardinality).arrayFromBitset()
        }
        return .bitset(words, cardinality: cardinality)
    }

    private func arrayFromBitset() -> RoaringContainer {
        var values: [UInt16] = []
        values.reserveCapacity(cardinality)
        forEach { values.append($0) }
        return .array(values)
    }

    static func bitset(from values: [UInt16]) -> RoaringContainer {
        var words = [UInt64](repeating: 0, count: bitsetWords)
        for value in values { words[Int(value >> 6)] |= 1 << UInt64(value & 63) }
        return .bitset(words, cardinality: values.count)
    }

    /// Binary search in a sorted array: whether `value` is there, and where it is or would be inserted.
    static func search<T: Comparable>(_ values: [T], _ value: T) -> (found: Bool, index: Int) {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return (low < values.count && values[low] == value, low)
    }
}
