import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Storage
import Testing

/// Commits for the delete interop tests: one snapshot adding a manifest of new files on top of the current ones,
/// assembled as `RewriteManifestsAction` does (manifest, manifest list, metadata committed through the catalog).
enum DeletesInteropSupport {
    static func commit(
        _ files: [DataFile], content: ManifestFile.Content, operation: Snapshot.Operation, table identifier: TableIdentifier,
        catalog: SQLCatalog
    ) async throws -> LoadedTable {
        let base = try await catalog.loadTable(identifier)
        let metadata = base.metadata
        let schema = try #require(metadata.currentSchema)
        let spec = try #require(metadata.defaultSpec)
        let snapshotId = metadata.newSnapshotId()
        let sequenceNumber = metadata.lastSequenceNumber + 1
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let existing = try await TableScan(table: base, storage: catalog.storage)?.manifests() ?? []
        let entries = files.map {
            ManifestEntry(status: .added, snapshotId: snapshotId, sequenceNumber: nil, fileSequenceNumber: nil, dataFile: $0)
        }
        let bytes = try ManifestWriter.manifest(entries: entries, content: content, spec: spec, schema: schema,
            formatVersion: metadata.formatVersion, properties: metadata.properties)
        let commitUUID = UUID().uuidString.lowercased()
        let manifestPath = "\(metadata.metadataDirectory)/\(commitUUID)-m0.avro"
        try await catalog.storage.write(manifestPath, bytes: bytes, mode: .createNew)
        let rows = files.reduce(Int64(0)) { $0 + $1.recordCount }
        var manifest = ManifestFile(path: manifestPath, length: Int64(bytes.count), partitionSpecId: spec.specId,
            content: content, sequenceNumber: sequenceNumber, minSequenceNumber: sequenceNumber, addedSnapshotId: snapshotId)
        manifest.addedFilesCount = files.count
        manifest.existingFilesCount = 0
        manifest.deletedFilesCount = 0
        manifest.addedRowsCount = rows
        manifest.existingRowsCount = 0
        manifest.deletedRowsCount = 0
        manifest.partitions = try PartitionSummaries.summaries(of: files, spec: spec, schema: schema)
        var summary = metadata.currentSnapshot?.summary.properties.filter { $0.key.hasPrefix("total-") } ?? [:]
        func add(_ key: String, _ value: Int64) {
            summary["added-\(key)"] = String(value)
            summary["total-\(key)"] = String((Int64(summary["total-\(key)"] ?? "") ?? 0) + value)
        }
        if content == .data {
            add("data-files", Int64(files.count))
            add("records", rows)
        } else {
            add("delete-files", Int64(files.count))
            add("position-deletes", rows)
            summary["added-position-delete-files"] = String(files.count)
        }
        var snapshot = Snapshot(
            snapshotId: snapshotId, parentSnapshotId: metadata.currentSnapshotId, sequenceNumber: sequenceNumber,
            timestampMs: nowMs, manifestList: "\(metadata.metadataDirectory)/snap-\(snapshotId)-1-\(commitUUID).avro",
            summary: .init(operation: operation, properties: summary), schemaId: schema.schemaId)
        if metadata.formatVersion >= 3 {
            snapshot.firstRowId = metadata.nextRowId ?? 0
            snapshot.addedRows = content == .data ? rows : 0
            if content == .data { manifest.firstRowId = snapshot.firstRowId }
        }
        let list = try ManifestWriter.manifestList(manifests: [manifest] + existing, snapshot: snapshot,
            formatVersion: metadata.formatVersion, properties: metadata.properties)
        try await catalog.storage.write(snapshot.manifestList!, bytes: list, mode: .createNew)
        return try await catalog.commit(identifier, base: base,
            metadata: metadata.committing(snapshot, previousMetadataLocation: base.metadataLocation, nowMs: nowMs))
    }

    /// The local path of a `file://` location.
    static func path(_ location: String) -> String {
        location.hasPrefix("file://") ? String(location.dropFirst("file://".count)) : location
    }

    /// The `id` column (field 1, int64) of a Parquet data file.
    static func ids(_ location: String) throws -> [Int64] {
        let reader = try ParquetFileReader(path: path(location))
        guard case .int64(let ids) = try reader.readColumns(try reader.columnIndices(fieldIDs: [1]))[0].values else {
            throw IcebergError.invalidFile(location, "id is not an int64 column")
        }
        return ids
    }

