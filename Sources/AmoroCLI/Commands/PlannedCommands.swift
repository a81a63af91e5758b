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

struct RewriteDeletesCommand: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrite-deletes",
        abstract: "Compact or drop position and equality delete files. Not implemented yet.")

    @Argument(help: "Tables to maintain.")
    var tables: [String] = []

    @Flag(help: "List what would change; change nothing.")
    var dryRun = false
}
