import IcebergSpec
/// How many snapshots and how much history expiry keeps by default, and for how long refs live, resolved from the
/// table (with the catalog's `table.` defaults) and the command line. Refs' own settings win over these.
///
/// Precedence for the default age and count: the command line (`--older-than`, `--retain-last`); else Amoro's
/// `snapshot.keep.duration` / `snapshot.keep.min-count` when the table sets them; else Iceberg's
/// `history.expire.max-snapshot-age-ms` / `history.expire.min-snapshots-to-keep` when set; else Amoro's defaults
/// (12 hours, 1 snapshot). Refs expire after `history.expire.max-ref-age-ms` (default: never).
package struct RetentionPolicy: Hashable, Sendable {
    /// Snapshots at or after this time are kept (before Amoro's protections lower it).
    package var expireOlderThanMs: Int64
    package var minSnapshotsToKeep: Int
    package var maxRefAgeMs: Int64
    /// `snapshot.keep.flink.checkpoint-retention`.
    package var flinkCheckpointRetentionMs: Int64

    /// What the command line says, overriding the table.
    package enum OlderThan: Hashable, Sendable {
        /// Keep snapshots younger than this many milliseconds.
        case age(Int64)
        /// Keep snapshots written at or after this time (milliseconds since the epoch).
        case timestamp(Int64)
    }

    package init(expireOlderThanMs: Int64, minSnapshotsToKeep: Int, maxRefAgeMs: Int64 = .max,
        flinkCheckpointRetentionMs: Int64 = 7 * 86_400_000)
    {
        self.expireOlderThanMs = expireOlderThanMs
        self.minSnapshotsToKeep = minSnapshotsToKeep
        self.maxRefAgeMs = maxRefAgeMs
        self.flinkCheckpointRetentionMs = flinkCheckpointRetentionMs
    }

    package init(
        tableProperties: [String: String], catalogProperties: [String: String] = [:], olderThan: OlderThan? = nil,
        retainLast: Int? = nil, nowMs: Int64
    ) throws(PropertyError) {
        let merged = OptimizingConfig.merge(table: tableProperties, catalog: catalogProperties)
        let amoro = try MaintenanceConfig(tableProperties: tableProperties, catalogProperties: catalogProperties)
        let reader = PropertyReader(merged)
        let cutoffMs: Int64
        switch olderThan {
        case .timestamp(let ms): cutoffMs = ms
        case .age(let ms): cutoffMs = nowMs.saturatingSubtract(ms)
        case nil where merged["snapshot.keep.duration"] != nil: cutoffMs = nowMs.saturatingSubtract(amoro.snapshotKeepDurationMs)
        case nil:
            cutoffMs = nowMs.saturatingSubtract(
                try reader.long("history.expire.max-snapshot-age-ms", default: amoro.snapshotKeepDurationMs, range: 0...))
        }
        let count: Int
        if let retainLast {
            count = retainLast
        } else if merged["snapshot.keep.min-count"] != nil {
            count = amoro.snapshotKeepMinCount
        } else {
            count = try reader.int("history.expire.min-snapshots-to-keep", default: amoro.snapshotKeepMinCount, range: 1...)
        }
        self.init(expireOlderThanMs: cutoffMs, minSnapshotsToKeep: max(1, count),
            maxRefAgeMs: try reader.long("history.expire.max-ref-age-ms", default: .max, range: 1...),
            flinkCheckpointRetentionMs: amoro.flinkCheckpointRetentionMs)
    }
}
