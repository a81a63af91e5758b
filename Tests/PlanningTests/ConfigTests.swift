import Planning
import Testing

@Suite struct ConfigTests {
    @Test func defaultsAreAmoros() throws {
        let config = try OptimizingConfig(tableProperties: [:])
        #expect(config.enabled)
        #expect(config.targetSize == 134_217_728)
        #expect(config.fragmentSize == 16_777_216)
        #expect(config.minTargetSize == 100_663_296)
        #expect(config.taskCapacity == 134_217_728)
        #expect(config.minorTriggerFileCount == 12)
        #expect(config.minorTriggerIntervalMs == 3_600_000)
        #expect(config.majorTriggerDuplicateRatio == 0.1)
        #expect(config.fullTriggerIntervalMs == -1)
        #expect(config.fullRewriteAllFiles)
        #expect(config.quota == 0.5)
        #expect(config.openFileCost == 4_194_304)
        #expect(!config.rowGroupMergeEnabled)
        #expect(config.rowGroupMergeMinAverageBytes == 8_388_608)
        let merging = try OptimizingConfig(
            tableProperties: ["self-optimizing.rewrite.use-parquet-row-group-merge.enabled": "TRUE"],
            catalogProperties: ["table.self-optimizing.rewrite.use-parquet-row-group-merge.min-avg-row-group-size-bytes": "1024"])
        #expect(merging.rowGroupMergeEnabled && merging.rowGroupMergeMinAverageBytes == 1024)
    }

    @Test func tablePropertiesWinOverCatalogDefaults() throws {
        let config = try OptimizingConfig(
            tableProperties: ["self-optimizing.target-size": "1000", "self-optimizing.fragment-ratio": "3"],
            catalogProperties: ["table.self-optimizing.target-size": "5", "table.self-optimizing.minor.trigger.file-count": "4",
                "self-optimizing.quota": "0.9"])
        #expect(config.targetSize == 1000)
        #expect(config.fragmentSize == 333)
        #expect(config.minorTriggerFileCount == 4)
        #expect(config.quota == 0.5, "catalog keys without the table. prefix are not table defaults")
    }

    @Test func aTableThatDisablesOptimizingDropsCatalogOptimizingDefaults() throws {
        let config = try OptimizingConfig(
            tableProperties: ["self-optimizing.enabled": "false"],
            catalogProperties: ["table.self-optimizing.enabled": "true", "table.self-optimizing.target-size": "5",
                "table.read.split.open-file-cost": "7"])
        #expect(!config.enabled)
        #expect(config.targetSize == 134_217_728)
        #expect(config.openFileCost == 7)
    }

    @Test(arguments: [
        ("self-optimizing.target-size", "big"), ("self-optimizing.enabled", "yes"),
        ("self-optimizing.min-target-size-ratio", "1.5"), ("self-optimizing.fragment-ratio", "0"),
        ("self-optimizing.major.trigger.duplicate-ratio", "-1"), ("self-optimizing.minor.trigger.file-count", "99999999999"),
        ("self-optimizing.rewrite.use-parquet-row-group-merge.enabled", "1"),
        ("self-optimizing.rewrite.use-parquet-row-group-merge.min-avg-row-group-size-bytes", "-8"),
    ])
    func invalidValuesNameTheirKey(key: String, value: String) {
        #expect {
            try OptimizingConfig(tableProperties: [key: value])
        } throws: { error in
            (error as? PropertyError)?.key == key && "\(error)".contains(value)
        }
    }

    @Test func maintenanceDefaultsAndUnits() throws {
        let defaults = try MaintenanceConfig(tableProperties: [:])
        #expect(defaults.expiresSnapshots)
        #expect(defaults.snapshotKeepDurationMs == 12 * 3_600_000)
        #expect(defaults.snapshotKeepMinCount == 1)
        #expect(!defaults.cleansOrphans)
        #expect(defaults.orphanMinExistingTimeMs == 2 * 86_400_000)
        #expect(defaults.cleansDanglingDeletes)

        let custom = try MaintenanceConfig(tableProperties: [
            "snapshot.keep.duration": "90", "snapshot.keep.min-count": "0", "clean-orphan-file.enabled": "TRUE",
            "clean-orphan-file.min-existing-time-minutes": "60", "snapshot.keep.flink.checkpoint-retention": "1000",
            "gc.enabled": "false",
        ])
        #expect(custom.snapshotKeepDurationMs == 90 * 60_000, "a bare number means minutes")
        #expect(custom.snapshotKeepMinCount == 1, "raised to 1")
        #expect(custom.orphanMinExistingTimeMs == 3_600_000)
        #expect(custom.flinkCheckpointRetentionMs == 1000, "a bare number means milliseconds here")
        #expect(!custom.cleansOrphans && !custom.expiresSnapshots && !custom.cleansDanglingDeletes, "gc.enabled=false turns all off")

        #expect(try MaintenanceConfig(tableProperties: ["snapshot.keep.duration": "2d"]).snapshotKeepDurationMs == 172_800_000)
        #expect(try MaintenanceConfig(tableProperties: ["snapshot.keep.duration": "90s"]).snapshotKeepDurationMs == 60_000)
        #expect(throws: PropertyError.self) { try MaintenanceConfig(tableProperties: ["snapshot.keep.duration": "soon"]) }
    }
}
