import Iceberg
import IcebergSpec
import Planning
import Storage

/// `amoro expire-data` for one table: Apache Amoro's data expiration (`data-expire.*`). `DataExpiration` decides
/// which live data files of the current snapshot hold only expired rows; the delete files that apply to nothing
/// but those files go with them (a delete file that still applies to a kept data file stays, so no deleted row
/// comes back). One `delete` snapshot removes both (`snapshot.producer=DATA_EXPIRATION`), through `ReplaceCommit`:
/// optimistic, retried per `commit.retry.*`, and when other commits came in between, re-checked against them
/// (every removed data file still expired under the same cut-off, every removed delete file applying to removed
/// data files only). The files stay on storage until expiring the snapshots that reference them deletes them.
///
/// Runs only when `data-expire.enabled` and `gc.enabled` are on, a field is named and the retention is above
/// zero (status `disabled` otherwise).
package enum ExpireDataAction {
    package static let producer = "DATA_EXPIRATION"

    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled
    }

    /// What happened to one table.
    package struct Result: Sendable {
        package var status: Status
        package var tableUUID: String?
        /// Why the run did nothing (`disabled`, or no base time).
        package var note: String?
        package var config: DataExpirationConfig?
        package var baseTimeMs: Int64?
        package var cutoffMs: Int64?
        package var plannedSnapshotId: Int64?
        package var snapshotId: Int64?
        /// Every live data file's decision, in manifest order.
        package var decisions: [DataExpiration.FileDecision] = []
        /// Delete files removed with the expired data files, sorted by path.
        package var deleteFiles: [DanglingDeleteCleanup.Removal] = []
        package var commitAttempts = 0
    }

    /// Plans and (unless `dryRun`) commits the expiration of `identifier`'s expired data files; replaying `audit`,
    /// only those of them that the audit lists with the same size, and only the delete files it lists.
    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String] = [:], dryRun: Bool,
        audit: MaintenanceAudit? = nil, nowMs: @escaping @Sendable () -> Int64
    ) async throws(AmoroError) -> Result {
        let table: LoadedTable
        do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
        try audit?.check(table.metadata, identifier: identifier)
        var result = Result(status: .nothingToDo, tableUUID: table.metadata.tableUUID)
        let config: DataExpirationConfig
        do { config = try DataExpirationConfig(tableProperties: table.metadata.properties, catalogProperties: catalogProperties) }
        catch { throw .invalidProperty(identifier, error) }
        result.config = config
        guard config.expires else {
            result.status = .disabled
            result.note = !config.enabled ? "data-expire.enabled is not true"
                : !config.gcEnabled ? "gc.enabled=false" : config.field == nil ? "data-expire.field is not set"
                : "data-expire.retention-time is not above 0"
            return result
        }
        let now = nowMs()
        guard let plan = try await plan(table, config: config, storage: catalog.storage, nowMs: now) else { return result }
        result.baseTimeMs = plan.expiration.baseTimeMs
        result.cutoffMs = plan.expiration.cutoffMs
        result.plannedSnapshotId = plan.survey.snapshot.snapshotId
        result.decisions = audit.map { Self.limited(plan.decisions, to: $0) } ?? plan.decisions
        if plan.expiration.baseTimeMs == nil { result.note = "main's history holds no data commit to measure the retention from" }
        let expired = Set(result.decisions.filter(\.expired).map(\.path))
        result.deleteFiles = deletesGoingWith(expired, survey: plan.survey)
        if let audit {
            let listed = Set(audit.deleteFiles.map(ReachedFile.key))
            result.deleteFiles.removeAll { !listed.contains(ReachedFile.key($0.path)) }
        }
        guard !expired.isEmpty else { return result }
        if dryRun {
            result.status = .dryRun
            return result
        }
        let removedDeletes = Set(result.deleteFiles.map(\.path))
        var commit = ReplaceCommit(
            identifier: identifier, plannedSnapshotId: plan.survey.snapshot.snapshotId,
            dataSequenceNumber: plan.survey.snapshot.sequenceNumber, removedDataFiles: expired, removedDeleteFiles: removedDeletes,
            addedDataFiles: [], addedDeleteFiles: [], summary: [OptimizingHistory.producerKey: producer])
        commit.operation = .delete
        let cutoffMs = plan.expiration.cutoffMs
        commit.validation = { table, storage throws(AmoroError) in
            // Against the newer table: the same cut-off still expires every removed data file, and the removed
            // delete files still apply to nothing but removed data files.
            var fixed = config
            fixed.baseRule = .currentTime
            guard let cutoffMs, let replan = try await Self.plan(table, config: fixed, storage: storage,
                nowMs: cutoffMs.saturatingAdd(config.retentionMs))
            else { throw .conflict(identifier, "a concurrent commit left the table without a snapshot") }
            let stillExpired = Set(replan.decisions.filter(\.expired).map(\.path))
            if let changed = expired.subtracting(stillExpired).sorted().first {
                throw .conflict(identifier, "a concurrent commit changed what \(changed) or its partition holds")
            }
            try replan.survey.validateRemoval(of: removedDeletes, removedData: expired, covered: expired, vectorTargets: [],
                table: identifier)
        }
        let outcome = try await commit.run(catalog: catalog, nowMs: nowMs)
        result.status = .committed
        result.snapshotId = outcome.snapshotId
        result.commitAttempts = outcome.attempts
        return result
    }

    /// The survey of `table`'s current snapshot and every live data file's decision; nil without a snapshot.
    private static func plan(_ table: LoadedTable, config: DataExpirationConfig, storage: any Storage, nowMs: Int64)
        async throws(AmoroError) -> (survey: DeleteSurvey, expiration: DataExpiration, decisions: [DataExpiration.FileDecision])?
    {
        let metadata = table.metadata
        guard let schema = metadata.currentSchema else {
            throw .iceberg(.invalidFile(table.metadataLocation, "has no current schema"))
        }
        let expiration: DataExpiration
        do {
            expiration = try DataExpiration(config: config, schema: schema, snapshots: metadata.snapshots,
                currentSnapshotId: metadata.currentSnapshotId, nowMs: nowMs)
        } catch { throw .invalidProperty(table.identifier, error) }
        let survey: DeleteSurvey?
        do { survey = try await DeleteSurvey.current(table, storage: storage) } catch { throw .iceberg(error) }
        guard let survey else { return nil }
        let specs = Dictionary(metadata.partitionSpecs.map { ($0.specId, $0) }, uniquingKeysWith: { first, _ in first })
        return (survey, expiration, expiration.decide(survey.dataFiles.map(\.file), specs: specs, schema: schema))
    }

    /// `decisions` with every expired data file that `audit` does not list with the same size marked `notInAudit`.
    static func limited(_ decisions: [DataExpiration.FileDecision], to audit: MaintenanceAudit) -> [DataExpiration.FileDecision] {
        var sizes: [String: Int64?] = [:]
        for file in audit.files where file.fileClass == .data { sizes[ReachedFile.key(file.path)] = file.size }
        return decisions.map { decision in
            guard decision.expired else { return decision }
            var limited = decision
            switch sizes[ReachedFile.key(decision.path)] {
            case nil:
                limited.verdict = .notInAudit
                limited.reason = "expired, but the audit does not list it"
            case let size?? where size != decision.bytes:
                limited.verdict = .notInAudit
                limited.reason = "the audit lists it with \(size) bytes, the table with \(decision.bytes)"
            default: break
            }
            return limited
        }
    }

    /// Delete files that apply to at least one of the `expired` data files and to no other live data file.
    static func deletesGoingWith(_ expired: Set<String>, survey: DeleteSurvey) -> [DanglingDeleteCleanup.Removal] {
        survey.deletesByPath.keys.sorted().compactMap { path in
            guard let targets = survey.targetsByPath[path], targets.isSubset(of: expired) else { return nil }
            let deletes = survey.deletesByPath[path] ?? []
            let file = deletes[0].file
            return DanglingDeleteCleanup.Removal(path: path, kind: DeleteSurvey.kind(of: file),
                records: deletes.saturatingSum(\.file.recordCount), bytes: file.fileSizeInBytes, action: "drop",
                reason: "applies only to expired data files (\(targets.count))")
        }
    }
}
