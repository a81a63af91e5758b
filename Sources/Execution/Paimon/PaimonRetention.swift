import IcebergSpec
import Paimon

/// The retention one Paimon expiry run applies (Paimon's `ExpireConfig`) and the ranges it picks.
///
/// Snapshots: `snapshot.num-retained.min` (or `--retain-last`), `snapshot.num-retained.max`,
/// `snapshot.time-retained` (or `--older-than`), `snapshot.expire.limit`. Changelogs: `changelog.num-retained.*`
/// and `changelog.time-retained`, each unset one following the snapshot's value in effect, and the same limit.
/// Changelogs are decoupled when any of their bounds keeps more than the snapshot's.
package struct PaimonRetention: Sendable, Equatable {
    package var snapshotMin: Int
    package var snapshotMax: Int
    /// Snapshots younger than this stay.
    package var snapshotCutoffMs: Int64
    package var changelogMin: Int
    package var changelogMax: Int
    package var changelogCutoffMs: Int64
    package var expireLimit: Int
    /// `consumer.changelog-only`: consumers then hold changelogs only.
    package var consumerChangelogOnly: Bool

    package init(_ settings: PaimonOptions, retainLast: Int?, olderThanMs: Int64?, nowMs: Int64) {
        snapshotMin = retainLast ?? settings.snapshotNumRetainedMin
        // A `--retain-last` above `snapshot.num-retained.max` raises the maximum with it.
        snapshotMax = max(settings.snapshotNumRetainedMax, snapshotMin)
        snapshotCutoffMs = olderThanMs ?? nowMs.saturatingSubtract(settings.snapshotTimeRetainedMs)
        changelogMin = settings.changelogNumRetainedMin ?? snapshotMin
        changelogMax = max(settings.changelogNumRetainedMax ?? snapshotMax, changelogMin)
        changelogCutoffMs = settings.changelogTimeRetainedMs.map { nowMs.saturatingSubtract($0) } ?? snapshotCutoffMs
        expireLimit = settings.snapshotExpireLimit
        consumerChangelogOnly = settings.consumerChangelogOnly
    }

    /// Whether expired snapshots leave their changelog behind in `changelog/`.
    package var decoupled: Bool {
        changelogMax > snapshotMax || changelogMin > snapshotMin || changelogCutoffMs < snapshotCutoffMs
    }

    /// The first snapshot that stays (`ExpireSnapshotsImpl.expire`): snapshots from the earliest up to it go. The
    /// newest `snapshotMin` stay, at most `snapshotMax` are kept, none a consumer reads next (unless consumers hold
    /// changelogs only), at most `expireLimit` go, and a snapshot goes only if the one after it is older than the
    /// cut-off. `ids` are the snapshots present, ascending; `time` gives one's commit time.
    package func snapshotEnd(ids: [Int64], consumerMin: Int64?, time: (Int64) async throws(PaimonError) -> Int64)
        async throws(PaimonError) -> Int64
    {
        guard let earliest = ids.first, let latest = ids.last else { return 0 }
        let lowest = max(latest.saturatingSubtract(Int64(snapshotMax)).saturatingAdd(1), earliest)
        var maxExclusive = latest.saturatingSubtract(Int64(snapshotMin)).saturatingAdd(1)
        if !(consumerChangelogOnly && decoupled), let consumerMin { maxExclusive = min(maxExclusive, consumerMin) }
        maxExclusive = min(maxExclusive, earliest.saturatingAdd(Int64(expireLimit)))
        // Paimon walks the ids from `lowest` and stops at the first whose successor is young; absent ids are
        // skipped, so only the present successors need looking at.
        for next in ids where next > lowest && next <= maxExclusive {
            if snapshotCutoffMs <= (try await time(next)) { return next - 1 }
        }
        return maxExclusive
    }

    /// The first long-lived changelog that stays (`ExpireChangelogImpl.expire`), counted against the snapshot ids:
    /// the changelog bounds as for snapshots, a changelog goes only if it is itself older than the cut-off, and the
    /// latest changelog always stays. `ids` are the changelogs present (or about to be), ascending.
    package func changelogEnd(ids: [Int64], latestSnapshot: Int64, consumerMin: Int64?,
        time: (Int64) async throws(PaimonError) -> Int64) async throws(PaimonError) -> Int64
    {
        guard let earliest = ids.first, let latest = ids.last else { return 0 }
        let lowest = max(latestSnapshot.saturatingSubtract(Int64(changelogMax)).saturatingAdd(1), earliest)
        var maxExclusive = latestSnapshot.saturatingSubtract(Int64(changelogMin)).saturatingAdd(1)
        if let consumerMin { maxExclusive = min(maxExclusive, consumerMin) }
        maxExclusive = min(maxExclusive, earliest.saturatingAdd(Int64(expireLimit)), latest)
        guard maxExclusive > earliest else { return earliest }
        for id in ids where id >= lowest && id <= maxExclusive {
            if changelogCutoffMs <= (try await time(id)) { return id }
        }
        return maxExclusive
    }
}
