import Foundation
import IcebergSpec
import Paimon
import Parquet
import Storage

/// Writes a merge's rows, in key order, as one sorted run: Parquet files rolled at the target size while the merge
/// runs. Stored rows go to the Parquet writer as row ranges of their input's columns (consecutive rows of one row
/// group in one call, nothing assembled); rows a merge function built go as records. Each file is a
/// `PaimonOutputFile` (streamed to disk, published whole; on an object store staged and uploaded by `finish`); its
/// manifest entry carries the min and max key, key and value statistics, the sequence
/// range, the delete row count (the retractions it holds), the level and file source COMPACT.
struct PaimonRunWriter {
    struct Settings {
        var directory: String
        var staging: TaskStaging
        var storage: any Storage
        var parquetSchema: ParquetSchema
        var parquetOptions: ParquetWriterOptions
        var schema: PaimonSchema
        var keys: [String]
        var keyTypes: [PaimonDataType]
        /// An input's entry: partition, bucket, total buckets and schema id of the outputs.
        var template: PaimonManifestEntry
        var outputLevel: Int
        var targetFileSize: Int64
        var nowMs: Int64
        var memory: PaimonMergeMemory
    }

    private struct OpenFile {
        var output: PaimonOutputFile
        var minKey: [PaimonValue?]
        var last: PaimonRecord
        var minSequence: Int64
        var maxSequence: Int64
        var deletes: Int64
    }

    /// Rows built by a merge function are handed to the Parquet writer this many at a time.
    static let builtBatch = 1024
    /// Stored rows are handed over at most this many at a time, so files roll close to the target size.
    static let storedBatch = 4096

    private let settings: Settings
    private let prefix = "data-\(UUID().uuidString.lowercased())-"
    private var current: OpenFile?
    private var pendingStored: (group: PaimonRowGroup, rows: Range<Int>)?
    private var pendingBuilt: [ParquetValue] = []
    private var closed: [(name: String, entry: PaimonManifestEntry)] = []
    private let written: (String) -> Void

    init(_ settings: Settings, written: @escaping (String) -> Void) {
        self.settings = settings
        self.written = written
    }

    /// Adds the next merged row (rows come in key order). Rows waiting to be handed over are flushed first when
    /// this one cannot join them, so a file that fills up there is closed holding exactly the rows counted for it.
    mutating func append(_ row: PaimonMergedRow) throws {
        switch row {
        case .stored(let record):
            if let pending = pendingStored, pending.group === record.group, pending.rows.upperBound == record.row,
                pending.rows.count < Self.storedBatch
            {
                pendingStored = (pending.group, pending.rows.lowerBound..<(record.row + 1))
            } else {
                try flushBuilt()
                try flushStored()
                pendingStored = (record.group, record.row..<(record.row + 1))
            }
        case .built(let fields, _, _, _):
            try flushStored()
            pendingBuilt.append(.group(fields))
            settings.memory.hold(1)
        }
        var file = try openIfNeeded(first: row.keyRecord)
        file.last = row.keyRecord
        file.minSequence = min(file.minSequence, row.sequence)
        file.maxSequence = max(file.maxSequence, row.sequence)
        if row.kind == 1 || row.kind == 3 { file.deletes += 1 }
        current = file
        if pendingBuilt.count >= Self.builtBatch { try flushBuilt() }
    }

    /// Closes the last file, uploads staged files, and returns every output.
    mutating func finish() async throws -> [PaimonAppendRewrite.Output] {
        try closeCurrent()
        var outputs: [PaimonAppendRewrite.Output] = []
        for file in closed {
            let location = try await settings.staging.publish(fileNamed: file.name, to: settings.directory, storage: settings.storage)
            outputs.append(.init(location: location, entry: file.entry))
        }
        return outputs
    }

    /// Removes the open file's temporary copy (after a failure; finished files are removed by the caller, which
    /// was told their locations).
    mutating func abort() {
        current?.output.discard()
        current = nil
        pendingStored = nil
        settings.memory.release(pendingBuilt.count)
        pendingBuilt = []
    }

    private mutating func flushStored() throws {
        guard let pending = pendingStored, let file = current else { return }
        pendingStored = nil
        try file.output.writer.write(pending.group.columns, rows: pending.rows)
        try rollIfFull()
    }

