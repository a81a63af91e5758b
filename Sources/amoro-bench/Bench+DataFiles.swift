import Foundation
import Iceberg
import IcebergSpec
import JSONCoding

extension Bench {
    /// `datafile-rewrite FILE SCHEMA_JSON OUT_DIR`: the compaction data path on one core: read FILE as the Iceberg
    /// schema by field id, row group by row group, drop every tenth position, write zstd files of at most 512 MiB.
    static let dataFiles: [Bench] = [
        Bench(name: "datafile-rewrite") { arguments in
            guard arguments.count >= 3 else { throw BenchError.usage("datafile-rewrite FILE SCHEMA_JSON OUT_DIR") }
            let schema = try Schema(json: try JSON.parse(arguments[1]))
            var rows = 0
            var written: Int64 = 0
            let seconds = try bestTime(repeats: 3) {
                let reader = try DataFileReader(path: arguments[0], tableSchema: schema)
                let writer = try RollingDataFileWriter(
                    schema: schema, properties: DataWriteProperties(), targetFileSize: 512 << 20,
                    directory: arguments[2], specId: 0, partition: [])
                for group in 0..<reader.rowGroupCount {
                    try writer.write(try reader.readRowGroup(group).removingDeleted { $0 % 10 == 0 })
                }
                let files = try writer.finish()
                rows = reader.rowCount
                written = files.reduce(0) { $0 + $1.fileSizeInBytes }
                for file in files { try FileManager.default.removeItem(atPath: file.filePath) }
            }
            try report(
                "datafile-rewrite",
                ["file": arguments[0], "rows": rows, "out_bytes": written, "seconds": seconds, "rows_s": Double(rows) / seconds])
        },
    ]
}
