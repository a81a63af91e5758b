import IcebergSpec
import Planning
import Testing

/// Expiry's retention rules: Iceberg's ref semantics, Amoro's defaults and protections, property precedence.
@Suite struct SnapshotExpiryTests {
    static let hour: Int64 = 3_600_000
    static let now: Int64 = 1_000 * hour

    /// A table whose main branch has one snapshot per hour, `count` of them, the newest an hour old; ids 1...count.
    static func table(_ count: Int, properties: [String: String] = [:], summary: [Int64: [String: String]] = [:]) -> TableMetadata {
        var metadata = TableMetadata.newTable(location: "/w/t", uuid: "u",
            schema: Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long))]),
            properties: properties, nowMs: 0)
        for id in 1...Int64(count) {
            let snapshot = Snapshot(snapshotId: id, parentSnapshotId: id == 1 ? nil : id - 1, sequenceNumber: id,
                timestampMs: now - (Int64(count) - id + 1) * hour, manifestList: "/w/t/metadata/snap-\(id).avro",
                summary: .init(operation: .append, properties: summary[id] ?? [:]), schemaId: 0)
            metadata = metadata.committing(snapshot, previousMetadataLocation: "/w/t/metadata/v\(id).json", nowMs: snapshot.timestampMs)
        }
        return metadata
    }

    static func expire(_ metadata: TableMetadata, olderThan: RetentionPolicy.OlderThan? = nil, retainLast: Int? = nil,
        keep: Set<Int64> = []) throws -> SnapshotExpiry
    {
        let policy = try RetentionPolicy(tableProperties: metadata.properties, olderThan: olderThan, retainLast: retainLast, nowMs: now)
        return SnapshotExpiry(metadata: metadata, policy: policy, keep: keep, nowMs: now)
    }

    @Test func amoroDefaultsKeepTwelveHoursAndAtLeastOne() throws {
        let expiry = try Self.expire(Self.table(20))
        #expect(expiry.snapshotIds == Set(1...8), "snapshots 9...20 are 12 hours old or younger")
        #expect(expiry.snapshots.allSatisfy { $0.reason == .age })
        #expect(try Self.expire(Self.table(3), olderThan: .age(0)).snapshotIds == [1, 2], "the head always stays")
    }

    @Test func retainLastKeepsTheNewestOfTheBranch() throws {
        #expect(try Self.expire(Self.table(10), olderThan: .age(0), retainLast: 4).snapshotIds == Set(1...6))
    }

    @Test func amoroPropertiesWinOverIcebergOnes() throws {
        let both = Self.table(10, properties: ["snapshot.keep.duration": "120min", "snapshot.keep.min-count": "2",
            "history.expire.max-snapshot-age-ms": String(5 * Self.hour), "history.expire.min-snapshots-to-keep": "8"])
        #expect(try Self.expire(both).snapshotIds == Set(1...8), "Amoro: 2 hours and 2 snapshots")
        let iceberg = Self.table(10, properties: ["history.expire.max-snapshot-age-ms": String(5 * Self.hour),
            "history.expire.min-snapshots-to-keep": "3"])
        #expect(try Self.expire(iceberg).snapshotIds == Set(1...5), "Iceberg: 5 hours")
        #expect(try Self.expire(iceberg, olderThan: .age(2 * Self.hour)).snapshotIds == Set(1...7), "the command line wins, min 3 kept")
        #expect(try Self.expire(iceberg, olderThan: .timestamp(Self.now - 4 * Self.hour)).snapshotIds == Set(1...6))
    }

    @Test func catalogDefaultsApplyWhenTheTableSetsNothing() throws {
        let metadata = Self.table(10)
        let policy = try RetentionPolicy(tableProperties: [:], catalogProperties: ["table.snapshot.keep.duration": "3h"], nowMs: Self.now)
        #expect(SnapshotExpiry(metadata: metadata, policy: policy, keep: [], nowMs: Self.now).snapshotIds == Set(1...7))
    }

    @Test func tagsKeepTheirSnapshotAndExpireWithTheirAge() throws {
        var metadata = Self.table(10)
        metadata.refs["keep"] = SnapshotRef(snapshotId: 2, kind: .tag)
        metadata.refs["old"] = SnapshotRef(snapshotId: 3, kind: .tag, maxRefAgeMs: 2 * Self.hour)
        let expiry = try Self.expire(metadata, olderThan: .age(0))
        #expect(!expiry.snapshotIds.contains(2))
        #expect(expiry.snapshotIds.contains(3))
        #expect(expiry.refs.map(\.name) == ["old"])
        #expect(expiry.snapshots.first { $0.snapshotId == 3 }?.reason == .age, "3 is on main's history as well")
    }

    @Test func branchesKeepTheirOwnHistoryWithTheirOwnSettings() throws {
        var metadata = Self.table(6)
        // A branch forked at 3 with two snapshots of its own (ids 100, 101), 30 and 20 hours old.
        for (id, parent, age) in [(Int64(100), Int64(3), Int64(30)), (101, 100, 20)] {
            metadata.snapshots.append(Snapshot(snapshotId: id, parentSnapshotId: parent, sequenceNumber: id,
                timestampMs: Self.now - age * Self.hour, manifestList: "/w/t/metadata/snap-\(id).avro",
                summary: .init(operation: .append), schemaId: 0))
        }
        metadata.refs["audit"] = SnapshotRef(snapshotId: 101, kind: .branch, minSnapshotsToKeep: 3)
        let expiry = try Self.expire(metadata, olderThan: .age(0))
        #expect(expiry.snapshotIds == [1, 2, 4, 5], "the branch keeps 101, 100 and 3; main keeps 6")
        metadata.refs["audit"] = SnapshotRef(snapshotId: 101, kind: .branch, maxSnapshotAgeMs: 25 * Self.hour)
        #expect(try Self.expire(metadata, olderThan: .age(0)).snapshotIds == [1, 2, 3, 4, 5, 100])
        metadata.refs["audit"] = SnapshotRef(snapshotId: 101, kind: .branch, maxRefAgeMs: 10 * Self.hour)
        let expired = try Self.expire(metadata, olderThan: .age(0))
        #expect(expired.refs.map(\.name) == ["audit"])
        #expect(expired.snapshots.first { $0.snapshotId == 101 }?.reason == .refExpired)
    }

    @Test func unreferencedSnapshotsExpireWithTheDefaultAge() throws {
        var metadata = Self.table(4)
        metadata.snapshots.append(Snapshot(snapshotId: 50, parentSnapshotId: 1, sequenceNumber: 50,
            timestampMs: Self.now - 2 * Self.hour, manifestList: "/w/t/metadata/snap-50.avro",
            summary: .init(operation: .append), schemaId: 0))
        #expect(!(try Self.expire(metadata)).snapshotIds.contains(50), "younger than 12 hours")
        let expiry = try Self.expire(metadata, olderThan: .age(Self.hour))
        #expect(expiry.snapshots.first { $0.snapshotId == 50 }?.reason == .unreferenced)
    }

    @Test func theNewestUserSnapshotIsNeverExpired() throws {
        // 5 and 6 are Amoro's own compactions; 4 is the newest user commit.
        let optimize = ["snapshot.producer": "OPTIMIZE"]
        let metadata = Self.table(6, summary: [5: optimize, 6: optimize])
        let expiry = try Self.expire(metadata, olderThan: .age(0))
        #expect(expiry.snapshotIds == [1, 2, 3])
        // amoro's own rewrites change no row either: data expiration's LAST_COMMIT_TIME reference, 4, stays.
        let rewrites = Self.table(6, summary: [5: ["snapshot.producer": "REWRITE_DELETES"], 6: ["snapshot.producer": "REWRITE_MANIFESTS"]])
        #expect(try Self.expire(rewrites, olderThan: .age(0)).snapshotIds == [1, 2, 3])
    }

    @Test func youngFlinkCheckpointsHoldTheCutoff() throws {
        let metadata = Self.table(10, summary: [3: ["flink.max-committed-checkpoint-id": "7"]])
        #expect(try Self.expire(metadata, olderThan: .age(0)).snapshotIds == [1, 2])
        let stale = try RetentionPolicy(tableProperties: ["snapshot.keep.flink.checkpoint-retention": "1h"], olderThan: .age(0),
            nowMs: Self.now)
        #expect(SnapshotExpiry(metadata: metadata, policy: stale, keep: [], nowMs: Self.now).snapshotIds == Set(1...9))
    }

    @Test func keptSnapshotsStayWithEverythingAfterThem() throws {
        #expect(try Self.expire(Self.table(5), olderThan: .age(0), keep: [2]).snapshotIds == [1], "the chain from 2 to the head stays whole")
        #expect(try Self.expire(Self.table(5), olderThan: .age(0), keep: [99]).snapshotIds == [1, 2, 3, 4], "unknown ids change nothing")
    }

    @Test func explicitExpiryRefusesWhatARefOrAPlanNeeds() throws {
        var metadata = Self.table(5)
        metadata.refs["t"] = SnapshotRef(snapshotId: 2, kind: .tag)
        let expiry = try SnapshotExpiry(metadata: metadata, explicit: [3, 1], keep: [])
        #expect(expiry.snapshots.map(\.snapshotId) == [1, 3])
        #expect(expiry.snapshots.allSatisfy { $0.reason == .explicit })
        #expect(throws: ExpiryRefusal.self) { try SnapshotExpiry(metadata: metadata, explicit: [2], keep: []) }
        #expect(throws: ExpiryRefusal.self) { try SnapshotExpiry(metadata: metadata, explicit: [5], keep: []) }
        #expect(throws: ExpiryRefusal.self) { try SnapshotExpiry(metadata: metadata, explicit: [4], keep: [4]) }
        #expect(throws: ExpiryRefusal.self) { try SnapshotExpiry(metadata: metadata, explicit: [99], keep: []) }
    }

    @Test func auditsLimitWhatExpires() throws {
        let expiry = try Self.expire(Self.table(6), olderThan: .age(0))
        #expect(expiry.limited(toSnapshots: [2, 4, 6], refs: []).snapshotIds == [2, 4], "6 is the head: it never qualifies")
    }

    @Test func expiredMetadataDropsSnapshotsRefsStatisticsAndOlderHistory() {
        var metadata = Self.table(4)
        metadata.refs["t"] = SnapshotRef(snapshotId: 1, kind: .tag)
        metadata.statistics = [StatisticsFile(snapshotId: 2, path: "/w/t/metadata/s2.stats", fileSizeInBytes: 1)]
        let next = metadata.expiring(snapshotIds: [1, 2], refs: ["t"], previousMetadataLocation: "/w/t/metadata/v5.json", nowMs: Self.now)
        #expect(next.snapshots.map(\.snapshotId) == [3, 4])
        #expect(next.refs.keys.sorted() == ["main"])
        #expect(next.statistics.isEmpty)
        #expect(next.snapshotLog.map(\.snapshotId) == [3, 4])
        #expect(next.metadataLog.last?.metadataFile == "/w/t/metadata/v5.json")
    }

    @Test func optimizingTimesSurviveTheirSnapshots() {
        let times = [Int64(2): ["snapshot.producer": "OPTIMIZE", "amoro.optimizing.level": "major",
            "amoro.optimizing.plan-time-ms": "777"]]
        var metadata = Self.table(4, summary: times)
        metadata.snapshots = metadata.snapshots.map { snapshot in
            var snapshot = snapshot
            if snapshot.snapshotId == 2 { snapshot.summary.operation = .replace }
            return snapshot
        }
        let retained = metadata.snapshots.filter { $0.snapshotId > 2 }
        let changed = OptimizingHistory.propertiesPreserving(before: metadata.snapshots, retained: retained, properties: [:])
        #expect(changed == ["amoro.optimizing.last-major-ms": "777"])
        #expect(OptimizingHistory(snapshots: retained, properties: changed).lastMajorMs == 777)
        #expect(OptimizingHistory(snapshots: retained, properties: [:]).lastMajorMs == nil)
        #expect(OptimizingHistory.propertiesPreserving(before: metadata.snapshots, retained: metadata.snapshots, properties: [:]).isEmpty)
    }
}

