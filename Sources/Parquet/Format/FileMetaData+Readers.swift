extension FileMetaData {
    /// Whether readers may treat this file specially because of who wrote it: no `created_by` at all, or parquet-mr
    /// before 1.8.0, whose DELTA_BYTE_ARRAY pages (PARQUET-246) and binary statistics (PARQUET-251) readers work
    /// around by that name. Pages copied into a file that carries another writer's name lose those workarounds.
    package var needsWriterWorkarounds: Bool {
        guard let createdBy, !createdBy.isEmpty else { return true }
        let prefix = "parquet-mr version "
        guard createdBy.hasPrefix(prefix) else { return false }
        let version = createdBy.dropFirst(prefix.count).prefix { $0.isNumber || $0 == "." }
            .split(separator: ".").compactMap { Int($0) }
        guard version.count >= 2 else { return true }
        return (version[0], version[1]) < (1, 8)
    }

    /// The order the statistics of leaf column `column` follow, when the footer says (`column_orders`).
    package func columnOrder(_ column: Int) -> ColumnOrder? {
        guard let columnOrders, columnOrders.indices.contains(column) else { return nil }
        return columnOrders[column]
    }
}
