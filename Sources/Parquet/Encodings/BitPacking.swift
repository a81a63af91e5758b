import ByteCoding

/// LSB-first bit packing as used by the RLE/bit-packed hybrid and DELTA_BINARY_PACKED, and the deprecated
/// MSB-first BIT_PACKED order (levels only, decode only).
///
/// Values are packed from the least significant bit of each byte upward; eight values of width `w` fill exactly `w`
/// bytes. Unpacking works a group of eight at a time with one unaligned 64-bit load per value and a kernel
/// specialised for each bit width (the width is a literal at each call site, so shifts and masks are constants).
enum BitPacking {
    /// Bytes left readable after a group for the fast kernels' 64-bit loads (plus one byte for widths above 56).
    private static let slack = 16

    // MARK: - Unpacking (LSB first)

    /// Unpacks values `first..<first + count` (value indices within the packed run) of `bitWidth` (0...32) bits each.
    ///
    /// `source` holds `byteCount` readable bytes; the caller guarantees `(first + count) * bitWidth` bits fit in them.
    static func unpack32(
        _ source: UnsafeRawPointer, byteCount: Int, first: Int, count: Int, bitWidth: Int,
        into destination: UnsafeMutablePointer<UInt32>
    ) {
        if bitWidth == 0 {
            destination.update(repeating: 0, count: count)
            return
        }
        var index = first
        let end = first + count
        var out = destination
        while index < end && index & 7 != 0 {
            out.pointee = UInt32(truncatingIfNeeded: extract(source, byteCount: byteCount, index: index, bitWidth: bitWidth))
            out += 1
            index += 1
        }
        let groups = fastGroups(byteCount: byteCount, firstGroup: index >> 3, available: (end - index) >> 3, bitWidth: bitWidth)
        if groups > 0 {
            unpackGroups32(source + (index >> 3) * bitWidth, out, groups, bitWidth)
            out += groups * 8
            index += groups * 8
        }
        while index < end {
            out.pointee = UInt32(truncatingIfNeeded: extract(source, byteCount: byteCount, index: index, bitWidth: bitWidth))
            out += 1
            index += 1
        }
    }

    /// Like `unpack32` for widths 0...64.
    static func unpack64(
        _ source: UnsafeRawPointer, byteCount: Int, first: Int, count: Int, bitWidth: Int,
        into destination: UnsafeMutablePointer<UInt64>
    ) {
        if bitWidth == 0 {
            destination.update(repeating: 0, count: count)
            return
        }
        var index = first
        let end = first + count
        var out = destination
        while index < end && index & 7 != 0 {
            out.pointee = extract(source, byteCount: byteCount, index: index, bitWidth: bitWidth)
            out += 1
            index += 1
        }
        let groups = fastGroups(byteCount: byteCount, firstGroup: index >> 3, available: (end - index) >> 3, bitWidth: bitWidth)
        if groups > 0 {
            unpackGroups64(source + (index >> 3) * bitWidth, out, groups, bitWidth)
            out += groups * 8
            index += groups * 8
        }
        while index < end {
            out.pointee = extract(source, byteCount: byteCount, index: index, bitWidth: bitWidth)
            out += 1
            index += 1
        }
    }

    /// How many whole groups from `firstGroup` on can use the fast kernels without reading past `byteCount`.
    @inline(__always)
    private static func fastGroups(byteCount: Int, firstGroup: Int, available: Int, bitWidth: Int) -> Int {
        // Group g may use the kernel when g * w + w + slack <= byteCount.
        let room = byteCount - slack - bitWidth
        guard room >= 0 else { return 0 }
        let limit = room / bitWidth + 1 - firstGroup
        return max(0, min(available, limit))
    }

    /// One value, read with bounds checks against `byteCount` (for run heads and tails).
    @inline(__always)
    private static func extract(_ source: UnsafeRawPointer, byteCount: Int, index: Int, bitWidth: Int) -> UInt64 {
        let bit = index * bitWidth
        let byte = bit >> 3
        let shift = UInt64(bit & 7)
        var low: UInt64
        var high: UInt64 = 0
        if byte + 9 <= byteCount {
            low = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            high = UInt64(source.load(fromByteOffset: byte + 8, as: UInt8.self))
        } else {
            low = 0
            var offset = 0
            while offset < 8 && byte + offset < byteCount {
                low |= UInt64(source.load(fromByteOffset: byte + offset, as: UInt8.self)) &<< UInt64(offset * 8)
                offset += 1
            }
            if byte + 8 < byteCount { high = UInt64(source.load(fromByteOffset: byte + 8, as: UInt8.self)) }
        }
        var value = low &>> shift
        if shift != 0 { value |= high &<< (64 - shift) }
        return bitWidth == 64 ? value : value & ((1 &<< UInt64(bitWidth)) &- 1)
    }

