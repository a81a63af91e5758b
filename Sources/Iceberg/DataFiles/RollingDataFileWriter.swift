import Foundation
import IcebergSpec
import Parquet
import Storage

/// Writes batches of rows to Parquet data files in one directory, rolling to a new file once a file reaches the
/// target size (`self-optimizing.target-size`), and returns an `IcebergSpec.DataFile` with complete metrics for
/// each file written.
///
/// Files are named `<uuid>-<n>.parquet` and written to a hidden temporary name (`.<name>.inprogress`) in the
/// same directory; only a complete file (footer written, file closed) is hard-linked to its final name, so a crash
/// leaves at most a temporary file that no metadata references, and an existing file is never replaced.
/// Row groups are cut at `write.parquet.row-group-size-bytes` of buffered data or earlier when the file would pass
/// the target; the file size is estimated from bytes already written plus buffered bytes times the compression
/// ratio seen so far. Memory is bounded by one row group's buffered data.
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
    private var flushedRaw = 0
    private var flushedBytes = 0

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
        // Feed the batch in slices small enough to stop near the target and the row-group size.
        let step = max(4 << 10, Int(min(Int64(properties.rowGroupBytes), targetFileSize)) / 64)
        let rowsPerSlice = max(1, Int(Int64(batch.rowCount) * Int64(step) / Int64(max(1, batch.estimatedBytes))))
        let layouts = rowsPerSlice < batch.rowCount ? batch.layouts : []
        var start = 0
        while start < batch.rowCount {
            let end = min(batch.rowCount, start + rowsPerSlice)
            let slice = start == 0 && end == batch.rowCount ? batch : batch.rows([start..<end], layouts: layouts)
            try append(slice)
            start = end
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
            unlink(current.temporaryPath)
            self.current = nil
        }
        for file in written {
            if let location = Location(file.filePath) { unlink(location.path) }
        }
        written = []
    }

    private func append(_ slice: DataBatch) throws(DataFileError) {
        let file = try openIfNeeded()
        do { try file.writer.write(slice.columns) } catch { throw .parquet(file.temporaryPath, error) }
        file.pendingRaw += slice.estimatedBytes
        file.countNaNs(slice)
        let ratio = flushedRaw > 0 ? Double(flushedBytes) / Double(flushedRaw) : 1.0
        let estimate = Double(file.sink.count) + Double(file.pendingRaw) * ratio
        if file.pendingRaw >= properties.rowGroupBytes || estimate >= Double(targetFileSize) {
            let before = file.sink.count
            do { try file.writer.flush() } catch { throw .parquet(file.temporaryPath, error) }
            flushedRaw += file.pendingRaw
            flushedBytes += file.sink.count - before
            file.pendingRaw = 0
            let newRatio = Double(flushedBytes) / Double(max(1, flushedRaw))
            let sliceBytes = Double(slice.estimatedBytes) * newRatio
            if Double(file.sink.count) + sliceBytes >= Double(targetFileSize) { try closeCurrent() }
        }
    }

    private func openIfNeeded() throws(DataFileError) -> OpenFile {
        if let current { return current }
        try Self.makeDirectories(localDirectory)
        let name = "\(prefix)-\(fileCount).parquet"
        fileCount += 1
        let temporary = localDirectory + "/." + name + ".inprogress"
        let sink: CountingSink
        do { sink = CountingSink(try FileSink(path: temporary)) } catch { throw .parquet(temporary, error) }
        let writer: ParquetFileWriter
        do {
            writer = try ParquetFileWriter(schema: parquetSchema, sink: sink, options: properties.parquetOptions)
        } catch {
            unlink(temporary)
            throw .parquet(temporary, error)
        }
        let file = OpenFile(
            name: name, temporaryPath: temporary, finalPath: localDirectory + "/" + name, sink: sink, writer: writer,
            parquetSchema: parquetSchema)
        current = file
        return file
    }

    private func closeCurrent() throws(DataFileError) {
        guard let file = current else { return }
        current = nil
        let footer: FileMetaData
        do { footer = try file.writer.close() } catch {
            unlink(file.temporaryPath)
            throw .parquet(file.temporaryPath, error)
        }
        guard link(file.temporaryPath, file.finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(file.temporaryPath)
            throw .io(file.finalPath, "cannot move the finished file into place: \(reason)")
        }
        unlink(file.temporaryPath)
        var dataFile = DataFile(
            content: .data, filePath: directory + "/" + file.name, fileFormat: "PARQUET", specId: specId,
            partition: partition, recordCount: footer.numRows, fileSizeInBytes: Int64(file.sink.count))
        dataFile.sortOrderId = sortOrderId
        dataFile.splitOffsets = footer.rowGroups.map { group in
            if let offset = group.fileOffset, offset > 0 { return offset }
            guard let metadata = group.columns.first?.metaData else { return 0 }
            return metadata.dictionaryPageOffset ?? metadata.dataPageOffset
        }
        DataFileMetrics.apply(
            footer: footer, parquetSchema: parquetSchema, schema: schema, config: properties.metrics,
            nanCounts: file.nanCounts, to: &dataFile)
        written.append(dataFile)
    }

    private static func makeDirectories(_ path: String) throws(DataFileError) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(prefix, "cannot create the directory: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// A data file being written.
private final class OpenFile {
    let name: String
    let temporaryPath: String
    let finalPath: String
    let sink: CountingSink
    let writer: ParquetFileWriter
    var pendingRaw = 0
    var nanCounts: [Int: Int64] = [:]
    private let floatColumns: [(index: Int, id: Int)]

    init(name: String, temporaryPath: String, finalPath: String, sink: CountingSink, writer: ParquetFileWriter,
        parquetSchema: ParquetSchema)
    {
        self.name = name
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        self.sink = sink
        self.writer = writer
        self.floatColumns = parquetSchema.columns.enumerated().compactMap { index, column in
            guard column.physicalType == .float || column.physicalType == .double, let id = column.fieldID else { return nil }
            return (index, Int(id))
        }
        for column in floatColumns { nanCounts[column.id] = 0 }
    }

    func countNaNs(_ batch: DataBatch) {
        for (index, id) in floatColumns {
            var count: Int64 = 0
            switch batch.columns[index].values {
            case .float(let values): for value in values where value.isNaN { count += 1 }
            case .double(let values): for value in values where value.isNaN { count += 1 }
            default: break
            }
            nanCounts[id, default: 0] += count
        }
    }
}

/// A file sink that counts the bytes it has been given.
private final class CountingSink: ByteSink {
    private let inner: FileSink
    private(set) var count = 0

    init(_ inner: FileSink) { self.inner = inner }

    func write(_ bytes: [UInt8]) throws(ParquetError) {
        try inner.write(bytes)
        count += bytes.count
    }

    func close() throws(ParquetError) { try inner.close() }
}
