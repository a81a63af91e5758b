import IcebergSpec
import Planning
import Testing

/// Automatic tags: Amoro's rule for the latest finished period, the catch-up of missed periods, and the delay rule.
@Suite struct AutoTagsTests {
    static let hour: Int64 = 3_600_000
    /// 2024-03-01T00:00:00Z.
    static let start: Int64 = 1_709_251_200_000

    /// A table with one snapshot at each of `minutes` after `start` (ids 1...), all on main.
    static func table(_ minutes: [Int64], refs: [String: SnapshotRef] = [:]) -> TableMetadata {
        var metadata = TableMetadata.newTable(location: "/w/t", uuid: "u",
            schema: Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long))]),
            properties: [:], nowMs: 0)
        for (index, minute) in minutes.enumerated() {
            let id = Int64(index + 1)
            let snapshot = Snapshot(snapshotId: id, parentSnapshotId: id == 1 ? nil : id - 1, sequenceNumber: id,
                timestampMs: start + minute * 60_000, manifestList: nil, summary: .init(operation: .append), schemaId: 0)
            metadata = metadata.committing(snapshot, previousMetadataLocation: "/w/t/metadata/v\(id).json", nowMs: snapshot.timestampMs)
        }
        metadata.refs.merge(refs) { $1 }
        return metadata
    }

    static func config(_ properties: [String: String]) throws -> AutoTagConfig {
        try AutoTagConfig(tableProperties: ["tag.auto-create.enabled": "true"].merging(properties) { $1 })
    }

    @Test func theLatestPeriodGetsTheFirstSnapshotAfterItsTrigger() throws {
        let config = try Self.config(["tag.auto-create.trigger.period": "hourly", "tag.auto-create.trigger.offset.minutes": "10",
            "tag.auto-create.trigger.max-delay.minutes": "30"])
        let metadata = Self.table([5, 40, 72, 110, 175, 200])
        // At 03:30 the latest finished hour is 02 (due 03:10): the 03:20 snapshot (id 6).
        let decisions = AutoTags(config: config, nowMs: Self.start + 3 * Self.hour + 30 * 60_000).decide(metadata)
        #expect(decisions.map(\.name) == ["tag-2024030102"])
        #expect(decisions[0].action == .create && decisions[0].snapshotId == 6)
        // At 02:20 the hour 01 is due 02:10; the first snapshot after it came at 02:55, 45 minutes late: skipped.
        let late = AutoTags(config: config, nowMs: Self.start + 2 * Self.hour + 20 * 60_000).decide(metadata)
        #expect(late.map(\.action) == [.skip])
        // At 00:05 (before 00:10) the latest finished hour is 22 of the day before (due 23:10); the first snapshot
        // after that came at 00:05, 55 minutes late: skipped.
        let early = AutoTags(config: config, nowMs: Self.start + 5 * 60_000).decide(metadata)
        #expect(early.map(\.name) == ["tag-2024022922"] && early.map(\.action) == [.skip])
    }

    @Test func missedPeriodsAreCaughtUpBackToTheNewestTagOnly() throws {
        let config = try Self.config([:])
        let day: Int64 = 24 * 60
        let metadata = Self.table([600, day + 30, 2 * day + 20, 3 * day + 1], refs: ["tag-20240301": SnapshotRef(snapshotId: 2, kind: .tag)])
        let decisions = AutoTags(config: config, nowMs: Self.start + 3 * 24 * Self.hour + 12 * Self.hour).decide(metadata)
        #expect(decisions.map(\.name) == ["tag-20240302", "tag-20240303"])
        #expect(decisions.map(\.snapshotId) == [3, 4])
        // Without any tag, only the latest.
        let fresh = AutoTags(config: config, nowMs: Self.start + 3 * 24 * Self.hour + 12 * Self.hour).decide(Self.table([600, day + 30]))
        #expect(fresh.map(\.name) == ["tag-20240303"])
        // An existing tag is never moved; a branch of the name is not overwritten.
        let existing = Self.table([600, day + 30], refs: ["tag-20240301": SnapshotRef(snapshotId: 1, kind: .tag)])
        let again = AutoTags(config: config, nowMs: Self.start + 24 * Self.hour + 12 * Self.hour).decide(existing)
        #expect(again.map(\.action) == [.exists] && again[0].snapshotId == 1)
        let branch = Self.table([600, day + 30], refs: ["tag-20240301": SnapshotRef(snapshotId: 1, kind: .branch)])
        #expect(AutoTags(config: config, nowMs: Self.start + 36 * Self.hour).decide(branch).map(\.action) == [.skip])
    }

    @Test func monthlyPeriodsAndSettings() throws {
        let config = try Self.config(["tag.auto-create.trigger.period": "monthly", "tag.auto-create.trigger.max-delay.minutes": "0",
            "tag.auto-create.max-age-ms": "1000"])
        let metadata = Self.table([10, 45 * 24 * 60])  // 2024-03-01 00:10, 2024-04-15
        let decisions = AutoTags(config: config, nowMs: Self.start + 50 * 24 * Self.hour).decide(metadata)
        #expect(decisions.map(\.name) == ["tag-202403"])
        #expect(decisions[0].snapshotId == 2, "no delay limit: the April snapshot")
        #expect(AutoTags(config: config, nowMs: 0).ref(for: decisions[0])?.maxRefAgeMs == 1000)
        #expect(throws: PropertyError.self) { try Self.config(["tag.auto-create.trigger.period": "weekly"]) }
        #expect(throws: PropertyError.self) { try Self.config(["tag.auto-create.tag-format": "'t-'EEE"]) }
        #expect(AutoTagConfig().maxDelayMinutes == 60 && !AutoTagConfig().enabled)
    }
}
