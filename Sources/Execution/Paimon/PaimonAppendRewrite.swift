import Foundation
import IcebergSpec
import Paimon
import Parquet
import Storage

/// Rewrites the files of one append-table task into Parquet files of the target size: row groups are decoded and
/// re-encoded in the inputs' sequence order, under the inputs' own Parquet schema and key-value metadata (so
/// readers see the same Arrow types), compressed per `file.compression` (zstd). Each output's manifest entry is
/// made as Paimon's writer makes it: row count, sequence numbers counted on from the first input's, level 0, file
/// source COMPACT, the inputs' schema id, and value statistics (min, max, null count) from the output's own column
/// chunks for the columns whose types the statistics row can hold exactly.
package enum PaimonAppendRewrite {
    package struct Output {
        package var location: String
        package var entry: PaimonManifestEntry
    }

    /// Rewrites `inputs` (one partition, bucket and schema, sorted by sequence number) into `directory`, calling
    /// `written` with each output's location as soon as it exists.
    static func run(
        _ inputs: [PaimonManifestEntry], directory: String, schema: PaimonSchema, storage: any Storage, targetFileSize: Int64,
        compression: CompressionKind, nowMs: Int64, written: (String) -> Void
    ) async throws -> [Output] {
        guard let first = inputs.first else { return [] }
        var outputs: [Output] = []
        var sequence = first.file.minSequenceNumber
        var writer: ParquetFileWriter?
        var sink = MemorySink()
        var options = ParquetWriterOptions()
        options.compression = compression
        let prefix = "data-\(UUID().uuidString.lowercased())-"

        func finish() async throws {
            guard let current = writer else { return }
            writer = nil
            let metadata = try current.close()
            let rows = metadata.numRows
            let name = "\(prefix)\(outputs.count).parquet"
            let location = "\(directory)/\(name)"
            written(location)
            try await storage.write(location, bytes: sink.bytes, mode: .createNew)
            let stats = try valueStats(metadata, schema: schema)
            let file = PaimonDataFile(
                fileName: name, fileSize: Int64(sink.bytes.count), rowCount: rows, minKey: BinaryRowWriter.empty,
                maxKey: BinaryRowWriter.empty, minSequenceNumber: sequence,
                maxSequenceNumber: sequence.saturatingAdd(max(0, rows - 1)), schemaId: first.file.schemaId, level: 0, extraFiles: [],
                creationTimeMs: nowMs.saturatingAdd(Int64(TimeZone.current.secondsFromGMT()) * 1000), deleteRowCount: 0,
                fileSource: 1, externalPath: nil)
            var entry = PaimonManifestEntry(kind: .add, partition: first.partition, bucket: first.bucket, totalBuckets: first.totalBuckets,
                file: file)
            entry.file.valueStats = stats.stats
            entry.file.valueStatsCols = stats.columns
            sequence = sequence.saturatingAdd(rows)
            outputs.append(Output(location: location, entry: entry))
            sink = MemorySink()
        }

        let staging = try TaskStaging(tableDirectory: directory)
        defer { staging.finish() }
        var opened = PaimonRewriteInputs(directory: directory, storage: storage)
        for input in inputs {
            let reader = try await opened.open(input, staging: staging)
            options.keyValueMetadata = opened.keyValueMetadata
            for group in 0..<reader.rowGroupCount {
                let columns = try reader.readRowGroup(group)
                if writer == nil { writer = try ParquetFileWriter(schema: reader.schema, sink: sink, options: options) }
                try writer!.write(columns)
                if Int64(writer!.writtenBytes + writer!.bufferedBytes) >= targetFileSize { try await finish() }
            }
        }
        try await finish()
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