    private mutating func flushBuilt() throws {
        guard !pendingBuilt.isEmpty, let file = current else { return }
        let rows = pendingBuilt
        pendingBuilt = []
        defer { settings.memory.release(rows.count) }
        try file.output.writer.write(rows: rows)
        try rollIfFull()
    }

    private mutating func rollIfFull() throws {
        guard let file = current, file.output.reachedSize(settings.targetFileSize) else { return }
        try closeCurrent()
    }

    private mutating func openIfNeeded(first: PaimonRecord) throws -> OpenFile {
        if let current { return current }
        let output = try PaimonOutputFile(name: "\(prefix)\(closed.count).parquet", directory: settings.directory,
            staging: settings.staging, schema: settings.parquetSchema, options: settings.parquetOptions, written: written)
        return OpenFile(output: output, minKey: try keyValues(first), last: first, minSequence: .max, maxSequence: .min, deletes: 0)
    }

    private mutating func closeCurrent() throws {
        try flushStored()
        try flushBuilt()
        guard let file = current else { return }
        current = nil
        let metadata = try file.output.close()
        let first = settings.template
        var data = PaimonDataFile(
            fileName: file.output.name, fileSize: Int64(file.output.writer.writtenBytes), rowCount: metadata.numRows,
            minKey: try BinaryRowWriter.serialize(file.minKey, types: settings.keyTypes),
            maxKey: try BinaryRowWriter.serialize(try keyValues(file.last), types: settings.keyTypes),
            minSequenceNumber: file.minSequence, maxSequenceNumber: file.maxSequence, schemaId: first.file.schemaId,
            level: settings.outputLevel, extraFiles: [],
            creationTimeMs: settings.nowMs.saturatingAdd(Int64(TimeZone.current.secondsFromGMT()) * 1000), deleteRowCount: file.deletes,
            fileSource: 1, externalPath: nil)
        data.keyStats = try PaimonPrimaryKeyRewrite.keyStats(metadata, keys: settings.keys, types: settings.keyTypes)
        let values = try PaimonAppendRewrite.valueStats(metadata, schema: settings.schema)
        data.valueStats = values.stats
        data.valueStatsCols = values.columns
        closed.append((file.output.name, PaimonManifestEntry(kind: .add, partition: first.partition, bucket: first.bucket,
            totalBuckets: first.totalBuckets, file: data)))
    }

    /// A record's key as binary-row values.
    private func keyValues(_ record: PaimonRecord) throws -> [PaimonValue?] {
        try zip(record.group.keys, settings.keyTypes).map { column, type in
            let value = column.value(record.row)
            if case .null = value { return nil }
            guard let converted = PaimonPrimaryKeyRewrite.value(value, type) else {
                throw PaimonError.unsupported("primary keys of type \(type)")
            }
            return converted
        }
    }
}

/// One Parquet output of a Paimon rewrite: streamed to a local file as it is encoded (into the table's directory, or
/// on an object store into the task's staging directory, `TaskStaging.publish` uploads it) and published whole by
/// `DurableFile`. `written` hears of its location (as metadata names it) before anything is created.
struct PaimonOutputFile {
    let name: String
    let writer: ParquetFileWriter
    private let durable: DurableFile

    init(name: String, directory: String, staging: TaskStaging, schema: ParquetSchema, options: ParquetWriterOptions,
        written: (String) -> Void) throws
    {
        let location = "\(directory)/\(name)"
        written(location)
        guard let local = Location(staging.writeDirectory(for: directory)), local.isLocal else {
            throw PaimonError.storage(.unsupportedLocation(directory))
        }
        durable = try DurableFile(directory: local.path, name: name, location: location)
        do {
            writer = try ParquetFileWriter(schema: schema, sink: try FileSink(path: durable.temporaryPath), options: options)
        } catch {
            durable.discard()
            throw error
        }
        self.name = name
    }

    /// Whether the bytes written and encoded reach `size`.
    func reachedSize(_ size: Int64) -> Bool { Int64(writer.writtenBytes + writer.bufferedBytes) >= size }

    /// Writes the footer and publishes the file; on failure nothing is left under either name.
    func close() throws -> FileMetaData {
        let metadata: FileMetaData
        do { metadata = try writer.close() } catch {
            durable.discard()
            throw error
        }
        try durable.publish()
        return metadata
    }

    /// Removes the unfinished file (after a failure).
    func discard() {
        _ = try? writer.close()
        durable.discard()
    }
}
