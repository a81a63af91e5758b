import ByteCoding

/// DELTA_BYTE_ARRAY (7) for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (incremental or front coding): the length of the
/// prefix shared with the previous value as DELTA_BINARY_PACKED INT32, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
/// The first value of a page has no predecessor (its prefix length is 0).
enum DeltaByteArray {
    /// The largest page a decoder rebuilds: prefixes can make the output much larger than the input.
    static let maxDecodedBytes = 1 << 31

    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ByteArrays) throws(ParquetError) -> Int {
        let parts = try Parts(bytes, count: count, fixedWidth: nil)
        let base = values.data.count
        parts.prefixes.withUnsafeBufferPointer { prefixes in
            parts.suffixLengths.withUnsafeBufferPointer { suffixLengths in
                values.offsets.appendUnsafe(count: count, zero: 0) { offsets in
                    var end = base
                    for index in 0..<count {
                        end += Int(prefixes[index]) + Int(suffixLengths[index])
                        offsets[index] = end
                    }
                }
            }
        }
        parts.rebuild(bytes, into: &values.data)
        return parts.consumed
    }

    static func decode(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout FixedLengthByteArrays
    ) throws(ParquetError) -> Int {
        let parts = try Parts(bytes, count: count, fixedWidth: values.width)
        parts.rebuild(bytes, into: &values.data)
        return parts.consumed
    }

    /// The decoded prefix and suffix lengths of a page, checked against each other and the page's size.
    private struct Parts {
        var prefixes: [Int32] = []
        var suffixLengths: [Int32] = []
        /// Where the suffix bytes start in the page.
        let suffixStart: Int
        /// The size of all rebuilt values.
        let total: Int
        let consumed: Int

        init(_ bytes: UnsafeRawBufferPointer, count: Int, fixedWidth: Int?) throws(ParquetError) {
            let prefixBytes = try DeltaBinaryPacked.decode(bytes, count: count, into: &prefixes)
            let lengthBytes = try DeltaBinaryPacked.decode(
                UnsafeRawBufferPointer(rebasing: bytes[prefixBytes...]), count: count, into: &suffixLengths)
            suffixStart = prefixBytes + lengthBytes
            var previous = 0
            var total = 0
            var suffixTotal = 0
            for index in 0..<count {
                let prefix = Int(prefixes[index])
                let suffix = Int(suffixLengths[index])
                guard prefix >= 0, prefix <= previous else {
                    throw .corrupt("DELTA_BYTE_ARRAY prefix length \(prefix) for a previous value of \(previous) bytes")
                }
                guard suffix >= 0 else { throw .corrupt("negative byte array length \(suffix)") }
                let length = prefix + suffix
                if let fixedWidth, length != fixedWidth {
                    throw .corrupt("DELTA_BYTE_ARRAY value of \(length) bytes in a FIXED_LEN_BYTE_ARRAY(\(fixedWidth)) column")
                }
                suffixTotal += suffix
                total += length
                guard total <= maxDecodedBytes else {
                    throw .unsupported("DELTA_BYTE_ARRAY page decodes to more than \(maxDecodedBytes) bytes")
                }
                previous = length
            }
            guard suffixTotal <= bytes.count - suffixStart else {
                throw .corrupt("DELTA_BYTE_ARRAY suffixes add up to \(suffixTotal) bytes but only \(bytes.count - suffixStart) follow")
            }
            self.total = total
            consumed = suffixStart + suffixTotal
        }

        /// Appends every value to `data`: the previous value's prefix, then the suffix from the page.
        func rebuild(_ bytes: UnsafeRawBufferPointer, into data: inout [UInt8]) {
            guard total > 0, let source = bytes.baseAddress else { return }
            prefixes.withUnsafeBufferPointer { prefixes in
                suffixLengths.withUnsafeBufferPointer { suffixLengths in
                    data.appendUnsafe(count: total + ShortCopy.slack, zero: 0) { output in
                        let output = UnsafeMutableRawPointer(output.baseAddress!)
                        var read = suffixStart
                        var previousStart = 0
                        var written = 0
                        for index in 0..<prefixes.count {
                            let prefix = Int(prefixes[index])
                            let suffix = Int(suffixLengths[index])
                            let start = written
                            // The previous value lies wholly before `written`, so its slack is inside the output.
                            ShortCopy.copy(output + written, from: output + previousStart, count: prefix, sourceHasSlack: true)
                            written += prefix
                            ShortCopy.copy(
                                output + written, from: source + read, count: suffix,
                                sourceHasSlack: read + ShortCopy.slack <= bytes.count)
                            read += suffix
                            written += suffix
                            previousStart = start
                        }
                    }
                }
            }
            data.removeLast(ShortCopy.slack)
        }
    }

    static func encode(_ values: ByteArrays, range: Range<Int>, into writer: inout ByteWriter) {
        values.data.withUnsafeBytes { data in
            encode(count: range.count, into: &writer) { index in
                let value = range.lowerBound + index
                return UnsafeRawBufferPointer(rebasing: data[values.offsets[value]..<values.offsets[value + 1]])
            }
        }
    }

    static func encode(_ values: FixedLengthByteArrays, range: Range<Int>, into writer: inout ByteWriter) {
        let width = values.width
        values.data.withUnsafeBytes { data in
            encode(count: range.count, into: &writer) { index in
                let value = range.lowerBound + index
                return UnsafeRawBufferPointer(rebasing: data[value * width..<(value + 1) * width])
            }
        }
    }

    private static func encode(
        count: Int, into writer: inout ByteWriter, value: (Int) -> UnsafeRawBufferPointer
    ) {
        var prefixes = [Int32]()
        prefixes.reserveCapacity(count)
        var suffixes = ByteArrays()
        var previous = UnsafeRawBufferPointer(start: nil, count: 0)
        for index in 0..<count {
            let current = value(index)
            let limit = min(previous.count, current.count)
            var shared = 0
            while shared < limit && previous[shared] == current[shared] { shared += 1 }
            prefixes.append(Int32(shared))
            suffixes.append(UnsafeRawBufferPointer(rebasing: current[shared...]))
            previous = current
        }
        prefixes.withUnsafeBufferPointer { DeltaBinaryPacked.encode($0, into: &writer) }
        DeltaLengthByteArray.encode(suffixes, range: 0..<count, into: &writer)
    }
}
