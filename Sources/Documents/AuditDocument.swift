import Execution

/// A result document whose dry run is an audit that `--from-audit` replays (`amoro.expire-result`,
/// `amoro.clean-orphans-result`, `amoro.expire-data-result`).
package protocol AuditDocument: Document {
    var table: String { get }
    /// What the replay may act on; refused unless the document is a dry run's.
    func audit() throws(DocumentError) -> MaintenanceAudit
}

extension ExpireResultDocument: AuditDocument {}
extension CleanOrphansResultDocument: AuditDocument {}
extension ExpireDataResultDocument: AuditDocument {}
