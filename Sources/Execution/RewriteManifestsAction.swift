import Foundation
import Iceberg
import IcebergSpec
import Planning
import Storage

/// Executes `amoro rewrite-manifests` on one table, Iceberg's `RewriteManifests` as amoro does it: the current
/// snapshot's small manifests (`ManifestRewritePlan`) are replaced, per content kind and partition spec, by
/// manifests of about `commit.manifest.target-size-bytes` whose live entries are clustered by partition. Every
/// entry is carried as EXISTING with its snapshot id, data and file sequence numbers, first-row-id and metrics
/// exactly as read (DELETED entries, which scans ignore, are dropped as Java drops them); no data file changes. How
/// many manifests a group becomes is decided from its entries encoded as one manifest (the manifest list's lengths
/// count a header per manifest, which dominates one-entry manifests); a group that would not shrink is left alone.
///
/// The commit is a `replace` snapshot (`manifests-created`, `manifests-kept`, `manifests-replaced`,
/// `entries-processed` in its summary, `snapshot.producer=REWRITE_MANIFESTS`). It is made against the head as it is
/// at commit time: every manifest the head has that was not replaced is kept, so a concurrent append keeps its
/// files; a concurrent commit that rewrote or dropped a replaced manifest (an overwrite, a delete, another rewrite)
/// is refused (`.conflict`), since the entries read are no longer the table's. A lost race retries per
/// `commit.retry.*`, reusing the manifests and writing a new manifest list.
package enum RewriteManifestsAction {
    package static let producer = "REWRITE_MANIFESTS"

    package struct Options: Sendable {
        package var dryRun: Bool
        /// Rewrite only groups with at least the table's `amoro.rewrite-manifests.trigger.small-manifests` small
        /// manifests (the scheduled run); otherwise any group where the rewrite lowers the count.
        package var triggered: Bool
        /// Overrides `commit.manifest.target-size-bytes`.
        package var targetSizeBytes: Int64?
        package var nowMs: @Sendable () -> Int64

        package init(dryRun: Bool, triggered: Bool, targetSizeBytes: Int64?, nowMs: @escaping @Sendable () -> Int64) {
            self.dryRun = dryRun
            self.triggered = triggered
            self.targetSizeBytes = targetSizeBytes
            self.nowMs = nowMs
        }
    }

    /// A manifest the run replaces.
    package struct Replaced: Sendable, Equatable {
        package var path: String
        package var content: ManifestFile.Content
        package var specId: Int
        package var bytes: Int64
        package var liveEntries: Int64
        package var deletedEntries: Int64

        package init(path: String, content: ManifestFile.Content, specId: Int, bytes: Int64, liveEntries: Int64, deletedEntries: Int64) {
            self.path = path
            self.content = content
            self.specId = specId
            self.bytes = bytes
            self.liveEntries = liveEntries
            self.deletedEntries = deletedEntries
        }
    }

    /// A manifest the run writes (or, for a dry run, would write; its bytes are encoded either way).
    package struct Created: Sendable, Equatable {
        package var path: String
        package var content: ManifestFile.Content
        package var specId: Int
        package var bytes: Int64
        package var entries: Int64
        /// The partitions of its first and last entries.
        package var firstPartition: String
        package var lastPartition: String

        package init(path: String, content: ManifestFile.Content, specId: Int, bytes: Int64, entries: Int64,
            firstPartition: String, lastPartition: String)
        {
            self.path = path
            self.content = content
            self.specId = specId
            self.bytes = bytes
            self.entries = entries
            self.firstPartition = firstPartition
            self.lastPartition = lastPartition
        }
    }

    /// What happened to one table.
    package struct Result: Sendable {
        package enum Status: String, Sendable {
            case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run"
        }
        package var status: Status
        package var tableUUID: String?
        package var plannedSnapshotId: Int64?
        package var snapshotId: Int64?
        package var targetSizeBytes: Int64
        package var manifestsBefore = 0
        package var replaced: [Replaced] = []
        package var created: [Created] = []
        package var commitAttempts = 0
    }

    /// The manifests a rewrite wrote, waiting for their commit.
    package struct Prepared: Sendable {
        package var identifier: TableIdentifier
        package var result: Result
        /// Manifest-list records of the written manifests; sequence number and snapshot id are set per attempt.
        var manifests: [ManifestFile]
    }

    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String] = [:], options: Options
    ) async throws(AmoroError) -> Result {
        let prepared = try await prepare(identifier, catalog: catalog, catalogProperties: catalogProperties, options: options)
        if prepared.result.status != .committed { return prepared.result }
        return try await commit(prepared, catalog: catalog, nowMs: options.nowMs)
    }

    /// Plans the rewrite of the table's current snapshot and writes the new manifests (a dry run encodes them
    /// without writing); its result says `nothing-to-do` when no group needs rewriting.
    package static func prepare(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String] = [:], options: Options
    ) async throws(AmoroError) -> Prepared {
        let table: LoadedTable
        do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        let metadata = table.metadata
        let config = try rewriteConfig(table, identifier: identifier, catalogProperties: catalogProperties)
        let target = options.targetSizeBytes ?? config.targetSizeBytes
        let storage = catalog.storage
        var result = Result(status: .nothingToDo, tableUUID: metadata.tableUUID, targetSizeBytes: target)
        let idle = Prepared(identifier: identifier, result: result, manifests: [])
        guard let scan = try wrap({ () throws(IcebergError) in try TableScan(table: table, storage: storage) }) else { return idle }
        guard let schema = metadata.currentSchema else { throw .iceberg(.invalidFile(table.metadataLocation, "has no current schema")) }
        let manifests = try await wrap { () async throws(IcebergError) in try await scan.manifests() }
        result.plannedSnapshotId = scan.snapshot.snapshotId
        result.manifestsBefore = manifests.count
        let plan = ManifestRewritePlan(manifests: manifests, targetSizeBytes: target,
            minimumSmallManifests: options.triggered ? config.triggerSmallManifests : 2)
        guard !plan.groups.isEmpty else { return Prepared(identifier: identifier, result: result, manifests: []) }
        result.status = options.dryRun ? .dryRun : .committed
        var written: [ManifestFile] = []
        var writtenPaths: [String] = []
        let commitUUID = UUID().uuidString.lowercased()
        do {
            if !options.dryRun {
                try await TableBoundary(tableLocation: metadata.location, storage: storage).checkWritable(directory: metadata.metadataDirectory)
            }
            for group in plan.groups {
                guard let spec = metadata.spec(id: group.specId) else {
                    throw AmoroError.iceberg(.invalidFile(table.metadataLocation, "has no partition spec \(group.specId)"))
                }
                var live: [ManifestEntry] = []
                var replaced: [Replaced] = []
                for manifest in group.replaced {
                    let entries = try await scan.entries(of: manifest)
                    let kept = try entries.filter(\.isLive).map { (entry) throws(IcebergError) in try carried(entry, manifest: manifest, formatVersion: metadata.formatVersion) }
                    live += kept
                    replaced.append(Replaced(path: manifest.path, content: manifest.content, specId: manifest.partitionSpecId,
                        bytes: manifest.length, liveEntries: Int64(kept.count), deletedEntries: Int64(entries.count - kept.count)))
                }
                // The manifest list's lengths include a header per manifest: size the output by encoding the
                // group's entries, clustered, as one manifest; that is the output itself when it fits the target.
                let clustered = ManifestRewritePlan.cluster(live, into: 1).first ?? []
                let whole = try ManifestWriter.manifest(entries: clustered, content: group.content, spec: spec, schema: schema,
                    formatVersion: metadata.formatVersion, properties: metadata.properties)
                let count = clustered.isEmpty ? 0 : ManifestRewritePlan.outputCount(liveBytes: Int64(whole.count), targetSizeBytes: target)
                guard count < replaced.count else { continue }
                result.replaced += replaced
                for run in count == 1 ? [clustered] : ManifestRewritePlan.cluster(clustered, into: count) {
                    let path = "\(metadata.metadataDirectory)/\(commitUUID)-m\(written.count).avro"
                    let bytes = count == 1 ? whole : try ManifestWriter.manifest(entries: run, content: group.content, spec: spec,
                        schema: schema, formatVersion: metadata.formatVersion, properties: metadata.properties)
                    if !options.dryRun {
                        do { try await storage.write(path, bytes: bytes, mode: .createNew) } catch { throw IcebergError.storage(error) }
                        writtenPaths.append(path)
                    }
                    var manifest = ManifestFile(path: path, length: Int64(bytes.count), partitionSpecId: group.specId,
                        content: group.content, sequenceNumber: 0, minSequenceNumber: run.compactMap(\.sequenceNumber).min() ?? 0,
                        addedSnapshotId: 0)
                    manifest.addedFilesCount = 0
                    manifest.existingFilesCount = run.count
                    manifest.deletedFilesCount = 0
                    manifest.addedRowsCount = 0
                    manifest.existingRowsCount = run.reduce(Int64(0)) { $0.saturatingAdd($1.dataFile.recordCount) }
                    manifest.deletedRowsCount = 0
                    manifest.partitions = try PartitionSummaries.summaries(of: run.map(\.dataFile), spec: spec, schema: schema)
                    written.append(manifest)
                    result.created.append(Created(path: path, content: group.content, specId: group.specId, bytes: Int64(bytes.count),
                        entries: Int64(run.count), firstPartition: spec.path(for: run[0].dataFile.partition),
                        lastPartition: spec.path(for: run[run.count - 1].dataFile.partition)))
                }
            }
        } catch {
            for path in writtenPaths { try? await storage.delete(path) }
            throw AmoroError.from(error, invalidating: table.metadataLocation)
        }
        if result.replaced.isEmpty { result.status = .nothingToDo }
        return Prepared(identifier: identifier, result: result, manifests: written)
    }

    /// Commits prepared manifests against the table's head, retrying lost races; on failure (unless the commit may
    /// have landed) every file written for the rewrite is deleted.
    package static func commit(_ prepared: Prepared, catalog: any Catalog, nowMs: @escaping @Sendable () -> Int64)
        async throws(AmoroError) -> Result
    {
        var lists: [String] = []
        do {
            var result = prepared.result
            let outcome = try await CommitRetry.attempts(prepared.identifier, catalog: catalog, nowMs: nowMs) {
                (attempt, base) throws(AmoroError) in
                try await attemptCommit(prepared, base: base, catalog: catalog, attempt: attempt, nowMs: nowMs(), lists: &lists)
            }
            result.snapshotId = outcome.snapshotId
            result.commitAttempts = outcome.attempts
            return result
        } catch {
            if !error.mayHaveCommitted {
                for path in prepared.manifests.map(\.path) + lists { try? await catalog.storage.delete(path) }
            }
            throw error
        }
    }

    private static func attemptCommit(
        _ prepared: Prepared, base: LoadedTable, catalog: any Catalog, attempt: Int, nowMs: Int64, lists: inout [String]
    ) async throws(AmoroError) -> ReplaceCommit.Outcome {
        let metadata = base.metadata
        let identifier = prepared.identifier
        guard metadata.tableUUID == prepared.result.tableUUID else {
            throw .conflict(identifier, "the table was replaced (its UUID changed)")
        }
        guard let scan = try wrap({ () throws(IcebergError) in try TableScan(table: base, storage: catalog.storage) }) else {
            throw .conflict(identifier, "the table has no current snapshot any more")
        }
        let head = scan.snapshot
        let current = try await wrap { () async throws(IcebergError) in try await scan.manifests() }
        let replaced = Set(prepared.result.replaced.map(\.path))
        let present = Set(current.map(\.path))
        if let missing = prepared.result.replaced.first(where: { !present.contains($0.path) }) {
            throw .conflict(identifier, "manifest \(missing.path) was rewritten or dropped by a concurrent commit")
        }
        guard metadata.lastSequenceNumber < .max else {
            throw .iceberg(.invalidFile(base.metadataLocation, "has last-sequence-number \(metadata.lastSequenceNumber): no next one"))
        }
        let snapshotId = metadata.newSnapshotId()
        let sequenceNumber = metadata.formatVersion >= 2 ? metadata.lastSequenceNumber + 1 : 0
        var manifests = prepared.manifests.map { manifest in
            var stamped = manifest
            stamped.sequenceNumber = sequenceNumber
            stamped.addedSnapshotId = snapshotId
            if metadata.formatVersion < 2 { stamped.minSequenceNumber = 0 }
            return stamped
        }
        let kept = current.filter { !replaced.contains($0.path) }
        manifests += kept

        var summary = head.summary.properties.filter { $0.key.hasPrefix("total-") }
        summary["manifests-created"] = String(prepared.manifests.count)
        summary["manifests-kept"] = String(kept.count)
        summary["manifests-replaced"] = String(replaced.count)
        summary["entries-processed"] = String(prepared.result.created.reduce(Int64(0)) { $0 + $1.entries })
        summary[OptimizingHistory.producerKey] = producer
        let commitUUID = UUID().uuidString.lowercased()
        var snapshot = Snapshot(
            snapshotId: snapshotId, parentSnapshotId: head.snapshotId, sequenceNumber: sequenceNumber, timestampMs: nowMs,
            manifestList: "\(metadata.metadataDirectory)/snap-\(snapshotId)-\(attempt)-\(commitUUID).avro",
            summary: .init(operation: .replace, properties: summary), schemaId: metadata.currentSchemaId)
        if metadata.formatVersion >= 3 { RowIdRanges.assign(&manifests, to: &snapshot, nextRowId: metadata.nextRowId ?? 0) }
        let list = try wrap { () throws(IcebergError) in
            try ManifestWriter.manifestList(manifests: manifests, snapshot: snapshot, formatVersion: metadata.formatVersion,
                properties: metadata.properties)
        }
        do { try await catalog.storage.write(snapshot.manifestList!, bytes: list, mode: .createNew) } catch {
            throw .iceberg(.storage(error))
        }
        lists.append(snapshot.manifestList!)
        let next = metadata.committing(snapshot, previousMetadataLocation: base.metadataLocation, nowMs: nowMs)
        CrashPoint.beforeSwap.reach()
        let committed = try await wrap { () async throws(IcebergError) in try await catalog.commit(identifier, base: base, metadata: next) }
        return ReplaceCommit.Outcome(snapshotId: snapshotId, metadataLocation: committed.metadataLocation, attempts: attempt)
    }

    /// A live entry as the new manifest holds it: EXISTING, everything else as read (inheritance already applied by
    /// the reader, so what it inherited is now explicit).
    private static func carried(_ entry: ManifestEntry, manifest: ManifestFile, formatVersion: Int) throws(IcebergError) -> ManifestEntry {
        guard entry.snapshotId != nil, entry.sequenceNumber != nil, entry.fileSequenceNumber != nil || formatVersion < 2 else {
            throw .invalidFile(manifest.path, "entry \(entry.dataFile.filePath) is EXISTING without its snapshot id or sequence numbers")
        }
        var existing = entry
        existing.status = .existing
        return existing
    }

    private static func rewriteConfig(_ table: LoadedTable, identifier: TableIdentifier, catalogProperties: [String: String])
        throws(AmoroError) -> ManifestRewriteConfig
    {
        do { return try ManifestRewriteConfig(tableProperties: table.metadata.properties, catalogProperties: catalogProperties) } catch {
            throw .invalidProperty(identifier, error)
        }
    }

    private static func wrap<T>(_ body: () throws(IcebergError) -> T) throws(AmoroError) -> T {
        do { return try body() } catch { throw .iceberg(error) }
    }

    private static func wrap<T>(_ body: () async throws(IcebergError) -> T) async throws(AmoroError) -> T {
        do { return try await body() } catch { throw .iceberg(error) }
    }
}
