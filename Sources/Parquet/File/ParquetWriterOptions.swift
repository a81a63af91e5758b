/// How `ParquetFileWriter` lays out a file.
package struct ParquetWriterOptions: Sendable {
    /// The Parquet data page header to write.
    package enum DataPageVersion: Sendable, Hashable {
        case v1, v2
    }

    package var compression: CompressionKind = .zstd
    /// The codec's own level (zstd 1...22, gzip 0...9); nil is the library default.
    package var compressionLevel: Int?
    /// Most rows in one row group.
    package var rowGroupRows = 1 << 20
    /// A row group is written once the buffered columns take about this many bytes in memory.
    package var rowGroupBytes = 128 << 20
    /// Target size of a data page's encoded values and levels, in bytes (estimated before encoding).
    package var pageSize = 1 << 20
    /// Most level slots in one data page.
    package var pageSlotLimit = 20_000
    /// Dictionary encoding is used until the dictionary's PLAIN size would pass this; later pages fall back.
    package var dictionaryPageSizeLimit = 1 << 20
    package var dictionaryEnabled = true
    package var dataPageVersion = DataPageVersion.v1
    /// Per-column value encodings by dotted path; such columns are not dictionary encoded.
    package var columnEncodings: [String: Encoding] = [:]
    /// The encoding used when dictionary encoding is off or falls back, for columns whose type supports it (PLAIN
    /// for the others, and unless a column has its own in `columnEncodings`).
    package var fallbackEncoding = Encoding.plain
    package var keyValueMetadata: [KeyValue] = []
    /// The order rows are sorted in, recorded on every row group (`sorting_columns`); empty records nothing.
    package var sortingColumns: [SortingColumn] = []
    package var createdBy = "amoro version 0.1.0"
    package var writeStatistics = true
    /// Write the page index (a column index and an offset index per column chunk) after the row groups.
    package var writePageIndex = false
    /// Write a CRC-32 of every page's stored bytes in its header (readers verify it when present).
    package var pageChecksums = false

    package init() {}
}
