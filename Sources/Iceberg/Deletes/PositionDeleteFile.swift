#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import IcebergSpec
import Parquet
import Storage

/// Iceberg v2 position-delete files in Parquet (spec "Position Delete Files"): rows of `file_path` (string, field
/// id 2147483546) and `pos` (long, field id 2147483545), sorted by path then position. An optional deleted-row
/// column is ignored on read and never written.
package enum PositionDeleteFile {
    package static let filePathFieldId = Int32(DataFile.deleteFilePathFieldId)
    package static let positionFieldId: Int32 = 2_147_483_545

    /// The Parquet schema amoro writes: both columns required, with their reserved field ids.
    package static let schema: ParquetSchema = {
        // The two fields are fixed and valid: building the schema cannot fail.
        try! ParquetSchema([
            .primitive("file_path", .byteArray, repetition: .required, logicalType: .string, fieldID: filePathFieldId),
            .primitive("pos", .int64, repetition: .required, fieldID: positionFieldId),
        ])
    }()

    /// The deleted positions per data file path in a position-delete file, only for `paths` when given.
    package static func read(
        _ location: String, storage: any Storage, only paths: Set<String>? = nil
    ) async throws(IcebergError) -> [String: RoaringPositionBitmap] {
        try read(try await StoredParquet.open(location, storage: storage), location: location, only: paths)
    }

    /// The deleted positions per data file path in an opened position-delete file, only for `paths` when given.
    package static func read(
        _ reader: ParquetFileReader, location: String, only paths: Set<String>? = nil
    ) throws(IcebergError) -> [String: RoaringPositionBitmap] {
        let columns = try StoredParquet.columns(
            reader, fieldIds: [filePathFieldId, positionFieldId], names: ["file_path", "pos"], location: location)
        guard reader.schema.columns[columns[0]].physicalType == .byteArray,
            reader.schema.columns[columns[1]].physicalType == .int64
        else { throw .invalidFile(location, "position deletes need a binary file_path and an int64 pos column") }
        var result: [String: RoaringPositionBitmap] = [:]
        var currentPath: [UInt8]? = nil
        var currentKey: String? = nil  // nil while the current path is not wanted
        var current = RoaringPositionBitmap()
        for group in 0..<reader.rowGroupCount {
            let data: [ColumnData]
            do { data = try reader.readRowGroup(group, columns: columns) } catch {
                throw .invalidFile(location, error.description)
            }
            guard data[0].definitionLevels.allSatisfy({ $0 > 0 }) || data[0].definitionLevels.isEmpty,
                data[1].definitionLevels.allSatisfy({ $0 > 0 }) || data[1].definitionLevels.isEmpty,
                case .byteArray(let filePaths) = data[0].values, case .int64(let positions) = data[1].values,
                filePaths.count == positions.count
            else { throw .invalidFile(location, "position delete rows must have a file_path and a pos") }
            for run in Self.runs(of: filePaths) {
                let path = Array(filePaths[run.lowerBound])
                if path != currentPath {
                    if let key = currentKey, !current.isEmpty { result[key, default: .init()].formUnion(current) }
                    currentPath = path
                    current = RoaringPositionBitmap()
                    let text = String(decoding: path, as: UTF8.self)
                    currentKey = paths.map { $0.contains(text) } ?? true ? text : nil
                }
                guard currentKey != nil else { continue }
                for row in run {
                    let position = positions[row]
                    guard position >= 0 else { throw .invalidFile(location, "negative position \(position) in row \(row)") }
                    current.insert(position)
                }
            }
        }
        if let key = currentKey, !current.isEmpty { result[key, default: .init()].formUnion(current) }
        return result
    }

    /// Ranges of consecutive rows with the same path (rows are sorted by path, so each path is usually one run).
    private static func runs(of paths: ByteArrays) -> [Range<Int>] {
        guard paths.count > 0 else { return [] }
        var runs: [Range<Int>] = []
        paths.data.withUnsafeBytes { data in
            paths.offsets.withUnsafeBufferPointer { offsets in
                var start = 0
                for row in 1..<paths.count {
                    let length = offsets[row + 1] - offsets[row]
                    let previous = offsets[row] - offsets[row - 1]
                    if length != previous
                        || (length > 0 && memcmp(data.baseAddress! + offsets[row], data.baseAddress! + offsets[row - 1], length) != 0)
                    {
                        runs.append(start..<row)
                        start = row
                    }
                }
                runs.append(start..<paths.count)
            }
        }
        return runs
    }

    /// A position-delete file for `positions` (data file path → deleted positions), rows sorted by path (bytewise)
    /// then position, and its manifest entry as it will be once stored at `location`: full metrics for both
    /// columns, and `referenced_data_file` when it targets a single data file.
    package static func file(
        _ positions: [String: RoaringPositionBitmap], location: String, specId: Int, partition: [Literal?],
        options: ParquetWriterOptions = .init()
    ) throws(IcebergError) -> (bytes: [UInt8], dataFile: DataFile) {
        let paths = positions.keys.filter { !(positions[$0]?.isEmpty ?? true) }.sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        guard let first = paths.first, let last = paths.last else {
            throw .invalidFile(location, "a position-delete file needs at least one position")
        }
        let sink = MemorySink()
        var rows: Int64 = 0
        var minimum = Int64.max
        var maximum = Int64.min
        do {
            let writer = try ParquetFileWriter(schema: schema, sink: sink, options: options)
            for path in paths {
                let bitmap = positions[path]!
                let count = Int(bitmap.cardinality)
                let names = Self.repeated(Array(path.utf8), count: count)
                let values = bitmap.positions
                minimum = min(minimum, values.first!)
                maximum = max(maximum, values.last!)
                rows += Int64(count)
                try writer.write([ColumnData(values: .byteArray(names)), ColumnData(values: .int64(values))])
            }
            let metadata = try writer.close()
            var file = DataFile(
                content: .positionDeletes, filePath: location, fileFormat: "PARQUET", specId: specId, partition: partition,
                recordCount: rows, fileSizeInBytes: Int64(sink.bytes.count))
            var sizes: [Int: Int64] = [:]
            for group in metadata.rowGroups {
                for (index, chunk) in group.columns.enumerated() {
                    let id = Int(index == 0 ? filePathFieldId : positionFieldId)
                    sizes[id, default: 0] += chunk.metaData?.totalCompressedSize ?? 0
                }
            }
            let pathId = Int(filePathFieldId)
            let positionId = Int(positionFieldId)
            file.columnSizes = sizes
            file.valueCounts = [pathId: rows, positionId: rows]
            file.nullValueCounts = [pathId: 0, positionId: 0]
            file.lowerBounds = [pathId: Array(first.utf8), positionId: Literal.long(minimum).binary]
            file.upperBounds = [pathId: Array(last.utf8), positionId: Literal.long(maximum).binary]
            if paths.count == 1 { file.referencedDataFile = first }
            return (sink.bytes, file)
        } catch {
            throw .invalidFile(location, error.description)
        }
    }

    /// `count` copies of one path as a byte-array column.
    private static func repeated(_ path: [UInt8], count: Int) -> ByteArrays {
        let length = path.count
        let data = [UInt8](unsafeUninitializedCapacity: count * length) { buffer, initialized in
            path.withUnsafeBufferPointer { source in
                if length > 0 {
                    for index in 0..<count { (buffer.baseAddress! + index * length).initialize(from: source.baseAddress!, count: length) }
                }
            }
            initialized = count * length
        }
        return ByteArrays(offsets: (0...count).map { $0 * length }, data: data)
    }

    /// Writes `file(...)` to storage (the location must not exist yet) and returns its manifest entry.
    package static func write(
        _ positions: [String: RoaringPositionBitmap], to location: String, storage: any Storage, specId: Int,
        partition: [Literal?], options: ParquetWriterOptions = .init()
    ) async throws(IcebergError) -> DataFile {
        let (bytes, dataFile) = try file(positions, location: location, specId: specId, partition: partition, options: options)
        do { try await storage.write(location, bytes: bytes, mode: .createNew) } catch { throw .storage(error) }
        return dataFile
    }
}
