import Foundation
import IcebergSpec
import Paimon
import Parquet
import Storage

/// Rewrites the files of one append-table task into Parquet files of the target size: row groups are decoded and
/// re-encoded in the inputs' sequence order, under the inputs' own Parquet schema and key-value metadata (so
/// readers see the same Arrow types), compressed per `file.compression` (zstd), in row groups of the table's
/// `parquet.block.size`. Outputs stream to disk as they are encoded (`PaimonOutputFile`), so a task holds one
/// decoded input row group and one output row group's encoded pages, whatever the target size; `memory` watches the
/// rows of both. Each output's manifest entry is made as Paimon's writer makes it: row count, sequence numbers
/// counted on from the first input's, level 0, file source COMPACT, the inputs' schema id, and value statistics
/// (min, max, null count) from the output's own column chunks for the columns whose types the statistics row can
/// hold exactly.
package enum PaimonAppendRewrite {
    package struct Output {
        package var location: String
        package var entry: PaimonManifestEntry
    }

    /// Rewrites `inputs` (one partition, bucket and schema, sorted by sequence number) into `directory`, calling
    /// `written` with each output's location before it is created.
    package static func run(
        _ inputs: [PaimonManifestEntry], directory: String, schema: PaimonSchema, storage: any Storage, targetFileSize: Int64,
        compression: CompressionKind, nowMs: Int64, memory: PaimonMergeMemory = .init(), written: (String) -> Void
    ) async throws -> [Output] {
        guard let first = inputs.first else { return [] }
        var closed: [(name: String, entry: PaimonManifestEntry)] = []
        var sequence = first.file.minSequenceNumber
        var current: PaimonOutputFile?
        /// Rows the open output holds in its unwritten row group, as `memory` was told.
        var pendingRows = 0
        let prefix = "data-\(UUID().uuidString.lowercased())-"

        func finish() throws {
            guard let output = current else { return }
            current = nil
            memory.release(pendingRows)
            pendingRows = 0
            let metadata = try output.close()
            let rows = metadata.numRows
            let stats = try valueStats(metadata, schema: schema)
            let file = PaimonDataFile(
                fileName: output.name, fileSize: Int64(output.writer.writtenBytes), rowCount: rows, minKey: BinaryRowWriter.empty,
                maxKey: BinaryRowWriter.empty, minSequenceNumber: sequence,
                maxSequenceNumber: sequence.saturatingAdd(max(0, rows - 1)), schemaId: first.file.schemaId, level: 0, extraFiles: [],
                creationTimeMs: nowMs.saturatingAdd(Int64(TimeZone.current.secondsFromGMT()) * 1000), deleteRowCount: 0,
                fileSource: 1, externalPath: nil)
            var entry = PaimonManifestEntry(kind: .add, partition: first.partition, bucket: first.bucket, totalBuckets: first.totalBuckets,
                file: file)
            entry.file.valueStats = stats.stats
            entry.file.valueStatsCols = stats.columns
            sequence = sequence.saturatingAdd(rows)
            closed.append((output.name, entry))
        }

        let staging = try TaskStaging(tableDirectory: directory)
        defer { staging.finish() }
        var opened = PaimonRewriteInputs(directory: directory, storage: storage)
        do {
            for input in inputs {
                let reader = try await opened.open(input, staging: staging)
                for group in 0..<reader.rowGroupCount {
                    let columns = try reader.readRowGroup(group)
                    let rows = columns.first?.rowCount ?? 0
                    memory.hold(rows)
                    defer { memory.release(rows) }
                    if current == nil {
                        current = try PaimonOutputFile(name: "\(prefix)\(closed.count).parquet", directory: directory, staging: staging,
                            schema: reader.schema, options: try opened.writerOptions(compression: compression, schema: schema),
                            written: written)
                    }
                    try current!.writer.write(columns)
                    let buffered = current!.writer.bufferedRows
                    if buffered > pendingRows { memory.hold(buffered - pendingRows) } else { memory.release(pendingRows - buffered) }
                    pendingRows = buffered
                    if current!.reachedSize(targetFileSize) { try finish() }
                }
            }
            try finish()
        } catch {
            current?.discard()
            memory.release(pendingRows)
            throw error
        }
        var outputs: [Output] = []
        for file in closed {
            outputs.append(Output(location: try await staging.publish(fileNamed: file.name, to: directory, storage: storage),
                entry: file.entry))
        }
        return outputs
    }

    /// The value statistics of a written file, and the columns they cover (nil: every column of the schema).
    static func valueStats(_ metadata: FileMetaData, schema: PaimonSchema) throws -> (stats: PaimonSimpleStats, columns: [String]?) {
        var names: [String] = []
        var types: [PaimonDataType] = []
        var minimum: [PaimonValue?] = []
        var maximum: [PaimonValue?] = []
        var nulls: [Int64?] = []
        for field in schema.fields {
            guard let bounds = bounds(column: field.name, type: field.type, in: metadata) else { continue }
            names.append(field.name)
            types.append(field.type)
            minimum.append(bounds.min)
            maximum.append(bounds.max)
            nulls.append(bounds.nulls)
        }
        let stats = PaimonSimpleStats(
            minValues: try BinaryRowWriter.serialize(minimum, types: types),
            maxValues: try BinaryRowWriter.serialize(maximum, types: types), nullCounts: nulls)
        return (stats, names.count == schema.fields.count ? nil : names)
    }

    /// A top-level column's bounds over every row group; nil when a type or a chunk leaves them unknown.
    static func bounds(column: String, type: PaimonDataType, in metadata: FileMetaData) -> (min: PaimonValue?, max: PaimonValue?, nulls: Int64)? {
        switch type.root {
        case .boolean, .tinyint, .smallint, .int, .date, .bigint, .string: break
        default: return nil
        }
        var low: PaimonValue?
        var high: PaimonValue?
        var nulls: Int64 = 0
        for group in metadata.rowGroups {
            guard let chunk = group.columns.first(where: { $0.metaData?.pathInSchema == [column] })?.metaData,
                let statistics = chunk.statistics, let count = statistics.nullCount
            else { return nil }
            nulls = nulls.saturatingAdd(count)
            if count == group.numRows { continue }
            guard let minBytes = statistics.minValue, let maxBytes = statistics.maxValue,
                statistics.isMinValueExact != false, statistics.isMaxValueExact != false,
                let a = decode(minBytes, chunk.type, type), let b = decode(maxBytes, chunk.type, type)
            else { return nil }
            if low.map({ (PaimonValue.compare(a, $0) ?? 0) < 0 }) ?? true { low = a }
            if high.map({ (PaimonValue.compare(b, $0) ?? 0) > 0 }) ?? true { high = b }
        }
        return (low, high, nulls)
    }

    static func decode(_ bytes: [UInt8], _ physical: PhysicalType, _ type: PaimonDataType) -> PaimonValue? {
        func little(_ count: Int) -> UInt64? {
            guard bytes.count == count else { return nil }
            return bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        switch (physical, type.root) {
        case (.boolean, .boolean): return bytes.count == 1 ? .boolean(bytes[0] != 0) : nil
        case (.int32, .tinyint), (.int32, .smallint), (.int32, .int), (.int32, .date):
            return little(4).map { PaimonValue.long(Int64(Int32(bitPattern: UInt32($0)))) }
        case (.int64, .bigint): return little(8).map { PaimonValue.long(Int64(bitPattern: $0)) }
        case (.byteArray, .string): return String(validating: bytes, as: UTF8.self).map { PaimonValue.string($0) }
        default: return nil
        }
    }
}
