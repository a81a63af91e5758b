import Avro
import Foundation

extension Bench {
    /// `avro-decode FILE`: decode every record of an Avro container file on one core (blocks decompressed and
    /// decoded one at a time, as `amoro` reads manifests); records/s, and MB/s of file and of decompressed data.
    static let avro: [Bench] = [
        Bench(name: "avro-decode") { arguments in
            guard let path = arguments.first else { throw BenchError.usage("avro-decode FILE") }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            var records = 0
            var decompressed = 0
            let seconds = try bestTime(repeats: 3) {
                var reader = try AvroFileReader(bytes: bytes)
                records = 0
                decompressed = 0
                while let block = try reader.nextBlock() {
                    decompressed += block.uncompressedSize
                    try reader.forEachRecord(in: block) { _ in records += 1 }
                }
            }
            let codec = try AvroFileReader(bytes: bytes).header.codec
            try report(
                "avro-decode",
                [
                    "codec": codec.rawValue, "records": records, "file_bytes": bytes.count, "data_bytes": decompressed,
                    "seconds": seconds, "records_per_s": Double(records) / seconds,
                    "file_mb_s": Double(bytes.count) / seconds / 1e6, "data_mb_s": Double(decompressed) / seconds / 1e6,
                ])
        }
    ]
}
