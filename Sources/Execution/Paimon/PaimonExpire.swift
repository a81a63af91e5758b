import Iceberg
import IcebergSpec
import Paimon
import Storage

/// `amoro expire-snapshots` for a Paimon table, with Paimon's semantics and defaults (`ExpireSnapshotsImpl`):
///
/// - Which: from the earliest snapshot up to (not including) the first one that must stay: the newest
///   `snapshot.num-retained.min` (10) stay, no more than `snapshot.num-retained.max` are kept, nothing younger than
///   `snapshot.time-retained` (1 h) goes, at most `snapshot.expire.limit` (50) go per run, and nothing a consumer
///   will read next (`consumer/consumer-ID`, unless idle beyond `consumer.expiration-time`). `--older-than` and
///   `--retain-last` replace the time and count.
/// - What, in Paimon's order: the data files (and their extra files) that the expiring range's deltas removed,
///   then the changelog files of the expired snapshots, then their manifest lists, manifests, index manifests, index
///   files and statistics, then the snapshot files, then the `EARLIEST` hint moves. No new snapshot is written.
/// - Kept: every file that a retained snapshot, a tag, a branch (its snapshots and tags) or a consumer-held
///   snapshot still reaches, whatever the deltas say.
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
        /// The cut-off time the retention used.
        package var cutoffMs: Int64?
        /// What the expired snapshots alone reached: deleted, or listed by a dry run.
        package var files: [ReachedFile] = []
        package var skipped: [(path: String, reason: String)] = []
        package var deletion: FileDeletion?
        /// The `EARLIEST` hint written.
        package var earliest: Int64?
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
        let schema = try await table.latestSchema()
        let settings = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
        let ids = try await table.snapshotFiles().map(\.id)
        var result = Result(status: .nothingToDo)
        // Amoro's switch, as for Iceberg tables.
        if schema.options["table-expire.enabled"]?.lowercased() == "false" && !options.run.force {
            result.status = .disabled
            return result
        }
        guard let latest = ids.last, let earliest = ids.first else { return result }
        let present = Set(ids)
        let retainMin = options.retainLast ?? settings.snapshotNumRetainedMin
        let olderThan = options.olderThanMs ?? nowMs.saturatingSubtract(settings.snapshotTimeRetainedMs)
        result.cutoffMs = olderThan

        // Paimon's bounds: [min, maxExclusive) may go, the first young snapshot in it stops the range.
        let lowest = max(latest.saturatingSubtract(Int64(settings.snapshotNumRetainedMax)).saturatingAdd(1), earliest)
        var maxExclusive = latest.saturatingSubtract(Int64(retainMin)).saturatingAdd(1)
        var consumerNext: [Int64] = []
        for consumer in try await table.consumers() {
            if let expiration = settings.consumerExpirationMs, consumer.modifiedMs < nowMs.saturatingSubtract(expiration) { continue }
            consumerNext.append(consumer.nextSnapshot)
        }
        if !settings.consumerIgnoreProgress, let next = consumerNext.min() { maxExclusive = min(maxExclusive, next) }
        maxExclusive = min(maxExclusive, earliest.saturatingAdd(Int64(settings.snapshotExpireLimit)))
        var end = maxExclusive
        var id = lowest
        while id < maxExclusive {
            if present.contains(id) {
                let time = try await table.snapshot(id).timeMillis
                if olderThan <= time {
                    end = id
                    break
                }
            }
            id += 1
        }
        // An audit expires only what it listed, and the range stays contiguous.
        if let audit = options.run.audit {
            var allowed = earliest
            while allowed < end, audit.snapshotIds.contains(allowed) { allowed += 1 }
            end = allowed
        }
        guard end > earliest, present.contains(end) else { return result }
        var begin = earliest
        var probe = end - 1
        while probe >= earliest {
            if !present.contains(probe) {
                begin = probe + 1
                break
            }
            probe -= 1
        }
        guard begin < end else { return result }

        let files = PaimonSnapshotFiles(table: table)
        var expiring: [PaimonSnapshot] = []
        for id in begin..<end { expiring.append(try await table.snapshot(id)) }
        if settings.changelogDecoupled, expiring.contains(where: { $0.changelogManifestList != nil }) {
            throw PaimonError.unsupported("expiring snapshots whose changelogs are retained longer (changelog.* retention above snapshot.*)")
        }
        let endSnapshot = try await table.snapshot(end)
        let kept = try await Retained.read(table, files: files, endSnapshot: endSnapshot, ids: ids.filter { $0 >= end })
        let schemas = try await table.schemas()
        func dataLocations(_ entry: PaimonManifestEntry) throws(PaimonError) -> [String] {
            let fileSchema = schemas[entry.file.schemaId] ?? schema
            return try table.dataFileLocations(entry, schema: fileSchema, options: settings)
        }

        // 1. Data files the deltas of (begin, end] removed (Paimon's cleanUnusedDataFiles), unless still reached.
        var dataFiles: [ReachedFile] = []
        var seen = Set<String>()
        for id in (begin + 1)...end {
            let snapshot = id == end ? endSnapshot : expiring[Int(id - begin)]
            var removed: [PaimonManifestEntry.Identifier: PaimonManifestEntry] = [:]
            var order: [PaimonManifestEntry.Identifier] = []
            for entry in try await files.entries(ofList: snapshot.deltaManifestList) {
                switch entry.kind {
                case .add: removed[entry.identifier] = nil
                case .delete:
                    if removed[entry.identifier] == nil { order.append(entry.identifier) }
                    removed[entry.identifier] = entry
                }
            }
            for key in order {
                guard let entry = removed[key] else { continue }
                for (index, path) in try dataLocations(entry).enumerated() where !kept.dataFiles.contains(path) {
                    if seen.insert(path).inserted {
                        dataFiles.append(ReachedFile(path: path, fileClass: .data, size: index == 0 ? entry.file.fileSize : nil))
                    }
                }
            }
        }
        // 2. Changelog files of the expired snapshots.
        for snapshot in expiring {
            guard let list = snapshot.changelogManifestList else { continue }
            for entry in try await files.entries(ofList: list) where entry.kind == .add {
                for (index, path) in try dataLocations(entry).enumerated() where !kept.dataFiles.contains(path) {
                    if seen.insert(path).inserted {
                        dataFiles.append(ReachedFile(path: path, fileClass: .data, size: index == 0 ? entry.file.fileSize : nil))
                    }
                }
            }
        }
        // 3. Manifest lists, manifests, index manifests, index files and statistics no retained snapshot names.
        var skipping = kept.manifests
        var skippingIndex = kept.indexFiles
        var metadataFiles: [ReachedFile] = []
        for snapshot in expiring {
            var lists: [(String, Int64?)] = [(snapshot.baseManifestList, snapshot.baseManifestListSize),
                (snapshot.deltaManifestList, snapshot.deltaManifestListSize)]
            if let changelog = snapshot.changelogManifestList { lists.append((changelog, snapshot.changelogManifestListSize)) }
            for (list, size) in lists {
                for manifest in try await files.manifestList(list) where skipping.insert(manifest.fileName).inserted {
                    metadataFiles.append(ReachedFile(path: table.manifestLocation(manifest.fileName), fileClass: .manifests, size: manifest.fileSize))
                }
                if skipping.insert(list).inserted {
                    metadataFiles.append(ReachedFile(path: table.manifestLocation(list), fileClass: .manifestLists, size: size))
                }
            }
            if let index = snapshot.indexManifest, skipping.insert(index).inserted {
                for entry in try await files.indexFiles(snapshot) where skippingIndex.insert(entry.fileName).inserted {
                    metadataFiles.append(ReachedFile(path: table.indexFileLocation(entry),
                        fileClass: entry.indexType == "DELETION_VECTORS" ? .positionDeletes : .statistics, size: entry.fileSize))
                }
                metadataFiles.append(ReachedFile(path: table.manifestLocation(index), fileClass: .manifests, size: nil))
            }
            if let statistics = snapshot.statistics, skipping.insert(statistics).inserted {
                metadataFiles.append(ReachedFile(path: table.statisticsLocation(statistics), fileClass: .statistics, size: nil))
            }
        }
        // 4. The snapshot files.
        let snapshotFiles = expiring.map { ReachedFile(path: table.snapshotLocation($0.id), fileClass: .metadata, size: nil) }

        result.snapshots = expiring.map { ($0.id, $0.timeMillis) }
        var phases = [dataFiles, metadataFiles, snapshotFiles]
        if let audit = options.run.audit {
            let listed = Set(audit.files.map { ReachedFile.key($0.path) })
            for index in phases.indices {
                let (keep, drop) = phases[index].partitioned { listed.contains(ReachedFile.key($0.path)) }
                phases[index] = keep
                result.skipped += drop.map { ($0.path, "not listed in the audit") }
            }
        }
        result.files = phases.flatMap { $0 }
        if options.run.dryRun {
            result.status = .dryRun
            return result
        }
        var deletion = FileDeletion()
        for (index, phase) in phases.enumerated() where !phase.isEmpty {
            let done = await FileDeletion.run(phase, tableLocation: table.location, storage: table.storage,
                parallelism: options.run.parallelism, progress: options.run.progress)
            deletion.deleted += done.deleted
            deletion.failed += done.failed
            deletion.refused += done.refused
            // `snapshot.clean-empty-directories`: bucket and partition directories the data files left empty.
            if index == 0, settings.snapshotCleanEmptyDirectories {
                await removeEmptyDirectories(done.deleted.map(\.path), table: table)
            }
        }
        result.deletion = deletion
        // 5. The EARLIEST hint moves to the first retained snapshot.
        do {
            try await table.storage.write("\(table.snapshotDirectory)/EARLIEST", bytes: Array(String(end).utf8), mode: .replace)
        } catch { throw PaimonError.storage(error) }
        result.earliest = end
        result.status = .expired
        return result
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

    /// What retained snapshots, tags and branches still reach: data and changelog file locations, manifest and
    /// list names, index file names.
    struct Retained {
        var dataFiles = Set<String>()
        var manifests = Set<String>()
        var indexFiles = Set<String>()

        static func read(_ table: PaimonTable, files: PaimonSnapshotFiles, endSnapshot: PaimonSnapshot, ids: [Int64])
            async throws(PaimonError) -> Retained
        {
            var kept = Retained()
            let schemas = try await table.schemas()
            let schema = schemas[schemas.keys.max()!]!
            let options = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
            func hold(_ snapshot: PaimonSnapshot, fileLevel: Bool, reader: PaimonSnapshotFiles) async throws(PaimonError) {
                kept.manifests.formUnion(try await reader.manifestNames(snapshot))
                for entry in try await reader.indexFiles(snapshot) { kept.indexFiles.insert(entry.fileName) }
                if let statistics = snapshot.statistics { kept.manifests.insert(statistics) }
                guard fileLevel else { return }
                var entries = try await reader.liveFiles(snapshot)
                if let changelog = snapshot.changelogManifestList { entries += try await reader.entries(ofList: changelog) }
                for entry in entries {
                    let fileSchema = schemas[entry.file.schemaId] ?? schema
                    kept.dataFiles.formUnion(try table.dataFileLocations(entry, schema: fileSchema, options: options))
                }
            }
            // The first retained snapshot's files (the later ones only add new files), every retained snapshot's
            // manifests, and everything of tags and branches.
            try await hold(endSnapshot, fileLevel: true, reader: files)
            for id in ids where id != endSnapshot.id {
                let snapshot = try await table.snapshot(id)
                try await hold(snapshot, fileLevel: snapshot.changelogManifestList != nil, reader: files)
            }
            for (_, tag) in try await table.tags() { try await hold(tag, fileLevel: true, reader: files) }
            for branch in try await table.branches() {
                let branchTable = PaimonTable(location: table.location, storage: table.storage, branch: branch)
                for (id, _) in try await branchTable.snapshotFiles() {
                    try await hold(try await branchTable.snapshot(id), fileLevel: true, reader: files)
                }
                for (_, tag) in try await branchTable.tags() { try await hold(tag, fileLevel: true, reader: files) }
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
