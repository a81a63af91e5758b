/// A fast hash of 64-bit words and byte strings, keyed at random per instance: multiply-shift by a random odd
/// multiplier, so values an untrusted file crafted to collide under a fixed hash do not collide under it, while the
/// cost stays a multiply per word. Its top bits are the well-mixed ones. Where an attacker could watch timings and
/// adapt, SipHash (`Hasher`) is the choice.
package struct KeyedHash: Sendable {
    @usableFromInline let multiplier: UInt64
    @usableFromInline let seed: UInt64

    package init() {
        multiplier = UInt64.random(in: 0...UInt64.max) | 1
        seed = UInt64.random(in: 0...UInt64.max)
    }

    @inlinable @inline(__always)
    package func hash(_ word: UInt64) -> UInt64 { (word ^ (word >> 32)) &* multiplier }

    @inlinable @inline(__always)
    package func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = seed ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            state = (state ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            state ^= state >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            tail = tail << 8 | UInt64(bytes[offset])
            offset += 1
        }
        state = (state ^ tail) &* multiplier
        return (state ^ (state >> 29)) &* multiplier
    }
}
