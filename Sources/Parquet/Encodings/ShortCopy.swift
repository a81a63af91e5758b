/// Byte copies tuned for the short values of string columns.
enum ShortCopy {
    /// How far a block copy may read past the source value and write past the destination value.
    static let slack = 32

    /// Copies `count` bytes. When `count <= slack` and `sourceHasSlack` (the `slack` bytes from `source` are
    /// readable), copies one 32-byte block instead of calling memmove: the destination must then have `slack`
    /// writable bytes, and the bytes past `count` are left with garbage for later writes to overwrite. Both loads come
    /// before the stores, so the source may overlap the destination's tail.
    @inline(__always)
    static func copy(
        _ destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int, sourceHasSlack: Bool
    ) {
        if count <= slack && sourceHasSlack {
            let low = source.loadUnaligned(as: SIMD16<UInt8>.self)
            let high = source.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
            destination.storeBytes(of: low, as: SIMD16<UInt8>.self)
            destination.storeBytes(of: high, toByteOffset: 16, as: SIMD16<UInt8>.self)
        } else if count > 0 {
            destination.copyMemory(from: source, byteCount: count)
        }
    }
}