/// Times at the ends of Int64 (a snapshot stamped `Int64.min`, a ref whose maximum age is hugely negative, an
/// `--older-than` in the far past): expiry decides, never traps.
@Suite struct SnapshotExpiryExtremeTests {
    @Test func extremeTimesAndAgesDecideWithoutTrapping() throws {
        var metadata = SnapshotExpiryTests.table(4)
        metadata.snapshots[0].timestampMs = .min
        metadata.refs["old"] = SnapshotRef(snapshotId: 2, kind: .branch, maxSnapshotAgeMs: -9_000_000_000_000_000_000,
            maxRefAgeMs: -9_000_000_000_000_000_000)
        let expiry = try SnapshotExpiryTests.expire(metadata, olderThan: .timestamp(.min))
        #expect(expiry.refs.map(\.name) == ["old"], "a ref older than its (negative) maximum age goes")
        let byAge = try SnapshotExpiryTests.expire(metadata, olderThan: .age(.max))
        #expect(byAge.snapshotIds.contains(1) || byAge.snapshotIds.isEmpty)
        #expect(try RetentionPolicy(tableProperties: [:], olderThan: .timestamp(.max), nowMs: .min).expireOlderThanMs == .max)
        #expect(try RetentionPolicy(tableProperties: [:], olderThan: .age(.max), nowMs: .min).expireOlderThanMs == .min)
    }
}
