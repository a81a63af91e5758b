import IcebergSpec
import JSONCoding
import Planning
import Testing

@Suite struct PlannerTests {
    static let mib: Int64 = 1 << 20
    static let spec = PartitionSpec(specId: 0, fields: [PartitionField(sourceId: 1, fieldId: 1000, name: "p", transform: .identity)])

    static func health(_ properties: [String: String] = [:], forceFull: Bool = false, lastMinor: Int64? = nil) throws -> TableHealth {
        TableHealth(
            header: .init(catalog: "c", table: "db.t", tableUUID: "u", formatVersion: 2, location: "/t", snapshot: nil,
                scannedAtMs: 10_000_000),
            config: try OptimizingConfig(tableProperties: properties), history: OptimizingHistory(lastMinorMs: lastMinor),
            specs: [spec], forceFull: forceFull, collectFiles: true)
    }

    static func file(_ name: String, partition: Int32, size: Int64) -> DataFile {
        DataFile(content: .data, filePath: "/t/data/\(name)", fileFormat: "PARQUET", specId: 0, partition: [.int(partition)],
            recordCount: 100, fileSizeInBytes: size)
    }

    static func delete(_ name: String, _ content: DataFile.Content, partition: Int32 = 1, records: Int64 = 5) -> DataFile {
        DataFile(content: content, filePath: "/t/data/\(name)", fileFormat: "PARQUET", specId: 0, partition: [.int(partition)],
            recordCount: records, fileSizeInBytes: 500)
    }

    @Test func fragmentsAreBinPackedAndCleanSingletonsDropped() throws {
        var health = try Self.health()
        for index in 0..<20 { health.add(Self.file("f\(index)", partition: 1, size: 10 * Self.mib), sequenceNumber: 1, deletes: []) }
        health.add(Self.file("lone-a", partition: 2, size: 10 * Self.mib), sequenceNumber: 1, deletes: [])
        health.add(Self.file("lone-b", partition: 2, size: 10 * Self.mib), sequenceNumber: 1, deletes: [])
        health.add(Self.file("big", partition: 3, size: 500 * Self.mib), sequenceNumber: 1, deletes: [])
        let plan = Planner.plan(health, level: .auto, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil)
        #expect(plan.level == .minor)
        // 20 × 10 MiB in 128 MiB bins: 12 + 8; partition 2's two fragments share one task.
        #expect(plan.tasks.map(\.rewriteDataFiles.count) == [12, 8, 2])
        #expect(plan.tasks.map(\.partition) == ["p=1", "p=1", "p=2"])
        #expect(plan.tasks.map(\.id) == [0, 1, 2])
        #expect(plan.pendingPartitions == 2 && plan.plannedPartitions == 2)
    }

    @Test func deletesAreRemovedOnlyWhenAllTheirFilesArePlanned() throws {
        var health = try Self.health()
        let shared = Self.delete("eq-shared", .equalityDeletes)
        let ownOfBig = Self.delete("pos-big", .positionDeletes, records: 1)
        for index in 0..<12 {
            health.add(Self.file("f\(index)", partition: 1, size: Self.mib), sequenceNumber: 1, deletes: [(shared, 2)])
        }
        // A large segment with few position deletes is kept: the shared equality delete applies to it too.
        health.add(Self.file("big", partition: 1, size: 200 * Self.mib), sequenceNumber: 1,
            deletes: [(shared, 2), (ownOfBig, 2), (Self.delete("pos-big-2", .positionDeletes, records: 1), 2)])
        let plan = Planner.plan(health, level: .auto, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil)
        // The big file has two position deletes and an equality delete: its positions are re-expressed, so it
        // joins the plan and every delete of the partition can go.
        #expect(plan.tasks.flatMap(\.rewritePositionFiles).map(\.path) == ["/t/data/big"])
        #expect(plan.removedDeleteFiles == ["/t/data/eq-shared", "/t/data/pos-big", "/t/data/pos-big-2"])

        var partial = try Self.health()
        for index in 0..<12 {
            partial.add(Self.file("f\(index)", partition: 1, size: Self.mib), sequenceNumber: 1, deletes: [(shared, 2)])
        }
        let amoroOwned = Self.delete("big-delete-0001.parquet", .positionDeletes, records: 1)
        partial.add(Self.file("big.parquet", partition: 1, size: 200 * Self.mib), sequenceNumber: 1, deletes: [(amoroOwned, 2)])
        partial.add(Self.file("other.parquet", partition: 1, size: 200 * Self.mib), sequenceNumber: 1, deletes: [])
        let withShared = Planner.plan(partial, level: .auto, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil)
        #expect(withShared.removedDeleteFiles == ["/t/data/eq-shared"], "big.parquet's own Amoro delete stays")
        #expect(withShared.tasks.first?.deleteFiles.map(\.removed) == [true])
    }

