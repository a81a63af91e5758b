import Avro
import Foundation

extension Bench {
    /// `avro-decode FILE`, `avro-encode FILE`: decode every record of an Avro container file on one core (blocks decompressed and
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
        },
        /// Re-encode the file's records with its schema and codec (blocks of 64 KiB); records/s and MB/s of output.
        Bench(name: "avro-encode") { arguments in
            guard let path = arguments.first else { throw BenchError.usage("avro-encode FILE") }
            var reader = try AvroFileReader(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            let values = try reader.readAll()
            let options = AvroFileWriter.Options(codec: reader.header.codec)
            var size = 0
            let seconds = try bestTime(repeats: 3) {
                var writer = try AvroFileWriter(schema: reader.header.schema, options: options)
                for value in values { try writer.append(value) }
                size = try writer.finish().count
            }
            try report(
                "avro-encode",
                [
                    "codec": options.codec.rawValue, "records": values.count, "file_bytes": size, "seconds": seconds,
                    "records_per_s": Double(values.count) / seconds, "file_mb_s": Double(size) / seconds / 1e6,
                ])
        },
    ]
}
