import Foundation
import IcebergSpec
import Parquet
import Storage

/// Writes batches of rows to Parquet data files in one directory, rolling to a new file once a file reaches the
/// target size (`self-optimizing.target-size`), and returns an `IcebergSpec.DataFile` with complete metrics for
/// each file written.
///
/// Files are named `<uuid>-<n>.parquet` and published whole through `DurableFile` (written under a hidden
/// temporary name in the same directory, synced, hard-linked to the final name, the directory synced), so a file
/// handed to a commit survives a power cut, a crash leaves at most a temporary file that no metadata references
/// (both names are in the run's `WriteJournal`), and an existing file is never replaced.
/// Rows are encoded as they arrive; the Parquet writer cuts row groups at `write.parquet.row-group-size-bytes` of
/// encoded pages, and a file is finished once its written and encoded bytes reach the target. Memory is bounded by
/// one row group's encoded pages. `appendStored` copies a whole input file's row groups as they are stored instead.
package final class RollingDataFileWriter {
    package let schema: Schema
    package let parquetSchema: ParquetSchema
    package let properties: DataWriteProperties
    package let targetFileSize: Int64
    /// The directory location as recorded in metadata (may carry a `file:` scheme).
    package let directory: String
    package let specId: Int
    package let partition: [Literal?]
    package let sortOrderId: Int?
    private let localDirectory: String
    private let prefix: String
    private var fileCount = 0
    private var current: OpenFile?
    private var written: [DataFile] = []

    /// - Parameters:
    ///   - schema: the table schema to write (with `Schema.withRowLineageFields` for v3 rewrites).
    ///   - directory: the data directory of the partition (see `DataWriteProperties.directory`), local.
    package init(
        schema: Schema, properties: DataWriteProperties, targetFileSize: Int64, directory: String, specId: Int,
        partition: [Literal?], sortOrderId: Int? = nil
    ) throws(DataFileError) {
        guard targetFileSize > 0 else { throw .invalidArgument("target file size \(targetFileSize)") }
        guard let location = Location(directory), location.isLocal else {
            throw .unsupported("writing data files outside the local file system (\(directory))")
        }
        self.schema = schema
        self.parquetSchema = try IcebergParquetSchema.parquetSchema(for: schema)
        self.properties = properties
        self.targetFileSize = targetFileSize
        var trimmed = directory
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.directory = trimmed
        self.localDirectory = location.path
        self.specId = specId
        self.partition = partition
        self.sortOrderId = sortOrderId
        self.prefix = UUID().uuidString.lowercased()
    }

    /// The files finished so far.
    package var files: [DataFile] { written }

    /// Appends the rows of `batch` (of `parquetSchema`), rolling files at the target size.
    package func write(_ batch: DataBatch) throws(DataFileError) {
        guard batch.schema == parquetSchema else { throw .invalidArgument("the batch does not follow the table schema") }
        guard batch.rowCount > 0 else { return }
        // Write the rest of the batch at once while it surely fits in the open file; near the target, in pieces
        // small enough to stop close to it.
        let pieceBytes = Double(max(4 << 10, Int(min(Int64(properties.rowGroupBytes), targetFileSize)) / 64))
        let rowBytes = Double(batch.estimatedBytes) / Double(batch.rowCount)
        var start = 0
        while start < batch.rowCount {
            let file = try openIfNeeded()
            let ratio = file.rawBytes > 0 ? Double(file.writer.writtenBytes + file.writer.bufferedBytes) / file.rawBytes : 1
            let room = Double(targetFileSize) - Double(file.writer.writtenBytes + file.writer.bufferedBytes)
            let restBytes = rowBytes * Double(batch.rowCount - start)
            let rows = restBytes * ratio < room / 2 ? batch.rowCount - start : max(1, Int(pieceBytes / max(rowBytes, 1)))
            let end = min(batch.rowCount, start + rows)
            let pieceRawBytes = rowBytes * Double(end - start)
            do { try file.writer.write(batch.columns, rows: start..<end) } catch { throw .parquet(file.temporaryPath, error) }
            file.rawBytes += pieceRawBytes
            // The buffered estimate runs high (dictionaries count uncompressed): near the target, write the row
            // group to know the file's size, and finish the file when one more piece would pass the target.
            if Int64(file.writer.writtenBytes + file.writer.bufferedBytes) >= targetFileSize {
                do { try file.writer.flush() } catch { throw .parquet(file.temporaryPath, error) }
                let written = Double(file.writer.writtenBytes)
                if written + pieceBytes * written / max(1, file.rawBytes) >= Double(targetFileSize) { try closeCurrent() }
            }
            start = end
        }
    }

    /// Appends every row group of `file` as it is stored (`columns`: its `storedColumns`), first rolling to a new
    /// file when the open one holds data and `fileSize` more bytes would pass the target (whole input files, as
    /// Amoro's row-group merge rolls). `nanCounts` (the input's manifest NaN counts by field id) stand in for float
    /// columns whose chunks do not count their NaNs; without either, the file written states no NaN count there.
    package func appendStored(_ file: DataFileReader, columns: [Int], fileSize: Int64, nanCounts: [Int: Int64])
        throws(DataFileError)
    {
        guard file.schema == parquetSchema else { throw .invalidArgument("the file is not read as the table schema") }
        if let current, Int64(current.writer.writtenBytes + current.writer.bufferedBytes) + fileSize > targetFileSize,
            current.writer.writtenBytes > ParquetFileReader.magic.count || current.writer.bufferedBytes > 0
        {
            try closeCurrent()
        }
        let open = try openIfNeeded()
        let groups = file.file.metadata.rowGroups
        var uncounted: Set<Int> = []
        for (leaf, column) in parquetSchema.columns.enumerated()
        where column.physicalType == .float || column.physicalType == .double {
            let counted = groups.allSatisfy { $0.columns[columns[leaf]].metaData?.statistics?.nanCount != nil }
            guard !counted, let id = column.fieldID.map(Int.init) else { continue }
            uncounted.insert(leaf)
            if let count = nanCounts[id] { open.manifestNaNCounts[id, default: 0] += count } else { open.unknownNaNCounts.insert(id) }
        }
        for group in groups.indices {
            do {
                try open.writer.appendStoredRowGroup(of: file.file, at: group, columns: columns, droppingNaNCounts: uncounted)
            } catch { throw .parquet(file.path, error) }
        }
    }

    /// Finishes the open file and returns every file written.
    package func finish() throws(DataFileError) -> [DataFile] {
        try closeCurrent()
        return written
    }

    /// Removes the open temporary file and every file written so far (after a failure, before any commit).
    package func abort() {
        if let current {
            _ = try? current.writer.close()
            current.durable.discard()
            self.current = nil
        }
        for file in written {
            if let location = Location(file.filePath) { unlink(location.path) }
        }
        written = []
    }

    private func openIfNeeded() throws(DataFileError) -> OpenFile {
        if let current { return current }
        let name = "\(prefix)-\(fileCount).parquet"
        fileCount += 1
        let durable: DurableFile
        do { durable = try DurableFile(directory: localDirectory, name: name, location: directory + "/" + name) } catch {
            throw .io(directory + "/" + name, error.description)
        }
        let writer: ParquetFileWriter
        do {
            writer = try ParquetFileWriter(schema: parquetSchema, sink: try FileSink(path: durable.temporaryPath),
                options: properties.parquetOptions)
        } catch {
            durable.discard()
            throw .parquet(durable.temporaryPath, error)
        }
        let file = OpenFile(name: name, durable: durable, writer: writer)
        current = file
        return file
    }

    private func closeCurrent() throws(DataFileError) {
        guard let file = current else { return }
        current = nil
        let footer: FileMetaData
        do { footer = try file.writer.close() } catch {
            file.durable.discard()
            throw .parquet(file.temporaryPath, error)
        }
        do { try file.durable.publish() } catch {
            throw .io(directory + "/" + file.name, "cannot move the finished file into place: \(error)")
        }
        var nanCounts = DataFileMetrics.nanCounts(footer: footer, parquetSchema: parquetSchema)
        nanCounts.merge(file.manifestNaNCounts, uniquingKeysWith: +)
        for id in file.unknownNaNCounts { nanCounts[id] = nil }
        let dataFile = DataFileMetrics.dataFile(
            path: directory + "/" + file.name, size: Int64(file.writer.writtenBytes), footer: footer, parquetSchema: parquetSchema,
            schema: schema, config: properties.metrics, nanCounts: nanCounts, specId: specId, partition: partition,
            sortOrderId: sortOrderId)
        written.append(dataFile)
    }
}

/// A data file being written.
private final class OpenFile {
    let name: String
    let durable: DurableFile
    let writer: ParquetFileWriter
    /// In-memory bytes of the rows written so far.
    var rawBytes = 0.0
    /// NaN counts of copied row groups whose chunks do not count them, from their inputs' manifests.
    var manifestNaNCounts: [Int: Int64] = [:]
    /// Float columns with copied row groups whose NaNs nobody counted: the file states no NaN count for them.
    var unknownNaNCounts: Set<Int> = []

    var temporaryPath: String { durable.temporaryPath }

    init(name: String, durable: DurableFile, writer: ParquetFileWriter) {
        self.name = name
        self.durable = durable
        self.writer = writer
    }
}
