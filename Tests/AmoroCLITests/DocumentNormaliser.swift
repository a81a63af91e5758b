import Foundation
import JSONCoding

/// The one place golden documents are normalised: only values that differ from run to run change, and each keeps
/// its JSON type, so that members, their order, names and types are compared exactly.
///
/// - in every string: the test's temporary directory becomes `$ROOT`, a UUID `$UUID`, and the snapshot id in a
///   manifest list's name (`snap-<id>-`) `snap-$ID-`;
/// - `snapshot_id` and `planned_snapshot_id` (amoro's commits get random ids): 1, 2, 3 … in order of first
///   appearance across the documents of a test, so that the same snapshot keeps one number;
/// - the clock: `duration_ms`, `timestamp_ms`, `snapshot_timestamp_ms`, `age_ms` and `cutoff_ms` (the protected
///   newest snapshot's time) become 0;
/// - sizes of metadata files (`size` beside a `path` ending `.avro` or `.json`, the `bytes` of `files_deleted`
///   classes other than data and delete files, of a scan's `manifests` and rewrite-manifests' `bytes_replaced` and
///   `bytes_created`), which hold the temporary directory's path: 0.
struct DocumentNormaliser {
    let root: String
    private var snapshots: [Int64: Int64] = [:]

    init(root: String) { self.root = root }

    private static let clockKeys: Set<String> = ["duration_ms", "timestamp_ms", "snapshot_timestamp_ms", "age_ms", "cutoff_ms"]
    private static let snapshotKeys: Set<String> = ["snapshot_id", "planned_snapshot_id"]
    private static let metadataClasses: Set<String> = ["manifest_lists", "manifests", "statistics", "metadata"]
    private static let metadataBytesKeys: Set<String> = ["bytes_replaced", "bytes_created"]

    mutating func normalise(_ value: JSON, key: String? = nil) -> JSON {
        switch value {
        case .string(let text): return .string(normalise(text))
        case .int(let number):
            if let key, Self.clockKeys.contains(key) || Self.metadataBytesKeys.contains(key) { return .int(0) }
            if let key, Self.snapshotKeys.contains(key) {
                if snapshots[number] == nil { snapshots[number] = Int64(snapshots.count + 1) }
                return .int(snapshots[number]!)
            }
            return value
        case .array(let values): return .array(values.map { normalise($0, key: key) })
        case .object(let members):
            let path = members.first { $0.0 == "path" }?.1.stringValue ?? ""
            let metadataFile = path.hasSuffix(".avro") || path.hasSuffix(".json")
            return .object(members.map { name, member in
                if name == "size", metadataFile, case .int = member { return (name, .int(0)) }
                if key == "manifests", name == "data" || name == "deletes" {
                    return (name, .object([("manifests", member["manifests"] ?? .null), ("bytes", .int(0))]))
                }
                if name == "host", case .string = member { return (name, .string("$HOST")) }
                if key == "files_deleted", Self.metadataClasses.contains(name) {
                    return (name, .object([("files", member["files"] ?? .null), ("bytes", .int(0))]))
                }
                return (name, normalise(member, key: name))
            })
        default: return value
        }
    }

    private func normalise(_ text: String) -> String {
        var text = text.replacingOccurrences(of: root, with: "$ROOT")
        text = text.replacingOccurrences(
            of: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", with: "$UUID", options: .regularExpression)
        return text.replacingOccurrences(of: "snap-[0-9]+-", with: "snap-$ID-", options: .regularExpression)
    }
}
