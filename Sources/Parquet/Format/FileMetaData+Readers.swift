extension FileMetaData {
    /// Whether readers may treat this file specially because of who wrote it: no `created_by` at all, or parquet-mr
    /// before 1.8.0, whose DELTA_BYTE_ARRAY pages (PARQUET-246) and binary statistics (PARQUET-251) readers work
    /// around by that name. Pages copied into a file that carries another writer's name lose those workarounds.
    package var needsWriterWorkarounds: Bool {
        guard let createdBy, !createdBy.isEmpty else { return true }
        return parquetMRVersion.map { ($0.0, $0.1) < (1, 8) } ?? false
    }

    /// Whether the chunk sizes leave out the dictionary page's header, as parquet-mr did before 1.2.9 (IMPALA-694,
    /// fixed by PARQUET-816): a chunk of such a file may run past `total_compressed_size` by that header.
    package var chunkSizesOmitDictionaryHeader: Bool {
        parquetMRVersion.map { $0 < (1, 2, 9) } ?? false
    }

    /// The (major, minor, patch) version of the parquet-mr that wrote the file, (0, 0, 0) when `created_by` names
    /// parquet-mr without a readable version (as the oldest releases did); nil for other writers.
    private var parquetMRVersion: (Int, Int, Int)? {
        guard let createdBy, createdBy == "parquet-mr" || createdBy.hasPrefix("parquet-mr ") else { return nil }
        let prefix = "parquet-mr version "
        guard createdBy.hasPrefix(prefix) else { return (0, 0, 0) }
        let parts = createdBy.dropFirst(prefix.count).prefix { $0.isNumber || $0 == "." }
            .split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return (0, 0, 0) }
        return (parts[0], parts[1], parts.count > 2 ? parts[2] : 0)
    }

    /// The order the statistics of leaf column `column` follow, when the footer says (`column_orders`).
    package func columnOrder(_ column: Int) -> ColumnOrder? {
        guard let columnOrders, columnOrders.indices.contains(column) else { return nil }
        return columnOrders[column]
    }
}