    @Test func budgetAndTaskCapLimitThePlan() throws {
        var health = try Self.health()
        for partition in Int32(1)...5 {
            for index in 0..<Int(partition) + 12 {
                health.add(Self.file("p\(partition)-\(index)", partition: partition, size: Self.mib), sequenceNumber: 1, deletes: [])
            }
        }
        let all = Planner.plan(health, level: .auto, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil)
        #expect(all.tasks.map(\.partition) == ["p=5", "p=4", "p=3", "p=2", "p=1"], "most costly first")
        let oneCost = health.partitionReports[0].evaluator.cost
        let budget = Planner.plan(health, level: .auto, limits: .init(budgetBytes: oneCost + 1), metadataLocation: "m", sortOrder: nil)
        #expect(budget.tasks.map(\.partition) == ["p=5", "p=4"], "the partition crossing the budget is still planned")
        let capped = Planner.plan(health, level: .auto, limits: .init(budgetBytes: 1 << 40, maxTasks: 3), metadataLocation: "m", sortOrder: nil)
        #expect(capped.tasks.count == 3)
        #expect(all == Planner.plan(health, level: .auto, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil),
            "the same table and clock give the same plan")
    }

    @Test func levelsSelectPartitions() throws {
        var health = try Self.health(lastMinor: 9_999_999)
        for index in 0..<12 { health.add(Self.file("m\(index)", partition: 1, size: Self.mib), sequenceNumber: 1, deletes: []) }
        health.add(Self.file("dup", partition: 2, size: 200 * Self.mib), sequenceNumber: 1,
            deletes: [(Self.delete("pos", .positionDeletes, partition: 2, records: 50), 2)])
        #expect(Planner.plan(health, level: .minor, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil)
            .tasks.map(\.partition) == ["p=1"])
        let major = Planner.plan(health, level: .major, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: nil)
        #expect(Set(major.tasks.map(\.partition)) == ["p=1", "p=2"])
        #expect(major.level == .major)

        var full = try Self.health(forceFull: true)
        full.add(Self.file("a", partition: 1, size: 60 * Self.mib), sequenceNumber: 1, deletes: [])
        full.add(Self.file("b", partition: 1, size: 60 * Self.mib), sequenceNumber: 1, deletes: [])
        full.add(Self.file("c", partition: 2, size: 300 * Self.mib), sequenceNumber: 1, deletes: [])
        full.add(Self.file("d", partition: 2, size: 300 * Self.mib), sequenceNumber: 1, deletes: [])
        let order = SortOrder(orderId: 1, fields: [SortField(sourceId: 1, transform: .identity, direction: .ascending, nullOrder: .nullsFirst)])
        let fullPlan = Planner.plan(full, level: .full, limits: .init(budgetBytes: 1 << 40), metadataLocation: "m", sortOrder: order)
        #expect(fullPlan.level == .full)
        #expect(fullPlan.tasks.map(\.rewriteDataFiles.count) == [2],
            "a and b share a task; c and d each fill a bin alone and a task of one clean file is dropped, as Amoro does")
        #expect(fullPlan.sortOrder?.orderId == 1)
    }
}
