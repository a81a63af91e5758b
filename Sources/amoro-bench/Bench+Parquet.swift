import Compression
import Foundation
import Parquet

extension Bench {
    /// `parquet-decode FILE`: decode every column of every row group (single core).
    /// `parquet-encode FILE OUT`: read FILE, then time writing the same columns and row groups to OUT with FILE's
    /// codec, dictionary encoding and data pages v1.
    /// `parquet-codec-work LEVEL FILE...`: the codec work no rewrite of these pages can avoid, on one core: every
    /// page of every file decompressed, and its bytes compressed again with its chunk's codec at LEVEL; CPU seconds
    /// of each (the compression library alone: no decoding, no I/O).
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
        Bench(name: "parquet-codec-work") { arguments in
            guard arguments.count >= 2, let level = Int(arguments[0]) else {
                throw BenchError.usage("parquet-codec-work LEVEL FILE...")
            }
            var work = CodecWork()
            for path in arguments.dropFirst() { try work.add(file: path, level: level) }
            try report(
                "parquet-codec-work",
                [
                    "files": arguments.count - 1, "level": level, "pages": work.pages, "page_bytes": work.pageBytes,
                    "compressed_bytes": work.compressedBytes, "decompress_cpu_s": work.decompressSeconds,
                    "compress_cpu_s": work.compressSeconds,
                ])
        },
    ]
}

/// The compression library's share of a rewrite, page by page: what decompressing the stored pages and compressing
/// their bytes again costs in thread CPU time.
private struct CodecWork {
    var pages = 0
    var pageBytes = 0
    var compressedBytes = 0
    var decompressSeconds = 0.0
    var compressSeconds = 0.0

    mutating func add(file path: String, level: Int) throws {
        let reader = try ParquetFileReader(path: path)
        for group in 0..<reader.rowGroupCount {
            for column in reader.schema.columns.indices {
                let (metadata, range) = try reader.chunk(rowGroup: group, column: column)
                let chunkReader = try ColumnChunkReader(column: reader.schema.columns[column], metadata: metadata)
                let codec = try ColumnChunkReader.codec(for: metadata.codec)
                let bytes = try reader.source.read(offset: range.lowerBound, count: range.count)
                try bytes.withUnsafeBytes { chunk in
                    for page in try chunkReader.pages(chunk, chunkOffset: 0)
                    where page.type != .indexPage && page.uncompressedPrefix < page.compressedSize {
                        let start = page.offset + page.headerSize
                        let compressed = (start + page.uncompressedPrefix)..<(start + page.compressedSize)
                        let body = UnsafeRawBufferPointer(rebasing: chunk[compressed])
                        var started = Self.threadCPUSeconds()
                        let plain = try codec.decompress(body, expectedSize: page.uncompressedSize - page.uncompressedPrefix)
                        decompressSeconds += Self.threadCPUSeconds() - started
                        started = Self.threadCPUSeconds()
                        let again = try codec.compress(plain, level: level)
                        compressSeconds += Self.threadCPUSeconds() - started
                        pages += 1
                        pageBytes += plain.count
                        compressedBytes += again.count
                    }
                }
            }
        }
    }

    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
