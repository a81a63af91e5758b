import IcebergSpec
import Parquet

/// A data file's manifest metrics computed from its Parquet footer as Java's `ParquetUtil.footerMetrics` does:
/// per field id, column sizes (compressed chunk bytes) and value counts (level slots) summed over row groups, null
/// counts from chunk statistics, lower and upper bounds from chunk statistics for columns reached only through
/// structs (never inside lists or maps, never INT96), merged over row groups and truncated by the column's metrics
/// mode; a column missing statistics in any row group gets no null count and no bounds. NaN counts are given
/// (`nanCounts`: amoro's own writer records them in its chunk statistics, see `nanCounts(footer:parquetSchema:)`).
package enum DataFileMetrics {
    /// NaN counts of float and double columns, by field id, from the chunk statistics of a file amoro wrote (its
    /// writer counts NaNs in every page); a column without them counts 0.
    package static func nanCounts(footer: FileMetaData, parquetSchema: ParquetSchema) -> [Int: Int64] {
        var counts: [Int: Int64] = [:]
        for (index, column) in parquetSchema.columns.enumerated()
        where column.physicalType == .float || column.physicalType == .double {
            guard let id = column.fieldID.map(Int.init) else { continue }
            counts[id] = footer.rowGroups.reduce(0) { sum, group in
                sum &+ (index < group.columns.count ? group.columns[index].metaData?.statistics?.nanCount ?? 0 : 0)
            }
        }
        return counts
    }

    /// The manifest entry of a Parquet data file from its footer: counts, sizes and bounds as `apply` states them, the
    /// row groups' offsets as split offsets. What amoro's writer records, and what a commit re-derives for files
    /// another process wrote.
    package static func dataFile(
        path: String, size: Int64, footer: FileMetaData, parquetSchema: ParquetSchema, schema: Schema, config: MetricsConfig,
        nanCounts: [Int: Int64], specId: Int, partition: [Literal?], sortOrderId: Int?
    ) -> DataFile {
        var file = DataFile(
            content: .data, filePath: path, fileFormat: "PARQUET", specId: specId, partition: partition,
            recordCount: footer.rowGroups.saturatingSum(\.numRows), fileSizeInBytes: size)
        file.sortOrderId = sortOrderId
        file.splitOffsets = footer.rowGroups.map { group in
            if let offset = group.fileOffset, offset > 0 { return offset }
            guard let metadata = group.columns.first?.metaData else { return 0 }
            return metadata.dictionaryPageOffset ?? metadata.dataPageOffset
        }
        apply(footer: footer, parquetSchema: parquetSchema, schema: schema, config: config, nanCounts: nanCounts, to: &file)
        return file
    }

    package static func apply(
        footer: FileMetaData, parquetSchema: ParquetSchema, schema: Schema, config: MetricsConfig,
        nanCounts: [Int: Int64], to file: inout DataFile
    ) {
        let fields = schema.fieldsById()
        var sizes: [Int: Int64] = [:]
        var values: [Int: Int64] = [:]
        var nulls: [Int: Int64] = [:]
        var lower: [Int: Literal] = [:]
        var upper: [Int: Literal] = [:]
        var missingStatistics: Set<Int> = []
        var unbounded: Set<Int> = []
        var modes: [Int: MetricsMode] = [:]
        for group in footer.rowGroups {
            for (index, chunk) in group.columns.enumerated() where index < parquetSchema.columns.count {
                let column = parquetSchema.columns[index]
                guard let id = column.fieldID.map(Int.init), let field = fields[id], let metadata = chunk.metaData
                else { continue }
                let mode = config.mode(column: field.name)
                modes[id] = mode
                if mode == .none { continue }
                // Wrapping sums: footers of files from elsewhere must not trap on absurd sizes.
                sizes[id, default: 0] &+= metadata.totalCompressedSize
                values[id, default: 0] &+= metadata.numValues
                guard let statistics = metadata.statistics, let nullCount = statistics.nullCount else {
                    missingStatistics.insert(id)
                    continue
                }
                nulls[id, default: 0] &+= nullCount
                guard mode != .counts, column.maxRepetitionLevel == 0, column.physicalType != .int96,
                    case .primitive(let type) = field.field.type
                else { continue }
                guard let bounds = StatisticsBuilder.bounds(
                        statistics, column: column, order: footer.columnOrder(index)),
                    let low = literal(bounds.min, type), let high = literal(bounds.max, type)
                else {
                    // Values without usable bounds (unknown order, malformed or non-UTF-8 statistics): no bounds
                    // for the whole file rather than bounds that do not cover every row group.
                    if metadata.numValues > nullCount { unbounded.insert(id) }
                    continue
                }
                if let current = lower[id], let order = Literal.compare(low, current), order >= 0 {} else { lower[id] = low }
                if let current = upper[id], let order = Literal.compare(high, current), order <= 0 {} else { upper[id] = high }
            }
        }
        for id in missingStatistics {
            nulls[id] = nil
            lower[id] = nil
            upper[id] = nil
        }
        for id in unbounded {
            lower[id] = nil
            upper[id] = nil
        }
        var lowerBytes: [Int: [UInt8]] = [:]
        var upperBytes: [Int: [UInt8]] = [:]
        for (id, value) in lower {
            if let bytes = truncated(value, mode: modes[id] ?? .full, upper: false) { lowerBytes[id] = bytes }
        }
        for (id, value) in upper {
            if let bytes = truncated(value, mode: modes[id] ?? .full, upper: true) { upperBytes[id] = bytes }
        }
        var nans: [Int: Int64] = [:]
        for (id, count) in nanCounts where (modes[id] ?? config.defaultMode) != .none { nans[id] = count }
        file.columnSizes = sizes
        file.valueCounts = values
        file.nullValueCounts = nulls
        file.nanValueCounts = nans
        file.lowerBounds = lowerBytes
        file.upperBounds = upperBytes
    }

    /// A bound in binary single-value form after the mode's truncation (nil when an upper bound cannot be made).
    package static func truncated(_ value: Literal, mode: MetricsMode, upper: Bool) -> [UInt8]? {
        guard case .truncate(let length) = mode else { return value.binary }
        switch value {
        case .string(let text):
            if upper { return BoundTruncation.upperBound(string: text, length: length).map { Array($0.utf8) } }
            return Array(BoundTruncation.lowerBound(string: text, length: length).utf8)
        case .binary(let bytes):
            return upper ? BoundTruncation.upperBound(binary: bytes, length: length)
                : BoundTruncation.lowerBound(binary: bytes, length: length)
        default:
            return value.binary
        }
    }

    /// A Parquet statistics value as a literal of the column's Iceberg type.
    package static func literal(_ value: ParquetValue, _ type: PrimitiveType) -> Literal? {
        switch (type, value) {
        case (.boolean, .boolean(let v)): return .boolean(v)
        case (.int, .int32(let v)): return .int(v)
        case (.date, .int32(let v)): return .date(v)
        case (.long, .int64(let v)): return .long(v)
        case (.long, .int32(let v)): return .long(Int64(v))
        case (.time, .int64(let v)): return .time(v)
        case (.timestamp, .int64(let v)): return .timestamp(v)
        case (.timestamptz, .int64(let v)): return .timestamptz(v)
        case (.timestampNs, .int64(let v)): return .timestampNs(v)
        case (.timestamptzNs, .int64(let v)): return .timestamptzNs(v)
        case (.float, .float(let v)): return .float(v)
        case (.double, .double(let v)): return .double(v)
        case (.double, .float(let v)): return .double(Double(v))
        case (.string, .bytes(let v)): return String(validating: v, as: UTF8.self).map { .string($0) }
        case (.binary, .bytes(let v)): return .binary(v)
        case (.fixed, .bytes(let v)): return .fixed(v)
        case (.uuid, .bytes(let v)): return v.count == 16 ? .uuid(v) : nil
        case (.decimal(let precision, let scale), .int32(let v)):
            return .decimal(unscaled: Int128(v), precision: precision, scale: scale)
        case (.decimal(let precision, let scale), .int64(let v)):
            return .decimal(unscaled: Int128(v), precision: precision, scale: scale)
        case (.decimal(let precision, let scale), .bytes(let v)):
            guard !v.isEmpty && v.count <= 16 else { return nil }
            var unscaled: Int128 = v[0] & 0x80 != 0 ? -1 : 0
            for byte in v { unscaled = (unscaled << 8) | Int128(byte) }
            return .decimal(unscaled: unscaled, precision: precision, scale: scale)
        default: return nil
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
