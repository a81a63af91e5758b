import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec
import Paimon
import Planning

/// `amoro expire-snapshots`: removes old snapshots and refs as the table's retention says, then the files only
/// they reached.
struct ExpireSnapshotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire-snapshots",
        abstract: "Expire snapshots and refs as the table's retention says, then delete the files only they reached.",
        discussion: """
            RETENTION (Iceberg's rules for refs, Amoro's defaults): main is never removed; another branch or tag \
            is removed when its snapshot is older than its max-ref-age-ms (or history.expire.max-ref-age-ms). \
            Each remaining branch keeps its newest min-snapshots-to-keep ancestors and every ancestor younger than \
            its max-snapshot-age-ms; each tag keeps its snapshot; a snapshot on no ref's history is expired once \
            older than the default age. Ref settings win over the defaults, which come from --older-than and \
            --retain-last, else Amoro's snapshot.keep.duration and snapshot.keep.min-count when the table (or the \
            catalog's table.* defaults) sets them, else Iceberg's history.expire.max-snapshot-age-ms and \
            history.expire.min-snapshots-to-keep, else 12 hours and 1 snapshot.

            PROTECTIONS (Amoro): the newest snapshot not committed by maintenance (snapshot.producer OPTIMIZE, \
            DATA_EXPIRATION, CLEAN_DANGLING_DELETE, REWRITE_DELETES, REWRITE_MANIFESTS) is never expired, nor \
            anything newer; the newest \
            Flink checkpoint snapshot is kept while younger than snapshot.keep.flink.checkpoint-retention (7d); \
            --keep-snapshot and --keep-plans (amoro.plan documents) keep the snapshots pending plans were made on, \
            and everything after them, so that those plans can still commit.

            The new metadata (without the snapshots, refs, their statistics and snapshot-log entries) is committed \
            through the catalog first, retrying lost races per commit.retry.*; only then are the manifest lists, \
            manifests, data, delete and statistics files that no retained snapshot reaches deleted, and old \
            metadata files when write.metadata.delete-after-commit.enabled is set. Nothing outside the table \
            location is ever deleted. table-expire.enabled=false: status disabled (--force overrides). \
            gc.enabled=false: the metadata is committed and no file is deleted.

            PAIMON tables follow what Paimon's writer does after a commit: consumers whose file was not modified \
            within consumer.expiration-time are deleted; then snapshots from the earliest up to the first that must \
            stay go, keeping the newest snapshot.num-retained.min (10; --retain-last), at most \
            snapshot.num-retained.max, at most snapshot.expire.limit (50) per run, none a consumer reads next \
            (unless consumer.changelog-only), and a snapshot goes only if the next one is older than \
            snapshot.time-retained (1h; --older-than). No snapshot is written: the EARLIEST hint moves first, then \
            the data files the expired range's deltas removed, the expired snapshots' changelog files, then their \
            manifests, index files and statistics, then their manifest lists and index manifests, then the \
            snapshot files are deleted. When changelog.num-retained.min/max or changelog.time-retained keep more than the \
            snapshot bounds (decoupled changelogs), an expired snapshot moves to changelog/changelog-N with what its \
            changelog needs, and those changelogs expire by the changelog bounds. Whatever a retained snapshot or \
            changelog, tag or branch reaches stays. A run stopped part-way (killed, or a delete failed) is finished \
            by the next one, even one asked to retain more: snapshots below the EARLIEST hint always go.

            Prints one amoro.expire-result document per table: status expired, nothing-to-do, dry-run, disabled, \
            conflict or failed. A --dry-run document lists every snapshot, ref and file and why; kept as an audit, \
            it is replayed with --from-audit, which removes only what it lists and still qualifies under the \
            retention the audit recorded (or --older-than/--retain-last when given again), and deletes only listed \
            files that no retained snapshot reaches.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions

    @Option(help: ArgumentHelp("Expire snapshots older than this age (12h, 7d) or time (ISO-8601).", valueName: "age|time"))
    var olderThan: String?

    @Option(help: ArgumentHelp("Keep at least this many snapshots on each branch.", valueName: "n"))
    var retainLast: Int?

    @Option(help: ArgumentHelp("Expire exactly this snapshot (repeatable); refused when a ref points at it.", valueName: "id"))
    var snapshotId: [Int64] = []

    @Option(help: ArgumentHelp("Never expire this snapshot, nor any after it (repeatable).", valueName: "id"))
    var keepSnapshot: [Int64] = []

    @Option(help: ArgumentHelp("Never expire the snapshots these amoro.plan documents were made against.", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var keepPlans: String?

    @Flag(help: "List every snapshot, ref and file that would be removed, and why; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Act only on what this dry-run output lists and still qualifies.", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var fromAudit: String?

    @Flag(help: "Expire even when table-expire.enabled=false.")
    var force = false

    @Option(help: "Files read or deleted at once.")
    var parallelism = 16

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    @Option(help: .hidden)
    var nowMs: Int64?

    func validate() throws {
        if let retainLast, retainLast < 1 { throw ValidationError("--retain-last must be at least 1.") }
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1.") }
        if !snapshotId.isEmpty && (olderThan != nil || retainLast != nil || fromAudit != nil) {
            throw ValidationError("--snapshot-id expires exactly the snapshots named: it takes no --older-than, --retain-last or --from-audit.")
        }
        if let olderThan { _ = try MaintenanceInputs.olderThan(olderThan) }
    }

    func run() async throws {
        let runner = TableRunner(command: "expire-snapshots", operations: operations)
        try await runner.run {
            var options = ExpireSnapshotsAction.Options()
            options.olderThan = try olderThan.map(MaintenanceInputs.olderThan)
            options.retainLast = retainLast
            options.snapshotIds = snapshotId
            options.keep = Set(keepSnapshot).union(try keepPlans.map(MaintenanceInputs.plannedSnapshots) ?? [])
            options.run.dryRun = dryRun
            options.run.force = force
            options.run.parallelism = parallelism
            let audits = try fromAudit.map { try MaintenanceInputs.audits($0, as: ExpireResultDocument.self) }
            let clock: @Sendable () -> Int64 = { [nowMs] in nowMs ?? Int64(Date().timeIntervalSince1970 * 1000) }
            let tables = try await selection.resolve(with: catalogOptions)
            await runner.eachTable(tables.filter { $0.paimon == nil }, output: output.format, lock: !dryRun) { selected in
                try await runner.maintaining(selected.identifier.description, options.run, audits: audits) { run in
                    var tableOptions = options
                    tableOptions.run = run
                    return try await ExpireSnapshotsAction.run(selected.identifier, catalog: selected.catalog,
                        catalogProperties: selected.catalogProperties, options: tableOptions, nowMs: clock)
                }
            } outcome: {
                TableOutcome($0)
            } document: { selected, outcome, started in
                ExpireResultDocument(catalog: selected.catalog.name, table: selected.identifier.description, outcome: outcome,
                    durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
            await runner.eachTable(tables.filter { $0.paimon != nil }, output: output.format, lock: !dryRun) { selected in
                try await runner.maintaining(selected.identifier.description, options.run, audits: audits) { run in
                    guard options.snapshotIds.isEmpty, options.keep.isEmpty else {
                        throw AmoroError.refused(selected.identifier, "--snapshot-id, --keep-snapshot and --keep-plans apply to Iceberg tables; Paimon expires a prefix of its snapshots")
                    }
                    var paimonOptions = PaimonExpire.Options()
                    let now = clock()
                    paimonOptions.olderThanMs = options.olderThan.map {
                        switch $0 {
                        case .age(let ms): now.saturatingSubtract(ms)
                        case .timestamp(let ms): ms
                        }
                    }
                    paimonOptions.retainLast = options.retainLast
                    paimonOptions.run = run
                    return try await PaimonExpire.run(selected.paimon!, options: paimonOptions, nowMs: now)
                }
            } outcome: {
                TableOutcome(paimon: $0)
            } document: { selected, outcome, started in
                ExpireResultDocument(catalog: selected.catalog.name, table: selected.identifier.description, paimon: outcome,
                    durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
        }
    }
}

extension TableOutcome {
    /// A Paimon expiry outcome: the files it deleted (or, for a dry run, would delete).
    init(paimon result: PaimonExpire.Result) {
        self.init()
        switch result.status {
        case .expired: status = .done
        case .nothingToDo, .disabled: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        guard status != .nothingToDo else { return }
        let files = result.deletion?.deleted ?? result.files
        filesIn = Int64(files.count)
        bytesIn = files.saturatingSum { $0.size ?? 0 }
    }

    /// An expiry outcome: the files it deleted (or, for a dry run, would delete).
    init(_ result: ExpireSnapshotsAction.Result) {
        self.init()
        switch result.status {
        case .expired: status = .done
        case .nothingToDo, .disabled: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        guard status != .nothingToDo else { return }
        let files = result.deletion?.deleted ?? result.unreachable
        filesIn = Int64(files.count)
        bytesIn = files.saturatingSum { $0.size ?? 0 }
    }
}