    private static func unpackGroups32(
        _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt32>, _ groups: Int, _ bitWidth: Int
    ) {
        switch bitWidth {
        case 1: kernel32(source, destination, groups, 1)
        case 2: kernel32(source, destination, groups, 2)
        case 3: kernel32(source, destination, groups, 3)
        case 4: kernel32(source, destination, groups, 4)
        case 5: kernel32(source, destination, groups, 5)
        case 6: kernel32(source, destination, groups, 6)
        case 7: kernel32(source, destination, groups, 7)
        case 8: kernel32(source, destination, groups, 8)
        case 9: kernel32(source, destination, groups, 9)
        case 10: kernel32(source, destination, groups, 10)
        case 11: kernel32(source, destination, groups, 11)
        case 12: kernel32(source, destination, groups, 12)
        case 13: kernel32(source, destination, groups, 13)
        case 14: kernel32(source, destination, groups, 14)
        case 15: kernel32(source, destination, groups, 15)
        case 16: kernel32(source, destination, groups, 16)
        case 17: kernel32(source, destination, groups, 17)
        case 18: kernel32(source, destination, groups, 18)
        case 19: kernel32(source, destination, groups, 19)
        case 20: kernel32(source, destination, groups, 20)
        case 21: kernel32(source, destination, groups, 21)
        case 22: kernel32(source, destination, groups, 22)
        case 23: kernel32(source, destination, groups, 23)
        case 24: kernel32(source, destination, groups, 24)
        case 25: kernel32(source, destination, groups, 25)
        case 26: kernel32(source, destination, groups, 26)
        case 27: kernel32(source, destination, groups, 27)
        case 28: kernel32(source, destination, groups, 28)
        case 29: kernel32(source, destination, groups, 29)
        case 30: kernel32(source, destination, groups, 30)
        case 31: kernel32(source, destination, groups, 31)
        case 32: kernel32(source, destination, groups, 32)
        default: preconditionFailure("bit width \(bitWidth) out of range")
        }
    }

    private static func unpackGroups64(
        _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt64>, _ groups: Int, _ bitWidth: Int
    ) {
        switch bitWidth {
        case 1: kernel64(source, destination, groups, 1)
        case 2: kernel64(source, destination, groups, 2)
        case 3: kernel64(source, destination, groups, 3)
        case 4: kernel64(source, destination, groups, 4)
        case 5: kernel64(source, destination, groups, 5)
        case 6: kernel64(source, destination, groups, 6)
        case 7: kernel64(source, destination, groups, 7)
        case 8: kernel64(source, destination, groups, 8)
        case 9: kernel64(source, destination, groups, 9)
        case 10: kernel64(source, destination, groups, 10)
        case 11: kernel64(source, destination, groups, 11)
        case 12: kernel64(source, destination, groups, 12)
        case 13: kernel64(source, destination, groups, 13)
        case 14: kernel64(source, destination, groups, 14)
        case 15: kernel64(source, destination, groups, 15)
        case 16: kernel64(source, destination, groups, 16)
        case 17: kernel64(source, destination, groups, 17)
        case 18: kernel64(source, destination, groups, 18)
        case 19: kernel64(source, destination, groups, 19)
        case 20: kernel64(source, destination, groups, 20)
        case 21: kernel64(source, destination, groups, 21)
        case 22: kernel64(source, destination, groups, 22)
        case 23: kernel64(source, destination, groups, 23)
        case 24: kernel64(source, destination, groups, 24)
        case 25: kernel64(source, destination, groups, 25)
        case 26: kernel64(source, destination, groups, 26)
        case 27: kernel64(source, destination, groups, 27)
        case 28: kernel64(source, destination, groups, 28)
        case 29: kernel64(source, destination, groups, 29)
        case 30: kernel64(source, destination, groups, 30)
        case 31: kernel64(source, destination, groups, 31)
        case 32: kernel64(source, destination, groups, 32)
        case 33: kernel64(source, destination, groups, 33)
        case 34: kernel64(source, destination, groups, 34)
        case 35: kernel64(source, destination, groups, 35)
        case 36: kernel64(source, destination, groups, 36)
        case 37: kernel64(source, destination, groups, 37)
        case 38: kernel64(source, destination, groups, 38)
        case 39: kernel64(source, destination, groups, 39)
        case 40: kernel64(source, destination, groups, 40)
        case 41: kernel64(source, destination, groups, 41)
        case 42: kernel64(source, destination, groups, 42)
        case 43: kernel64(source, destination, groups, 43)
        case 44: kernel64(source, destination, groups, 44)
        case 45: kernel64(source, destination, groups, 45)
        case 46: kernel64(source, destination, groups, 46)
        case 47: kernel64(source, destination, groups, 47)
        case 48: kernel64(source, destination, groups, 48)
        case 49: kernel64(source, destination, groups, 49)
        case 50: kernel64(source, destination, groups, 50)
        case 51: kernel64(source, destination, groups, 51)
        case 52: kernel64(source, destination, groups, 52)
        case 53: kernel64(source, destination, groups, 53)
        case 54: kernel64(source, destination, groups, 54)
        case 55: kernel64(source, destination, groups, 55)
        case 56: kernel64(source, destination, groups, 56)
        case 57: kernel64(source, destination, groups, 57)
        case 58: kernel64(source, destination, groups, 58)
        case 59: kernel64(source, destination, groups, 59)
        case 60: kernel64(source, destination, groups, 60)
        case 61: kernel64(source, destination, groups, 61)
        case 62: kernel64(source, destination, groups, 62)
        case 63: kernel64(source, destination, groups, 63)
        case 64: kernel64(source, destination, groups, 64)
        default: preconditionFailure("bit width \(bitWidth) out of range")
        }
    }

