import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec
import Paimon
import Storage

/// `amoro clean-orphans`: deletes files under a table location that its metadata does not reach, after a grace
/// period.
struct CleanOrphansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean-orphans",
        abstract: "Delete files under the table location that no snapshot or metadata file reaches, after a grace period.",
        discussion: """
            Lists everything under the table location (data and metadata) and keeps what the table reaches: every \
            snapshot of every ref and the unreferenced ones (manifest lists, manifests, data and delete files), the \
            current and logged metadata files, the version hint, statistics and partition statistics. What remains \
            is deleted only when older than the grace period: --older-than, else the table's \
            clean-orphan-file.min-existing-time-minutes when it sets clean-orphan-file.enabled, else 3 days. \
            Empty directories left behind are removed on local storage (never data/ or metadata/).

            Locations are compared with their equivalents (file:/x, file:///x and /x; s3, s3a and s3n). A listed \
            file whose path matches a referenced file under another scheme or authority is a prefix mismatch: an \
            error by default (--prefix-mismatch ignore keeps such files, delete removes them). Refused when \
            gc.enabled=false, when another table lives under this table's location, and when more than \
            --max-deletes files would go. clean-orphan-file.enabled unset or false: status disabled, unless \
            --force or --older-than is given.

            PAIMON tables: everything every snapshot file present, long-lived changelog in changelog/, tag and \
            branch reaches is kept (manifest lists, manifests, index manifests and files, statistics, data files with \
            their extra files, changelog files). In snapshot/ and changelog/ only files other than snapshot-N, \
            changelog-N and the hints are candidates (writers' temporary files, as Paimon cleans them); schema/, \
            tag/, consumer/ and the rest of branch/ are never touched. The grace period defaults to Paimon's 1 day. \
            Enabled as for Iceberg tables, by the \
            table option clean-orphan-file.enabled, --force or --older-than.

            Prints one amoro.clean-orphans-result document per table: status cleaned, nothing-to-do, dry-run, \
            disabled or failed, with each orphan's path, size and age. A --dry-run document is an audit: \
            --from-audit deletes only the files it lists that are still unreferenced, past the grace and of the \
            same size.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions

    @Option(help: ArgumentHelp("Grace period: keep unreferenced files younger than this (such as 3d, 12h).", valueName: "age"))
    var olderThan: String?

    @Option(help: ArgumentHelp("Refuse to delete more than this many files per table.", valueName: "n"))
    var maxDeletes: Int?

    @Option(help: "A listed path matching a referenced one under another scheme or authority: error, ignore or delete.")
    var prefixMismatch: OrphanFinder.PrefixMismatchMode = .error

    @Flag(help: "List the orphans with size and age; delete nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Delete only the orphans this dry-run output lists and that still qualify.", valueName: "file"),
        completion: .file(extensions: ["json", "ndjson"]))
    var fromAudit: String?

    @Flag(help: "Clean even when clean-orphan-file.enabled is not set.")
    var force = false

    @Option(help: "Files read or deleted at once.")
    var parallelism = 16

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    @Option(help: .hidden)
    var nowMs: Int64?

    func validate() throws {
        if let maxDeletes, maxDeletes < 0 { throw ValidationError("--max-deletes must not be negative.") }
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1.") }
        if let olderThan, MaintenanceInputs.duration(olderThan) == nil {
            throw ValidationError("--older-than \(olderThan): expected a duration such as 3d, 12h or 90min")
        }
    }

    func run() async throws {
        let runner = TableRunner(command: "clean-orphans", operations: operations)
        try await runner.run {
            var options = CleanOrphansAction.Options()
            options.olderThanMs = olderThan.flatMap(MaintenanceInputs.duration)
            options.maxDeletes = maxDeletes
            options.prefixMismatch = prefixMismatch
            options.run.dryRun = dryRun
            options.run.force = force
            options.run.parallelism = parallelism
            let audits = try fromAudit.map { try MaintenanceInputs.audits($0, as: CleanOrphansResultDocument.self) }
            let now = nowMs ?? Int64(Date().timeIntervalSince1970 * 1000)
            await runner.eachTable(try await selection.resolve(with: catalogOptions), output: output.format, lock: !dryRun) { selected in
                try await runner.maintaining(selected.identifier.description, options.run, audits: audits) { run in
                    var tableOptions = options
                    tableOptions.run = run
                    if let paimon = selected.paimon {
                        let schema: PaimonSchema
                        do throws(PaimonError) { schema = try await paimon.latestSchema() } catch { throw AmoroError.paimon(error) }
                        let enabled = schema.options["clean-orphan-file.enabled"]?.lowercased() == "true"
                        return try await PaimonOrphanClean.run(paimon, options: tableOptions, enabled: enabled, nowMs: now)
                    }
                    return try await CleanOrphansAction.run(selected.identifier, catalog: selected.catalog,
                        catalogProperties: selected.catalogProperties, options: tableOptions, nowMs: now)
                }
            } outcome: {
                TableOutcome($0)
            } document: { selected, outcome, started in
                CleanOrphansResultDocument(catalog: selected.catalog.name, table: selected.identifier.description,
                    outcome: outcome, nowMs: now, durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
        }
    }
}

extension OrphanFinder.PrefixMismatchMode: ExpressibleByArgument {}

extension TableOutcome {
    /// A clean-orphans outcome: the orphans deleted (or listed by a dry run) and the dangling delete files removed,
    /// with the snapshot that removed them.
    init(_ result: CleanOrphansAction.Result) {
        self.init()
        let dangling = result.danglingDeletes
        switch (result.status, dangling?.status) {
        case (.dryRun, _), (_, .dryRun?): status = .dryRun
        case (.cleaned, _), (_, .committed?): status = .done
        default: status = .nothingToDo
        }
        guard status != .nothingToDo else { return }
        let orphans = result.deletion?.deleted.map { ($0.size ?? 0) } ?? result.outcome.orphans.map(\.size)
        let removals = dangling?.removals ?? []
        filesIn = Int64(orphans.count + removals.count)
        bytesIn = orphans.saturatingSum { $0 }.saturatingAdd(removals.saturatingSum(\.bytes))
        snapshotId = dangling?.snapshotId
    }
}
