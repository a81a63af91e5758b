import ByteCoding

/// DELTA_BYTE_ARRAY (7) for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (incremental or front coding): the length of the
/// prefix shared with the previous value as DELTA_BINARY_PACKED INT32, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
/// The first value of a page has no predecessor (its prefix length is 0).
enum DeltaByteArray {
    /// The largest page a decoder rebuilds: prefixes can make the output much larger than the input.
    static let maxDecodedBytes = 1 << 31

    static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into values: inout ByteArrays) throws(ParquetError) -> Int {
        var suffixes = ByteArrays()
        var prefixes = [Int32]()
        let consumed = try decodeParts(bytes, count: count, prefixes: &prefixes, suffixes: &suffixes)
        let total = try rebuiltSize(prefixes, suffixes, fixedWidth: nil)
        let base = values.data.count
        prefixes.withUnsafeBufferPointer { prefixes in
            values.offsets.appendUnsafe(count: count, zero: 0) { offsets in
                var end = base
                for index in 0..<count {
                    end += Int(prefixes[index]) + suffixes.offsets[index + 1] - suffixes.offsets[index]
                    offsets[index] = end
                }
            }
        }
        values.data.appendUnsafe(count: total, zero: 0) { output in
            rebuild(prefixes, suffixes, into: UnsafeMutableRawPointer(output.baseAddress!))
        }
        return consumed
    }

    static func decode(
        _ bytes: UnsafeRawBufferPointer, count: Int, into values: inout FixedLengthByteArrays
    ) throws(ParquetError) -> Int {
        var suffixes = ByteArrays()
        var prefixes = [Int32]()
        let consumed = try decodeParts(bytes, count: count, prefixes: &prefixes, suffixes: &suffixes)
        let total = try rebuiltSize(prefixes, suffixes, fixedWidth: values.width)
        values.data.appendUnsafe(count: total, zero: 0) { output in
            rebuild(prefixes, suffixes, into: UnsafeMutableRawPointer(output.baseAddress!))
        }
        return consumed
    }

    private static func decodeParts(
        _ bytes: UnsafeRawBufferPointer, count: Int, prefixes: inout [Int32], suffixes: inout ByteArrays
    ) throws(ParquetError) -> Int {
        let prefixBytes = try DeltaBinaryPacked.decode(bytes, count: count, into: &prefixes)
        let suffixBytes = try DeltaLengthByteArray.decode(
            UnsafeRawBufferPointer(rebasing: bytes[prefixBytes...]), count: count, into: &suffixes)
        return prefixBytes + suffixBytes
    }

    /// Checks every prefix against the previous value and returns the size of all rebuilt values.
    private static func rebuiltSize(_ prefixes: [Int32], _ suffixes: ByteArrays, fixedWidth: Int?) throws(ParquetError) -> Int {
        var previous = 0
        var total = 0
        for index in 0..<prefixes.count {
            let prefix = Int(prefixes[index])
            guard prefix >= 0, prefix <= previous else {
                throw .corrupt("DELTA_BYTE_ARRAY prefix length \(prefix) for a previous value of \(previous) bytes")
            }
            let length = prefix + suffixes.offsets[index + 1] - suffixes.offsets[index]
            if let fixedWidth, length != fixedWidth {
                throw .corrupt("DELTA_BYTE_ARRAY value of \(length) bytes in a FIXED_LEN_BYTE_ARRAY(\(fixedWidth)) column")
            }
            total += length
            guard total <= maxDecodedBytes else {
                throw .unsupported("DELTA_BYTE_ARRAY page decodes to more than \(maxDecodedBytes) bytes")
            }
            previous = length
        }
        return total
    }

    /// Writes each value as the previous value's prefix followed by its suffix.
    private static func rebuild(_ prefixes: [Int32], _ suffixes: ByteArrays, into output: UnsafeMutableRawPointer) {
        suffixes.data.withUnsafeBytes { suffixData in
            var previousStart = 0
            var written = 0
            for index in 0..<prefixes.count {
                let prefix = Int(prefixes[index])
                let start = written
                if prefix > 0 { (output + written).copyMemory(from: output + previousStart, byteCount: prefix) }
                written += prefix
                let suffixStart = suffixes.offsets[index]
                let suffixLength = suffixes.offsets[index + 1] - suffixStart
                if suffixLength > 0 {
                    (output + written).copyMemory(from: suffixData.baseAddress! + suffixStart, byteCount: suffixLength)
                }
                written += suffixLength
                previousStart = start
            }
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
