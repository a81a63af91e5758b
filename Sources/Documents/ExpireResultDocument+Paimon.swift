import Execution
import Iceberg
import Planning

extension ExpireResultDocument {
    /// The document of a Paimon table's expiry: the snapshots removed (reason `age`: Paimon's retention), no refs
    /// (Paimon's tags and branches are never expired here), the files by class (data and changelog files as
    /// `data`, deletion-vector index files as `position_deletes`, other index files and statistics as
    /// `statistics`, snapshot, long-lived changelog and consumer files as `metadata`), and the cut-off time the
    /// retention used. Snapshots moved to `changelog/` count as removed snapshots.
    package init(catalog: String, table: String, paimon outcome: Result<PaimonExpire.Result, any Error>, durationMs: Int64) {
        switch outcome {
        case .failure(let error):
            self.init(catalog: catalog, table: table, tableUUID: nil, status: Status(rawValue: FailureStatus(error).rawValue) ?? .failed,
                details: nil, error: "\(error)", durationMs: durationMs)
        case .success(let result):
            var deleted: [TableFileClass: Deleted] = [:]
            for (fileClass, count) in result.deletion?.byClass ?? [:] { deleted[fileClass] = Deleted(files: count.files, bytes: count.bytes) }
            let details = Details(
                cutoffMs: result.cutoffMs, retention: nil,
                snapshotsRemoved: result.snapshots.map { RemovedSnapshot(snapshotId: $0.id, timestampMs: $0.timeMillis, reason: .age) },
                refsRemoved: [], files: result.status == .dryRun ? result.files : nil, filesDeleted: deleted, filesKept: nil,
                filesSkipped: FileNote.skipped(result.skipped), deleteFailures: FileNote.failures(result.deletion),
                commitAttempts: result.status == .expired ? 1 : 0)
            self.init(catalog: catalog, table: table, tableUUID: nil, status: Status(rawValue: result.status.rawValue) ?? .failed,
                details: details, error: nil, durationMs: durationMs)
        }
    }
}
