import ArgumentParser
import Storage

/// The root `amoro` command: keeps Apache Iceberg tables fast and cheap from cron, one subcommand per job.
package struct AmoroCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "amoro",
        abstract: "Keep Apache Iceberg tables fast and cheap: self-optimizing and maintenance from cron.",
        discussion: """
            Subcommands exchange JSON documents (each with a "kind" and a "version") through standard input and \
            output, so they compose in pipelines such as `amoro plan --level minor 'db.*' | amoro compact`. \
            A readable table is printed instead when standard output is a terminal.

            EXIT STATUS
            \(AmoroExitCode.table)
            """,
        version: AmoroVersion.current,
        subcommands: [
            ScanCommand.self, PlanCommand.self, CompactCommand.self, CommitCommand.self, RewriteDeletesCommand.self,
            RewriteManifestsCommand.self,
            ExpireSnapshotsCommand.self, CleanOrphansCommand.self, ScheduleCommand.self, InspectCommand.self,
            ExpireDataCommand.self, CreateTagsCommand.self,
        ]
    )

    package init() {}
}

/// The version `amoro --version` prints.
package enum AmoroVersion {
    package static let current = "0.1.0"
}

extension AmoroCommand {
    /// Parses the process arguments, runs the chosen subcommand and exits: the executable's only call. The soft
    /// open-file limit is raised to the hard one first (`OpenFileLimit`).
    package static func runAsMain() async {
        OpenFileLimit.raise()
        await main()
    }
}
