import Foundation
import IcebergSpec
import Paimon
import Parquet
import Storage

/// Writes a merge's rows, in key order, as one sorted run: Parquet files rolled at the target size while the merge
/// runs. Stored rows go to the Parquet writer as row ranges of their input's columns (consecutive rows of one row
/// group in one call, nothing assembled); rows a merge function built go as records. Each file is written durably
/// beside its final name and linked into place (never over an existing file), or, on an object store, staged and
/// uploaded by `finish`; its manifest entry carries the min and max key, key and value statistics, the sequence
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
        var name: String
        var temporaryPath: String
        var finalPath: String
        var writer: ParquetFileWriter
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
    private let localDirectory: String
    private var current: OpenFile?
    private var pendingStored: (group: PaimonRowGroup, rows: Range<Int>)?
    private var pendingBuilt: [ParquetValue] = []
    private var closed: [(name: String, entry: PaimonManifestEntry)] = []
    private let written: (String) -> Void

    init(_ settings: Settings, written: @escaping (String) -> Void) {
        self.settings = settings
        self.written = written
        localDirectory = settings.staging.writeDirectory(for: settings.directory)
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
        if let current {
            _ = try? current.writer.close()
            unlink(current.temporaryPath)
        }
        current = nil
        pendingStored = nil
        settings.memory.release(pendingBuilt.count)
        pendingBuilt = []
    }

    private mutating func flushStored() throws {
        guard let pending = pendingStored, let file = current else { return }
        pendingStored = nil
        try file.writer.write(pending.group.columns, rows: pending.rows)
        try rollIfFull()
    }

    private mutating func flushBuilt() throws {
        guard !pendingBuilt.isEmpty, let file = current else { return }
        let rows = pendingBuilt
        pendingBuilt = []
        defer { settings.memory.release(rows.count) }
        try file.writer.write(rows: rows)
        try rollIfFull()
    }

    private mutating func rollIfFull() throws {
        guard let file = current, Int64(file.writer.writtenBytes + file.writer.bufferedBytes) >= settings.targetFileSize else { return }
        try closeCurrent()
    }

    private mutating func openIfNeeded(first: PaimonRecord) throws -> OpenFile {
        if let current { return current }
        try FileManager.default.createDirectory(atPath: localDirectory, withIntermediateDirectories: true)
        let name = "\(prefix)\(closed.count).parquet"
        let temporary = "\(localDirectory)/.\(name).inprogress"
        WriteJournal.current?.record(temporary)
        WriteJournal.current?.record("\(settings.directory)/\(name)")
        written("\(settings.directory)/\(name)")
        let writer = try ParquetFileWriter(schema: settings.parquetSchema, sink: try FileSink(path: temporary, durable: true),
            options: settings.parquetOptions)
        return OpenFile(name: name, temporaryPath: temporary, finalPath: "\(localDirectory)/\(name)", writer: writer,
            minKey: try keyValues(first), last: first, minSequence: .max, maxSequence: .min, deletes: 0)
    }

    private mutating func closeCurrent() throws {
        try flushStored()
        try flushBuilt()
        guard let file = current else { return }
        current = nil
        let metadata: FileMetaData
        do { metadata = try file.writer.close() } catch {
            unlink(file.temporaryPath)
            throw error
        }
        guard link(file.temporaryPath, file.finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(file.temporaryPath)
            throw PaimonError.storage(.io(file.finalPath, "cannot move the finished file into place: \(reason)"))
        }
        unlink(file.temporaryPath)
        try LocalStorage.syncDirectory(localDirectory)
        let first = settings.template
        var data = PaimonDataFile(
            fileName: file.name, fileSize: Int64(file.writer.writtenBytes), rowCount: metadata.numRows,
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
        closed.append((file.name, PaimonManifestEntry(kind: .add, partition: first.partition, bucket: first.bucket,
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
