import ByteCoding

/// Definition and repetition levels.
package enum LevelEncoder {
    /// RLE/bit-packed hybrid levels without a length prefix. Every level must fit `bitWidth` bits.
    package static func encodeHybrid(_ levels: ArraySlice<Int16>, bitWidth: Int, into writer: inout ByteWriter) {
        let widened = [UInt32](unsafeUninitializedCapacity: levels.count) { buffer, initialized in
            levels.withUnsafeBufferPointer { levels in
                for index in 0..<levels.count { buffer[index] = UInt32(UInt16(bitPattern: levels[index])) }
            }
            initialized = levels.count
        }
        widened.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: bitWidth, into: &writer) }
    }
}
