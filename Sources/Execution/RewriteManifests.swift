import Foundation
import Iceberg
import IcebergSpec
import Storage

/// Rewrites a snapshot's manifests into one manifest per (content, partition spec) holding every live file as
/// EXISTING, and commits that as a `replace` snapshot: the table's rows do not change, its manifest count does.
/// This is Iceberg's `rewrite_manifests`, and the simplest commit that proves the manifests amoro writes are read
/// by every engine.
package enum RewriteManifests {
    package struct Result: Sendable {
        package var snapshotId: Int64
        package var manifestsBefore: Int
        package var manifestsAfter: Int
        package var metadataLocation: String
    }

    package static func run(_ identifier: TableIdentifier, catalog: any Catalog, nowMs: Int64) async throws(AmoroError) -> Result? {
        let base: LoadedTable
        do { base = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        let metadata = base.metadata
        let scan: TableScan
        do {
            guard let found = try TableScan(table: base, storage: catalog.storage) else { return nil }
            scan = found
        } catch { throw .iceberg(error) }
        guard let schema = metadata.currentSchema else {
            throw .iceberg(.invalidFile(base.metadataLocation, "has no current schema"))
        }
        let commitUUID = UUID().uuidString.lowercased()
        let snapshotId = metadata.newSnapshotId()
        guard metadata.lastSequenceNumber < .max else {
            throw .iceberg(.invalidFile(base.metadataLocation, "has last-sequence-number \(metadata.lastSequenceNumber): no next one"))
        }
        let sequenceNumber = metadata.formatVersion >= 2 ? metadata.lastSequenceNumber + 1 : 0
        var written: [String] = []
        do {
            let manifests = try await scan.manifests()
            // Group live entries by content and spec, keeping each entry's sequence numbers explicit (EXISTING).
            var groups: [ManifestGroupKey: [ManifestEntry]] = [:]
            for manifest in manifests {
                for entry in try await scan.entries(of: manifest) where entry.isLive {
                    var existing = entry
                    existing.status = .existing
                    groups[ManifestGroupKey(content: manifest.content, specId: manifest.partitionSpecId), default: []].append(existing)
                }
            }
            var newManifests: [ManifestFile] = []
            for (index, key) in groups.keys.sorted().enumerated() {
                let entries = groups[key]!
                guard let spec = metadata.spec(id: key.specId) else {
                    throw IcebergError.invalidFile(base.metadataLocation, "has no partition spec \(key.specId)")
                }
                let bytes = try ManifestWriter.manifest(entries: entries, content: key.content, spec: spec, schema: schema,
                    formatVersion: metadata.formatVersion, properties: metadata.properties)
                let path = "\(metadata.metadataDirectory)/\(commitUUID)-m\(index).avro"
                try await write(bytes, to: path, storage: catalog.storage)
                written.append(path)
                var manifest = ManifestFile(path: path, length: Int64(bytes.count), partitionSpecId: key.specId,
                    content: key.content, sequenceNumber: sequenceNumber,
                    minSequenceNumber: entries.compactMap(\.sequenceNumber).min() ?? sequenceNumber, addedSnapshotId: snapshotId)
                manifest.addedFilesCount = 0
                manifest.existingFilesCount = entries.count
                manifest.deletedFilesCount = 0
                manifest.addedRowsCount = 0
                manifest.existingRowsCount = entries.reduce(0) { $0 + $1.dataFile.recordCount }
                manifest.deletedRowsCount = 0
                manifest.partitions = try PartitionSummaries.summaries(of: entries.map(\.dataFile), spec: spec, schema: schema)
                if metadata.formatVersion >= 3 && key.content == .data { manifest.firstRowId = nil }
                newManifests.append(manifest)
            }
            var summary = scan.snapshot.summary.properties.filter { $0.key.hasPrefix("total-") }
            summary["manifests-created"] = String(newManifests.count)
            summary["manifests-replaced"] = String(manifests.count)
            summary["manifests-kept"] = "0"
            summary["entries-processed"] = String(groups.values.reduce(0) { $0 + $1.count })
            var snapshot = Snapshot(
                snapshotId: snapshotId, parentSnapshotId: scan.snapshot.snapshotId, sequenceNumber: sequenceNumber,
                timestampMs: nowMs, manifestList: "\(metadata.metadataDirectory)/snap-\(snapshotId)-1-\(commitUUID).avro",
                summary: .init(operation: .replace, properties: summary), schemaId: schema.schemaId)
            if metadata.formatVersion >= 3 {
                snapshot.firstRowId = metadata.nextRowId ?? 0
                snapshot.addedRows = 0
            }
            let list = try ManifestWriter.manifestList(manifests: newManifests, snapshot: snapshot,
                formatVersion: metadata.formatVersion, properties: metadata.properties)
            try await write(list, to: snapshot.manifestList!, storage: catalog.storage)
            written.append(snapshot.manifestList!)
            let committed = try await catalog.commit(identifier, base: base,
                metadata: metadata.committing(snapshot, previousMetadataLocation: base.metadataLocation, nowMs: nowMs))
            return Result(snapshotId: snapshotId, manifestsBefore: manifests.count, manifestsAfter: newManifests.count,
                metadataLocation: committed.metadataLocation)
        } catch {
            // Unless the catalog cannot tell whether the commit landed, nothing was committed: what this attempt
            // wrote is unreferenced, remove it.
            if (error as? IcebergError)?.mayHaveCommitted != true { for path in written { try? await catalog.storage.delete(path) } }
            throw AmoroError.from(error, invalidating: base.metadataLocation)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String, storage: any Storage) async throws(IcebergError) {
        do { try await storage.write(path, bytes: bytes, mode: .createNew) } catch { throw .storage(error) }
    }
}

private struct ManifestGroupKey: Hashable, Comparable {
    let content: ManifestFile.Content
    let specId: Int

    static func < (lhs: ManifestGroupKey, rhs: ManifestGroupKey) -> Bool {
        (lhs.content.rawValue, lhs.specId) < (rhs.content.rawValue, rhs.specId)
    }
}
