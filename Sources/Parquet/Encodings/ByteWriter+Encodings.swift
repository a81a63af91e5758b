import ByteCoding

extension ByteWriter {
    /// Appends `count` bytes that `initialize` writes (it must set all of them): one bulk append instead of a call
    /// per value.
    @inline(__always)
    mutating func write(count: Int, _ initialize: (UnsafeMutableRawBufferPointer) -> Void) {
        guard count > 0 else { return }
        let chunk = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
        writeBytes(chunk)
    }
}
