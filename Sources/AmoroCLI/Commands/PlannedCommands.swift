import ArgumentParser

/// Subcommands whose work later milestones deliver. Each is listed in `--help` so scripts and completions can be
/// written against the final interface, and each refuses to run with `AmoroExitCode.plannedSubcommand` instead of
/// pretending to work.
protocol PlannedCommand: AsyncParsableCommand {}

extension PlannedCommand {
    func run() async throws {
        printError("amoro \(Self.configuration.commandName ?? ""): not implemented in this build yet")
        throw AmoroExitCode.plannedSubcommand.exitCode
    }
}

struct ExpireSnapshotsCommand: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire-snapshots",
        abstract: "Expire snapshots as the table's retention properties say. Not implemented yet.")

    @Argument(help: "Tables to maintain.")
    var tables: [String] = []

    @Flag(help: "List what would be expired and deleted; change nothing.")
    var dryRun = false
}

struct CleanOrphansCommand: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean-orphans",
        abstract: "Remove files that no snapshot references, after a grace period. Not implemented yet.")

    @Argument(help: "Tables to maintain.")
    var tables: [String] = []

    @Flag(help: "List the orphans; delete nothing.")
    var dryRun = false
}
