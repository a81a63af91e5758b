import ByteCoding

extension ByteWriter {
    /// Appends `count` bytes that `initialize` writes (it must set all of them): one bulk append instead of a call
    /// per value. Up to 4 KiB are staged on the stack, more in one temporary array.
    @inline(__always)
    mutating func write(count: Int, _ initialize: (UnsafeMutableRawBufferPointer) -> Void) {
        guard count > 0 else { return }
        if count <= 4096 {
            withUnsafeTemporaryAllocation(byteCount: count, alignment: 8) { buffer in
                initialize(buffer)
                writeBytes(UnsafeRawBufferPointer(buffer))
            }
        } else {
            let chunk = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialize(UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            }
            writeBytes(chunk)
        }
    }
}