    /// Every live data file of the table's current snapshot with the deletes that apply to it.
    static func tasks(_ table: LoadedTable, storage: any Storage) async throws -> [TableScan.FileTask] {
        guard let scan = try TableScan(table: table, storage: storage) else { return [] }
        let manifests = try await scan.manifests()
        let deletes = try await scan.deleteIndex(manifests: manifests)
        var tasks: [TableScan.FileTask] = []
        try await scan.forEachFile(manifests: manifests, deletes: deletes) { tasks.append($0) }
        return tasks.sorted { $0.file.filePath < $1.file.filePath }
    }

    /// A data file of the `db.v3` schema (id, name = "n<id>") written with amoro's Parquet writer, with its metrics.
    static func writeDataFile(ids: [Int64], to location: String, storage: any Storage) async throws -> DataFile {
        var names = ByteArrays()
        for id in ids { names.append(Array("n\(id)".utf8)) }
        let sink = MemorySink()
        let writer = try ParquetFileWriter(schema: try ParquetSchema([
            .primitive("id", .int64, repetition: .required, fieldID: 1),
            .primitive("name", .byteArray, repetition: .optional, logicalType: .string, fieldID: 2),
        ]), sink: sink)
        try writer.write([ColumnData(values: .int64(ids)),
            ColumnData(values: .byteArray(names), definitionLevels: Array(repeating: 1, count: ids.count))])
        try writer.close()
        try await storage.write(location, bytes: sink.bytes, mode: .createNew)
        var file = DataFile(content: .data, filePath: location, fileFormat: "PARQUET", specId: 0, partition: [],
            recordCount: Int64(ids.count), fileSizeInBytes: Int64(sink.bytes.count))
        file.valueCounts = [1: Int64(ids.count), 2: Int64(ids.count)]
        file.nullValueCounts = [1: 0, 2: 0]
        file.lowerBounds = [1: Literal.long(ids.min()!).binary]
        file.upperBounds = [1: Literal.long(ids.max()!).binary]
        return file
    }

    /// A v3 table built by amoro alone in `root` (catalog `default`, table `db.v3`): two data files written with
    /// amoro's Parquet writer, then one Puffin file with a deletion vector for each, committed as a `delete`
    /// snapshot. Returns the table after the deletes and the ids that survive them.
    static func makeV3TableWithDeletionVectors(_ root: URL) async throws -> (SQLCatalog, LoadedTable, [Int64]) {
        let catalog = try SQLCatalog(name: "default", databasePath: root.appendingPathComponent("catalog.db").path,
            warehouse: "file://\(root.path)", storage: LocalStorage())
        try await catalog.createNamespace(["db"])
        let identifier = try #require(TableIdentifier(parsing: "db.v3"))
        let schema = Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
            NestedField(id: 2, name: "name", isRequired: false, type: .primitive(.string)),
        ])
        let created = try await catalog.createTable(identifier, metadata: .newTable(
            location: catalog.defaultLocation(for: identifier), uuid: UUID().uuidString.lowercased(), schema: schema,
            formatVersion: 3, nowMs: Int64(Date().timeIntervalSince1970 * 1000)))
        var dataFiles: [DataFile] = []
        for (index, ids) in [Array(Int64(0)..<Int64(20)), Array(Int64(100)..<Int64(110))].enumerated() {
            dataFiles.append(try await writeDataFile(ids: ids, to: "\(created.metadata.location)/data/amoro-\(index).parquet",
                storage: catalog.storage))
        }
        _ = try await commit(dataFiles, content: .data, operation: .append, table: identifier, catalog: catalog)
        let all = (0..<20).map(Int64.init) + (100..<110).map(Int64.init)
        let doomed: Set<Int64> = [0, 2, 19, 105]
        var vectors: [DeletionVector.Vector] = []
        for file in dataFiles {
            let ids = try self.ids(file.filePath)
            vectors.append(.init(dataFilePath: file.filePath,
                positions: RoaringPositionBitmap(ids.indices.filter { doomed.contains(ids[$0]) }.map(Int64.init)),
                specId: file.specId, partition: file.partition))
        }
        let vectorFiles = try await DeletionVector.write(vectors, to: "\(created.metadata.location)/data/amoro-dvs.puffin",
            storage: catalog.storage)
        let committed = try await commit(vectorFiles, content: .deletes, operation: .delete, table: identifier, catalog: catalog)
        return (catalog, committed, all.filter { !doomed.contains($0) })
    }
}
