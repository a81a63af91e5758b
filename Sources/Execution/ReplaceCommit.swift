import Foundation
import Iceberg
import IcebergSpec
import Planning
import Storage

/// Commits a rewrite as one Iceberg `replace` snapshot, optimistically and safely under concurrent writers.
///
/// What it does, per attempt: reload the table; check the planned snapshot is still an ancestor of the branch
/// head, every file to remove is still live, and no position delete or deletion vector committed since the plan
/// applies to a data file being rewritten (rows would come back); then rewrite only the manifests that hold
/// removed files (DELETED entries for those, EXISTING for the rest; the DELETED entries of manifests left with no
/// live file share one manifest per content and spec), drop manifests with no live file, reuse the rest, add one manifest
/// of new data files (with the planned data sequence number, so equality deletes committed after planning still
/// apply to them) and one of new delete files, write the manifest list and swap the metadata through the catalog.
/// A lost race (`commitConflict`) retries with backoff per `commit.retry.*`; a failed validation does not. Files
/// written for attempts that did not commit are deleted; when the catalog cannot say whether the commit landed
/// (`commitStateUnknown`) they are kept, since the table may reference them now.
package struct ReplaceCommit: Sendable {
    package var identifier: TableIdentifier
    package var plannedSnapshotId: Int64
    /// The data sequence number new data files keep (the planned snapshot's).
    package var dataSequenceNumber: Int64
    package var removedDataFiles: Set<String>
    package var removedDeleteFiles: Set<String>
    package var addedDataFiles: [DataFile]
    package var addedDeleteFiles: [DataFile]
    /// Extra summary properties (`snapshot.producer`, the optimizing level and plan time).
    package var summary: [String: String]
    /// The snapshot's operation: `replace` for rewrites, `delete` for a commit that only removes files by their
    /// content (data expiration).
    package var operation = Snapshot.Operation.replace
    /// A check of the table as loaded for an attempt, run when other commits came after the planned snapshot (a
    /// throw ends the commit); the checks above always run.
    package var validation: (@Sendable (LoadedTable, any Storage) async throws(AmoroError) -> Void)?

    package init(
        identifier: TableIdentifier, plannedSnapshotId: Int64, dataSequenceNumber: Int64, removedDataFiles: Set<String>,
        removedDeleteFiles: Set<String>, addedDataFiles: [DataFile], addedDeleteFiles: [DataFile], summary: [String: String]
    ) {
        self.identifier = identifier
        self.plannedSnapshotId = plannedSnapshotId
        self.dataSequenceNumber = dataSequenceNumber
        self.removedDataFiles = removedDataFiles
        self.removedDeleteFiles = removedDeleteFiles
        self.addedDataFiles = addedDataFiles
        self.addedDeleteFiles = addedDeleteFiles
        self.summary = summary
    }

    /// What was committed.
    package struct Outcome: Sendable {
        package var snapshotId: Int64
        package var metadataLocation: String
        package var attempts: Int
    }

    package func run(catalog: any Catalog, nowMs: @Sendable () -> Int64) async throws(AmoroError) -> Outcome {
        try await CommitRetry.attempts(identifier, catalog: catalog, nowMs: nowMs) { (attempt, base) throws(AmoroError) in
            try await attemptCommit(base: base, catalog: catalog, attempt: attempt, nowMs: nowMs())
        }
    }

    /// One attempt; unless its commit may have landed, a failed attempt deletes what it wrote, which nothing
    /// references.
    private func attemptCommit(base: LoadedTable, catalog: any Catalog, attempt: Int, nowMs: Int64)
        async throws(AmoroError) -> Outcome
    {
        var written: [String] = []
        do {
            return try await attemptCommit(base: base, catalog: catalog, attempt: attempt, nowMs: nowMs, written: &written)
        } catch {
            if !error.mayHaveCommitted { for path in written { try? await catalog.storage.delete(path) } }
            throw error
        }
    }

    /// One attempt; every file it writes is listed in `written` as soon as it exists.
    private func attemptCommit(
        base: LoadedTable, catalog: any Catalog, attempt: Int, nowMs: Int64, written: inout [String]
    ) async throws(AmoroError) -> Outcome {
        let metadata = base.metadata
        guard let head = metadata.currentSnapshot else {
            throw .stalePlan(identifier, "the table has no current snapshot")
        }
        try validateAncestry(metadata, head: head)
        if let validation, head.snapshotId != plannedSnapshotId { try await validation(base, catalog.storage) }
        let storage = catalog.storage
        guard let scan = try wrap({ () throws(IcebergError) in try TableScan(table: base, storage: storage) }) else {
            throw .stalePlan(identifier, "the table has no current snapshot")
        }
        let manifests = try await wrap { () async throws(IcebergError) in try await scan.manifests() }
        try await validateNoNewPositionDeletes(base: base, head: head, storage: storage)
        guard let schema = metadata.currentSchema else { throw .iceberg(.invalidFile(base.metadataLocation, "has no current schema")) }

        try await TableBoundary(tableLocation: metadata.location, storage: storage)
            .checkWritable(directory: metadata.metadataDirectory)
        let snapshotId = metadata.newSnapshotId()
        guard metadata.lastSequenceNumber < .max else {
            throw .iceberg(.invalidFile(base.metadataLocation, "has last-sequence-number \(metadata.lastSequenceNumber): no next one"))
        }
        let sequenceNumber = metadata.formatVersion >= 2 ? metadata.lastSequenceNumber + 1 : 0
        let commitUUID = UUID().uuidString.lowercased()
        func write(_ bytes: [UInt8], _ path: String, _ written: inout [String]) async throws(AmoroError) {
            do { try await storage.write(path, bytes: bytes, mode: .createNew) } catch { throw .iceberg(.storage(error)) }
            written.append(path)
        }

        /// Writes one manifest of this commit and returns its entry in the manifest list.
        func writeManifest(_ entries: [ManifestEntry], content: ManifestFile.Content, spec: PartitionSpec, index: inout Int,
            written: inout [String]) async throws(AmoroError) -> ManifestFile
        {
            let path = "\(metadata.metadataDirectory)/\(commitUUID)-m\(index).avro"
            index += 1
            let bytes = try wrap { () throws(IcebergError) in
                try ManifestWriter.manifest(entries: entries, content: content, spec: spec, schema: schema,
                    formatVersion: metadata.formatVersion, properties: metadata.properties)
            }
            try await write(bytes, path, &written)
            // Added entries carry explicit data sequence numbers; their file sequence numbers inherit this commit's.
            let listed = entries.map { entry in
                entry.status != .added ? entry : entry.inheriting(from: ManifestFile(path: path, length: 0,
                    partitionSpecId: spec.specId, content: content, sequenceNumber: sequenceNumber, minSequenceNumber: 0,
                    addedSnapshotId: snapshotId))
            }
            return try summarize(listed, path: path, length: bytes.count, content: content, spec: spec, schema: schema,
                snapshotId: snapshotId, sequenceNumber: sequenceNumber)
        }
        func spec(_ id: Int, of location: String) throws(AmoroError) -> PartitionSpec {
            guard let spec = metadata.spec(id: id) else { throw .iceberg(.invalidFile(location, "uses unknown partition spec \(id)")) }
            return spec
        }

        // Existing manifests: rewrite those holding removed files, reuse the rest. As in Java, a manifest with no
        // live file is dropped: its DELETED entries belonged to the commit that wrote it. Removed files from
        // manifests that keep nothing live go into one manifest of DELETED entries per content and spec, so a
        // compaction of many small commits leaves a few manifests for readers to open, not one per commit.
        var newManifests: [ManifestFile] = []
        var found = Set<String>()
        var removedCounts = (dataFiles: 0, deleteFiles: 0, records: Int64(0), bytes: Int64(0), positionFiles: 0, vectors: 0,
            equalityFiles: 0, positionRecords: Int64(0), equalityRecords: Int64(0))
        var manifestIndex = 0
        var deletedOnly: [ManifestGroupKey: [ManifestEntry]] = [:]
        for manifest in manifests {
            let entries = try await wrap { () async throws(IcebergError) in try await scan.entries(of: manifest) }
            guard entries.contains(where: \.isLive) else { continue }
            let removedHere = entries.filter { entry in
                entry.isLive
                    && (removedDataFiles.contains(entry.dataFile.filePath) || removedDeleteFiles.contains(entry.dataFile.filePath))
            }
            if removedHere.isEmpty {
                newManifests.append(manifest)
                continue
            }
            var rewritten: [ManifestEntry] = []
            for entry in entries where entry.isLive {
                var carried = entry
                if removedDataFiles.contains(entry.dataFile.filePath) || removedDeleteFiles.contains(entry.dataFile.filePath) {
                    carried.status = .deleted
                    carried.snapshotId = snapshotId
                    found.insert(entry.dataFile.filePath)
                    let file = entry.dataFile
                    // Counts from the table's manifests: saturating, so crafted ones make a wrong total, not a trap.
                    switch file.content {
                    case .data:
                        removedCounts.dataFiles += 1
                        removedCounts.records = removedCounts.records.saturatingAdd(file.recordCount)
                    case .positionDeletes:
                        removedCounts.deleteFiles += 1
                        if file.isDeletionVector { removedCounts.vectors += 1 } else { removedCounts.positionFiles += 1 }
                        removedCounts.positionRecords = removedCounts.positionRecords.saturatingAdd(file.recordCount)
                    case .equalityDeletes:
                        removedCounts.deleteFiles += 1
                        removedCounts.equalityFiles += 1
                        removedCounts.equalityRecords = removedCounts.equalityRecords.saturatingAdd(file.recordCount)
                    }
                    removedCounts.bytes = removedCounts.bytes.saturatingAdd(Self.contentSize(file))
                } else {
                    carried.status = .existing
                }
                rewritten.append(carried)
            }
            let specification = try spec(manifest.partitionSpecId, of: manifest.path)
            if rewritten.allSatisfy({ $0.status == .deleted }) {
                deletedOnly[ManifestGroupKey(content: manifest.content, specId: specification.specId), default: []]
                    .append(contentsOf: rewritten)
                continue
            }
            newManifests.append(try await writeManifest(rewritten, content: manifest.content, spec: specification,
                index: &manifestIndex, written: &written))
        }
        let missing = removedDataFiles.union(removedDeleteFiles).subtracting(found)
        if !missing.isEmpty {
            throw .stalePlan(identifier, "\(missing.count) planned files are no longer live (e.g. \(missing.sorted()[0])): a concurrent commit changed them")
        }
        for (group, entries) in deletedOnly.sorted(by: { $0.key < $1.key }) {
            newManifests.append(try await writeManifest(entries, content: group.content,
                spec: try spec(group.specId, of: base.metadataLocation), index: &manifestIndex, written: &written))
        }

        // New files: one manifest per spec and content.
        for (content, files) in [(ManifestFile.Content.data, addedDataFiles), (.deletes, addedDeleteFiles)] where !files.isEmpty {
            for specId in Set(files.map(\.specId)).sorted() {
                let entries = files.filter { $0.specId == specId }.map { file in
                    ManifestEntry(status: .added, snapshotId: snapshotId,
                        sequenceNumber: content == .data && metadata.formatVersion >= 2 ? dataSequenceNumber : nil,
                        fileSequenceNumber: nil, dataFile: file)
                }
                newManifests.append(try await writeManifest(entries, content: content,
                    spec: try spec(specId, of: base.metadataLocation), index: &manifestIndex, written: &written))
            }
        }

        CrashPoint.afterManifests.reach()
        var snapshot = Snapshot(
            snapshotId: snapshotId, parentSnapshotId: head.snapshotId, sequenceNumber: sequenceNumber, timestampMs: nowMs,
            manifestList: "\(metadata.metadataDirectory)/snap-\(snapshotId)-\(attempt)-\(commitUUID).avro",
            summary: .init(operation: operation, properties: summaryProperties(previous: head.summary.properties, removed: removedCounts)),
            schemaId: schema.schemaId)
        if metadata.formatVersion >= 3 { RowIdRanges.assign(&newManifests, to: &snapshot, nextRowId: metadata.nextRowId ?? 0) }
        let list = try wrap { () throws(IcebergError) in
            try ManifestWriter.manifestList(manifests: newManifests, snapshot: snapshot, formatVersion: metadata.formatVersion,
                properties: metadata.properties)
        }
        try await write(list, snapshot.manifestList!, &written)
        let next = metadata.committing(snapshot, previousMetadataLocation: base.metadataLocation, nowMs: nowMs)
        CrashPoint.beforeSwap.reach()
        let result = try await wrap { () async throws(IcebergError) in
            try await catalog.commit(identifier, base: base, metadata: next)
        }
        CrashPoint.afterSwap.reach()
        return Outcome(snapshotId: snapshotId, metadataLocation: result.metadataLocation, attempts: attempt)
    }

    // MARK: - Validation

    /// The planned snapshot must be the head or one of its ancestors.
    private func validateAncestry(_ metadata: TableMetadata, head: Snapshot) throws(AmoroError) {
        var cursor: Snapshot? = head
        while let snapshot = cursor {
            if snapshot.snapshotId == plannedSnapshotId { return }
            cursor = snapshot.parentSnapshotId.flatMap(metadata.snapshot(id:))
        }
        throw .stalePlan(identifier, "the planned snapshot \(plannedSnapshotId) is not an ancestor of the current snapshot \(head.snapshotId)")
    }

    /// Position deletes and deletion vectors committed after the plan against a data file being rewritten would
    /// be lost by the rewrite (their rows would come back): refuse.
    private func validateNoNewPositionDeletes(base: LoadedTable, head: Snapshot, storage: any Storage) async throws(AmoroError) {
        // Compared canonically: a delete naming `file:/x` applies to the data file `file:///x` all the same.
        let rewritten = Set(removedDataFiles.map(ReachedFile.key))
        var cursor: Snapshot? = head
        while let snapshot = cursor, snapshot.snapshotId != plannedSnapshotId {
            if snapshot.summary.operation != .append {  // appends add no delete files
                let scan = try wrap { () throws(IcebergError) in try TableScan(table: base, storage: storage, snapshotId: snapshot.snapshotId) }
                if let scan {
                    for manifest in try await wrap({ () async throws(IcebergError) in try await scan.manifests() })
                    where manifest.content == .deletes && manifest.addedSnapshotId == snapshot.snapshotId {
                        let entries = try await wrap { () async throws(IcebergError) in
                            try await scan.entries(of: manifest, projection: .planning(bounds: true))
                        }
                        for entry in entries where entry.status == .added && entry.dataFile.content == .positionDeletes {
                            if let target = entry.dataFile.singleTargetDataFile {
                                if rewritten.contains(ReachedFile.key(target)) {
                                    throw .conflict(identifier, "a position delete for \(target) was committed after planning")
                                }
                            } else if !removedDataFiles.isEmpty {
                                throw .conflict(identifier,
                                    "position deletes \(entry.dataFile.filePath) were committed after planning and may apply to rewritten files")
                            }
                        }
                    }
                }
            }
            cursor = snapshot.parentSnapshotId.flatMap(base.metadata.snapshot(id:))
        }
    }

    // MARK: - Summaries

    private func summarize(
        _ entries: [ManifestEntry], path: String, length: Int, content: ManifestFile.Content, spec: PartitionSpec, schema: Schema,
        snapshotId: Int64, sequenceNumber: Int64
    ) throws(AmoroError) -> ManifestFile {
        var manifest = ManifestFile(path: path, length: Int64(length), partitionSpecId: spec.specId, content: content,
            sequenceNumber: sequenceNumber,
            minSequenceNumber: entries.filter(\.isLive).compactMap(\.sequenceNumber).min() ?? sequenceNumber,
            addedSnapshotId: snapshotId)
        func count(_ status: ManifestEntry.Status) -> (Int, Int64) {
            let matching = entries.filter { $0.status == status }
            return (matching.count, matching.reduce(Int64(0)) { $0.saturatingAdd($1.dataFile.recordCount) })
        }
        (manifest.addedFilesCount, manifest.addedRowsCount) = count(.added)
        (manifest.existingFilesCount, manifest.existingRowsCount) = count(.existing)
        (manifest.deletedFilesCount, manifest.deletedRowsCount) = count(.deleted)
        manifest.partitions = try wrap { () throws(IcebergError) in
            try PartitionSummaries.summaries(of: entries.map(\.dataFile), spec: spec, schema: schema)
        }
        return manifest
    }

    /// Java's summary keys: what changed, and totals carried from the parent (left out when they cannot be).
    private func summaryProperties(
        previous: [String: String],
        removed: (dataFiles: Int, deleteFiles: Int, records: Int64, bytes: Int64, positionFiles: Int, vectors: Int, equalityFiles: Int,
            positionRecords: Int64, equalityRecords: Int64)
    ) -> [String: String] {
        var properties = summary
        let addedRecords = addedDataFiles.reduce(Int64(0)) { $0 + $1.recordCount }
        let addedBytes = (addedDataFiles + addedDeleteFiles).reduce(Int64(0)) { $0 + Self.contentSize($1) }
        let addedPositionDeletes = addedDeleteFiles.filter { $0.content == .positionDeletes }
        let addedVectors = addedPositionDeletes.filter(\.isDeletionVector).count
        let addedPositions = addedPositionDeletes.reduce(Int64(0)) { $0 + $1.recordCount }
        func put(_ key: String, _ value: Int64) { if value > 0 { properties[key] = String(value) } }
        put("added-data-files", Int64(addedDataFiles.count))
        put("deleted-data-files", Int64(removed.dataFiles))
        put("added-delete-files", Int64(addedDeleteFiles.count))
        put("removed-delete-files", Int64(removed.deleteFiles))
        put("added-position-delete-files", Int64(addedPositionDeletes.count - addedVectors))
        put("removed-position-delete-files", Int64(removed.positionFiles))
        put("added-dvs", Int64(addedVectors))
        put("removed-dvs", Int64(removed.vectors))
        put("removed-equality-delete-files", Int64(removed.equalityFiles))
        put("added-records", addedRecords)
        put("deleted-records", removed.records)
        put("added-position-deletes", addedPositions)
        put("removed-position-deletes", removed.positionRecords)
        put("removed-equality-deletes", removed.equalityRecords)
        put("added-files-size", addedBytes)
        put("removed-files-size", removed.bytes)
        put("changed-partition-count", Int64(Set((addedDataFiles + addedDeleteFiles).map { PartitionKey(specId: $0.specId, values: $0.partition) }).count))
        func total(_ key: String, plus: Int64, minus: Int64) {
            guard let before = previous[key].flatMap({ Int64($0) }) else { return }
            let (added, overflowed) = before.addingReportingOverflow(plus)
            let (after, underflowed) = added.subtractingReportingOverflow(minus)
            if !overflowed && !underflowed && after >= 0 { properties[key] = String(after) }
        }
        total("total-records", plus: addedRecords, minus: removed.records)
        total("total-files-size", plus: addedBytes, minus: removed.bytes)
        total("total-data-files", plus: Int64(addedDataFiles.count), minus: Int64(removed.dataFiles))
        total("total-delete-files", plus: Int64(addedDeleteFiles.count), minus: Int64(removed.deleteFiles))
        total("total-position-deletes", plus: addedPositions, minus: removed.positionRecords)
        total("total-equality-deletes", plus: 0, minus: removed.equalityRecords)
        return properties
    }

    /// Java's file size in summaries: a deletion vector counts its blob, not the Puffin file holding it.
    private static func contentSize(_ file: DataFile) -> Int64 {
        file.isDeletionVector ? file.contentSizeInBytes ?? file.fileSizeInBytes : file.fileSizeInBytes
    }

    private func wrap<T>(_ body: () throws(IcebergError) -> T) throws(AmoroError) -> T {
        do { return try body() } catch { throw .iceberg(error) }
    }

    private func wrap<T>(_ body: () async throws(IcebergError) -> T) async throws(AmoroError) -> T {
        do { return try await body() } catch { throw .iceberg(error) }
    }
}
