import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage

/// A table of a SQLite catalog built by writing its files directly (the maintenance benchmarks need thousands of
/// snapshots and files in seconds, which commits through a catalog one by one cannot give). Every data file is a
/// copy of one template Parquet file with the schema `id long, ts timestamp, note string` (field ids 1, 2, 3);
/// manifests and manifest lists are amoro's own writers' output. Files are written without fsync: a benchmark
/// table needs no durability.
struct BenchTableBuilder {
    static let schema = Schema(schemaId: 0, fields: [
        NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long)),
        NestedField(id: 2, name: "ts", isRequired: false, type: .primitive(.timestamp)),
        NestedField(id: 3, name: "note", isRequired: false, type: .primitive(.string)),
    ])
    static let spec = PartitionSpec(specId: 0, fields: [])

    let catalog: SQLCatalog
    let base: LoadedTable
    let template: [UInt8]
    let templateRows: Int64
    /// The metadata being built: snapshots are appended to it, and `commit()` stores it.
    private(set) var metadata: TableMetadata
    private var createdDirectories: Set<String> = []
    private var nextId: Int64 = 1

    /// The table location: `<warehouse>/<namespace>/<name>`.
    var location: String { base.metadata.location }

    /// Creates table `namespace.name` in the catalog `catalogName` of `warehouse/catalog.db` (created too).
    static func create(
        warehouse: String, catalogName: String, namespace: String, name: String, templatePath: String, templateRows: Int64,
        nowMs: Int64
    ) async throws -> BenchTableBuilder {
        try FileManager.default.createDirectory(atPath: warehouse, withIntermediateDirectories: true)
        let catalog = try SQLCatalog(name: catalogName, databasePath: "\(warehouse)/catalog.db", warehouse: "file://\(warehouse)",
            storage: LocalStorage())
        try await catalog.createNamespace([namespace])
        let identifier = TableIdentifier(namespace: [namespace], name: name)
        let base = try await catalog.createTable(identifier, metadata: .newTable(location: catalog.defaultLocation(for: identifier),
            uuid: UUID().uuidString.lowercased(), schema: schema, spec: spec, nowMs: nowMs))
        let template = try [UInt8](Data(contentsOf: URL(fileURLWithPath: templatePath)))
        return BenchTableBuilder(catalog: catalog, base: base, template: template, templateRows: templateRows, metadata: base.metadata)
    }

    private init(catalog: SQLCatalog, base: LoadedTable, template: [UInt8], templateRows: Int64, metadata: TableMetadata) {
        self.catalog = catalog
        self.base = base
        self.template = template
        self.templateRows = templateRows
        self.metadata = metadata
    }

    /// A fresh snapshot id (sequential, so two runs of a generator build the same table).
    mutating func newSnapshotId() -> Int64 {
        defer { nextId += 1 }
        return 1_000_000_000 + nextId
    }

    /// Writes a copy of the template at `relativePath` under the table location and returns its data file.
    mutating func writeDataFile(_ relativePath: String) throws -> DataFile {
        let path = "\(location)/\(relativePath)"
        try writeFile(path, bytes: template)
        return DataFile(content: .data, filePath: path, fileFormat: "PARQUET", specId: 0, partition: [],
            recordCount: templateRows, fileSizeInBytes: Int64(template.count))
    }

    /// Writes `bytes` at `path` (a `file://` location or a plain path), creating its directory when needed.
    mutating func writeFile(_ path: String, bytes: [UInt8]) throws {
        let local = Self.localPath(path)
        let directory = String(local[..<local.lastIndex(of: "/")!])
        if !createdDirectories.contains(directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            createdDirectories.insert(directory)
        }
        // Plain POSIX: Foundation's createFile writes a temporary file and renames it, ten times slower here.
        let descriptor = open(local, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BenchError(description: "cannot create \(local): errno \(errno)") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw BenchError(description: "cannot write \(local): errno \(errno)") }
    }

    /// The local path of a `file://` location (plain paths as they are).
    static func localPath(_ location: String) -> String {
        location.hasPrefix("file://") ? String(location.dropFirst("file://".count)) : location
    }

    /// Writes a data manifest of `entries` for the snapshot `snapshotId` with `sequenceNumber` and returns its
    /// manifest-list record (counts and minimum sequence number from the entries).
    mutating func writeManifest(_ entries: [ManifestEntry], name: String, snapshotId: Int64, sequenceNumber: Int64) throws
        -> ManifestFile
    {
        let bytes = try ManifestWriter.manifest(entries: entries, content: .data, spec: Self.spec, schema: Self.schema,
            formatVersion: 2, properties: [:])
        let path = "\(location)/metadata/\(name)"
        try writeFile(path, bytes: bytes)
        let live = entries.filter { $0.status != .deleted }
        var manifest = ManifestFile(path: path, length: Int64(bytes.count), partitionSpecId: 0, content: .data,
            sequenceNumber: sequenceNumber,
            minSequenceNumber: live.map { $0.sequenceNumber ?? sequenceNumber }.min() ?? sequenceNumber,
            addedSnapshotId: snapshotId)
        func count(_ status: ManifestEntry.Status) -> (files: Int, rows: Int64) {
            let matching = entries.filter { $0.status == status }
            return (matching.count, matching.reduce(0) { $0 + $1.dataFile.recordCount })
        }
        (manifest.addedFilesCount, manifest.addedRowsCount) = count(.added)
        (manifest.existingFilesCount, manifest.existingRowsCount) = count(.existing)
        (manifest.deletedFilesCount, manifest.deletedRowsCount) = count(.deleted)
        manifest.partitions = []
        return manifest
    }

    /// Writes the manifest list of a new snapshot on `main` and appends the snapshot to the metadata (parent: the
    /// current snapshot; sequence number: the next one).
    @discardableResult
    mutating func addSnapshot(
        id snapshotId: Int64, manifests: [ManifestFile], operation: Snapshot.Operation, summary: [String: String], timestampMs: Int64
    ) throws -> Snapshot {
        let sequenceNumber = metadata.lastSequenceNumber + 1
        let snapshot = Snapshot(snapshotId: snapshotId, parentSnapshotId: metadata.currentSnapshotId, sequenceNumber: sequenceNumber,
            timestampMs: timestampMs,
            manifestList: "\(location)/metadata/snap-\(snapshotId)-1-\(UUID().uuidString.lowercased()).avro",
            summary: .init(operation: operation, properties: summary), schemaId: 0)
        try writeFile(snapshot.manifestList!, bytes: try ManifestWriter.manifestList(manifests: manifests, snapshot: snapshot,
            formatVersion: 2, properties: [:]))
        // Appended in place: `TableMetadata.committing` copies the metadata, quadratic over thousands of snapshots.
        metadata.snapshots.append(snapshot)
        metadata.snapshotLog.append(SnapshotLogEntry(timestampMs: timestampMs, snapshotId: snapshotId))
        metadata.refs["main"] = SnapshotRef(snapshotId: snapshotId, kind: .branch)
        metadata.currentSnapshotId = snapshotId
        metadata.lastSequenceNumber = sequenceNumber
        metadata.lastUpdatedMs = max(metadata.lastUpdatedMs, timestampMs)
        return snapshot
    }

    /// The sequence number the next snapshot gets.
    var nextSequenceNumber: Int64 { metadata.lastSequenceNumber + 1 }

    /// Commits the built metadata through the catalog (one new metadata file; the first one is in its log).
    func commit(nowMs: Int64) async throws {
        var next = metadata
        next.lastUpdatedMs = max(next.lastUpdatedMs, nowMs)
        next.metadataLog.append(MetadataLogEntry(timestampMs: base.metadata.lastUpdatedMs, metadataFile: base.metadataLocation))
        _ = try await catalog.commit(base.identifier, base: base, metadata: next)
    }
}
