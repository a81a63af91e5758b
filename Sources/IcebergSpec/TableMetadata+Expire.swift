extension TableMetadata {
    /// The metadata after expiring snapshots (Java's `RemoveSnapshots` metadata changes): the snapshots, the refs
    /// named and the statistics and partition-statistics entries of removed snapshots are dropped; the snapshot
    /// log loses every entry up to the last one whose snapshot is gone (history must not claim data existed when
    /// its snapshot cannot show it); the metadata log records the replaced file.
    package func expiring(
        snapshotIds: Set<Int64>, refs removedRefs: Set<String>, properties changed: [String: String] = [:],
        previousMetadataLocation: String, nowMs: Int64
    ) -> TableMetadata {
        var next = self
        next.snapshots.removeAll { snapshotIds.contains($0.snapshotId) }
        for name in removedRefs where name != "main" { next.refs.removeValue(forKey: name) }
        next.statistics.removeAll { snapshotIds.contains($0.snapshotId) }
        next.partitionStatistics.removeAll { snapshotIds.contains($0.snapshotId) }
        let kept = Set(next.snapshots.map(\.snapshotId))
        var log: [SnapshotLogEntry] = []
        for entry in snapshotLog {
            if !kept.contains(entry.snapshotId) { log.removeAll() } else { log.append(entry) }
        }
        next.snapshotLog = log
        next.properties.merge(changed) { _, new in new }
        next.lastUpdatedMs = max(nowMs, lastUpdatedMs)
        next.logPreviousMetadata(previousMetadataLocation, writtenMs: lastUpdatedMs)
        return next
    }
}
