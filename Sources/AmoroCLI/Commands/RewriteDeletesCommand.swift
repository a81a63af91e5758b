import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec

/// `amoro rewrite-deletes`: merges small delete files, converts equality deletes and v3 position deletes into
/// positions or deletion vectors, drops dangling delete files and, with `--apply`, rewrites data files that carry
/// too many deleted rows.
struct RewriteDeletesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite-deletes",
        abstract: "Merge delete files per partition (deletion vectors for v3), drop dangling ones, optionally apply them.",
        discussion: """
            Per partition (or per data file when every position-delete file of the table names one data file, and \
            always for v3 tables, which get one deletion vector per data file), the delete files that apply to the \
            same data files are replaced by one file holding exactly the positions they delete: entries for data \
            files that are gone are dropped, equality deletes are converted into the positions they hit, and \
            existing deletion vectors are merged. Delete files that apply to no live data file are removed. With \
            --apply, data files whose deleted-row share passes --min-delete-ratio (default: the table's \
            self-optimizing.major.trigger.duplicate-ratio) are rewritten without their deleted rows. Rows read \
            never change. One replace snapshot per table (snapshot.producer=REWRITE_DELETES, or \
            CLEAN_DANGLING_DELETE when it only drops dangling files), committed like amoro compact; a concurrent \
            commit that changes the delete files being rewritten is refused. Prints one \
            amoro.rewrite-deletes-result document per table: status committed, nothing-to-do, dry-run, disabled \
            (self-optimizing.enabled=false), conflict, locked (another run held the table's lock; it was skipped) or \
            failed. Each table is locked while it is rewritten (see --lock-dir).
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions

    @Flag(help: "Also rewrite data files whose deleted-row share passes the ratio, with their deletes applied.")
    var apply = false

    @Option(help: ArgumentHelp("With --apply: the deleted-row share a data file must exceed (default: the table's duplicate ratio).",
        valueName: "ratio"))
    var minDeleteRatio: Double?

    @Option(help: "Only partitions whose path contains this text (such as 'region=eu').")
    var partition: String?

    @Flag(help: "List every delete file that would be rewritten or dropped, and why, and the files that would be written; write nothing.")
    var dryRun = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    @Option(help: .hidden)
    var nowMs: Int64?

    func validate() throws {
        if let minDeleteRatio {
            if !(minDeleteRatio >= 0 && minDeleteRatio <= 1) { throw ValidationError("--min-delete-ratio must be between 0 and 1.") }
            if !apply { throw ValidationError("--min-delete-ratio needs --apply.") }
        }
    }

    func run() async throws {
        let runner = TableRunner(command: "rewrite-deletes", operations: operations)
        try await runner.run {
            let fixedNow = nowMs
            let options = RewriteDeletesAction.Options(dryRun: dryRun, apply: apply, applyRatio: minDeleteRatio,
                partitionFilter: partition) { fixedNow ?? Int64(Date().timeIntervalSince1970 * 1000) }
            await runner.eachTable(try await selection.resolve(with: catalogOptions), output: output.format, lock: !dryRun) { selected in
                try await RewriteDeletesAction.run(selected.identifier, catalog: selected.catalog,
                    catalogProperties: selected.catalogProperties, options: options)
            } outcome: {
                TableOutcome($0)
            } document: { selected, outcome, started in
                RewriteDeletesResultDocument(catalog: selected.catalog.name, table: selected.identifier.description,
                    outcome: outcome, durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
        }
    }
}

extension TableOutcome {
    /// A rewrite-deletes outcome: delete files removed and written, and the snapshot it committed.
    init(_ result: RewriteDeletesAction.Result) {
        self.init()
        switch result.status {
        case .committed: status = .done
        case .nothingToDo, .disabled: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        guard status != .nothingToDo else { return }
        filesIn = Int64(result.removals.count + result.rewrittenDataFiles.count)
        bytesIn = result.removals.saturatingSum(\.bytes).saturatingAdd(result.dataBytesIn)
        filesOut = Int64(result.written.count)
        bytesOut = result.written.saturatingSum(\.bytes)
        snapshotId = result.snapshotId
    }
}
