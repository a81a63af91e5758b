import Documents
import Execution
import FuzzSupport
import Iceberg
import IcebergSpec
import JSONCoding
import Planning

/// An NDJSON file of maintenance dry-run documents as `--from-audit` reads it: each line parsed as JSON, read as
/// an expire-snapshots, clean-orphans or expire-data document (`Documents`) and then as a `MaintenanceAudit`, its files keyed
/// by canonical location, and its retention and lists replayed as snapshot expiry over a small fixed table.
/// Refusals are `JSONError`s and `DocumentError`s; a trap is a finding. (The replay's effects on a real table are
/// not reached.)
enum FuzzAudit {
    /// A v2 table with a main branch of three snapshots, a tag and a side branch that limit their ages.
    static let table: TableMetadata = {
        let text = """
            {"format-version": 2, "table-uuid": "6c7e2e8a-0000-4000-8000-000000000001", "location": "/t",
             "last-sequence-number": 3, "last-updated-ms": 3000, "last-column-id": 1, "current-schema-id": 0,
             "schemas": [{"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "a", "required": false, "type": "long"}]}],
             "default-spec-id": 0, "partition-specs": [{"spec-id": 0, "fields": []}], "last-partition-id": 999,
             "default-sort-order-id": 0, "sort-orders": [{"order-id": 0, "fields": []}], "properties": {},
             "current-snapshot-id": 3,
             "refs": {"main": {"snapshot-id": 3, "type": "branch"}, "t": {"snapshot-id": 1, "type": "tag", "max-ref-age-ms": 10},
                      "b": {"snapshot-id": 2, "type": "branch", "min-snapshots-to-keep": 1, "max-snapshot-age-ms": 5}},
             "snapshots": [
               {"snapshot-id": 1, "sequence-number": 1, "timestamp-ms": 1000, "manifest-list": "/t/m1.avro", "summary": {"operation": "append"}},
               {"snapshot-id": 2, "parent-snapshot-id": 1, "sequence-number": 2, "timestamp-ms": 2000, "manifest-list": "/t/m2.avro",
                "summary": {"operation": "append", "flink.max-committed-checkpoint-id": "4"}},
               {"snapshot-id": 3, "parent-snapshot-id": 2, "sequence-number": 3, "timestamp-ms": 3000, "manifest-list": "/t/m3.avro",
                "summary": {"operation": "replace", "snapshot.producer": "OPTIMIZE"}}],
             "snapshot-log": [], "metadata-log": []}
            """
        return try! TableMetadata(jsonText: Array(text.utf8))
    }()

    static func run(_ input: [UInt8]) {
        for line in FuzzInput.lines(input) ?? [] {
            guard let json = try? JSON.parse(line) else { continue }
            let read = (try? ExpireResultDocument(json: json).audit()) ?? (try? CleanOrphansResultDocument(json: json).audit())
                ?? (try? ExpireDataResultDocument(json: json).audit())
            guard let audit = read else { continue }
            for file in audit.files { _ = ReachedFile.key(file.path) }
            for path in audit.deleteFiles { _ = ReachedFile.key(path) }
            let policy = audit.policy ?? RetentionPolicy(expireOlderThanMs: 2500, minSnapshotsToKeep: 1)
            for nowMs: Int64 in [0, 3000, .max, .min] {
                _ = SnapshotExpiry(metadata: table, policy: policy, keep: audit.snapshotIds, nowMs: nowMs)
                    .limited(toSnapshots: audit.snapshotIds, refs: audit.refs)
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzAudit.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzAudit {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
