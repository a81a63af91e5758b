import IcebergSpec
import Parquet

/// The table properties that shape rewritten Parquet data files, with Iceberg's defaults:
/// `write.parquet.compression-codec` (zstd), `write.parquet.compression-level` (codec default),
/// `write.parquet.row-group-size-bytes` (128 MiB), `write.parquet.page-size-bytes` (1 MiB),
/// `write.parquet.dict-size-bytes` (2 MiB), `write.parquet.page-row-limit` (20,000), `write.data.path` (`<table location>/data`) and the metrics modes.
package struct DataWriteProperties: Sendable, Hashable {
    package var compression: CompressionKind = .zstd
    package var compressionLevel: Int?
    package var rowGroupBytes = 128 << 20
    package var pageBytes = 1 << 20
    package var dictionaryBytes = 2 << 20
    package var pageRowLimit = 20_000
    /// `write.data.path`, when set.
    package var dataPath: String?
    package var metrics: MetricsConfig

    package init(metrics: MetricsConfig = MetricsConfig()) { self.metrics = metrics }

    /// Reads the properties of a table whose current schema is `schema` and sort order `sortOrder`.
    package init(properties: [String: String], schema: Schema, sortOrder: SortOrder? = nil) throws(DataFileError) {
        self.init(metrics: MetricsConfig(properties: properties, schema: schema, sortOrder: sortOrder))
        if let codec = properties["write.parquet.compression-codec"] {
            switch codec.lowercased() {
            case "zstd": compression = .zstd
            case "gzip": compression = .gzip
            case "snappy": compression = .snappy
            case "uncompressed", "none": compression = .uncompressed
            case "lz4_raw": compression = .lz4Raw
            default: throw .unsupported("write.parquet.compression-codec \(codec)")
            }
        }
        if let level = properties["write.parquet.compression-level"] {
            // zstd's levels run from -131072 to 22, gzip's from -1 to 9; other codecs have none.
            guard let value = Int(level), (-131_072...22).contains(value) else {
                throw .invalidArgument("write.parquet.compression-level \(level) (zstd takes -131072 to 22, gzip -1 to 9)")
            }
            compressionLevel = value
        }
        rowGroupBytes = try Self.size(properties, "write.parquet.row-group-size-bytes", default: rowGroupBytes)
        pageBytes = try Self.size(properties, "write.parquet.page-size-bytes", default: pageBytes)
        dictionaryBytes = try Self.size(properties, "write.parquet.dict-size-bytes", default: dictionaryBytes)
        pageRowLimit = try Self.size(properties, "write.parquet.page-row-limit", default: pageRowLimit)
        dataPath = properties["write.data.path"]
    }

    private static func size(_ properties: [String: String], _ key: String, default value: Int) throws(DataFileError)
        -> Int
    {
        guard let text = properties[key] else { return value }
        guard let size = Int(text), size > 0 else { throw .invalidArgument("\(key) \(text)") }
        return size
    }

    /// The Parquet writer options: row groups are cut at `rowGroupBytes` of encoded pages, as Java's writer cuts
    /// them at its buffered size, with no row limit.
    package var parquetOptions: ParquetWriterOptions {
        var options = ParquetWriterOptions()
        options.compression = compression
        options.compressionLevel = compressionLevel
        options.rowGroupBytes = rowGroupBytes
        options.rowGroupRows = Int.max
        options.pageSize = pageBytes
        options.dictionaryPageSizeLimit = dictionaryBytes
        options.pageSlotLimit = pageRowLimit
        return options
    }

    /// Where a partition's data files go: `write.data.path` or `<table location>/data`, then the partition path
    /// (`name=value/...`, empty for unpartitioned tables).
    package func directory(tableLocation: String, partitionPath: String) -> String {
        var base = dataPath ?? tableLocation + "/data"
        while base.hasSuffix("/") { base.removeLast() }
        return partitionPath.isEmpty ? base : base + "/" + partitionPath
    }
}
