import Foundation
import Iceberg
import IcebergSpec
import Planning
import Storage

/// Executes `amoro rewrite-deletes` on one table: surveys the current snapshot, reads what the plan needs (entries
/// of delete files that name data files they no longer apply to; with `--apply`, every data file's deleted rows),
/// decides with `RewriteDeletesPlan`, writes the new delete files (one position-delete file per partition or per
/// data file as the table's layout is, or deletion vectors for v3) and, with `--apply`, the data files rewritten
/// with their deletes applied, and commits one `replace` snapshot through `ReplaceCommit`.
///
/// The new delete files hold, for each data file of a rewritten group, every position any of its deletes removes
/// (position deletes, deletion vectors and equality deletes alike, as `RowDeletes` resolves them), so the rows read
/// do not change. The commit re-checks the head when other commits came first: removed files still live, no new
/// data file they would apply to, no new deletion vector for a data file given one: otherwise `.conflict`.
package enum RewriteDeletesAction {
    package static let producer = "REWRITE_DELETES"

    package struct Options: Sendable {
        package var dryRun: Bool
        /// Rewrite data files whose deleted-row ratio passes `applyRatio` (default: the table's duplicate ratio).
        package var apply: Bool
        package var applyRatio: Double?
        package var partitionFilter: String?
        package var nowMs: @Sendable () -> Int64

        package init(dryRun: Bool, apply: Bool, applyRatio: Double?, partitionFilter: String?, nowMs: @escaping @Sendable () -> Int64) {
            self.dryRun = dryRun
            self.apply = apply
            self.applyRatio = applyRatio
            self.partitionFilter = partitionFilter
            self.nowMs = nowMs
        }
    }

    /// A file the run writes (or, for a dry run, would write).
    package struct Written: Sendable, Equatable {
        package var path: String
        package var kind: String
        package var partition: String
        package var dataFiles: Int
        package var records: Int64
        package var bytes: Int64

        package init(path: String, kind: String, partition: String, dataFiles: Int, records: Int64, bytes: Int64) {
            self.path = path
            self.kind = kind
            self.partition = partition
            self.dataFiles = dataFiles
            self.records = records
            self.bytes = bytes
        }
    }

    /// What happened to one table.
    package struct Result: Sendable {
        package enum Status: String, Sendable {
            case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled
        }
        package var status: Status
        package var tableUUID: String?
        package var plannedSnapshotId: Int64?
        package var snapshotId: Int64?
        package var layout: RewriteDeletesPlan.Layout?
        package var removals: [DanglingDeleteCleanup.Removal] = []
        package var written: [Written] = []
        /// Data files rewritten with their deletes applied (`--apply`).
        package var rewrittenDataFiles: [String] = []
        package var dataBytesIn: Int64 = 0
        package var commitAttempts = 0

        /// Entries of removed delete files naming data files they did not apply to, plus every entry of dangling ones.
        package var entriesDroppedAsDangling: Int64 = 0
    }

    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String] = [:], options: Options
    ) async throws(AmoroError) -> Result {
        let table: LoadedTable
        do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        var result = try await rewrite(
            table, identifier: identifier, catalog: catalog, catalogProperties: catalogProperties, options: options)
        result.tableUUID = table.metadata.tableUUID
        return result
    }

    private static func rewrite(
        _ table: LoadedTable, identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String],
        options: Options
    ) async throws(AmoroError) -> Result {
        let metadata = table.metadata
        let config: OptimizingConfig
        do { config = try OptimizingConfig(tableProperties: metadata.properties, catalogProperties: catalogProperties) } catch {
            throw .invalidProperty(identifier, error)
        }
        guard config.enabled else { return Result(status: .disabled) }
        let storage = catalog.storage
        let nameMapping: NameMapping?
        do { nameMapping = try metadata.properties[NameMapping.propertyKey].map { try NameMapping(json: $0) } } catch {
            throw .iceberg(.invalidFile(table.metadataLocation, "\(error)"))
        }
        let rowDeletes = RowDeletes(storage: storage, nameMapping: nameMapping)
        let survey: DeleteSurvey?
        do { survey = try await DeleteSurvey.current(table, storage: storage) } catch { throw .iceberg(error) }
        guard let survey else { return Result(status: .nothingToDo) }

        // Read what the plan needs, then decide.
        var inputs = RewriteDeletesPlan.Inputs()
        inputs.partitionFilter = options.partitionFilter
        inputs.partitionPath = { file in metadata.spec(id: file.specId)?.path(for: file.partition) ?? "" }
        var deleted: [String: RoaringPositionBitmap] = [:]
        do {
            inputs.deadEntries = try await deadEntries(survey, cache: rowDeletes.cache, storage: storage)
            if options.apply {
                inputs.applyRatio = options.applyRatio ?? config.majorTriggerDuplicateRatio
                for task in survey.dataFiles where !task.deletes.isEmpty {
                    deleted[task.file.filePath] = try await rowDeletes.deletedPositions(of: task.file, deletes: task.deletes)
                }
                inputs.deletedRows = deleted.mapValues(\.cardinality)
            }
        } catch { throw .iceberg(error) }
        let plan = RewriteDeletesPlan(survey: survey, formatVersion: metadata.formatVersion, inputs: inputs)
        let planned = survey.snapshot.snapshotId
        guard !plan.isEmpty else { return Result(status: .nothingToDo, plannedSnapshotId: planned, layout: plan.layout) }
        var result = Result(status: options.dryRun ? .dryRun : .committed, plannedSnapshotId: planned, layout: plan.layout,
            removals: plan.removals)
        result.entriesDroppedAsDangling = plan.removals.reduce(0) { total, removal in
            total + (removal.action == "drop" ? removal.records : inputs.deadEntries[removal.path] ?? 0)
        }
        result.rewrittenDataFiles = plan.applied.map(\.file.filePath)
        result.dataBytesIn = plan.applied.saturatingSum(\.file.fileSizeInBytes)

        // Positions of every re-expressed data file (and of applied ones, when not read above).
        do {
            for task in plan.reexpressed + plan.applied where deleted[task.file.filePath] == nil {
                deleted[task.file.filePath] = try await rowDeletes.deletedPositions(of: task.file, deletes: task.deletes)
            }
        } catch { throw .iceberg(error) }

        let settings = try DataRewriteSettings(table: table, sortOrder: nil)
        if !options.dryRun {
            // Every directory the writer will write in lies inside the table location.
            let boundary = try await TableBoundary(tableLocation: metadata.location, storage: storage)
            for partitionPath in Set((plan.reexpressed + plan.applied).map { inputs.partitionPath($0.file) }).sorted() {
                try await boundary.checkWritable(
                    directory: settings.properties.directory(tableLocation: metadata.location, partitionPath: partitionPath))
            }
        }
        var writer = RewriteDeletesWriter(table: table, layout: plan.layout, settings: settings, storage: storage,
            dryRun: options.dryRun, partitionPath: inputs.partitionPath)
        do {
            try await writer.writeDeletes(plan.reexpressed.map { ($0.file, deleted[$0.file.filePath]!) })
            try writer.rewriteData(plan.applied.map { ($0.entry, deleted[$0.file.filePath]!) }, targetSize: config.targetSize)
        } catch {
            await writer.removeWritten()
            throw AmoroError.from(error, invalidating: metadata.location)
        }
        result.written = writer.written
        if options.dryRun { return result }
        CrashPoint.afterDataFiles.reach()

        let removedDeletes = Set(plan.removals.map(\.path))
        let removedData = Set(plan.applied.map(\.file.filePath))
        let onlyDangling = plan.applied.isEmpty && plan.reexpressed.isEmpty
        var commit = onlyDangling
            ? DanglingDeleteCleanup.removalCommit(identifier, survey: survey, removed: removedDeletes,
                producer: DanglingDeleteCleanup.producer)
            : ReplaceCommit(
                identifier: identifier, plannedSnapshotId: survey.snapshot.snapshotId,
                dataSequenceNumber: survey.snapshot.sequenceNumber, removedDataFiles: removedData,
                removedDeleteFiles: removedDeletes, addedDataFiles: writer.dataFiles, addedDeleteFiles: writer.deleteFiles,
                summary: [OptimizingHistory.producerKey: producer])
        if !onlyDangling {
            commit.validation = DeleteSurvey.revalidation(
                removedDeletes: removedDeletes, removedData: removedData,
                covered: Set((plan.reexpressed + plan.applied).map(\.file.filePath)),
                vectorTargets: Set(writer.deleteFiles.filter(\.isDeletionVector).compactMap(\.referencedDataFile)),
                table: identifier)
        }
        do {
            let outcome = try await commit.run(catalog: catalog, nowMs: options.nowMs)
            result.snapshotId = outcome.snapshotId
            result.commitAttempts = outcome.attempts
        } catch {
            if !error.mayHaveCommitted { await writer.removeWritten() }
            throw error
        }
        return result
    }

    /// Per position-delete file or Puffin file: entries for data files it does not apply to.
    private static func deadEntries(
        _ survey: DeleteSurvey, cache: DeleteFileCache, storage: any Storage
    ) async throws(IcebergError) -> [String: Int64] {
        var dead: [String: Int64] = [:]
        for (path, deletes) in survey.deletesByPath where deletes[0].file.content == .positionDeletes {
            let targets = survey.targetsByPath[path] ?? []
            let total = deletes.saturatingSum(\.file.recordCount)
            var live: Int64 = 0
            if deletes[0].file.isDeletionVector {
                live = deletes.filter { $0.file.referencedDataFile.map(targets.contains) ?? false }.saturatingSum(\.file.recordCount)
            } else if !targets.isEmpty {
                let positions = try await cache.positions(of: deletes[0].file, storage: storage)
                live = targets.reduce(0) { $0 + (positions[$1]?.cardinality ?? 0) }
            }
            if total > live { dead[path] = total - live }
        }
        return dead
    }
}
