/// How a file-deleting maintenance action runs, the same for expire-snapshots and clean-orphans.
package struct MaintenanceRun: Sendable {
    /// List what would go; change nothing.
    package var dryRun = false
    /// Run even when the table's properties turn the action off.
    package var force = false
    /// `--from-audit`: only what the audit lists, and still qualifies, may go.
    package var audit: MaintenanceAudit?
    /// Files read or deleted at once.
    package var parallelism = 16
    /// Reported while files are deleted (a progress bar on a terminal).
    package var progress: (@Sendable (WorkProgress) -> Void)?

    package init() {}
}
