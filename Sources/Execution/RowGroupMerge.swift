import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Planning

/// Apache Amoro's Parquet row-group merge (`self-optimizing.rewrite.use-parquet-row-group-merge.enabled`, off by
/// default): a task whose files need nothing done to their rows is compacted by copying their row groups as they
/// are stored into files of the target size, skipping the decoding and re-encoding of every value. The output has
/// as many row groups as the inputs, which is why Amoro asks for them to be large enough
/// (`….min-avg-row-group-size-bytes`, 8 MiB by default).
///
/// Amoro's conditions: format version below 3 (row lineage is filled in on reading), no sort order, Parquet inputs
/// in a Parquet table, no encryption, no delete file touching the task's files, no bloom filters asked for, every
/// file on the current spec, and row groups averaging at least the minimum. amoro is stricter where a copy would
/// otherwise differ from a rewrite: every column must be stored exactly as the table writes it (matched by field
/// id or the name mapping, same physical and logical type and levels; Amoro compares file schemas), in the table's
/// codec (a changed `write.parquet.compression-codec` still takes effect), with chunk statistics complete enough
/// for the manifest metrics a rewrite would record, from a writer readers need no workarounds for (the copy carries
/// amoro's `created_by`). Any other task takes the row rewrite.
struct RowGroupMerge {
    /// One input: its manifest entry's file and the file opened for copying.
    private struct Input {
        var file: DataFile
        var reader: DataFileReader
        var columns: [Int]
    }

    private let inputs: [Input]

    /// Whether the table and the task allow a merge, before any file is opened.
    static func allowed(
        config: OptimizingConfig, metadata: TableMetadata, task: CheckedPlan.Task, files: [DataFile], touchedByDeletes: Bool,
        sorting: Bool
    ) -> Bool {
        let properties = metadata.properties
        let bloomFilters = properties.contains { key, value in
            key.hasPrefix("write.parquet.bloom-filter-enabled") && value.trimmingCharacters(in: .whitespaces).lowercased() == "true"
        }
        return config.rowGroupMergeEnabled && metadata.formatVersion < 3 && !sorting
            && (metadata.defaultSortOrder?.fields.isEmpty ?? true)
            && (properties["write.format.default"] ?? "parquet").lowercased() == "parquet"
            && !bloomFilters && !touchedByDeletes && task.rewritePositionFiles.isEmpty
            && task.rewriteDataFiles.allSatisfy(\.deletes.isEmpty)
            && files.allSatisfy { file in
                file.fileFormat.uppercased() == "PARQUET" && file.keyMetadata == nil && file.specId == metadata.defaultSpecId
            }
    }

    /// Opens the task's files (`paths`: local copies, in the order of `files`) and keeps them when every one can
    /// be copied as stored and their row groups average at least `minimumAverageBytes`; nil otherwise.
    init?(files: [DataFile], paths: [String], settings: DataRewriteSettings, minimumAverageBytes: Int64)
        throws(DataFileError)
    {
        // Every file holding rows has a row group at least, so when the files average under the minimum their row
        // groups do too: the common case of many small files is decided without opening one.
        let bytes = files.saturatingSum(\.fileSizeInBytes)
        let filesWithRows = Int64(files.count { $0.recordCount > 0 })
        if filesWithRows > 0 && bytes / filesWithRows < minimumAverageBytes { return nil }
        var inputs: [Input] = []
        var rowGroups = 0
        for (file, path) in zip(files, paths) {
            let reader = try DataFileReader(path: path, tableSchema: settings.writeSchema, nameMapping: settings.nameMapping)
            guard let columns = reader.storedColumns,
                Self.copiesLikeRewrite(reader, columns: columns, codec: settings.properties.compression)
            else { return nil }
            rowGroups += reader.rowGroupCount
            inputs.append(Input(file: file, reader: reader, columns: columns))
        }
        guard rowGroups == 0 || bytes / Int64(rowGroups) >= minimumAverageBytes else { return nil }
        self.inputs = inputs
    }

    /// Copies every input into `writer` and returns the files written (all of them removed on failure).
    func run(into writer: RollingDataFileWriter) throws(DataFileError) -> [DataFile] {
        do {
            for input in inputs {
                try writer.appendStored(input.reader, columns: input.columns, fileSize: input.file.fileSizeInBytes,
                    nanCounts: input.file.nanValueCounts ?? [:])
            }
            return try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Whether the file's writer is one readers need no workarounds for, every chunk the copy takes is in `codec`
    /// and lies in the file, and its statistics, as the written footer states them, hold a null count and, where
    /// the manifest records bounds and the chunk has values, a minimum and maximum.
    private static func copiesLikeRewrite(_ reader: DataFileReader, columns: [Int], codec: CompressionKind) -> Bool {
        let footer = reader.file.metadata
        guard !footer.needsWriterWorkarounds else { return false }
        for group in footer.rowGroups {
            for (leaf, target) in reader.schema.columns.enumerated() {
                let chunk = group.columns[columns[leaf]]
                guard chunk.filePath == nil, let metadata = chunk.metaData, metadata.codec == codec,
                    let statistics = StatisticsBuilder.carried(
                        metadata.statistics, column: target, sourceOrder: footer.columnOrder(columns[leaf])),
                    let nulls = statistics.nullCount
                else { return false }
                let bounded = target.maxRepetitionLevel == 0 && target.physicalType != .int96
                if bounded && metadata.numValues > nulls && statistics.minValue == nil { return false }
            }
        }
        return true
    }
}
