import Iceberg
import IcebergSpec
import Paimon
import Storage

/// `amoro expire-snapshots` for a Paimon table, doing what Paimon's writer does after a commit
/// (`TableCommitImpl.maintain`: consumers, then `ExpireSnapshotsImpl`, then `ExpireChangelogImpl` when changelogs
/// are decoupled), with its defaults (`PaimonRetention`):
///
/// - Consumers whose file was not modified within `consumer.expiration-time` are deleted and hold nothing; the
///   others hold the snapshot they read next.
/// - Snapshots from the earliest up to the first that stays expire. Their data files removed by the deltas of
///   (earliest, end] go, then their changelog files, manifest lists, manifests, index manifests, index files and
///   statistics, then the snapshot files (the `EARLIEST` hint has moved before any of them).
/// - Decoupled changelogs (a `changelog.*` bound keeps more than the snapshot's): an expiring snapshot's JSON moves
///   to `changelog/changelog-N` (with the `changelog/LATEST` hint) and what its changelog needs stays — the changelog
///   manifest list and its files, or with `changelog-producer: none` the base and delta lists and the delta's
///   writer-made files. Long-lived changelogs then expire by the changelog bounds (`changelog/EARLIEST` moves).
/// - Kept whatever the deltas say: every file a retained snapshot or changelog, a tag, or a branch (its snapshots,
///   tags and changelogs) reaches.
///
/// The `EARLIEST` hints move before anything is deleted, so that what an interrupted run leaves is expired by the
/// next run even when that one is asked to retain more. Deletion then goes phase by phase (data files; manifests,
/// index files and statistics; manifest lists and index manifests; snapshot and changelog files) and stops after a
/// phase in which a delete failed, so that the next run, which reads the same snapshots again, retries. Files an
/// interrupted run already removed are skipped, and a stale `EARLIEST` hint is rewritten even when nothing expires.
package enum PaimonExpire {
    package struct Options: Sendable {
        /// Replaces `snapshot.time-retained`: snapshots at or after this time stay.
        package var olderThanMs: Int64?
        /// Replaces `snapshot.num-retained.min`.
        package var retainLast: Int?
        package var run = MaintenanceRun()

        package init() {}
    }

    package struct Result: Sendable {
        package var status: ExpireSnapshotsAction.Status
        package var snapshots: [(id: Int64, timeMillis: Int64)] = []
        /// The cut-off time the snapshot retention used.
        package var cutoffMs: Int64?
        /// What the expired snapshots, changelogs and consumers alone reached: deleted, or listed by a dry run.
        package var files: [ReachedFile] = []
        package var skipped: [(path: String, reason: String)] = []
        package var deletion: FileDeletion?
        /// The `EARLIEST` hint written.
        package var earliest: Int64?
        /// Expired snapshots whose changelog stays, written to `changelog/` (decoupled changelogs).
        package var changelogsWritten: [Int64] = []
        /// Long-lived changelogs expired (moved ones that expired at once included).
        package var changelogsExpired: [Int64] = []
        /// Consumers deleted for idling beyond `consumer.expiration-time`.
        package var consumersExpired: [String] = []
    }

    package static func run(_ table: PaimonTable, options: Options, nowMs: Int64) async throws(AmoroError) -> Result {
        do { return try await expire(table, options: options, nowMs: nowMs) } catch let error as AmoroError {
            throw error
        } catch let error as PaimonError {
            throw .paimon(error)
        } catch {
            throw .paimon(.invalidFile(table.location, "\(error)"))
        }
    }

    private static func expire(_ table: PaimonTable, options: Options, nowMs: Int64) async throws -> Result {
        let schemas = try await table.schemas()
        let schema = schemas[schemas.keys.max()!]!
        let settings = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
        var result = Result(status: .nothingToDo)
        // Amoro's switch, as for Iceberg tables.
        if schema.options["table-expire.enabled"]?.lowercased() == "false" && !options.run.force {
            result.status = .disabled
            return result
        }
        let retention = PaimonRetention(settings, retainLast: options.retainLast, olderThanMs: options.olderThanMs, nowMs: nowMs)
        result.cutoffMs = retention.snapshotCutoffMs
        let audit = options.run.audit
        let listed = audit.map { Set($0.files.map { ReachedFile.key($0.path) }) }
        func inAudit(_ path: String) -> Bool { listed?.contains(ReachedFile.key(path)) ?? true }

        // 0. Consumers idle beyond `consumer.expiration-time` go first and hold nothing.
        var consumerFiles: [ReachedFile] = []
        var consumerNext: [Int64] = []
        for consumer in try await table.consumers() {
            let location = table.consumerLocation(consumer.id)
            if let expiration = settings.consumerExpirationMs, consumer.modifiedMs < nowMs.saturatingSubtract(expiration), inAudit(location) {
                consumerFiles.append(ReachedFile(path: location, fileClass: .metadata, size: nil))
                result.consumersExpired.append(consumer.id)
            } else {
                consumerNext.append(consumer.nextSnapshot)
            }
        }
        let consumerMin = consumerNext.min()

        // Snapshots [earliest, end) go; `end` must be present (an interrupted run may have left gaps).
        let snapshotIds = try await table.snapshotFiles().map(\.id)
        var snapshotCache: [Int64: PaimonSnapshot] = [:]
        func snapshot(_ id: Int64) async throws(PaimonError) -> PaimonSnapshot {
            if let known = snapshotCache[id] { return known }
            let read = try await table.snapshot(id)
            snapshotCache[id] = read
            return read
        }
        var expiring: [PaimonSnapshot] = []
        var endSnapshot: PaimonSnapshot?
        if let earliest = snapshotIds.first {
            var end = try await retention.snapshotEnd(ids: snapshotIds, consumerMin: consumerMin) { id throws(PaimonError) in
                try await snapshot(id).timeMillis
            }
            end = max(end, await committedEnd(table.hint("EARLIEST"), ids: snapshotIds))
            // An audit expires only the snapshots it listed, a prefix still.
            if let audit, let unlisted = snapshotIds.first(where: { $0 < end && !audit.snapshotIds.contains($0) }) { end = unlisted }
            end = snapshotIds.last { $0 <= end } ?? earliest
            if end > earliest {
                for id in snapshotIds where id < end { expiring.append(try await snapshot(id)) }
                endSnapshot = try await snapshot(end)
            }
        }

        // Long-lived changelogs: those in `changelog/` and, decoupled, the expiring snapshots about to join them.
        let decoupled = retention.decoupled
        let existingChangelogs = Set(try await table.changelogFiles().map(\.id))
        var moved: [Int64: PaimonSnapshot] = [:]
        if decoupled { for snapshot in expiring { moved[snapshot.id] = snapshot } }
        let changelogIds = existingChangelogs.union(moved.keys).sorted()
        var changelogCache: [Int64: PaimonSnapshot] = [:]
        func changelog(_ id: Int64) async throws(PaimonError) -> PaimonSnapshot {
            if let known = moved[id] ?? changelogCache[id] { return known }
            let read = try await table.changelog(id)
            changelogCache[id] = read
            return read
        }
        var expiringChangelogs: [PaimonSnapshot] = []
        var changelogEnd: Int64?
        if let first = changelogIds.first, let latestSnapshot = snapshotIds.last {
            var end = try await retention.changelogEnd(ids: changelogIds, latestSnapshot: latestSnapshot, consumerMin: consumerMin) {
                id throws(PaimonError) in try await changelog(id).timeMillis
            }
            end = max(end, await committedEnd(table.hint("EARLIEST", in: table.changelogDirectory), ids: existingChangelogs.sorted()))
            if let audit, let unlisted = changelogIds.first(where: { id in
                id < end && (existingChangelogs.contains(id) ? !inAudit(table.changelogLocation(id)) : !audit.snapshotIds.contains(id))
            }) { end = unlisted }
            end = changelogIds.last { $0 <= end } ?? first
            if end > first {
                for id in changelogIds where id < end { expiringChangelogs.append(try await changelog(id)) }
                changelogEnd = end
            }
        }

        guard !expiring.isEmpty || !expiringChangelogs.isEmpty || !consumerFiles.isEmpty else {
            // A run killed before it moved the hint left it naming a deleted snapshot: point it at the earliest.
            if !options.run.dryRun, let first = snapshotIds.first, await table.hint("EARLIEST") != first {
                try await writeHint("\(table.snapshotDirectory)/EARLIEST", first, table: table)
                result.earliest = first
            }
            return result
        }

        let files = PaimonSnapshotFiles(table: table)
        let retainedSnapshots = endSnapshot.map { end in snapshotIds.filter { $0 >= end.id } } ?? snapshotIds
        var retainedChangelogs: [PaimonSnapshot] = []
        for id in changelogIds where id >= (changelogEnd ?? Int64.min) { retainedChangelogs.append(try await changelog(id)) }
        let kept = try await Retained.read(table, files: files, schemas: schemas, options: settings,
            snapshots: retainedSnapshots, changelogs: retainedChangelogs)
        func dataLocations(_ entry: PaimonManifestEntry) throws(PaimonError) -> [String] {
            try table.dataFileLocations(entry, schema: schemas[entry.file.schemaId] ?? schema, options: settings)
        }

        var plan = Plan(kept: kept)
        let producesChangelog = settings.changelogProducer.lowercased() != "none"
        if let endSnapshot {
            // 1. Data files the deltas of (earliest, end] removed (Paimon's cleanUnusedDataFiles); decoupled without
            // a changelog producer, writer-made files stay for the changelogs and go with them.
            for snapshot in expiring.dropFirst() + [endSnapshot] {
                for entry in try await removed(by: snapshot, files: files) {
                    if decoupled && !producesChangelog && (entry.file.fileSource ?? PaimonSnapshotFiles.appendSource) == PaimonSnapshotFiles.appendSource {
                        continue
                    }
                    plan.data(try dataLocations(entry), size: entry.file.fileSize)
                }
            }
            // 2. Changelog files of the expired snapshots, unless their changelogs stay.
            if !decoupled {
                for snapshot in expiring {
                    guard let list = snapshot.changelogManifestList else { continue }
                    for entry in try await files.presentEntries(ofList: list) where entry.kind == .add {
                        plan.data(try dataLocations(entry), size: entry.file.fileSize)
                    }
                }
            }
            // 3. Manifest lists, manifests, index manifests, index files and statistics nothing retained names.
            for snapshot in expiring {
                if !decoupled || producesChangelog {
                    try await plan.list(snapshot.baseManifestList, size: snapshot.baseManifestListSize, table: table, files: files)
                    try await plan.list(snapshot.deltaManifestList, size: snapshot.deltaManifestListSize, table: table, files: files)
                }
                if !decoupled, let list = snapshot.changelogManifestList {
                    try await plan.list(list, size: snapshot.changelogManifestListSize, table: table, files: files)
                }
                // An index manifest gone with an interrupted run took its index files before it.
                if let index = snapshot.indexManifest, plan.skipping.insert(index).inserted,
                    let entries = try await files.indexFilesIfPresent(snapshot)
                {
                    for entry in entries where plan.skippingIndex.insert(entry.fileName).inserted {
                        plan.manifests.append(ReachedFile(path: table.indexFileLocation(entry),
                            fileClass: entry.indexType == "DELETION_VECTORS" ? .positionDeletes : .statistics, size: entry.fileSize))
                    }
                    plan.lists.append(ReachedFile(path: table.manifestLocation(index), fileClass: .manifests, size: nil))
                }
                if let statistics = snapshot.statistics, plan.skipping.insert(statistics).inserted {
                    plan.manifests.append(ReachedFile(path: table.statisticsLocation(statistics), fileClass: .statistics, size: nil))
                }
            }
        }
        // 4. Expiring long-lived changelogs (`ChangelogDeletion`): the files a changelog list adds, or without one
        // the files its delta removed; then that list, or the delta and base lists.
        for changelog in expiringChangelogs {
            if let list = changelog.changelogManifestList {
                for entry in try await files.presentEntries(ofList: list) where entry.kind == .add {
                    plan.data(try dataLocations(entry), size: entry.file.fileSize)
                }
                try await plan.list(list, size: changelog.changelogManifestListSize, table: table, files: files)
            } else {
                for entry in try await removed(by: changelog, files: files) {
                    plan.data(try dataLocations(entry), size: entry.file.fileSize)
                }
                try await plan.list(changelog.deltaManifestList, size: changelog.deltaManifestListSize, table: table, files: files)
                try await plan.list(changelog.baseManifestList, size: changelog.baseManifestListSize, table: table, files: files)
            }
        }
        // 5. The snapshot files and the expired changelog files.
        let written = expiring.map(\.id).filter { moved[$0] != nil && $0 >= (changelogEnd ?? Int64.min) }
        var stateFiles = expiring.map { ReachedFile(path: table.snapshotLocation($0.id), fileClass: .metadata, size: nil) }
        stateFiles += expiringChangelogs.filter { existingChangelogs.contains($0.id) }.map {
            ReachedFile(path: table.changelogLocation($0.id), fileClass: .metadata, size: nil)
        }

        result.snapshots = expiring.map { ($0.id, $0.timeMillis) }
        result.changelogsWritten = written
        result.changelogsExpired = expiringChangelogs.map(\.id)
        var phases = [consumerFiles, plan.dataFiles, plan.manifests, plan.lists, stateFiles]
        if listed != nil {
            for index in phases.indices {
                let (keep, drop) = phases[index].partitioned { inAudit($0.path) }
                phases[index] = keep
                result.skipped += drop.map { ($0.path, "not listed in the audit") }
            }
        }
        result.files = phases.flatMap { $0 }
        if options.run.dryRun {
            result.status = .dryRun
            return result
        }
        result.status = .expired
        // 6. The hints move first: from here on, a run killed at any point leaves snapshots and changelogs that
        // readers already skip and that the next run expires whatever its retention (`committedEnd`), never ones
        // kept with some of their files gone. A changelog about to move to `changelog/` is named once it is there.
        if let endSnapshot {
            try await writeHint("\(table.snapshotDirectory)/EARLIEST", endSnapshot.id, table: table)
            result.earliest = endSnapshot.id
        }
        if let changelogEnd, existingChangelogs.contains(changelogEnd) {
            try await writeHint("\(table.changelogDirectory)/EARLIEST", changelogEnd, table: table)
        }
        var deletion = FileDeletion()
        for (index, phase) in phases.enumerated() {
            if index == phases.count - 1 {
                // Decoupled: the changelogs that stay are written before their snapshots go.
                for id in written {
                    let bytes: [UInt8]
                    do { bytes = try await table.storage.read(table.snapshotLocation(id)) } catch { throw PaimonError.storage(error) }
                    do { try await table.storage.write(table.changelogLocation(id), bytes: bytes, mode: .replace) } catch {
                        throw PaimonError.storage(error)
                    }
                }
                if let latest = written.last { try await writeHint("\(table.changelogDirectory)/LATEST", latest, table: table) }
            }
            guard !phase.isEmpty else { continue }
            let done = await FileDeletion.run(phase, tableLocation: table.location, storage: table.storage,
                parallelism: options.run.parallelism, progress: options.run.progress)
            deletion.deleted += done.deleted
            deletion.failed += done.failed
            deletion.refused += done.refused
            // `snapshot.clean-empty-directories`: bucket and partition directories the data files left empty.
            if index == 1, settings.snapshotCleanEmptyDirectories {
                await removeEmptyDirectories(done.deleted.map(\.path), table: table)
            }
            // A failed delete stops the run before what names the file goes, so that the next run retries it.
            if !done.failed.isEmpty {
                result.deletion = deletion
                return result
            }
        }
        // A changelog hint that named a changelog still to be moved is written now that it is there.
        if let changelogEnd, !existingChangelogs.contains(changelogEnd) {
            try await writeHint("\(table.changelogDirectory)/EARLIEST", changelogEnd, table: table)
        }
        result.deletion = deletion
        return result
    }

    /// The entries a snapshot's delta removed: DELETE entries not re-added in the same delta (a file upgraded to
    /// another level is deleted and added again). A delta an interrupted run already removed yields nothing.
    static func removed(by snapshot: PaimonSnapshot, files: PaimonSnapshotFiles) async throws(PaimonError) -> [PaimonManifestEntry] {
        var removed: [PaimonManifestEntry.Identifier: PaimonManifestEntry] = [:]
        var order: [PaimonManifestEntry.Identifier] = []
        for entry in try await files.presentEntries(ofList: snapshot.deltaManifestList) {
            switch entry.kind {
            case .add: removed[entry.identifier] = nil
            case .delete:
                if removed[entry.identifier] == nil { order.append(entry.identifier) }
                removed[entry.identifier] = entry
            }
        }
        return order.compactMap { removed[$0] }
    }

    /// Where an earlier run committed to expiring up to: its `EARLIEST` hint when that is past the first of `ids`
    /// (sorted) and names one of them. amoro moves the hint before it deletes anything, and Paimon's own expiry
    /// after it deleted the snapshot files, so the ids below such a hint belong to a run that was interrupted and
    /// may have lost files already. `Int64.min` when there is no such hint.
    static func committedEnd(_ hint: Int64?, ids: [Int64]) -> Int64 {
        guard let hint, let first = ids.first, hint > first, ids.contains(hint) else { return Int64.min }
        return hint
    }

    static func writeHint(_ location: String, _ id: Int64, table: PaimonTable) async throws(PaimonError) {
        do { try await table.storage.write(location, bytes: Array(String(id).utf8), mode: .replace) } catch { throw .storage(error) }
    }

    /// The files one run deletes, by phase, each once, none that something retained reaches.
    struct Plan {
        var kept: Retained
        var skipping: Set<String>
        var skippingIndex: Set<String>
        var seen = Set<String>()
        var dataFiles: [ReachedFile] = []
        /// Manifests, index files and statistics: before the lists and index manifests that name them.
        var manifests: [ReachedFile] = []
        var lists: [ReachedFile] = []

        init(kept: Retained) {
            self.kept = kept
            skipping = kept.manifests
            skippingIndex = kept.indexFiles
        }

        mutating func data(_ locations: [String], size: Int64) {
            for (index, path) in locations.enumerated() where !kept.dataFiles.contains(path) && seen.insert(path).inserted {
                dataFiles.append(ReachedFile(path: path, fileClass: .data, size: index == 0 ? size : nil))
            }
        }

        /// A manifest list and its manifests, unless retained; nothing when the list is already gone.
        mutating func list(_ name: String, size: Int64?, table: PaimonTable, files: PaimonSnapshotFiles) async throws(PaimonError) {
            guard !skipping.contains(name), let entries = try await files.manifestListIfPresent(name) else { return }
            for manifest in entries where skipping.insert(manifest.fileName).inserted {
                manifests.append(ReachedFile(path: table.manifestLocation(manifest.fileName), fileClass: .manifests, size: manifest.fileSize))
            }
            skipping.insert(name)
            lists.append(ReachedFile(path: table.manifestLocation(name), fileClass: .manifestLists, size: size))
        }
    }

    /// Removes the directories of `paths` that are now empty, and their empty parents up to the table location
    /// (local storage; object stores have no directories).
    static func removeEmptyDirectories(_ paths: [String], table: PaimonTable) async {
        var directories = Set<String>()
        for path in paths {
            var directory = path
            while let slash = directory.lastIndex(of: "/") {
                directory = String(directory[..<slash])
                guard let relative = PaimonTable.relativePath(directory, under: table.location), !relative.isEmpty else { break }
                directories.insert(directory)
            }
        }
        // Deepest first, so that a partition goes after its buckets.
        for directory in directories.sorted(by: { $0.count > $1.count }) {
            _ = await table.storage.removeDirectoryIfEmpty(directory)
        }
    }

    /// What retained snapshots and changelogs, tags and branches still reach: data and changelog file locations,
    /// manifest and list names, index file names.
    struct Retained {
        var dataFiles = Set<String>()
        var manifests = Set<String>()
        var indexFiles = Set<String>()

        static func read(_ table: PaimonTable, files: PaimonSnapshotFiles, schemas: [Int64: PaimonSchema], options: PaimonOptions,
            snapshots: [Int64], changelogs: [PaimonSnapshot]) async throws(PaimonError) -> Retained
        {
            var kept = Retained()
            let schema = schemas[schemas.keys.max()!]!
            func add(_ entries: [PaimonManifestEntry]) throws(PaimonError) {
                for entry in entries {
                    kept.dataFiles.formUnion(try table.dataFileLocations(entry, schema: schemas[entry.file.schemaId] ?? schema, options: options))
                }
            }
            // A changelog list may be gone (Paimon's expiry deletes a tagged snapshot's): it then holds nothing.
            func hold(_ snapshot: PaimonSnapshot, fileLevel: Bool) async throws(PaimonError) {
                kept.manifests.formUnion(try await files.manifestNames(snapshot))
                if let changelog = snapshot.changelogManifestList, let manifests = try await files.manifestListIfPresent(changelog) {
                    kept.manifests.insert(changelog)
                    kept.manifests.formUnion(manifests.map(\.fileName))
                }
                for entry in try await files.indexFiles(snapshot) { kept.indexFiles.insert(entry.fileName) }
                if let statistics = snapshot.statistics { kept.manifests.insert(statistics) }
                guard fileLevel else { return }
                try add(try await files.liveFiles(snapshot))
                if let changelog = snapshot.changelogManifestList { try add(try await files.presentEntries(ofList: changelog)) }
            }
            func holdChangelog(_ changelog: PaimonSnapshot) async throws(PaimonError) {
                let held = try await files.changelogHeld(changelog)
                kept.manifests.formUnion(held.manifests)
                try add(held.files)
            }
            // The first retained snapshot's files (the later ones only add new files), every retained snapshot's
            // manifests and changelog files, what retained changelogs keep, and everything of tags and branches.
            for (index, id) in snapshots.enumerated() {
                let snapshot = try await table.snapshot(id)
                try await hold(snapshot, fileLevel: index == 0 || snapshot.changelogManifestList != nil)
            }
            for changelog in changelogs { try await holdChangelog(changelog) }
            for (_, tag) in try await table.tags() { try await hold(tag, fileLevel: true) }
            for branch in try await table.branches() {
                let branchTable = PaimonTable(location: table.location, storage: table.storage, branch: branch)
                for (id, _) in try await branchTable.snapshotFiles() { try await hold(try await branchTable.snapshot(id), fileLevel: true) }
                for (_, tag) in try await branchTable.tags() { try await hold(tag, fileLevel: true) }
                for (id, _) in try await branchTable.changelogFiles() { try await holdChangelog(try await branchTable.changelog(id)) }
            }
            return kept
        }
    }
}

extension Array {
    /// The elements that satisfy `belongs`, and the others, each in order.
    func partitioned(by belongs: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        var matching: [Element] = []
        var others: [Element] = []
        for element in self { if belongs(element) { matching.append(element) } else { others.append(element) } }
        return (matching, others)
    }
}
