import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec
import Planning

/// `amoro expire-data`: Apache Amoro's data expiration, removing data files whose rows are all older than the
/// table's retention.
struct ExpireDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire-data",
        abstract: "Remove data files whose rows are all older than the table's data-expire retention.",
        discussion: """
            Apache Amoro's data expiration, from the table's properties (or the catalog's table.* defaults): \
            data-expire.enabled (and gc.enabled), data-expire.field (a timestamp, timestamptz, long, string or \
            date column), data-expire.retention-time (90d, 12h, 30min; a bare number is milliseconds), \
            data-expire.level (partition: a partition's files go only when all of them expired; file: each \
            expired file), data-expire.base-on-rule (LAST_COMMIT_TIME: the newest data commit on main, never a \
            maintenance commit; CURRENT_TIME: now), data-expire.datetime-number-format (TIMESTAMP_MS or \
            TIMESTAMP_S, for longs) and data-expire.datetime-string-pattern (Java pattern, default yyyy-MM-dd, for \
            strings). A value has expired when it is at or before base time − retention; all times are UTC.

            A data file goes when metadata proves all its rows expired: its upper bound for the field (or, without \
            one, its partition value under a year/month/day/hour/identity transform of the field) is at or before \
            the cut-off. Files whose metadata does not decide are kept and listed as undecided: no bounds, rows \
            without a value, string bounds that are truncated or do not follow the pattern, a pattern that does \
            not sort as time. Delete files that apply to nothing but expired files go with them; one that still \
            applies to a kept file stays. One delete snapshot (snapshot.producer=DATA_EXPIRATION), committed \
            optimistically (commit.retry.*) and re-checked against concurrent commits; the files leave storage \
            when expire-snapshots expires the snapshots that still reference them.

            A --dry-run document is an audit: --from-audit removes only the data files it lists as expired that \
            still expire when the table is looked at again and have the size it recorded (others are listed as \
            not-in-audit), and only the delete files it lists that still go with them; a table it does not cover, \
            or another table under the same name, is refused.

            Prints one amoro.expire-data-result document per table: status committed, nothing-to-do, dry-run, \
            disabled, conflict, locked or failed. Each table is locked while it changes (see --lock-dir).
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions

    @Flag(help: "List every data file that would be removed and every file kept for another reason than fresh rows, and why; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Remove only the files this dry-run output lists that still expire (same size).", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var fromAudit: String?

    @OptionGroup var checkTime: CheckTimeOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        let runner = TableRunner(command: "expire-data", operations: operations)
        try await runner.run {
            let clock = try checkTime.clock()
            let audits = try fromAudit.map { try MaintenanceInputs.audits($0, as: ExpireDataResultDocument.self) }
            await runner.eachTable(try await selection.resolve(with: catalogOptions), output: output.format, lock: !dryRun) { selected in
                try await ExpireDataAction.run(selected.identifier, catalog: selected.catalog,
                    catalogProperties: selected.catalogProperties, dryRun: dryRun,
                    audit: try MaintenanceInputs.audit(for: selected.identifier.description, in: audits), nowMs: clock)
            } outcome: {
                TableOutcome($0)
            } document: { selected, outcome, started in
                ExpireDataResultDocument(catalog: selected.catalog.name, table: selected.identifier.description,
                    outcome: outcome, durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
        }
    }
}

extension TableOutcome {
    /// A data-expiration outcome: the data and delete files removed (or, for a dry run, to remove).
    init(_ result: ExpireDataAction.Result) {
        self.init()
        switch result.status {
        case .committed: status = .done
        case .nothingToDo, .disabled: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        guard status != .nothingToDo else { return }
        let expired = result.decisions.filter(\.expired)
        filesIn = Int64(expired.count + result.deleteFiles.count)
        bytesIn = expired.saturatingSum(\.bytes).saturatingAdd(result.deleteFiles.saturatingSum(\.bytes))
        snapshotId = result.snapshotId
    }
}
