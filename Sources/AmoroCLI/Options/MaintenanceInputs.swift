import ArgumentParser
import Documents
import Execution
import Foundation
import Iceberg
import JSONCoding
import Planning

/// Documents read back from files: audits (`--from-audit`) and pending plans (`--keep-plans`).
enum MaintenanceInputs {
    /// The non-blank lines of an NDJSON file, parsed; errors name the file and line.
    static func documents(_ path: String) throws -> [JSON] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw FileMissing(description: "\(path): no such file or not readable")
        }
        var documents: [JSON] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do { documents.append(try JSON.parse(String(line))) } catch {
                throw InputError("\(path) line \(number + 1): \(error)")
            }
        }
        return documents
    }

    /// The snapshot ids pending plans were made against (each amoro.plan document's `snapshot_id`).
    static func plannedSnapshots(_ path: String) throws -> Set<Int64> {
        var ids = Set<Int64>()
        for (index, json) in try documents(path).enumerated() {
            do {
                if let id = try OptimizingPlan(json: json).snapshotId { ids.insert(id) }
            } catch { throw InputError("\(path) document \(index + 1): \(error)") }
        }
        return ids
    }

    /// The audits of an audit file (dry-run documents of `Audit`), by table.
    static func audits<Audit: AuditDocument>(_ path: String, as type: Audit.Type) throws -> [String: MaintenanceAudit] {
        var byTable: [String: MaintenanceAudit] = [:]
        for (index, json) in try documents(path).enumerated() {
            do {
                let document = try Audit(json: json)
                byTable[document.table] = try document.audit()
            } catch { throw InputError("\(path) document \(index + 1): \(error)") }
        }
        return byTable
    }

    /// `table`'s audit when `audits` are replayed (nil when none are); a table the audits do not cover is refused.
    static func audit(for table: String, in audits: [String: MaintenanceAudit]?) throws -> MaintenanceAudit? {
        guard let audits else { return nil }
        guard let audit = audits[table] else { throw InputError("the audit has no dry-run document for \(table)") }
        return audit
    }

    /// `--older-than` for expiry: a duration (`12h`, `7d`, `90min`) or an ISO-8601 time (`2024-05-01T00:00:00Z`,
    /// `2024-05-01`).
    static func olderThan(_ text: String) throws -> RetentionPolicy.OlderThan {
        if let ms = duration(text) { return .age(ms) }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime], [.withFullDate]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return .timestamp(Int64(date.timeIntervalSince1970 * 1000)) }
        }
        throw ValidationError("--older-than \(text): expected a duration such as 12h, 3d or 90min, or an ISO-8601 time")
    }

    /// A duration with a unit (`3d`, `12h`, `90min`, `30s`); a bare number is refused as ambiguous.
    static func duration(_ text: String) -> Int64? {
        guard !text.allSatisfy(\.isNumber) else { return nil }
        return DurationText.milliseconds(text, bareUnitMs: 1)
    }
}
