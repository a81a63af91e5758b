import Iceberg
import IcebergSpec
import Planning
import Storage

/// `amoro clean-orphans` for one table: lists everything under the table location, keeps what the metadata reaches
/// (every snapshot, referenced or not, with DELETED entries too; current and logged metadata files; the version
/// hint; statistics and partition statistics) and what is younger than the grace period, and deletes the rest.
///
/// The listing is taken before the table is loaded, so anything committed meanwhile is seen as reachable. Refused
/// when a file that live entries name inside the location is missing from the listing (its path may be written in
/// another form, which would make the real file look orphaned), when `gc.enabled=false`, when another table lives under this one's location, when referenced paths show up
/// under another scheme (prefix mismatch, unless told otherwise) and when more than `maxDeletes` files would go.
/// Empty directories left behind are removed on local storage (never `data` or `metadata` themselves, and only
/// those untouched for the grace period before the deletes). Dangling delete files (Amoro's
/// `clean-dangling-delete-files.enabled`) are not orphans: live manifests name them, so removing them takes a
/// committed snapshot; `DanglingDeleteCleanup` does that after this pass, gated by its own switch (on by default,
/// whether orphan cleaning is on or not), and with an audit only for the files the audit listed.
package enum CleanOrphansAction {
    package static let defaultGraceMs: Int64 = 3 * 86_400_000

    package struct Options: Sendable {
        /// `--older-than`: the grace period, overriding the table.
        package var olderThanMs: Int64?
        package var maxDeletes: Int?
        package var prefixMismatch: OrphanFinder.PrefixMismatchMode = .error
        /// Dry run, force, audit, parallelism and progress.
        package var run = MaintenanceRun()

        package init() {}
    }

    package enum Status: String, Sendable {
        case cleaned, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled
    }

    package struct Result: Sendable {
        package var status: Status
        package var tableUUID: String?
        package var graceMs: Int64 = 0
        package var filesFound = 0
        package var outcome = OrphanFinder.Outcome()
        package var deletion: FileDeletion?
        package var directoriesRemoved: [String] = []
        /// Files an audit listed that this run leaves alone, with why.
        package var skipped: [(path: String, reason: String)] = []
        /// The dangling-delete pass that followed.
        package var danglingDeletes: DanglingDeleteCleanup.Result?
    }

    /// The orphan pass, then the dangling-delete pass.
    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String], options: Options,
        nowMs: Int64
    ) async throws(AmoroError) -> Result {
        var result = try await removeOrphans(
            identifier, catalog: catalog, catalogProperties: catalogProperties, options: options, nowMs: nowMs)
        result.danglingDeletes = try await DanglingDeleteCleanup.run(
            identifier, catalog: catalog, catalogProperties: catalogProperties, dryRun: options.run.dryRun,
            only: options.run.audit?.deleteFiles, nowMs: { nowMs })
        return result
    }

    private static func removeOrphans(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String], options: Options,
        nowMs: Int64
    ) async throws(AmoroError) -> Result {
        var table: LoadedTable
        do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        let config: MaintenanceConfig
        do { config = try MaintenanceConfig(tableProperties: table.metadata.properties, catalogProperties: catalogProperties) }
        catch { throw .invalidProperty(identifier, error) }
        var result = Result(status: .nothingToDo, tableUUID: table.metadata.tableUUID)
        guard config.gcEnabled else {
            throw .refused(identifier, "gc.enabled=false: files of this table may be shared with another table")
        }
        if !config.cleanOrphansEnabled && !options.run.force && options.olderThanMs == nil {
            result.status = .disabled
            return result
        }
        result.graceMs = options.olderThanMs ?? (config.cleanOrphansConfigured ? config.orphanMinExistingTimeMs : defaultGraceMs)
        try await refuseNestedTables(table, identifier: identifier, catalog: catalog)

        let storage = catalog.storage
        let listing: [StoredFile]
        do { listing = try await storage.list(prefix: table.metadata.location) } catch { throw .iceberg(.storage(error)) }
        result.filesFound = listing.count
        do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        let walk: ReachableFiles
        do { walk = try await ReachableFiles.walk(table.metadata, storage: storage, parallelism: options.run.parallelism) }
        catch { throw .iceberg(error) }
        let snapshots = Set(table.metadata.snapshots.map(\.snapshotId))
        let reachable = walk.everything(of: table)
        let finder = OrphanFinder(tableLocation: table.metadata.location, metadataDirectory: table.metadata.metadataDirectory,
            reachable: reachable, graceMs: result.graceMs, prefixMismatch: options.prefixMismatch)
        do throws(OrphanFinder.Refusal) {
            // Files committed after the listing exist now; a referenced file that does not is missing, or its path
            // is written in a form the listing does not show, and then the listed copy would look orphaned.
            var missing: [String] = []
            for file in finder.unlisted(walk.files(reachedBy: snapshots), in: listing) where (try? await storage.size(file.path)) == nil {
                missing.append(file.path)
            }
            if !missing.isEmpty { throw .referencedFilesMissing(missing) }
            result.outcome = try finder.find(in: listing, nowMs: nowMs)
        } catch {
            throw .refused(identifier, error.description)
        }
        if let audit = options.run.audit {
            try audit.check(table.metadata, identifier: identifier)
            let sizes = Dictionary(audit.files.map { (ReachedFile.key($0.path), $0.size) }, uniquingKeysWith: { first, _ in first })
            let orphans = Dictionary(result.outcome.orphans.map { (ReachedFile.key($0.location), $0) }, uniquingKeysWith: { first, _ in first })
            for file in audit.files {
                guard let orphan = orphans[ReachedFile.key(file.path)] else {
                    result.skipped.append((file.path, "not an orphan past the grace period under the table location"))
                    continue
                }
                if orphan.size != file.size { result.skipped.append((file.path, "its size changed since the audit")) }
            }
            result.outcome.orphans.removeAll { sizes[ReachedFile.key($0.location)] != $0.size }
        }
        if result.outcome.orphans.isEmpty { return result }
        if options.run.dryRun {
            result.status = .dryRun
            return result
        }
        if let maxDeletes = options.maxDeletes, result.outcome.orphans.count > maxDeletes {
            throw .refused(identifier, "\(result.outcome.orphans.count) orphan files, more than --max-deletes \(maxDeletes); nothing deleted")
        }
        let directories = await quietDirectories(of: result.outcome.orphans, table: table.metadata,
            cutoffMs: nowMs - result.graceMs, storage: storage)
        result.deletion = await FileDeletion.run(
            result.outcome.orphans.map { ReachedFile(path: $0.location, fileClass: .data, size: $0.size) },
            tableLocation: table.metadata.location, storage: storage, parallelism: options.run.parallelism,
            progress: options.run.progress)
        for directory in directories where await storage.removeDirectoryIfEmpty(directory) {
            result.directoriesRemoved.append(directory)
        }
        result.status = .cleaned
        return result
    }

    /// Refuses when another table of the catalog lives at or under this table's location.
    private static func refuseNestedTables(_ table: LoadedTable, identifier: TableIdentifier, catalog: any Catalog)
        async throws(AmoroError)
    {
        guard let root = Location(table.metadata.location) else { return }
        var nested: String?
        do {
            search: for namespace in try await catalog.listNamespaces() {
                for other in try await catalog.listTables(namespace: namespace) where other != identifier {
                    let location = try await catalog.loadTable(other).metadata.location
                    if let inside = Location(location), root.contains(inside) {
                        nested = "table \(other) lives at \(location), under this table's location"
                        break search
                    }
                }
            }
        } catch { throw .iceberg(error) }
        if let nested { throw .refused(identifier, nested) }
    }

    /// The directories holding `orphans` (and their parents up to the table location, except the location
    /// itself, `data` and `metadata`) unmodified since `cutoffMs`, deepest first: those may go once empty.
    private static func quietDirectories(of orphans: [StoredFile], table: TableMetadata, cutoffMs: Int64, storage: any Storage)
        async -> [String]
    {
        guard let root = Location(table.location) else { return [] }
        let protected = Set([root, root.appending("data"), root.appending("metadata")])
        var candidates = Set<Location>()
        for orphan in orphans {
            guard var location = Location(orphan.location) else { continue }
            while let slash = location.path.lastIndex(of: "/"), slash > location.path.startIndex {
                location.path = String(location.path[..<slash])
                guard root.contains(location), !protected.contains(location) else { break }
                candidates.insert(location)
            }
        }
        var quiet: [String] = []
        for directory in candidates.sorted(by: { $0.path.count > $1.path.count }) {
            if let modified = await storage.directoryModifiedMs(directory.description), modified < cutoffMs {
                quiet.append(directory.description)
            }
        }
        return quiet
    }
}