    @inline(__always)
    private static func kernel32(
        _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt32>, _ groups: Int, _ width: Int
    ) {
        let mask: UInt64 = (1 &<< UInt64(width)) &- 1
        var source = source
        var destination = destination
        for _ in 0..<groups {
            for j in 0..<8 {
                let bit = j * width
                let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                destination[j] = UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
            }
            source += width
            destination += 8
        }
    }

    @inline(__always)
    private static func kernel64(
        _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt64>, _ groups: Int, _ width: Int
    ) {
        let mask: UInt64 = width == 64 ? ~0 : (1 &<< UInt64(width)) &- 1
        var source = source
        var destination = destination
        for _ in 0..<groups {
            for j in 0..<8 {
                let bit = j * width
                let shift = bit & 7
                var value =
                    UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                    &>> UInt64(shift)
                if shift + width > 64 {
                    value |= UInt64(source.load(fromByteOffset: (bit >> 3) + 8, as: UInt8.self)) &<< UInt64(64 - shift)
                }
                destination[j] = value & mask
            }
            source += width
            destination += 8
        }
    }

    // MARK: - Packing (LSB first)

    /// Appends `values` packed at `bitWidth` (0...64) bits each, LSB first; the last byte is zero-padded.
    /// Values must fit the width (higher bits are dropped).
    static func pack<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, bitWidth: Int, into writer: inout ByteWriter
    ) {
        guard bitWidth > 0, !values.isEmpty else { return }
        if Value.bitWidth == 32 && bitWidth <= 32 && values.count >= 8 {
            // Whole groups of eight through the per-width kernels; the rest (whole bytes later) one by one.
            let groups = values.count / 8
            values.withMemoryRebound(to: UInt32.self) { values in
                writer.write(count: groups * bitWidth) { output in
                    packGroups32(values.baseAddress!, output.baseAddress!, groups, bitWidth)
                }
            }
            packOneByOne(UnsafeBufferPointer(rebasing: values[(groups * 8)...]), bitWidth: bitWidth, into: &writer)
        } else {
            packOneByOne(values, bitWidth: bitWidth, into: &writer)
        }
    }

    private static func packOneByOne<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, bitWidth: Int, into writer: inout ByteWriter
    ) {
        guard !values.isEmpty else { return }
        let width = UInt64(bitWidth)
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 &<< width) &- 1
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { words in
            var wordCount = 0
            var accumulator: UInt64 = 0
            var used: UInt64 = 0
            for value in values {
                let bits = UInt64(truncatingIfNeeded: value) & mask
                accumulator |= bits &<< used
                if used + width >= 64 {
                    words[wordCount] = accumulator.littleEndian
                    wordCount += 1
                    if wordCount == words.count {
                        writer.writeBytes(UnsafeRawBufferPointer(words))
                        wordCount = 0
                    }
                    accumulator = used == 0 ? 0 : bits &>> (64 - used)
                    used = used + width - 64
                } else {
                    used += width
                }
            }
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(words)[0..<wordCount * 8]))
            var tail = accumulator
            var tailBytes = (Int(used) + 7) / 8
            while tailBytes > 0 {
                writer.writeByte(UInt8(truncatingIfNeeded: tail))
                tail >>= 8
                tailBytes -= 1
            }
        }
    }

    private static func packGroups32(
        _ source: UnsafePointer<UInt32>, _ destination: UnsafeMutableRawPointer, _ groups: Int, _ bitWidth: Int
    ) {
        switch bitWidth {
        case 1: packKernel32(source, destination, groups, 1)
        case 2: packKernel32(source, destination, groups, 2)
        case 3: packKernel32(source, destination, groups, 3)
        case 4: packKernel32(source, destination, groups, 4)
        case 5: packKernel32(source, destination, groups, 5)
        case 6: packKernel32(source, destination, groups, 6)
        case 7: packKernel32(source, destination, groups, 7)
        case 8: packKernel32(source, destination, groups, 8)
        case 9: packKernel32(source, destination, groups, 9)
        case 10: packKernel32(source, destination, groups, 10)
        case 11: packKernel32(source, destination, groups, 11)
        case 12: packKernel32(source, destination, groups, 12)
        case 13: packKernel32(source, destination, groups, 13)
        case 14: packKernel32(source, destination, groups, 14)
        case 15: packKernel32(source, destination, groups, 15)
        case 16: packKernel32(source, destination, groups, 16)
        case 17: packKernel32(source, destination, groups, 17)
        case 18: packKernel32(source, destination, groups, 18)
        case 19: packKernel32(source, destination, groups, 19)
        case 20: packKernel32(source, destination, groups, 20)
        case 21: packKernel32(source, destination, groups, 21)
        case 22: packKernel32(source, destination, groups, 22)
        case 23: packKernel32(source, destination, groups, 23)
        case 24: packKernel32(source, destination, groups, 24)
        case 25: packKernel32(source, destination, groups, 25)
        case 26: packKernel32(source, destination, groups, 26)
        case 27: packKernel32(source, destination, groups, 27)
        case 28: packKernel32(source, destination, groups, 28)
        case 29: packKernel32(source, destination, groups, 29)
        case 30: packKernel32(source, destination, groups, 30)
        case 31: packKernel32(source, destination, groups, 31)
        case 32: packKernel32(source, destination, groups, 32)
        default: preconditionFailure("bit width \(bitWidth) out of range")
        }
    }

    /// Packs `groups` groups of eight values into `width` bytes each (the width is a literal at each call site).
    @inline(__always)
    private static func packKernel32(
        _ source: UnsafePointer<UInt32>, _ destination: UnsafeMutableRawPointer, _ groups: Int, _ width: Int
    ) {
        let mask: UInt64 = (1 &<< UInt64(width)) &- 1
        if width <= 8 {
            // The group fits one word; store all 8 bytes while the buffer has room (the next group overwrites the
            // excess), else only the group's own bytes.
            for group in 0..<groups {
                let input = source + group * 8
                let output = destination + group * width
                var word: UInt64 = 0
                for index in 0..<8 { word |= (UInt64(input[index]) & mask) &<< UInt64(index * width) }
                if (groups - group) * width >= 8 {
                    output.storeBytes(of: word.littleEndian, as: UInt64.self)
                } else {
                    for byte in 0..<width {
                        output.storeBytes(of: UInt8(truncatingIfNeeded: word &>> UInt64(8 * byte)), toByteOffset: byte, as: UInt8.self)
                    }
                }
            }
            return
        }
        for group in 0..<groups {
            let input = source + group * 8
            let output = destination + group * width
            var accumulator: UInt64 = 0
            var used = 0
            var written = 0
            for index in 0..<8 {
                let value = UInt64(input[index]) & mask
                accumulator |= value &<< UInt64(used)
                used += width
                if used >= 64 {
                    output.storeBytes(of: accumulator.littleEndian, toByteOffset: written, as: UInt64.self)
                    written += 8
                    used -= 64
                    accumulator = used > 0 ? value &>> UInt64(width - used) : 0
                }
            }
            // Eight values of `width` bits are exactly `width` bytes: what is left fills the group.
            for byte in 0..<(width - written) {
                output.storeBytes(of: UInt8(truncatingIfNeeded: accumulator &>> UInt64(8 * byte)), toByteOffset: written + byte, as: UInt8.self)
            }
        }
    }

    // MARK: - Deprecated BIT_PACKED (MSB first)

    /// Unpacks `count` values of `bitWidth` (1...32) bits packed from the most significant bit of each byte down.
    /// The caller guarantees `count * bitWidth` bits fit in `source`.
    static func unpackMostSignificantFirst(
        _ source: UnsafeRawBufferPointer, count: Int, bitWidth: Int, into destination: UnsafeMutablePointer<UInt32>
    ) {
        var bit = 0
        for index in 0..<count {
            var value: UInt32 = 0
            for _ in 0..<bitWidth {
                let byte = source[bit >> 3]
                value = value << 1 | UInt32((byte >> (7 - UInt8(bit & 7))) & 1)
                bit += 1
            }
            destination[index] = value
        }
    }

    /// The number of bits needed to represent `value` (0 for 0).
    @inline(__always)
    static func bitWidth(of value: UInt64) -> Int { 64 - value.leadingZeroBitCount }
}
