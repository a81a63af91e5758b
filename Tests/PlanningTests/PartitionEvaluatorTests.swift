import IcebergSpec
import Planning
import Testing

@Suite struct PartitionEvaluatorTests {
    static let mib: Int64 = 1 << 20
    static let now: Int64 = 10_000_000_000

    static func evaluator(_ properties: [String: String] = [:], lastMinor: Int64? = now, lastFull: Int64? = nil,
        slack: Int64 = 0) throws -> PartitionEvaluator
    {
        PartitionEvaluator(config: try OptimizingConfig(tableProperties: properties), planTimeMs: now, lastMinorMs: lastMinor,
            lastFullMs: lastFull, triggerSlackMs: slack)
    }

    static func position(_ path: String, records: Int64) -> PartitionEvaluator.Delete {
        .init(path: path, kind: .position, recordCount: records, sizeInBytes: 1000)
    }

    @Test func classifiesFilesByAmorosThresholds() throws {
        var evaluator = try Self.evaluator()
        evaluator.add(path: "a.parquet", sizeInBytes: 16 * Self.mib, recordCount: 10, deletes: [])  // fragment (≤ 16 MiB)
        evaluator.add(path: "b.parquet", sizeInBytes: 16 * Self.mib + 1, recordCount: 10, deletes: [])  // undersized
        evaluator.add(path: "c.parquet", sizeInBytes: 96 * Self.mib, recordCount: 10, deletes: [])  // undersized (≤ 96 MiB)
        evaluator.add(path: "d.parquet", sizeInBytes: 96 * Self.mib + 1, recordCount: 10, deletes: [])  // segment
        #expect(evaluator.fragments.files == 1)
        #expect(evaluator.undersizedSegments.files == 2)
        #expect(evaluator.segments.files == 1)
        #expect(evaluator.pending == nil, "one fragment, recent minor: nothing to do")
    }

    /// Sizes and counts near Int64's end (crafted manifests) give an extreme cost, not a trap.
    @Test func hugeSizesSaturateTheCost() throws {
        var evaluator = try Self.evaluator(lastMinor: nil)
        for index in 0..<40 {
            evaluator.add(path: "f\(index)", sizeInBytes: 1 << 62, recordCount: .max - 1,
                deletes: [Self.position("d\(index)", records: .max)])
        }
        #expect(evaluator.cost > 0)
        #expect(evaluator.fragments.bytes == .max || evaluator.undersizedSegments.bytes == .max || evaluator.segments.bytes == .max)
        _ = evaluator.pending
        _ = evaluator.healthComponents
        _ = evaluator.deleteTally(.position)
    }

    /// Several position deletes of a crafted record count on one file are summed without a trap.
    @Test func craftedDeleteCountsOfOneFileSaturate() throws {
        var evaluator = try Self.evaluator(lastMinor: nil)
        evaluator.add(path: "a", sizeInBytes: 200 * Self.mib, recordCount: 10,
            deletes: [Self.position("d1", records: .max), Self.position("d2", records: .max)])
        #expect(evaluator.segments.files == 1)
        _ = evaluator.pending
        _ = evaluator.healthComponents
    }

