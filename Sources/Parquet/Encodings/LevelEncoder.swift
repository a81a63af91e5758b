import ByteCoding

/// Definition and repetition levels.
package enum LevelEncoder {
    /// RLE/bit-packed hybrid levels without a length prefix. Every level must fit `bitWidth` bits.
    package static func encodeHybrid(_ levels: ArraySlice<Int16>, bitWidth: Int, into writer: inout ByteWriter) {
        let widened = levels.map { UInt32(UInt16(bitPattern: $0)) }
        widened.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &writer) }
    }
}
