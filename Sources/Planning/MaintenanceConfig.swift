/// A table's maintenance settings: snapshot expiry, orphan cleaning and dangling-delete cleaning, with Amoro's keys
/// and defaults. Each switch is ANDed with Iceberg's `gc.enabled`, as Amoro does.
package struct MaintenanceConfig: Hashable, Sendable {
    package var gcEnabled = true
    package var expireEnabled = true
    /// `snapshot.keep.duration`: default 720min; a bare number means minutes.
    package var snapshotKeepDurationMs: Int64 = 720 * 60_000
    /// `snapshot.keep.min-count`: values below 1 are raised to 1.
    package var snapshotKeepMinCount = 1
    /// `snapshot.keep.flink.checkpoint-retention`: default 7d; a bare number means milliseconds.
    package var flinkCheckpointRetentionMs: Int64 = 7 * 86_400_000
    package var cleanOrphansEnabled = false
    /// Whether the table (or the catalog's `table.` defaults) sets `clean-orphan-file.enabled` at all.
    package var cleanOrphansConfigured = false
    /// `clean-orphan-file.min-existing-time-minutes`: default 2880 (2 days).
    package var orphanMinExistingTimeMs: Int64 = 2880 * 60_000
    package var cleanDanglingDeletesEnabled = true

    package var expiresSnapshots: Bool { gcEnabled && expireEnabled }
    package var cleansOrphans: Bool { gcEnabled && cleanOrphansEnabled }
    package var cleansDanglingDeletes: Bool { gcEnabled && cleanDanglingDeletesEnabled }

    package init() {}

    package init(tableProperties: [String: String], catalogProperties: [String: String] = [:]) throws(PropertyError) {
        let reader = PropertyReader(OptimizingConfig.merge(table: tableProperties, catalog: catalogProperties))
        gcEnabled = try reader.bool("gc.enabled", default: gcEnabled)
        expireEnabled = try reader.bool("table-expire.enabled", default: expireEnabled)
        snapshotKeepDurationMs = try reader.durationMs(
            "snapshot.keep.duration", default: snapshotKeepDurationMs, bareUnitMs: 60_000)
        snapshotKeepDurationMs -= snapshotKeepDurationMs % 60_000  // Amoro truncates to whole minutes
        snapshotKeepMinCount = max(1, try reader.int("snapshot.keep.min-count", default: snapshotKeepMinCount))
        flinkCheckpointRetentionMs = try reader.durationMs(
            "snapshot.keep.flink.checkpoint-retention", default: flinkCheckpointRetentionMs, bareUnitMs: 1)
        cleanOrphansEnabled = try reader.bool("clean-orphan-file.enabled", default: cleanOrphansEnabled)
        cleanOrphansConfigured = reader.properties["clean-orphan-file.enabled"] != nil
        orphanMinExistingTimeMs = try reader.long(
            "clean-orphan-file.min-existing-time-minutes", default: orphanMinExistingTimeMs / 60_000, range: 0...) * 60_000
        cleanDanglingDeletesEnabled = try reader.bool(
            "clean-dangling-delete-files.enabled", default: cleanDanglingDeletesEnabled)
    }
}
