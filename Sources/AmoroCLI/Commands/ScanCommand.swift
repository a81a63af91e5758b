import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import Paimon
import Planning

/// `amoro scan`: the health of each table and partition, as Amoro's evaluator sees it. Read-only.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Report the health of each table and partition (one amoro.scan JSON document per table).",
        discussion: """
            For each table: the current snapshot, the effective self-optimizing settings (Amoro's \
            self-optimizing.* properties and defaults, with the catalog's table.* defaults), totals, Amoro's 0-100 \
            health score, and per partition the data files by class (fragment, undersized segment, segment), the \
            delete files, and which optimizing level is pending there and why. Last optimizing times come from \
            the snapshots amoro compact commits. Nothing is written to the tables; with --metrics-file, their file \
            counts and health scores go to the metrics file.

            PAIMON tables (a location laid out as one, or a table of a type: paimon catalog) get a document with \
            format paimon: per partition and bucket the data files, bytes and records, small files (below 70% of \
            target-file-size), levels and sorted runs, deleted rows and deletion vectors, and the compaction \
            Paimon's triggers would run (num-sorted-run.compaction-trigger for primary-key tables, \
            compaction.min.file-num small files for append tables); the snapshots kept, tags, consumers, branches \
            and changelog files.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    @Option(help: "Only partitions whose path contains this text (such as 'ts_day=2024-05').")
    var partition: String?

    @Option(help: "Only partitions pending at this level: minor, major or full.")
    var level: OptimizingLevel?

    @Option(help: "Scan the snapshot of this branch or tag instead of the current one.")
    var ref: String?

    @Option(help: .hidden)
    var nowMs: Int64?

    func run() async throws {
        let runner = TableRunner(command: "scan", operations: operations)
        try await runner.run {
            let now = nowMs ?? Int64(Date().timeIntervalSince1970 * 1000)
            for selected in try await selection.resolve(with: catalogOptions) {
                await runner.run(selected) {
                    if let paimon = selected.paimon {
                        return try await scanPaimon(paimon, selected, nowMs: now)
                    }
                    let table = try await selected.catalog.loadTable(selected.identifier)
                    let health = try await HealthScan.run(table: table, catalog: selected.catalog,
                        catalogProperties: selected.catalogProperties, ref: ref, nowMs: now)
                    let document = ScanDocument(health, partitionFilter: partition, level: level)
                    emit(document, output.format)
                    var outcome = TableOutcome()
                    outcome.snapshotId = document.snapshotId
                    outcome.health = HealthNumbers(scan: partition == nil && level == nil ? document : ScanDocument(health))
                    return outcome
                }
            }
        }
    }
}

extension ScanCommand {
    /// A Paimon table's scan: the `amoro.scan` document with `format: paimon`; `--partition` and `--level` keep
    /// the buckets whose partition contains the text and whose pending compaction is of that level.
    private func scanPaimon(_ paimon: PaimonTable, _ selected: SelectedTable, nowMs: Int64) async throws -> TableOutcome {
        if ref != nil { throw ValidationError("--ref names an Iceberg branch or tag; Paimon tables are scanned at their latest snapshot") }
        var health = try await PaimonHealth.scan(paimon, catalog: selected.catalog.name, name: selected.identifier.description, nowMs: nowMs)
        if let partition { health.buckets.removeAll { !$0.partition.contains(partition) } }
        if let level { health.buckets.removeAll { $0.pending?.kind != level.rawValue } }
        emit(PaimonScanDocument(health), output.format)
        var outcome = TableOutcome()
        outcome.snapshotId = health.snapshot?.id
        return outcome
    }
}

extension OptimizingLevel: ExpressibleByArgument {}
