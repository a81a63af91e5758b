import Execution
import Planning

extension CompactResultDocument {
    /// The document of one Paimon plan's run (`PaimonCompact`): the same members as an Iceberg compaction's, with
    /// no delete files and no row-group merges; `commit_attempts` counts the snapshot creations tried.
    package init(paimon plan: PaimonCompactionPlan, result: PaimonCompact.Result?, failure: (any Error)?, locked: Bool, durationMs: Int64) {
        let status = Self.status(result?.status.rawValue, failure: failure, locked: locked)
        let counts = result.map { result in
            Counts(
                dataFilesIn: result.filesIn, bytesIn: result.bytesIn, recordsIn: result.rows,
                dataFilesOut: result.filesOut, bytesOut: result.bytesOut, recordsOut: result.rowsOut,
                deleteFilesRemoved: 0, deleteFilesKept: [], deleteFilesAdded: 0, dataFilesMerged: 0,
                commitAttempts: result.status == .committed ? result.retries + 1 : 0)
        }
        self.init(catalog: plan.catalog, table: plan.table, status: status, level: OptimizingLevel(rawValue: plan.level),
            plannedSnapshotId: plan.snapshotId, snapshotId: result?.snapshotId, counts: counts, error: failure.map { "\($0)" },
            durationMs: durationMs)
    }
}
