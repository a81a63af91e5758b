import IcebergSpec

/// Which snapshots and refs expiry removes, and why (Iceberg's `RemoveSnapshots` rules with Amoro's protections).
///
/// Refs: `main` always stays; another ref is removed when its snapshot is older than its `max-ref-age-ms` (or the
/// policy's default). Each retained branch keeps its newest `min-snapshots-to-keep` ancestors and every ancestor
/// younger than its `max-snapshot-age-ms` (ref settings winning over the policy); a retained tag keeps its
/// snapshot. A snapshot on no retained ref's history stays while it is younger than the default age.
///
/// Protections: the default cut-off is lowered to the time of the newest snapshot not written by Amoro's own
/// maintenance (`snapshot.producer` OPTIMIZE, DATA_EXPIRATION or CLEAN_DANGLING_DELETE), so the last user commit
/// is never expired, and to the time of the newest Flink checkpoint snapshot while it is younger than the Flink
/// retention. Snapshots in `keep` (pending plans) always stay, with everything younger than them.
package struct SnapshotExpiry: Hashable, Sendable {
    /// Why a snapshot is removed.
    package enum Reason: String, Sendable {
        /// Older than the cut-off of the branch whose history holds it, beyond its minimum count.
        case age
        /// On no retained ref's history and older than the default cut-off.
        case unreferenced
        /// Only refs that expired reached it.
        case refExpired = "ref-expired"
        /// Named on the command line.
        case explicit
    }

    package struct RemovedSnapshot: Hashable, Sendable {
        package var snapshotId: Int64
        package var timestampMs: Int64
        package var reason: Reason
    }

    package struct RemovedRef: Hashable, Sendable {
        package var name: String
        package var kind: SnapshotRef.Kind
        package var snapshotId: Int64
        /// The age limit it passed (nil when its snapshot no longer exists).
        package var maxRefAgeMs: Int64?
    }

    package var snapshots: [RemovedSnapshot]
    package var refs: [RemovedRef]
    /// The default cut-off after the protections (for reports).
    package var cutoffMs: Int64
    /// The retention applied (nil for an explicit expiry): audits record it, so that a replay judges by it.
    package var policy: RetentionPolicy?

    package var snapshotIds: Set<Int64> { Set(snapshots.map(\.snapshotId)) }
    package var isEmpty: Bool { snapshots.isEmpty && refs.isEmpty }

    /// Producers of maintenance commits, which change no row the user wrote and which the newest-user-snapshot
    /// protection looks past: Amoro's (OPTIMIZE, DATA_EXPIRATION, CLEAN_DANGLING_DELETE) and amoro's own
    /// `rewrite-deletes` and `rewrite-manifests`, so that data expiration's `LAST_COMMIT_TIME` reference is the
    /// snapshot this protection keeps.
    package static let maintenanceProducers: Set<String> = [
        "OPTIMIZE", "DATA_EXPIRATION", "CLEAN_DANGLING_DELETE", "REWRITE_DELETES", "REWRITE_MANIFESTS",
    ]
    static let flinkCheckpointKey = "flink.max-committed-checkpoint-id"

    /// Expiry by retention.
    package init(metadata: TableMetadata, policy: RetentionPolicy, keep: Set<Int64>, nowMs: Int64) {
        let byId = Dictionary(metadata.snapshots.map { ($0.snapshotId, $0) }, uniquingKeysWith: { first, _ in first })
        // A kept snapshot holds everything after it too: a plan made on it commits only while the chain from it
        // to the branch head is whole (Amoro lowers the cut-off to the running plan's snapshot the same way).
        let keptFloor = keep.compactMap { byId[$0]?.timestampMs }.min() ?? .max
        let cutoff = min(Self.protectedCutoff(metadata.snapshots, policy: policy, nowMs: nowMs), keptFloor)
        var retainedRefs: [(String, SnapshotRef)] = []
        var removedRefs: [RemovedRef] = []
        for (name, ref) in metadata.refs.sorted(by: { $0.key < $1.key }) {
            let maxAge = ref.maxRefAgeMs ?? policy.maxRefAgeMs
            if let snapshot = byId[ref.snapshotId] {
                if name == "main" || nowMs.saturatingSubtract(snapshot.timestampMs) <= maxAge {
                    retainedRefs.append((name, ref))
                } else {
                    removedRefs.append(RemovedRef(name: name, kind: ref.kind, snapshotId: ref.snapshotId, maxRefAgeMs: maxAge))
                }
            } else if name != "main" {
                removedRefs.append(RemovedRef(name: name, kind: ref.kind, snapshotId: ref.snapshotId, maxRefAgeMs: nil))
            }
        }
        func ancestors(of id: Int64) -> [Snapshot] {
            var chain: [Snapshot] = []
            var next: Int64? = id
            var visited = Set<Int64>()
            while let current = next, let snapshot = byId[current], visited.insert(current).inserted {
                chain.append(snapshot)
                next = snapshot.parentSnapshotId
            }
            return chain
        }
        var retained = keep
        if let newestUser = Self.newestUserSnapshot(metadata.snapshots) { retained.insert(newestUser.snapshotId) }
        var onRetainedHistory = Set<Int64>()
        for (_, ref) in retainedRefs {
            let history = ref.kind == .branch ? ancestors(of: ref.snapshotId) : byId[ref.snapshotId].map { [$0] } ?? []
            onRetainedHistory.formUnion(history.map(\.snapshotId))
            if ref.kind == .tag {
                retained.insert(ref.snapshotId)
                continue
            }
            let branchCutoff = min(ref.maxSnapshotAgeMs.map { nowMs.saturatingSubtract($0) } ?? cutoff, keptFloor)
            let minimum = ref.minSnapshotsToKeep ?? policy.minSnapshotsToKeep
            var kept = 0
            for snapshot in history {
                guard kept < minimum || snapshot.timestampMs >= branchCutoff else { break }
                retained.insert(snapshot.snapshotId)
                kept += 1
            }
        }
        var onExpiredRefs = Set<Int64>()
        for ref in removedRefs { onExpiredRefs.formUnion(ancestors(of: ref.snapshotId).map(\.snapshotId)) }
        var removed: [RemovedSnapshot] = []
        for snapshot in metadata.snapshots where !retained.contains(snapshot.snapshotId) {
            let reason: Reason
            if onRetainedHistory.contains(snapshot.snapshotId) {
                reason = .age
            } else if snapshot.timestampMs >= cutoff {
                continue
            } else {
                reason = onExpiredRefs.contains(snapshot.snapshotId) ? .refExpired : .unreferenced
            }
            removed.append(RemovedSnapshot(snapshotId: snapshot.snapshotId, timestampMs: snapshot.timestampMs, reason: reason))
        }
        self.init(snapshots: removed, refs: removedRefs, cutoffMs: cutoff)
        self.policy = policy
    }

    /// Expiry of exactly the snapshots named; refused for one that does not exist, that a ref points at, or
    /// that `keep` protects.
    package init(metadata: TableMetadata, explicit ids: [Int64], keep: Set<Int64>) throws(ExpiryRefusal) {
        var removed: [RemovedSnapshot] = []
        for id in Set(ids).sorted() {
            guard let snapshot = metadata.snapshot(id: id) else { throw ExpiryRefusal("snapshot \(id) does not exist") }
            if let (name, _) = metadata.refs.sorted(by: { $0.key < $1.key }).first(where: { $0.value.snapshotId == id }) {
                throw ExpiryRefusal("snapshot \(id) is the head of ref '\(name)'")
            }
            if keep.contains(id) { throw ExpiryRefusal("snapshot \(id) is protected (--keep-snapshot or --keep-plans)") }
            removed.append(RemovedSnapshot(snapshotId: id, timestampMs: snapshot.timestampMs, reason: .explicit))
        }
        self.init(snapshots: removed, refs: [], cutoffMs: 0)
    }

    package init(snapshots: [RemovedSnapshot], refs: [RemovedRef], cutoffMs: Int64) {
        self.snapshots = snapshots
        self.refs = refs
        self.cutoffMs = cutoffMs
    }

    /// This expiry cut down to what an earlier audit listed.
    package func limited(toSnapshots ids: Set<Int64>, refs names: Set<String>) -> SnapshotExpiry {
        var limited = self
        limited.snapshots = snapshots.filter { ids.contains($0.snapshotId) }
        limited.refs = refs.filter { names.contains($0.name) }
        return limited
    }

    /// The newest snapshot not committed by Amoro's own maintenance.
    static func newestUserSnapshot(_ snapshots: [Snapshot]) -> Snapshot? {
        snapshots.filter { !maintenanceProducers.contains($0.summary["snapshot.producer"] ?? "") }
            .max { $0.timestampMs < $1.timestampMs }
    }

    /// The policy's cut-off, lowered by Amoro's protections (§4.2 of the behaviour notes).
    static func protectedCutoff(_ snapshots: [Snapshot], policy: RetentionPolicy, nowMs: Int64) -> Int64 {
        var cutoff = policy.expireOlderThanMs
        if let newestUser = newestUserSnapshot(snapshots) { cutoff = min(cutoff, newestUser.timestampMs) }
        if let flink = snapshots.filter({ $0.summary[flinkCheckpointKey] != nil }).map(\.timestampMs).max(),
            nowMs.saturatingSubtract(flink) < policy.flinkCheckpointRetentionMs
        {
            cutoff = min(cutoff, flink)
        }
        return cutoff
    }
}

/// Why an explicit expiry request was refused.
package struct ExpiryRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
