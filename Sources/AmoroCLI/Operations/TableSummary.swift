import Documents
import Execution
import Logging

/// The one log line every run writes per table: readable as a message, with the same facts as metadata for the
/// JSON log format (command, catalog, table, status, optimizing level, files and bytes in and out, snapshot,
/// duration, and for compactions the rewrite's wall and CPU time; `level` itself is the log record's).
enum TableSummary {
    static func line(command: String, table: String, outcome: TableOutcome, seconds: Double) -> String {
        var parts = [outcome.level.map { "\(outcome.status.rawValue) (\($0))" } ?? outcome.status.rawValue]
        if outcome.status == .locked { parts.append("another amoro run holds the table, skipped") }
        if let filesIn = outcome.filesIn {
            var files = "\(filesIn) files"
            if let bytesIn = outcome.bytesIn { files += " (\(ByteCount.format(bytesIn)))" }
            if let filesOut = outcome.filesOut {
                files += " → \(filesOut) files"
                if let bytesOut = outcome.bytesOut { files += " (\(ByteCount.format(bytesOut)))" }
            }
            parts.append(files)
        }
        if let snapshot = outcome.snapshotId { parts.append("snapshot \(snapshot)") }
        if let rewrite = outcome.rewrite {
            parts.append("rewrite \(rounded(rewrite.seconds)) s on \((rewrite.cores * 10).rounded() / 10) cores")
        }
        parts.append("\(rounded(seconds)) s")
        return "amoro \(command) \(table): " + parts.joined(separator: ", ")
    }

    /// Seconds as the line shows them: hundredths below ten seconds, whole seconds above.
    private static func rounded(_ seconds: Double) -> String {
        seconds < 10 ? "\((seconds * 100).rounded() / 100)" : "\(Int(seconds.rounded()))"
    }

    static func metadata(command: String, catalog: String, table: String, outcome: TableOutcome, seconds: Double) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "command": .string(command), "table": .string(table), "status": .string(outcome.status.rawValue),
            "duration_ms": .stringConvertible(Int64((seconds * 1000).rounded())),
        ]
        if !catalog.isEmpty { metadata["catalog"] = .string(catalog) }
        if let level = outcome.level { metadata["optimizing_level"] = .string(level) }
        let numbers: [(String, Int64?)] = [
            ("files_in", outcome.filesIn), ("bytes_in", outcome.bytesIn), ("files_out", outcome.filesOut),
            ("bytes_out", outcome.bytesOut), ("snapshot_id", outcome.snapshotId),
        ]
        for (key, value) in numbers { if let value { metadata[key] = .stringConvertible(value) } }
        if let rewrite = outcome.rewrite {
            metadata["rewrite_ms"] = .stringConvertible(Int64((rewrite.seconds * 1000).rounded()))
            metadata["rewrite_cpu_ms"] = .stringConvertible(Int64((rewrite.cpuSeconds * 1000).rounded()))
        }
        return metadata
    }
}
