import Foundation
import Parquet

extension Bench {
    /// `parquet-decode FILE`: decode every column of every row group (single core).
    /// `parquet-encode FILE OUT`: read FILE, then time writing the same columns and row groups to OUT with FILE's
    /// codec, dictionary encoding and data pages v1.
    static let parquet: [Bench] = [
        Bench(name: "parquet-decode") { arguments in
            guard let path = arguments.first else { throw BenchError.usage("parquet-decode FILE") }
            let reader = try ParquetFileReader(path: path)
            let size = reader.source.size
            let seconds = try bestTime(repeats: 3) {
                for group in 0..<reader.rowGroupCount { _ = try reader.readRowGroup(group) }
            }
            try report(
                "parquet-decode",
                [
                    "file": path, "bytes": size, "rows": reader.rowCount, "columns": reader.schema.columns.count,
                    "seconds": seconds, "mb_s": Double(size) / seconds / 1e6,
                    "rows_s": Double(reader.rowCount) / seconds,
                ])
        },
        Bench(name: "parquet-encode") { arguments in
            guard arguments.count >= 2 else { throw BenchError.usage("parquet-encode FILE OUT") }
            let reader = try ParquetFileReader(path: arguments[0])
            let groups = try (0..<reader.rowGroupCount).map { try reader.readRowGroup($0) }
            var options = ParquetWriterOptions()
            options.compression = reader.metadata.rowGroups.first?.columns.first?.metaData?.codec ?? .zstd
            options.rowGroupRows = Int(reader.metadata.rowGroups.map(\.numRows).max() ?? 1)
            let seconds = try bestTime(repeats: 3) {
                let writer = try ParquetFileWriter(schema: reader.schema, path: arguments[1], options: options)
                for columns in groups { try writer.write(columns) }
                try writer.close()
            }
            let size = (try FileManager.default.attributesOfItem(atPath: arguments[1])[.size] as? Int) ?? 0
            try report(
                "parquet-encode",
                [
                    "file": arguments[0], "out_bytes": size, "rows": reader.rowCount,
                    "codec": "\(options.compression)", "seconds": seconds, "mb_s": Double(size) / seconds / 1e6,
                    "rows_s": Double(reader.rowCount) / seconds,
                ])
        },
    ]
}
