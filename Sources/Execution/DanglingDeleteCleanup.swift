import Iceberg
import IcebergSpec
import Planning

/// Removes dangling delete files, as Apache Amoro's `clean-dangling-delete-files` does (its §4.4): delete files
/// live in the current snapshot that apply to no live data file by the spec's rules (a position delete or deletion
/// vector whose data file is gone, an equality delete no older data file of its partition is left for). They are
/// removed by one `replace` commit that only removes them (`snapshot.producer=CLEAN_DANGLING_DELETE`), through
/// `ReplaceCommit`, which re-checks before swapping that a concurrent commit did not give them a data file to apply
/// to. The files themselves stay on storage: expiring the snapshots that still reference them deletes them.
///
/// Gated by `clean-dangling-delete-files.enabled` ANDed with `gc.enabled`. `amoro rewrite-deletes` removes the same
/// files (with `danglingRemovals`) in its own commits; `amoro clean-orphans` calls `run`.
package enum DanglingDeleteCleanup {
    package static let producer = "CLEAN_DANGLING_DELETE"

    /// A delete file to remove, what it holds, and why (also what `RewriteDeletesPlan` removes).
    package struct Removal: Sendable, Equatable {
        package var path: String
        /// `position-deletes`, `deletion-vectors` or `equality-deletes` (`DeleteSurvey.kind(of:)`).
        package var kind: String
        /// Entries (delete rows, or positions of deletion vectors) over every manifest entry of the file.
        package var records: Int64
        package var bytes: Int64
        /// `drop` (dangling: applies to nothing) or `rewrite` (its rows move to a new file or are applied).
        package var action: String
        package var reason: String

        package init(path: String, kind: String, records: Int64, bytes: Int64, action: String, reason: String) {
            self.path = path
            self.kind = kind
            self.records = records
            self.bytes = bytes
            self.action = action
            self.reason = reason
        }
    }

    /// What happened to one table.
    package struct Result: Sendable {
        package enum Status: String, Sendable {
            case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled
        }
        package var status: Status
        package var snapshotId: Int64?
        /// Removed (or, for a dry run, to remove), sorted by path.
        package var removals: [Removal] = []
        package var commitAttempts = 0
    }

    /// Finds the dangling delete files of the table's current snapshot and, unless `dryRun`, commits their removal;
    /// with `only` (a reviewed audit's list), only those of them.
    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String] = [:], dryRun: Bool,
        only: Set<String>? = nil, nowMs: @escaping @Sendable () -> Int64
    ) async throws(AmoroError) -> Result {
        let table: LoadedTable
        do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        let config: MaintenanceConfig
        do {
            config = try MaintenanceConfig(tableProperties: table.metadata.properties, catalogProperties: catalogProperties)
        } catch { throw .invalidProperty(identifier, error) }
        guard config.cleansDanglingDeletes else { return Result(status: .disabled) }
        // As Amoro: a snapshot whose summary counts no delete files has none to look at.
        if table.metadata.currentSnapshot?.summary["total-delete-files"] == "0" { return Result(status: .nothingToDo) }
        let survey: DeleteSurvey?
        do { survey = try await DeleteSurvey.current(table, storage: catalog.storage) } catch { throw .iceberg(error) }
        guard let survey else { return Result(status: .nothingToDo) }
        let removals = danglingRemovals(survey).filter { only?.contains($0.path) ?? true }
        guard !removals.isEmpty else { return Result(status: .nothingToDo) }
        var result = Result(status: dryRun ? .dryRun : .committed, removals: removals)
        if dryRun { return result }
        let outcome = try await removalCommit(identifier, survey: survey, removed: Set(removals.map(\.path)), producer: producer)
            .run(catalog: catalog, nowMs: nowMs)
        result.snapshotId = outcome.snapshotId
        result.commitAttempts = outcome.attempts
        return result
    }

    /// The dangling delete files of `survey`, sorted by path.
    package static func danglingRemovals(_ survey: DeleteSurvey) -> [Removal] {
        survey.danglingPaths.map { path in
            let deletes = survey.deletesByPath[path] ?? []
            let file = deletes[0].file
            let reason: String
            if file.content == .equalityDeletes {
                reason = "no live data file of its partition is older than its sequence number \(deletes[0].sequenceNumber)"
            } else {
                let targets = deletes.compactMap(\.file.referencedDataFile)
                reason = targets.isEmpty
                    ? "no live data file it can apply to"
                    : "its data file\(targets.count > 1 ? "s are" : " is") no longer live (\(targets.sorted()[0]))"
            }
            return Removal(path: path, kind: DeleteSurvey.kind(of: file), records: deletes.saturatingSum(\.file.recordCount),
                bytes: file.fileSizeInBytes, action: "drop", reason: "dangling: " + reason)
        }
    }

    /// A commit that only removes `removed` delete files, checking before the swap that none of them applies to a
    /// data file a concurrent commit added.
    static func removalCommit(
        _ identifier: TableIdentifier, survey: DeleteSurvey, removed: Set<String>, producer: String
    ) -> ReplaceCommit {
        var commit = ReplaceCommit(
            identifier: identifier, plannedSnapshotId: survey.snapshot.snapshotId,
            dataSequenceNumber: survey.snapshot.sequenceNumber, removedDataFiles: [], removedDeleteFiles: removed,
            addedDataFiles: [], addedDeleteFiles: [], summary: [OptimizingHistory.producerKey: producer])
        commit.validation = DeleteSurvey.revalidation(removedDeletes: removed, removedData: [], covered: [], vectorTargets: [],
            table: identifier)
        return commit
    }
}
