import ByteCoding

/// The RLE/bit-packed hybrid encoding (RLE = 3): levels, dictionary indices and RLE booleans.
///
/// A run header is a ULEB128 varint: an even header `n << 1` starts a run of `n` copies of one value stored in
/// `ceil(bitWidth / 8)` little-endian bytes; an odd header `g << 1 | 1` starts `8 * g` bit-packed values (LSB first).
/// The 4-byte length prefix that some page kinds put in front is handled by the callers.
struct RLEBitPackedHybridDecoder {
    private let base: UnsafeRawPointer?
    private let end: Int
    /// Offset of the next run header.
    private var position = 0
    private let bitWidth: Int
    private var repeatedRemaining = 0
    private var repeatedValue: UInt32 = 0
    private var packedRemaining = 0
    private var packedStart = 0
    private var packedIndex = 0

    /// A decoder over `bytes` for values of `bitWidth` (0...32) bits. Width 0 decodes zeros without reading.
    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
        guard (0...32).contains(bitWidth) else { throw .corrupt("RLE/bit-packed bit width \(bitWidth) is not in 0...32") }
        base = bytes.baseAddress
        end = bytes.count
        self.bitWidth = bitWidth
    }

    /// Writes exactly `count` values to `destination`, or throws if the runs end early.
    mutating func decode(into destination: UnsafeMutablePointer<UInt32>, count: Int) throws(ParquetError) {
        if bitWidth == 0 {
            destination.update(repeating: 0, count: count)
            return
        }
        var filled = 0
        while filled < count {
            if repeatedRemaining > 0 {
                let n = min(repeatedRemaining, count - filled)
                (destination + filled).update(repeating: repeatedValue, count: n)
                repeatedRemaining -= n
                filled += n
            } else if packedRemaining > 0, let base {
                let n = min(packedRemaining, count - filled)
                // Reading on past the run (not past the buffer) lets short runs use the fast kernels; only the
                // run's own values are kept.
                BitPacking.unpack32(
                    base + packedStart, byteCount: end - packedStart, first: packedIndex, count: n, bitWidth: bitWidth,
                    into: destination + filled)
                packedIndex += n
                packedRemaining -= n
                filled += n
            } else {
                try readRunHeader()
            }
        }
    }

    /// Whether the runs from here on hold at least `count` values (always true at bit width 0). Reads only run
    /// headers, so a caller can reject an impossible count before allocating for it.
    func holds(_ count: Int) -> Bool {
        guard bitWidth > 0 else { return true }
        var scan = self
        var available = repeatedRemaining + packedRemaining
        while available < count {
            scan.repeatedRemaining = 0
            scan.packedRemaining = 0
            do { try scan.readRunHeader() } catch { return false }
            available += scan.repeatedRemaining + scan.packedRemaining
        }
        return true
    }

    private mutating func readRunHeader() throws(ParquetError) {
        guard let base, position < end else {
            throw .corrupt("RLE/bit-packed data ends at byte \(position) before all values were read")
        }
        var header: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .corrupt("RLE/bit-packed run header is truncated") }
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            header |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 35 else { throw .corrupt("RLE/bit-packed run header is longer than 5 bytes") }
        }
        guard header <= UInt64(UInt32.max) else { throw .corrupt("RLE/bit-packed run header \(header) is too large") }
        let length = Int(header >> 1)
        if header & 1 == 1 {
            // Bit-packed: the last run may be cut short; only values wholly inside the data can be read.
            let runBytes = length * bitWidth
            let available = min(runBytes, end - position)
            packedStart = position
            packedIndex = 0
            packedRemaining = min(length * 8, available * 8 / bitWidth)
            position += available
            guard packedRemaining > 0 || length == 0 else {
                throw .corrupt("RLE/bit-packed data ends inside a bit-packed run")
            }
        } else {
            let valueBytes = (bitWidth + 7) / 8
            guard end - position >= valueBytes else { throw .corrupt("RLE/bit-packed data ends inside an RLE run") }
            var value: UInt32 = 0
            for index in 0..<valueBytes {
                value |= UInt32(base.load(fromByteOffset: position + index, as: UInt8.self)) << (8 * index)
            }
            position += valueBytes
            repeatedValue = value
            repeatedRemaining = length
        }
    }
}

/// Writes the RLE/bit-packed hybrid encoding: long runs of equal values become RLE runs, everything else goes into
/// bit-packed runs of whole groups of eight (the last group is zero-padded).
///
/// A run becomes an RLE run only when that is smaller than bit-packing it: at least eight values, and at least as
/// many bits as an RLE run plus the header of the bit-packed run it interrupts (24 values at 1 bit, 12 at 2 bits).
enum RLEBitPackedHybridEncoder {
    /// Appends `values` (each must fit `bitWidth` bits, 0...32) without a length prefix.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into writer: inout ByteWriter) {
        let count = values.count
        let valueBytes = (bitWidth + 7) / 8
        let minimumRun = bitWidth == 0 ? 8 : max(8, (8 * (2 + valueBytes) + bitWidth - 1) / bitWidth)
        var pendingStart = 0  // start of values not yet written, all destined for a bit-packed run
        var index = 0
        while index < count {
            let value = values[index]
            var runEnd = index + 1
            while runEnd < count && values[runEnd] == value { runEnd += 1 }
            if runEnd - index >= minimumRun {
                // Fill the pending bit-packed values up to a multiple of eight from the front of this run.
                var runStart = index
                let pending = index - pendingStart
                if pending % 8 != 0 { runStart += 8 - pending % 8 }
                if runEnd - runStart >= 8 {
                    writePacked(values, pendingStart..<runStart, bitWidth: bitWidth, into: &writer)
                    writer.writeVarUInt64(UInt64(runEnd - runStart) << 1)
                    var repeated = value
                    for _ in 0..<valueBytes {
                        writer.writeByte(UInt8(truncatingIfNeeded: repeated))
                        repeated >>= 8
                    }
                    pendingStart = runEnd
                }
            }
            index = runEnd
        }
        writePacked(values, pendingStart..<count, bitWidth: bitWidth, into: &writer)
    }

    /// A bit-packed run of `values[range]`, padded with zeros to whole groups of eight.
    private static func writePacked(
        _ values: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, bitWidth: Int, into writer: inout ByteWriter
    ) {
        guard !range.isEmpty else { return }
        let groups = (range.count + 7) / 8
        writer.writeVarUInt64(UInt64(groups) << 1 | 1)
        BitPacking.pack(UnsafeBufferPointer(rebasing: values[range]), bitWidth: bitWidth, into: &writer)
        let written = (range.count * bitWidth + 7) / 8
        for _ in written..<groups * bitWidth { writer.writeByte(0) }
    }
}
