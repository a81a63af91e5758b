import Compression
import Foundation

extension Bench {
    /// `compression FILE`: compress and decompress the file's bytes with each codec; MB/s of uncompressed data.
    static let compression: [Bench] = [
        Bench(name: "compression") { arguments in
            guard let path = arguments.first else { throw BenchError.usage("compression FILE") }
            let input = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            for codec in CompressionCodec.allCases where codec.canCompress && codec != .uncompressed {
                let compressed = try codec.compress(input)
                let encode = try bestTime(repeats: 3) { _ = try codec.compress(input) }
                let decode = try bestTime(repeats: 3) { _ = try codec.decompress(compressed, expectedSize: input.count) }
                try report(
                    "compression",
                    [
                        "codec": codec.rawValue, "bytes": input.count, "compressed_bytes": compressed.count,
                        "compress_mb_s": Double(input.count) / encode / 1e6,
                        "decompress_mb_s": Double(input.count) / decode / 1e6,
                    ])
            }
        }
    ]
}

/// A benchmark was called wrongly.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    static func usage(_ text: String) -> BenchError { BenchError(description: "usage: amoro-bench \(text)") }
}
