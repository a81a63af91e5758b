import Iceberg
import IcebergSpec
import Paimon
import Storage

/// `amoro clean-orphans` for a Paimon table (Paimon's `OrphanFilesClean`): lists the table location and deletes
/// the files that nothing reaches and that are older than the grace period (`--older-than`, else Paimon's
/// procedure default of 1 day).
///
/// Reached: every snapshot present (the snapshot files in `snapshot/`, whatever the hints say), every long-lived
/// changelog in `changelog/`, every tag, and every branch's snapshots, changelogs and tags, each with its manifest
/// lists, manifests, index manifest, index files, statistics, data files with their extra files, and changelog
/// files. A list or manifest already gone is skipped for changelogs (Paimon deletes the base and delta lists of
/// changelogs it keeps for their changelog list) and for snapshots older than the latest (an interrupted expiry
/// removes files of snapshots it had not deleted yet) and for tags' changelog lists (Paimon's expiry deletes them);
/// for the other lists of tags and of each branch's latest snapshot it is an error.
/// Candidates, as in Paimon: in `snapshot/` and `changelog/` (of the table and of its branches) only files other
/// than `snapshot-N` / `changelog-N` and the hints, such as writers' temporary files; never anything under
/// `schema/`, `tag/`, `consumer/` or elsewhere in `branch/`. The listing is taken before the table is read, so a
/// file committed meanwhile is seen as reached.
package enum PaimonOrphanClean {
    package static let defaultGraceMs: Int64 = 86_400_000

    package static func run(_ table: PaimonTable, options: CleanOrphansAction.Options, enabled: Bool, nowMs: Int64)
        async throws(AmoroError) -> CleanOrphansAction.Result
    {
        var result = CleanOrphansAction.Result(status: .nothingToDo)
        if !enabled && !options.run.force && options.olderThanMs == nil && options.run.audit == nil {
            result.status = .disabled
            return result
        }
        result.graceMs = options.olderThanMs ?? defaultGraceMs
        let listed: [StoredFile]
        do { listed = try await table.storage.list(prefix: "\(table.location)/") } catch {
            throw .paimon(.storage(error))
        }
        let reached: Set<String>
        do { reached = try await reachable(table) } catch { throw .paimon(error) }
        result.filesFound = listed.count
        let cutoff = nowMs.saturatingSubtract(result.graceMs)
        for file in listed {
            guard isCandidate(file.location, table: table) else { continue }
            if reached.contains(ReachedFile.key(file.location)) {
                result.outcome.reachable += 1
            } else if file.modifiedMs >= cutoff {
                result.outcome.keptYoung.append(file)
            } else {
                result.outcome.orphans.append(file)
            }
        }
        if let audit = options.run.audit {
            let listedInAudit = Dictionary(audit.files.map { (ReachedFile.key($0.path), $0.size) }, uniquingKeysWith: { first, _ in first })
            let (keep, drop) = result.outcome.orphans.partitioned { file in
                listedInAudit[ReachedFile.key(file.location)].map { $0 == nil || $0 == file.size } ?? false
            }
            result.outcome.orphans = keep
            result.skipped = drop.map { ($0.location, "not listed in the audit, or its size changed") }
        }
        if let maxDeletes = options.maxDeletes, result.outcome.orphans.count > maxDeletes {
            throw .refused(TableIdentifier(namespace: [], name: table.location),
                "\(result.outcome.orphans.count) orphans exceed --max-deletes \(maxDeletes)")
        }
        guard !result.outcome.orphans.isEmpty else { return result }
        if options.run.dryRun {
            result.status = .dryRun
            return result
        }
        let files = result.outcome.orphans.map { ReachedFile(path: $0.location, fileClass: fileClass($0.location, table: table), size: $0.size) }
        result.deletion = await FileDeletion.run(files, tableLocation: table.location, storage: table.storage,
            parallelism: options.run.parallelism, progress: options.run.progress)
        result.status = .cleaned
        return result
    }

    /// Files under these directories are the table's own state, never orphans (but see `stateDirectoryCandidate`).
    private static let protectedDirectories = ["schema", "snapshot", "tag", "consumer", "branch", "changelog"]

    static func isCandidate(_ location: String, table: PaimonTable) -> Bool {
        guard let relative = PaimonTable.relativePath(location, under: table.location) else { return false }
        var parts = relative.split(separator: "/").map(String.init)
        guard let first = parts.first else { return false }
        // A branch's own snapshot/ and changelog/ directories are cleaned like the table's.
        if first == "branch", parts.count == 4, parts[1].hasPrefix("branch-") { parts.removeFirst(2) }
        if parts.count == 2, let prefix = ["snapshot": "snapshot-", "changelog": "changelog-"][parts[0]] {
            return !parts[1].hasPrefix(prefix) && parts[1] != "EARLIEST" && parts[1] != "LATEST"
        }
        return !protectedDirectories.contains(first)
    }

    static func fileClass(_ location: String, table: PaimonTable) -> TableFileClass {
        let relative = PaimonTable.relativePath(location, under: table.location) ?? ""
        if relative.hasPrefix("manifest/") {
            return PaimonTable.fileNameIsList(location) ? .manifestLists : .manifests
        }
        if relative.hasPrefix("index/") { return .positionDeletes }
        if relative.hasPrefix("statistics/") { return .statistics }
        if relative.hasPrefix("snapshot/") || relative.hasPrefix("changelog/") || relative.hasPrefix("branch/") { return .metadata }
        return .data
    }

    /// Canonical locations of everything snapshots, changelogs, tags and branches reach.
    static func reachable(_ table: PaimonTable) async throws(PaimonError) -> Set<String> {
        var reached = Set<String>()
        let schemas = try await table.schemas()
        let schema = schemas[schemas.keys.max()!]!
        let options = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
        let files = PaimonSnapshotFiles(table: table)
        func add(_ location: String) { reached.insert(ReachedFile.key(location)) }
        // Manifests are shared by many snapshots: gather their names first, then read each once.
        var dataManifests = Set<String>()
        var requiredManifests = Set<String>()
        func hold(_ snapshot: PaimonSnapshot, required: Bool) async throws(PaimonError) {
            for list in [snapshot.baseManifestList, snapshot.deltaManifestList] + [snapshot.changelogManifestList].compactMap({ $0 }) {
                // Paimon's expiry deletes a tagged snapshot's changelog list (tags keep data files only).
                let strict = required && list != snapshot.changelogManifestList
                let manifests = strict ? try await files.manifestList(list) : try await files.manifestListIfPresent(list)
                guard let manifests else { continue }
                add(table.manifestLocation(list))
                for manifest in manifests {
                    add(table.manifestLocation(manifest.fileName))
                    dataManifests.insert(manifest.fileName)
                    if strict { requiredManifests.insert(manifest.fileName) }
                }
            }
            if let index = snapshot.indexManifest {
                add(table.manifestLocation(index))
                for entry in required ? try await files.indexFiles(snapshot) : try await files.indexFilesIfPresent(snapshot) ?? [] {
                    add(table.indexFileLocation(entry))
                }
            }
            if let statistics = snapshot.statistics { add(table.statisticsLocation(statistics)) }
        }
        let branches = try await table.branches().map { PaimonTable(location: table.location, storage: table.storage, branch: $0) }
        for branchTable in [table] + branches {
            let snapshots = try await branchTable.snapshotFiles()
            for (id, _) in snapshots { try await hold(try await branchTable.snapshot(id), required: id == snapshots.last?.id) }
            for (id, _) in try await branchTable.changelogFiles() { try await hold(try await branchTable.changelog(id), required: false) }
            for (_, tag) in try await branchTable.tags() { try await hold(tag, required: true) }
        }
        // Every entry, DELETE ones too: a file a snapshot's delta removes is still the previous snapshot's.
        for name in dataManifests.sorted() {
            let entries: [PaimonManifestEntry]
            do { entries = try await table.manifest(name) } catch let error where error.isNotFound && !requiredManifests.contains(name) { continue }
            for entry in entries {
                for location in try table.dataFileLocations(entry, schema: schemas[entry.file.schemaId] ?? schema, options: options) {
                    add(location)
                }
            }
        }
        return reached
    }
}
