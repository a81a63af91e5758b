import Foundation
import Iceberg
import IcebergSpec
import Storage

/// Writes the new files of one `rewrite-deletes` run and keeps their list, so that a failed run removes them; a dry
/// run builds the delete files in memory (their sizes are exact) and stores nothing.
struct RewriteDeletesWriter {
    let table: LoadedTable
    let layout: RewriteDeletesPlan.Layout
    let settings: DataRewriteSettings
    let storage: any Storage
    let dryRun: Bool
    let partitionPath: @Sendable (DataFile) -> String

    private(set) var written: [RewriteDeletesAction.Written] = []
    private(set) var deleteFiles: [DataFile] = []
    private(set) var dataFiles: [DataFile] = []

    init(table: LoadedTable, layout: RewriteDeletesPlan.Layout, settings: DataRewriteSettings, storage: any Storage,
        dryRun: Bool, partitionPath: @escaping @Sendable (DataFile) -> String)
    {
        self.table = table
        self.layout = layout
        self.settings = settings
        self.storage = storage
        self.dryRun = dryRun
        self.partitionPath = partitionPath
    }

    /// New delete files for `deleted` positions of data files, as the layout says: deletion vectors (one Puffin file
    /// per partition), one position-delete file per data file, or one per partition, rows sorted by (path, pos).
    mutating func writeDeletes(_ deleted: [(file: DataFile, positions: RoaringPositionBitmap)]) async throws(IcebergError) {
        for (partition, members) in Self.byPartition(deleted.filter { !$0.positions.isEmpty }, file: \.file) {
            let first = members[0].file
            let directory = settings.properties.directory(tableLocation: table.metadata.location, partitionPath: partitionPath(first))
            switch layout {
            case .deletionVectors:
                let location = "\(directory)/\(UUID().uuidString.lowercased())-deletes.puffin"
                let (bytes, files) = try DeletionVector.file(members.map {
                    DeletionVector.Vector(dataFilePath: $0.file.filePath, positions: $0.positions, specId: partition.specId,
                        partition: $0.file.partition)
                }, location: location)
                try await store(bytes, files, dataFiles: members.count, partition: first)
            case .dataFile:
                for member in members {
                    let location = DataRewriteSettings.deleteFileLocation(for: member.file.filePath, directory: directory, extension: "parquet")
                    let (bytes, file) = try PositionDeleteFile.file([member.file.filePath: member.positions], location: location,
                        specId: partition.specId, partition: first.partition, options: settings.properties.parquetOptions)
                    try await store(bytes, [file], dataFiles: 1, partition: first)
                }
            case .partition:
                let location = "\(directory)/\(UUID().uuidString.lowercased())-deletes.parquet"
                let positions = Dictionary(members.map { ($0.file.filePath, $0.positions) }) { first, second in
                    var union = first
                    union.formUnion(second)
                    return union
                }
                let (bytes, file) = try PositionDeleteFile.file(positions, location: location, specId: partition.specId,
                    partition: first.partition, options: settings.properties.parquetOptions)
                try await store(bytes, [file], dataFiles: members.count, partition: first)
            }
        }
    }

    /// Rewrites data files without their `deleted` positions, one rolling writer per partition; nothing for a dry run.
    mutating func rewriteData(_ inputs: [(entry: ManifestEntry, positions: RoaringPositionBitmap)], targetSize: Int64) throws {
        guard !dryRun else { return }
        for (partition, members) in Self.byPartition(inputs, file: \.entry.dataFile) {
            let first = members[0].entry.dataFile
            let writer = try RollingDataFileWriter(
                schema: settings.writeSchema, properties: settings.properties, targetFileSize: targetSize,
                directory: settings.properties.directory(tableLocation: table.metadata.location, partitionPath: partitionPath(first)),
                specId: partition.specId, partition: first.partition)
            let files = try DataFileRewrite.run(try members.map { try settings.input($0.entry, deleted: $0.positions) },
                into: writer, nameMapping: settings.nameMapping)
            dataFiles += files
            for file in files {
                written.append(.init(path: file.filePath, kind: "data", partition: partitionPath(first), dataFiles: 1,
                    records: file.recordCount, bytes: file.fileSizeInBytes))
            }
        }
    }

    /// Deletes every file written so far (nothing was committed).
    func removeWritten() async {
        guard !dryRun else { return }
        for path in Set(written.map(\.path)) { try? await storage.delete(path) }
    }

    private mutating func store(_ bytes: [UInt8], _ files: [DataFile], dataFiles: Int, partition first: DataFile) async throws(IcebergError) {
        guard let location = files.first?.filePath else { return }
        if !dryRun {
            do { try await storage.write(location, bytes: bytes, mode: .createNew) } catch { throw .storage(error) }
        }
        deleteFiles += files
        written.append(.init(path: location, kind: DeleteSurvey.kind(of: files[0]), partition: partitionPath(first),
            dataFiles: dataFiles, records: files.reduce(0) { $0 + $1.recordCount }, bytes: Int64(bytes.count)))
    }

    /// Items grouped by their file's partition, groups and items in their first-seen order.
    private static func byPartition<T>(_ items: [T], file: (T) -> DataFile) -> [(PartitionKey, [T])] {
        var groups: [PartitionKey: [T]] = [:]
        var order: [PartitionKey] = []
        for item in items {
            let key = PartitionKey(specId: file(item).specId, values: file(item).partition)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        return order.map { ($0, groups[$0]!) }
    }
}
