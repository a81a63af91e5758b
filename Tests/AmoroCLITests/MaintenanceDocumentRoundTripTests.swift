import Documents
import Execution
import Foundation
import JSONCoding
import Planning
import Testing

/// `amoro.expire-data-result` and `amoro.create-tags-result` read back what they write, with every optional member
/// set and unset; their derived counts are recomputed from the lists.
struct MaintenanceDocumentRoundTripTests {
    @Test func expireDataResultsRoundTrip() throws {
        let details = ExpireDataResultDocument.Details(baseTimeMs: 1_700_000_000_000, cutoffMs: 1_699_000_000_000,
            plannedSnapshotId: 7,
            files: [.init(path: "/w/a.parquet", partition: "f_day=2024-01-01", records: 4, bytes: 400, verdict: .expired, reason: "old"),
                .init(path: "/w/b.parquet", partition: "unpartitioned", records: 2, bytes: 200, verdict: .undecided, reason: "nulls"),
                .init(path: "/w/c.parquet", partition: "f_day=2024-01-05", records: 1, bytes: 100, verdict: .partitionKept, reason: "mixed")],
            freshFiles: 9,
            deleteFiles: [.init(path: "/w/d.parquet", kind: "equality-deletes", records: 1, bytes: 50, action: "drop", reason: "only expired")],
            commitAttempts: 1)
        let settings = ExpireDataResultDocument.Settings(field: "f", level: .file, baseOnRule: .currentTime, retentionMs: 86_400_000)
        try DocumentRoundTripTests.roundTrips(ExpireDataResultDocument(catalog: "default", table: "db.t", tableUUID: "u", status: .committed,
            settings: settings, snapshotId: 8, note: nil, details: details, error: nil, durationMs: 3))
        try DocumentRoundTripTests.roundTrips(ExpireDataResultDocument(catalog: "default", table: "db.t", tableUUID: nil, status: .disabled,
            settings: ExpireDataResultDocument.Settings(field: nil, level: .partition, baseOnRule: .lastCommitTime, retentionMs: 0),
            snapshotId: nil, note: "gc.enabled=false", details: nil, error: nil, durationMs: 0))
        try DocumentRoundTripTests.roundTrips(ExpireDataResultDocument(catalog: "default", table: "db.t", tableUUID: nil, status: .failed,
            settings: nil, snapshotId: nil, note: nil, details: nil, error: "boom", durationMs: 0))
        let json = ExpireDataResultDocument(catalog: "default", table: "db.t", tableUUID: "u", status: .dryRun, settings: settings,
            snapshotId: nil, note: nil, details: details, error: nil, durationMs: 3).json
        #expect(json["data_files_expired"] == .int(1) && json["records_expired"] == .int(4) && json["data_files_undecided"] == .int(1))
        #expect(throws: DocumentError.self) {
            try ExpireDataResultDocument(json: try JSON.parse(json.rendered().replacingOccurrences(of: "\"expired\"", with: "\"gone\"")))
        }
    }

    @Test func createTagsResultsRoundTrip() throws {
        let tags = [
            AutoTags.Decision(name: "tag-20240301", periodStartMs: 1, triggerMs: 2, action: .create, snapshotId: 5, snapshotMs: 3,
                reason: "first"),
            AutoTags.Decision(name: "tag-20240302", periodStartMs: 4, triggerMs: 5, action: .skip, snapshotId: nil, snapshotMs: nil,
                reason: "none yet"),
        ]
        try DocumentRoundTripTests.roundTrips(CreateTagsResultDocument(catalog: "default", table: "db.t", tableUUID: "u",
            status: .committed, period: .daily, checkMs: 9, tags: tags, commitAttempts: 1, error: nil, durationMs: 2))
        try DocumentRoundTripTests.roundTrips(CreateTagsResultDocument(catalog: "default", table: "db.t", tableUUID: nil,
            status: .locked, period: nil, checkMs: nil, tags: [], commitAttempts: 0, error: "locked", durationMs: 0))
    }
}
