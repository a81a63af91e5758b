import Compression
import Testing

@Suite struct CompressionCodecTests {
    /// Inputs that stress the codecs: empty, tiny, highly repetitive, incompressible, and larger than one window.
    static let samples: [[UInt8]] = {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Array(String(repeating: "iceberg manifest entry ", count: 20_000).utf8)
        return [[], [42], Array(repeating: 7, count: 1 << 20), random, text]
    }()

    @Test(arguments: CompressionCodec.allCases.filter(\.canCompress))
    func roundTripsEverySample(codec: CompressionCodec) throws {
        for sample in Self.samples {
            let compressed = try codec.compress(sample)
            #expect(try codec.decompress(compressed, expectedSize: sample.count) == sample)
            if codec != .lz4Raw {  // a raw LZ4 block does not record its size
                #expect(try codec.decompress(compressed) == sample)
            }
        }
    }

    @Test(arguments: [CompressionCodec.gzip, .deflate, .zstd])
    func honoursLevels(codec: CompressionCodec) throws {
        let sample = Self.samples[4]
        let fast = try codec.compress(sample, level: 1)
        let best = try codec.compress(sample, level: codec == .zstd ? 19 : 9)
        #expect(best.count <= fast.count)
        #expect(try codec.decompress(best) == sample)
    }

    @Test func rejectsBadLevels() {
        #expect(throws: CompressionError.self) { try CompressionCodec.gzip.compress([1, 2, 3], level: 12) }
        #expect(throws: CompressionError.self) { try CompressionCodec.zstd.compress([1, 2, 3], level: 99) }
    }

    @Test func gzipDecompressionAcceptsZlibStreamsAndConcatenatedMembers() throws {
        let a = Array("first member ".utf8)
        let b = Array("second member".utf8)
        let joined = try CompressionCodec.gzip.compress(a) + CompressionCodec.gzip.compress(b)
        #expect(try CompressionCodec.gzip.decompress(joined) == a + b)
    }

    @Test(arguments: CompressionCodec.allCases.filter { $0 != .uncompressed && $0.canCompress })
    func corruptInputIsAnErrorNotACrash(codec: CompressionCodec) throws {
        let sample = Self.samples[4]
        var compressed = try codec.compress(sample)
        // Truncated.
        #expect(throws: CompressionError.self) {
            try codec.decompress(Array(compressed.prefix(compressed.count / 2)), expectedSize: sample.count)
        }
        // Garbage in the middle.
        for index in compressed.count / 3..<min(compressed.count, compressed.count / 3 + 64) {
            compressed[index] ^= 0x5A
        }
        let damaged = compressed
        let result = Result { try codec.decompress(damaged, expectedSize: sample.count) }
        if case .success(let bytes) = result { #expect(bytes != sample || codec == .snappy) }
    }

    /// zstd contexts are reused: one left mid-frame by bad input, or used at another level, must not affect the next.
    @Test func reusedZstdContextsStartClean() throws {
        let sample = Self.samples[4]
        let compressed = try CompressionCodec.zstd.compress(sample, level: 19)
        for _ in 0..<4 {
            #expect(throws: CompressionError.self) {
                try CompressionCodec.zstd.decompress(Array(compressed.prefix(compressed.count / 2)), expectedSize: nil)
            }
            #expect(try CompressionCodec.zstd.decompress(compressed) == sample)
            #expect(try CompressionCodec.zstd.decompress(try CompressionCodec.zstd.compress(sample, level: 1)) == sample)
        }
    }

    @Test func wrongDeclaredSizeIsAnError() throws {
        let sample = Self.samples[4]
        for codec in [CompressionCodec.gzip, .deflate, .zstd, .snappy, .lz4Raw] {
            let compressed = try codec.compress(sample)
            #expect(throws: CompressionError.self) { try codec.decompress(compressed, expectedSize: sample.count - 1) }
            #expect(throws: CompressionError.self) { try codec.decompress(compressed, expectedSize: sample.count + 1) }
        }
    }

    @Test func sizeLimitStopsDecompressionBombs() throws {
        let bomb = try CompressionCodec.deflate.compress(Array(repeating: 0, count: 4 << 20))
        #expect(throws: CompressionError.self) { try CompressionCodec.deflate.decompress(bomb, sizeLimit: 1 << 20) }
        let zbomb = try CompressionCodec.zstd.compress(Array(repeating: 0, count: 4 << 20))
        #expect(throws: CompressionError.self) { try CompressionCodec.zstd.decompress(zbomb, sizeLimit: 1 << 20) }
    }

    @Test func hadoopLZ4FramingIsRead() throws {
        let sample = Self.samples[4]
        // Two Hadoop blocks: [uncompressed BE32][compressed BE32][block] each.
        let halves = [Array(sample.prefix(sample.count / 2)), Array(sample.dropFirst(sample.count / 2))]
        var framed: [UInt8] = []
        for half in halves {
            let block = try CompressionCodec.lz4Raw.compress(half)
            framed += bigEndian(UInt32(half.count)) + bigEndian(UInt32(block.count)) + block
        }
        #expect(try CompressionCodec.lz4Hadoop.decompress(framed, expectedSize: sample.count) == sample)
        // Older writers: a bare LZ4 block under the same codec id.
        let bare = try CompressionCodec.lz4Raw.compress(sample)
        #expect(try CompressionCodec.lz4Hadoop.decompress(bare, expectedSize: sample.count) == sample)
        #expect(throws: CompressionError.self) { try CompressionCodec.lz4Hadoop.compress(sample) }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
}