    @Test func minorTriggersOnFileCountOrInterval() throws {
        var byCount = try Self.evaluator()
        for index in 0..<12 { byCount.add(path: "f\(index)", sizeInBytes: Self.mib, recordCount: 1, deletes: []) }
        #expect(byCount.pending?.level == .minor)
        #expect(byCount.pending?.reasons.first?.hasPrefix("minor.trigger.file-count") == true)

        var byInterval = try Self.evaluator(lastMinor: Self.now - 3_600_001)
        byInterval.add(path: "a", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
        byInterval.add(path: "b", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
        #expect(byInterval.pending?.level == .minor)
        #expect(byInterval.pending?.reasons.first?.hasPrefix("minor.trigger.interval") == true)

        var neverOptimized = try Self.evaluator(lastMinor: nil)
        neverOptimized.add(path: "a", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
        #expect(neverOptimized.pending == nil, "a single small file never triggers")
        neverOptimized.add(path: "b", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
        #expect(neverOptimized.pending?.level == .minor)

        var disabled = try Self.evaluator(["self-optimizing.minor.trigger.interval": "-1"], lastMinor: nil)
        disabled.add(path: "a", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
        disabled.add(path: "b", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
        #expect(disabled.pending == nil)
    }

    /// An hourly cron run plans a few seconds earlier in its minute than the last one did: with half the period
    /// as slack (`--scheduled-every 60min`) the interval counts as passed, without it the run would skip an hour.
    @Test func scheduleSlackTakesAnIntervalFallingDueBeforeTheNextRun() throws {
        func minor(lastMinor: Int64?, slack: Int64) throws -> OptimizingLevel? {
            var evaluator = try Self.evaluator(lastMinor: lastMinor, slack: slack)
            evaluator.add(path: "a", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
            evaluator.add(path: "b", sizeInBytes: Self.mib, recordCount: 1, deletes: [])
            return evaluator.pending?.level
        }
        let almostAnHour = Self.now - 3_600_000 + 5_000
        #expect(try minor(lastMinor: almostAnHour, slack: 0) == nil)
        #expect(try minor(lastMinor: almostAnHour, slack: 1_800_000) == .minor)
        #expect(try minor(lastMinor: Self.now - 1_700_000, slack: 1_800_000) == nil, "more than half a period early")
        let properties = ["self-optimizing.full.trigger.interval": "86400000"]
        var full = try Self.evaluator(properties, lastFull: Self.now - 86_400_000 + 5_000, slack: 1_800_000)
        full.add(path: "a", sizeInBytes: 200 * Self.mib, recordCount: 1, deletes: [])
        full.add(path: "b", sizeInBytes: 200 * Self.mib, recordCount: 1, deletes: [])
        #expect(full.pending?.level == .full)
        // Times come from the table: a crafted one saturates instead of trapping.
        #expect(try minor(lastMinor: .min, slack: 0) == .minor)
        #expect(try minor(lastMinor: .max, slack: 0) == nil, "a minor run in the future")
    }

    @Test func majorTriggersOnDuplicateRatioAndUndersizedContent() throws {
        var ratio = try Self.evaluator()
        ratio.add(path: "big", sizeInBytes: 200 * Self.mib, recordCount: 1000, deletes: [Self.position("p1", records: 101)])
        #expect(ratio.pending?.level == .major)
        #expect(ratio.rewriteSegments.files == 1)

        var underRatio = try Self.evaluator()
        underRatio.add(path: "big", sizeInBytes: 200 * Self.mib, recordCount: 1000, deletes: [Self.position("p1", records: 100)])
        #expect(underRatio.pending == nil, "one foreign position delete triggers nothing by itself...")
        #expect(underRatio.rewritePositionSegments.files == 1, "...but is adopted when the partition is planned")

        var amoroOwned = try Self.evaluator()
        amoroOwned.add(path: "/d/big.parquet", sizeInBytes: 200 * Self.mib, recordCount: 1000,
            deletes: [Self.position("/d/big-delete-123.parquet", records: 100)])
        #expect(amoroOwned.pending == nil)

        var undersized = try Self.evaluator()
        undersized.add(path: "a", sizeInBytes: 60 * Self.mib, recordCount: 1, deletes: [])
        undersized.add(path: "b", sizeInBytes: 68 * Self.mib, recordCount: 1, deletes: [])
        #expect(undersized.pending?.level == .major, "128 MiB of undersized files whose two smallest fit the target")
        var tooBig = try Self.evaluator()
        tooBig.add(path: "a", sizeInBytes: 65 * Self.mib, recordCount: 1, deletes: [])
        tooBig.add(path: "b", sizeInBytes: 65 * Self.mib, recordCount: 1, deletes: [])
        #expect(tooBig.pending == nil, "two undersized files that cannot share a target-size file")
    }

    @Test func segmentsWithSeveralPositionDeletesNeedMinor() throws {
        var evaluator = try Self.evaluator()
        evaluator.add(path: "big", sizeInBytes: 200 * Self.mib, recordCount: 1000,
            deletes: [Self.position("p1", records: 1), Self.position("p2", records: 1)])
        #expect(evaluator.pending?.level == .minor)
        #expect(evaluator.combinePositionSegments == 1)
    }

    @Test func fullModeFollowsItsInterval() throws {
        let properties = ["self-optimizing.full.trigger.interval": "86400000"]
        var due = try Self.evaluator(properties, lastFull: Self.now - 86_400_001)
        due.add(path: "a", sizeInBytes: 200 * Self.mib, recordCount: 1, deletes: [])
        #expect(due.pending == nil, "a lone clean file is never rewritten")
        due.add(path: "b", sizeInBytes: 200 * Self.mib, recordCount: 1, deletes: [])
        #expect(due.pending?.level == .full)
        var notDue = try Self.evaluator(properties, lastFull: Self.now - 1000)
        notDue.add(path: "a", sizeInBytes: 200 * Self.mib, recordCount: 1, deletes: [])
        notDue.add(path: "b", sizeInBytes: 200 * Self.mib, recordCount: 1, deletes: [])
        #expect(notDue.pending == nil)
    }

    @Test func disabledOptimizingEvaluatesNothing() throws {
        var evaluator = try Self.evaluator(["self-optimizing.enabled": "false"], lastMinor: nil)
        for index in 0..<20 { evaluator.add(path: "f\(index)", sizeInBytes: 1, recordCount: 1, deletes: []) }
        #expect(evaluator.pending == nil)
        #expect(evaluator.healthComponents == nil)
    }

    @Test func costOrdersPartitionsAsAmoroDoes() throws {
        var evaluator = try Self.evaluator()
        evaluator.add(path: "a", sizeInBytes: 1000, recordCount: 1, deletes: [Self.position("p", records: 1)])
        // 2 × 1000 + 1000 (position delete bytes) + 2 files × 4 MiB open-file cost.
        #expect(evaluator.cost == 2000 + 1000 + 2 * 4_194_304)
    }

    @Test func healthScoreMatchesAmorosFormula() throws {
        var healthy = try Self.evaluator()
        healthy.add(path: "a", sizeInBytes: 1, recordCount: 1, deletes: [])
        #expect(healthy.healthComponents?.total == 100, "one file: the table factor is zero")

        var unhealthy = try Self.evaluator()
        for index in 0..<12 {
            unhealthy.add(path: "f\(index)", sizeInBytes: 10 * Self.mib, recordCount: 100,
                deletes: [.init(path: "eq\(index)", kind: .equality, recordCount: 20, sizeInBytes: 10)])
        }
        // 12 files × 10 MiB = 120 MiB ≥ 96 MiB: factor 1. avg 10 MiB → small = ceil(40 − 40 × (1 − 10/96)) = 5.
        // Equality ratio 0.2 ≥ 0.1 → 0. No position deletes → 20.
        let components = try #require(unhealthy.healthComponents)
        #expect(components == HealthScore.Components(smallFiles: 5, equalityDeletes: 0, positionDeletes: 20))
        #expect(HealthScore.table([components, HealthScore.Components(smallFiles: 40, equalityDeletes: 40, positionDeletes: 20)]).total
            == 23 + 20 + 20)
        #expect(HealthScore.table([]).total == 100)
    }

    @Test func historyReadsOptimizingCommitsFromSnapshots() {
        func snapshot(_ id: Int64, _ operation: Snapshot.Operation, _ summary: [String: String], at time: Int64) -> Snapshot {
            Snapshot(snapshotId: id, parentSnapshotId: nil, sequenceNumber: id, timestampMs: time, manifestList: "m",
                summary: .init(operation: operation, properties: summary), schemaId: 0)
        }
        let history = OptimizingHistory(snapshots: [
            snapshot(1, .append, [:], at: 10),
            snapshot(2, .replace, ["snapshot.producer": "OPTIMIZE"], at: 20),  // Apache Amoro's own commit
            snapshot(3, .replace, ["snapshot.producer": "OPTIMIZE", "amoro.optimizing.level": "major",
                "amoro.optimizing.plan-time-ms": "25"], at: 30),
            snapshot(4, .replace, [:], at: 40),  // some other rewrite
            snapshot(5, .overwrite, ["snapshot.producer": "OPTIMIZE", "amoro.optimizing.level": "full"], at: 50),
        ])
        #expect(history == OptimizingHistory(lastMinorMs: 20, lastMajorMs: 25, lastFullMs: nil))
    }
}
