import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec

/// `amoro rewrite-manifests`: regroups a table's small manifests into manifests of the target size, clustered by
/// partition, without changing any data file.
struct RewriteManifestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite-manifests",
        abstract: "Regroup small manifests by partition into manifests of the target size (Iceberg's rewrite_manifests).",
        discussion: """
            Per content kind (data, deletes) and partition spec of the current snapshot, the manifests below \
            commit.manifest.target-size-bytes (default 8 MiB), and those without live files, are replaced by \
            manifests of about that size whose entries are ordered by partition, when that lowers their number; \
            manifests at the target size are kept. Every live entry keeps its snapshot id, sequence numbers, \
            first-row-id and metrics (DELETED entries are dropped, as Iceberg does); no data or delete file \
            changes. One replace snapshot per table (manifests-created, manifests-kept, manifests-replaced and \
            entries-processed in its summary, snapshot.producer=REWRITE_MANIFESTS); manifests a concurrent commit \
            added are kept, and a concurrent commit that rewrote a replaced manifest is refused. With --triggered \
            (as amoro schedule runs it) a group is rewritten only when it has at least \
            amoro.rewrite-manifests.trigger.small-manifests (default 100) small manifests. Prints one \
            amoro.rewrite-manifests-result document per table: status committed, nothing-to-do, dry-run, conflict, \
            locked (another run held the table's lock; it was skipped) or failed. Each table is locked while it is \
            rewritten (see --lock-dir).
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions

    @Option(help: ArgumentHelp("Size the new manifests aim at (default: the table's commit.manifest.target-size-bytes).",
        valueName: "bytes"))
    var targetSizeBytes: Int64?

    @Flag(help: "Rewrite only where the table's amoro.rewrite-manifests.trigger.small-manifests is reached (for cron).")
    var triggered = false

    @Flag(help: "List the manifests that would be replaced and written, per content kind and spec; write nothing.")
    var dryRun = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    func validate() throws {
        if let targetSizeBytes, targetSizeBytes < 1 { throw ValidationError("--target-size-bytes must be at least 1.") }
    }

    func run() async throws {
        let runner = TableRunner(command: "rewrite-manifests", operations: operations)
        try await runner.run {
            let options = RewriteManifestsAction.Options(dryRun: dryRun, triggered: triggered, targetSizeBytes: targetSizeBytes) {
                Int64(Date().timeIntervalSince1970 * 1000)
            }
            await runner.eachTable(try await selection.resolve(with: catalogOptions), output: output.format, lock: !dryRun) { selected in
                try await RewriteManifestsAction.run(selected.identifier, catalog: selected.catalog,
                    catalogProperties: selected.catalogProperties, options: options)
            } outcome: {
                TableOutcome($0)
            } document: { selected, outcome, started in
                RewriteManifestsResultDocument(catalog: selected.catalog.name, table: selected.identifier.description,
                    outcome: outcome, durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
        }
    }
}

extension TableOutcome {
    /// A rewrite-manifests outcome: manifests replaced and written, and the snapshot it committed.
    init(_ result: RewriteManifestsAction.Result) {
        self.init()
        switch result.status {
        case .committed: status = .done
        case .nothingToDo: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        guard status != .nothingToDo else { return }
        filesIn = Int64(result.replaced.count)
        bytesIn = result.replaced.saturatingSum(\.bytes)
        filesOut = Int64(result.created.count)
        bytesOut = result.created.saturatingSum(\.bytes)
        snapshotId = result.snapshotId
    }
}
