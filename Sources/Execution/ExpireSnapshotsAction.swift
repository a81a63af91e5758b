import Iceberg
import IcebergSpec
import Planning
import Storage

/// `amoro expire-snapshots` for one table: decides what expires (`SnapshotExpiry`), commits metadata without those
/// snapshots and refs through the catalog, and only then deletes the files no retained snapshot reaches.
///
/// Each attempt reloads the table, decides again and walks every snapshot (`ReachableFiles`); a lost race
/// retries per `commit.retry.*`. What is deleted is computed against exactly the metadata that was committed:
/// files reached by expired snapshots minus files reached by retained ones. With `gc.enabled=false` the metadata
/// is committed and no file is deleted. Old metadata files leave with `write.metadata.delete-after-commit.enabled`.
/// A crash before the swap changes nothing; after it, at most unreferenced files remain.
package enum ExpireSnapshotsAction {
    package struct Options: Sendable {
        package var olderThan: RetentionPolicy.OlderThan?
        package var retainLast: Int?
        /// Expire exactly these (`--snapshot-id`).
        package var snapshotIds: [Int64] = []
        /// Never expire these (`--keep-snapshot`, `--keep-plans`).
        package var keep: Set<Int64> = []
        /// Dry run, force, audit, parallelism and progress.
        package var run = MaintenanceRun()

        package init() {}
    }

    package enum Status: String, Sendable {
        case expired, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled
    }

    package struct Result: Sendable {
        package var status: Status
        package var tableUUID: String?
        package var expiry: SnapshotExpiry?
        /// Files that the expired snapshots alone reach: deleted after the commit, or listed by a dry run.
        package var unreachable: [ReachedFile] = []
        /// Files an audit listed that this run leaves alone, with why.
        package var skipped: [(path: String, reason: String)] = []
        package var deletion: FileDeletion?
        /// Why files that became unreachable were kept (`gc.enabled=false`).
        package var filesKept: String?
        package var commitAttempts = 0
    }

    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String], options: Options,
        nowMs: @Sendable () -> Int64
    ) async throws(AmoroError) -> Result {
        try await CommitRetry.attempts(identifier, catalog: catalog, nowMs: nowMs) { (attempt, base) throws(AmoroError) in
            try await attemptExpiry(attempt, base: base, catalog: catalog, catalogProperties: catalogProperties,
                options: options, nowMs: nowMs())
        }
    }

    /// One attempt on `base`: decide, commit (a conflict throws, and `CommitRetry` tries again on a fresh load),
    /// then delete what no retained snapshot reaches.
    private static func attemptExpiry(
        _ attempt: Int, base: LoadedTable, catalog: any Catalog, catalogProperties: [String: String], options: Options,
        nowMs now: Int64
    ) async throws(AmoroError) -> Result {
        let identifier = base.identifier
        let config: MaintenanceConfig
        do { config = try MaintenanceConfig(tableProperties: base.metadata.properties, catalogProperties: catalogProperties) }
        catch { throw .invalidProperty(identifier, error) }
        var result = Result(status: .nothingToDo, tableUUID: base.metadata.tableUUID)
        if !config.expireEnabled && !options.run.force {
            result.status = .disabled
            return result
        }
        try options.run.audit?.check(base.metadata, identifier: identifier)
        guard let metadata = try await prepare(&result, base: base, catalog: catalog, catalogProperties: catalogProperties,
            options: options, nowMs: now)
        else { return result }
        if options.run.dryRun { return result }
        result.commitAttempts = attempt
        var committed = base
        if config.gcEnabled {
            // What this run deletes after the commit, journaled first: a run killed after the swap leaves them to
            // the next run's sweep (they are then unreachable), one killed before keeps them (they are reachable).
            let predicted = LoadedTable(identifier: identifier, metadataLocation: base.metadataLocation, metadata: metadata)
            for file in result.unreachable + replacedMetadataFiles(base: base, committed: predicted) {
                WriteJournal.current?.record(file.path)
            }
        }
        if result.expiry?.isEmpty == false {
            CrashPoint.beforeSwap.reach()
            do { committed = try await catalog.commit(identifier, base: base, metadata: metadata) } catch {
                throw .iceberg(error)  // a conflict is retried by CommitRetry, on a fresh load
            }
            CrashPoint.afterSwap.reach()
        }
        result.status = .expired
        guard config.gcEnabled else {
            result.filesKept = "gc.enabled=false: the metadata was committed and no file was deleted"
            return result
        }
        let metadataFiles = replacedMetadataFiles(base: base, committed: committed)
        result.deletion = await FileDeletion.run(result.unreachable + metadataFiles, tableLocation: base.metadata.location,
            storage: catalog.storage, parallelism: options.run.parallelism, progress: options.run.progress)
        return result
    }

    /// Decides what expires and which files only the expired snapshots reach (`result.expiry`,
    /// `result.unreachable`) and returns the metadata to commit; nil when there is nothing to do. A dry run gets
    /// its result complete, with the old metadata files the commit would drop.
    private static func prepare(
        _ result: inout Result, base: LoadedTable, catalog: any Catalog, catalogProperties: [String: String], options: Options,
        nowMs: Int64
    ) async throws(AmoroError) -> TableMetadata? {
        let identifier = base.identifier
        let expiry = try decide(base.metadata, identifier: identifier, catalogProperties: catalogProperties, options: options, nowMs: nowMs)
        result.expiry = expiry
        let walk: ReachableFiles
        do { walk = try await ReachableFiles.walk(base.metadata, storage: catalog.storage, parallelism: options.run.parallelism) }
        catch { throw .iceberg(error) }
        let retainedIds = Set(base.metadata.snapshots.map(\.snapshotId)).subtracting(expiry.snapshotIds)
        let retained = walk.files(reachedBy: retainedIds)
        if let audit = options.run.audit {
            // Only what the audit listed, only what a snapshot expiring now reaches, and only while no retained
            // snapshot or kept metadata file reaches it; the location is the table's, not the audit's text.
            let metadataFiles = ReachableFiles.metadataFiles(of: base)
            let expiring = walk.files(reachedBy: expiry.snapshotIds)
            for file in audit.files where file.fileClass != .metadata {
                let key = ReachedFile.key(file.path)
                if retained[key] != nil {
                    result.skipped.append((file.path, "a retained snapshot still reaches it"))
                } else if metadataFiles[key] != nil {
                    result.skipped.append((file.path, "the table's metadata still names it"))
                } else if let reached = expiring[key] {
                    result.unreachable.append(reached)
                } else {
                    result.skipped.append((file.path, "no snapshot expiring now reaches it"))
                }
            }
        } else {
            result.unreachable = walk.files(reachedBy: expiry.snapshotIds).filter { retained[$0.key] == nil }.map(\.value)
                .sorted { $0.path < $1.path }
        }
        if expiry.isEmpty && result.unreachable.isEmpty { return nil }
        let metadata = base.metadata.expiring(
            snapshotIds: expiry.snapshotIds, refs: Set(expiry.refs.map(\.name)),
            properties: OptimizingHistory.propertiesPreserving(before: base.metadata.snapshots,
                retained: base.metadata.snapshots.filter { retainedIds.contains($0.snapshotId) },
                properties: base.metadata.properties),
            previousMetadataLocation: base.metadataLocation, nowMs: nowMs)
        if options.run.dryRun {
            // The new metadata's own file is not written: the old current one stands in (it joins the log).
            let predicted = LoadedTable(identifier: identifier, metadataLocation: base.metadataLocation, metadata: metadata)
            result.unreachable += replacedMetadataFiles(base: base, committed: predicted)
            result.status = .dryRun
        }
        return metadata
    }

    /// What expires under the options: exactly the snapshots named, or retention (limited to an audit's lists).
    private static func decide(
        _ metadata: TableMetadata, identifier: TableIdentifier, catalogProperties: [String: String], options: Options,
        nowMs: Int64
    ) throws(AmoroError) -> SnapshotExpiry {
        if !options.snapshotIds.isEmpty {
            do { return try SnapshotExpiry(metadata: metadata, explicit: options.snapshotIds, keep: options.keep) }
            catch { throw .refused(identifier, error.description) }
        }
        var policy: RetentionPolicy
        do {
            policy = try RetentionPolicy(tableProperties: metadata.properties, catalogProperties: catalogProperties,
                olderThan: options.olderThan, retainLast: options.retainLast, nowMs: nowMs)
        } catch { throw .invalidProperty(identifier, error) }
        if let audited = options.run.audit?.policy, options.olderThan == nil, options.retainLast == nil { policy = audited }
        let expiry = SnapshotExpiry(metadata: metadata, policy: policy, keep: options.keep, nowMs: nowMs)
        guard let audit = options.run.audit else { return expiry }
        return expiry.limited(toSnapshots: audit.snapshotIds, refs: audit.refs)
    }

    /// Metadata files the commit dropped from the metadata log, when the table asks for them to be deleted
    /// (`write.metadata.delete-after-commit.enabled`).
    static func replacedMetadataFiles(base: LoadedTable, committed: LoadedTable) -> [ReachedFile] {
        guard committed.metadata.properties["write.metadata.delete-after-commit.enabled"]?.lowercased() == "true" else { return [] }
        let kept = ReachableFiles.metadataFiles(of: committed)
        return ReachableFiles.metadataFiles(of: base).filter { kept[$0.key] == nil && !$0.value.path.hasSuffix("version-hint.text") }
            .map(\.value).sorted { $0.path < $1.path }
    }
}
