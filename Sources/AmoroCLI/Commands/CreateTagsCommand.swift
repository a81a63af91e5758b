import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import IcebergSpec
import Planning

/// `amoro create-tags`: Apache Amoro's automatic tags, one per finished period.
struct CreateTagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-tags",
        abstract: "Create the tags tag.auto-create.* asks for: one per finished hour, day or month.",
        discussion: """
            Apache Amoro's automatic tags, from the table's properties (or the catalog's table.* defaults): \
            tag.auto-create.enabled, .trigger.period (hourly, daily, monthly; UTC), .trigger.offset.minutes, \
            .trigger.max-delay.minutes (default 60; 0 or less: no limit), .tag-format (a Java DateTimeFormatter \
            pattern; default 'tag-'yyyyMMdd, 'tag-'yyyyMMddHH or 'tag-'yyyyMM) and .max-age-ms (the tag's \
            max-ref-age-ms when above 0). The tag of a period is named by the format applied to the period's \
            start, becomes due at the period's end plus the offset (the trigger time) and points at the first \
            snapshot committed at or after the trigger time; it is skipped when there is none yet or when that \
            snapshot came more than max-delay minutes late. A tag that exists is never moved, so running twice \
            changes nothing. Periods after the newest existing tag (at most --catch-up) are caught up, each by the \
            same rule; a table without such a tag starts with the latest finished period, as Amoro does.

            Committed as one metadata change adding refs, through the catalog (optimistic; a lost race decides \
            again). Prints one amoro.create-tags-result document per table: status committed, nothing-to-do, \
            dry-run, disabled, conflict, locked or failed.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var selection: TableSelectionOptions

    @Flag(help: "List the tags that would be created, found or skipped, and why; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Periods before the latest to catch up after missed runs.", valueName: "n"))
    var catchUp = 24

    @OptionGroup var checkTime: CheckTimeOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var operations: OperationsOptions

    func validate() throws {
        if !(0...10_000).contains(catchUp) { throw ValidationError("--catch-up must be between 0 and 10000.") }
    }

    func run() async throws {
        let runner = TableRunner(command: "create-tags", operations: operations)
        try await runner.run {
            let clock = try checkTime.clock()
            await runner.eachTable(try await selection.resolve(with: catalogOptions), output: output.format, lock: !dryRun) { selected in
                try await CreateTagsAction.run(selected.identifier, catalog: selected.catalog,
                    catalogProperties: selected.catalogProperties, dryRun: dryRun, catchUp: catchUp, checkMs: clock(),
                    nowMs: { Int64(Date().timeIntervalSince1970 * 1000) })
            } outcome: {
                TableOutcome($0)
            } document: { selected, outcome, started in
                CreateTagsResultDocument(catalog: selected.catalog.name, table: selected.identifier.description,
                    outcome: outcome, durationMs: Int64(Date().timeIntervalSince(started) * 1000))
            }
        }
    }
}

extension TableOutcome {
    /// A tagging outcome: tags created count as files out.
    init(_ result: CreateTagsAction.Result) {
        self.init()
        switch result.status {
        case .committed: status = .done
        case .nothingToDo, .disabled: status = .nothingToDo
        case .dryRun: status = .dryRun
        }
        filesOut = status == .nothingToDo ? nil : Int64(result.decisions.filter { $0.action == .create }.count)
    }
}
