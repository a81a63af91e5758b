import Avro
import IcebergSpec
import Storage

/// The files of one snapshot: its manifests, its delete index, and its live data files with the deletes that
/// apply to each (spec "Scan Planning").
///
/// Data manifests are read one at a time and handed to the caller file by file, so memory grows with the
/// largest manifest and the delete files, not with the table.
package struct TableScan: Sendable {
    package let table: LoadedTable
    package let snapshot: Snapshot
    package let storage: any Storage

    /// A live data file with its data sequence number and the delete files that apply to it.
    package struct FileTask: Sendable {
        package var entry: ManifestEntry
        package var deletes: [DeleteIndex.Delete]

        package init(entry: ManifestEntry, deletes: [DeleteIndex.Delete]) {
            self.entry = entry
            self.deletes = deletes
        }

        package var file: DataFile { entry.dataFile }
        package var sequenceNumber: Int64 { entry.sequenceNumber ?? 0 }
    }

    /// A scan of the table's current snapshot, or of the snapshot a ref or id names; nil for a table without
    /// snapshots.
    package init?(table: LoadedTable, storage: any Storage, ref: String? = nil, snapshotId: Int64? = nil) throws(IcebergError) {
        let metadata = table.metadata
        let snapshot: Snapshot?
        if let snapshotId {
            guard let found = metadata.snapshot(id: snapshotId) else {
                throw .invalidFile(table.metadataLocation, "has no snapshot \(snapshotId)")
            }
            snapshot = found
        } else if let ref {
            guard metadata.refs[ref] != nil else { throw .invalidFile(table.metadataLocation, "has no branch or tag '\(ref)'") }
            snapshot = metadata.snapshot(ref: ref)
        } else {
            snapshot = metadata.currentSnapshot
        }
        guard let snapshot else { return nil }
        self.table = table
        self.snapshot = snapshot
        self.storage = storage
    }

    /// The snapshot's manifests (from its manifest list, or v1's inline list).
    package func manifests() async throws(IcebergError) -> [ManifestFile] {
        if let list = snapshot.manifestList {
            return try ManifestReader.manifestList(try await read(list), location: list)
        }
        var manifests: [ManifestFile] = []
        for path in snapshot.manifests ?? [] {
            // v1 inline manifests carry their spec id only in the Avro header.
            let bytes = try await read(path)
            let specId: Int
            do {
                let reader = try AvroFileReader(bytes: bytes)
                specId = reader.header.metadataString("partition-spec-id").flatMap { Int($0) } ?? 0
            } catch { throw .invalidFile(path, "\(error)") }
            manifests.append(ManifestFile(path: path, length: Int64(bytes.count), partitionSpecId: specId, content: .data,
                sequenceNumber: 0, minSequenceNumber: 0, addedSnapshotId: snapshot.snapshotId))
        }
        return manifests
    }

    /// The entries of one manifest (all of its fields unless a projection says otherwise).
    package func entries(of manifest: ManifestFile, projection: ManifestReader.Projection = .all) async throws(IcebergError)
        -> [ManifestEntry]
    {
        guard let spec = table.metadata.spec(id: manifest.partitionSpecId) else {
            throw .invalidFile(manifest.path, "uses partition spec \(manifest.partitionSpecId), which the table does not have")
        }
        let partitionType: StructType
        do {
            partitionType = try spec.partitionType(schema: try schemaForSpec())
        } catch { throw .invalidFile(manifest.path, "partition spec \(spec.specId): \(error)") }
        let bytes = try await read(manifest.path)
        return try ManifestReader.entries(
            bytes, manifest: manifest, partitionType: partitionType, location: manifest.path, projection: projection)
    }

    /// The live delete entries of the snapshot's delete manifests (with what planning needs, bounds included).
    package func liveDeleteEntries(manifests: [ManifestFile]) async throws(IcebergError) -> [ManifestEntry] {
        var deletes: [ManifestEntry] = []
        for manifest in manifests where manifest.content == .deletes && manifest.mayHaveLiveFiles {
            deletes += try await entries(of: manifest, projection: .planning(bounds: true)).filter(\.isLive)
        }
        return deletes
    }

    /// The delete index of the snapshot, from its delete manifests.
    package func deleteIndex(manifests: [ManifestFile]) async throws(IcebergError) -> DeleteIndex {
        deleteIndex(entries: try await liveDeleteEntries(manifests: manifests))
    }

    /// The delete index of the snapshot's live delete entries (as `liveDeleteEntries` returns them).
    package func deleteIndex(entries deletes: [ManifestEntry]) -> DeleteIndex {
        let unpartitioned = Set(table.metadata.partitionSpecs.filter(\.isUnpartitioned).map(\.specId))
        var fieldTypes: [Int: PrimitiveType] = [:]
        for schema in table.metadata.schemas.sorted(by: { $0.schemaId < $1.schemaId }) {
            for (id, entry) in schema.fieldsById() {
                if case .primitive(let type) = entry.field.type { fieldTypes[id] = type }
            }
        }
        return DeleteIndex(deletes: deletes, unpartitionedSpecIds: unpartitioned, fieldTypes: fieldTypes)
    }

    /// Calls `body` for every live data file with its deletes, one data manifest at a time. By default only what
    /// planning needs is read (bounds only when equality deletes may be pruned with them).
    package func forEachFile(
        manifests: [ManifestFile], deletes: DeleteIndex, projection: ManifestReader.Projection? = nil,
        _ body: (FileTask) throws(IcebergError) -> Void
    ) async throws(IcebergError) {
        let projection = projection ?? .planning(bounds: deletes.hasEqualityDeletes)
        for manifest in manifests where manifest.content == .data && manifest.mayHaveLiveFiles {
            for entry in try await entries(of: manifest, projection: projection) where entry.isLive && entry.dataFile.content == .data {
                try body(FileTask(entry: entry, deletes: deletes.deletes(for: entry.dataFile, sequenceNumber: entry.sequenceNumber ?? 0)))
            }
        }
    }

    /// Partition source columns may have been dropped from the current schema: search every schema, newest first.
    private func schemaForSpec() throws(IcebergError) -> Schema {
        let schemas = table.metadata.schemas.sorted { $0.schemaId > $1.schemaId }
        var fields: [Int: NestedField] = [:]
        for schema in schemas {
            for field in schema.fields where fields[field.id] == nil { fields[field.id] = field }
        }
        var merged = table.metadata.currentSchema ?? schemas[0]
        let present = Set(merged.fieldsById().keys)
        merged.fields += fields.values.filter { !present.contains($0.id) }.sorted { $0.id < $1.id }
        return merged
    }

    private func read(_ location: String) async throws(IcebergError) -> [UInt8] {
        do { return try await storage.read(location) } catch { throw .storage(error) }
    }
}
