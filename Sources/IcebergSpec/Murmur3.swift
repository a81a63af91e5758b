/// 32-bit MurmurHash3 (x86 variant, seed 0) as Iceberg's bucket transform uses it.
package enum Murmur3 {
    package static func hash32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> Int32 {
        let c1: UInt32 = 0xcc9e_2d51
        let c2: UInt32 = 0x1b87_3593
        var h = seed
        let blocks = bytes.count / 4
        for index in 0..<blocks {
            var k = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            k &*= c1
            k = k.rotatedLeft(by: 15)
            k &*= c2
            h ^= k
            h = h.rotatedLeft(by: 13)
            h = h &* 5 &+ 0xe654_6b64
        }
        var k: UInt32 = 0
        let tail = blocks * 4
        switch bytes.count & 3 {
        case 3:
            k ^= UInt32(bytes[tail + 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(bytes[tail + 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(bytes[tail])
            k &*= c1
            k = k.rotatedLeft(by: 15)
            k &*= c2
            h ^= k
        default: break
        }
        h ^= UInt32(truncatingIfNeeded: bytes.count)
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return Int32(bitPattern: h)
    }

    package static func hash32(_ bytes: [UInt8]) -> Int32 { bytes.withUnsafeBytes { hash32($0) } }

    /// The hash of a long as 8 little-endian bytes (ints, dates, times and timestamps are widened to it).
    package static func hash32(long value: Int64) -> Int32 {
        withUnsafeBytes(of: value.littleEndian) { hash32($0) }
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(by count: UInt32) -> UInt32 { (self << count) | (self >> (32 - count)) }
}
