import IcebergSpec

/// Which tags Apache Amoro's automatic tagging creates (behaviour notes §4.6), in UTC.
///
/// At a check time `now`, the latest finished period is the one before the period holding `now − offset`; its
/// tag is due at its end plus the offset (the trigger time), is named by the tag format applied to the period's
/// start, and points at the first snapshot (in the table's snapshot order) committed at or after the trigger
/// time: the table as it stood when the period closed. The tag is skipped when no such snapshot exists yet, or
/// when it came more than `max-delay` minutes after the trigger; a tag that exists is never moved.
///
/// Amoro checks every minute, so every period gets its check. A cron job may miss some: amoro also looks at
/// earlier periods, back to the newest one whose tag exists (at most `catchUp` periods), and decides each of them
/// by the same rule. A table new to automatic tags (no tag within `catchUp` periods) starts with the latest
/// period, as Amoro would. An earlier period is decided only where the history around its trigger time is
/// complete: the chosen snapshot's parent must be the snapshot listed before it, otherwise expiry may have
/// removed the snapshot Amoro would have chosen, and the period is skipped.
package struct AutoTags: Sendable {
    /// One period's tag and what becomes of it.
    package struct Decision: Sendable, Equatable {
        package enum Action: String, Sendable {
            /// Created by this run (or, for a dry run, would be).
            case create
            /// A tag of this name exists; it is left as it is.
            case exists
            case skip
        }

        package var name: String
        /// The start of the period the tag is for, and the time its tag became due.
        package var periodStartMs: Int64
        package var triggerMs: Int64
        package var action: Action
        package var snapshotId: Int64?
        package var snapshotMs: Int64?
        package var reason: String

        package init(name: String, periodStartMs: Int64, triggerMs: Int64, action: Action, snapshotId: Int64?, snapshotMs: Int64?,
            reason: String)
        {
            self.name = name
            self.periodStartMs = periodStartMs
            self.triggerMs = triggerMs
            self.action = action
            self.snapshotId = snapshotId
            self.snapshotMs = snapshotMs
            self.reason = reason
        }
    }

    package let config: AutoTagConfig
    package let nowMs: Int64
    /// Earlier periods looked at besides the latest.
    package let catchUp: Int

    package init(config: AutoTagConfig, nowMs: Int64, catchUp: Int = 24) {
        self.config = config
        self.nowMs = nowMs
        self.catchUp = max(0, catchUp)
    }

    /// The decisions for `metadata`'s latest finished period and, where a run was missed, earlier ones; oldest first.
    package func decide(_ metadata: TableMetadata) -> [Decision] {
        let offsetMs = Int64(config.offsetMinutes).saturatingMultiply(60_000)
        // The period holding now − offset; the tag is for the one before it.
        var dueStart = config.period.start(of: nowMs.saturatingSubtract(offsetMs))
        var periods: [(start: Int64, trigger: Int64, name: String)] = []
        for index in 0...catchUp {
            let start = config.period.previous(dueStart)
            let name = config.format.format(epochMs: start)
            let trigger = dueStart.saturatingAdd(offsetMs)
            if index > 0 && metadata.refs[name]?.kind == .tag { break }
            periods.append((start, trigger, name))
            dueStart = start
        }
        // Without an existing tag to catch up to, only the latest period counts (Amoro's single check).
        if periods.count == catchUp + 1 && catchUp > 0 { periods = [periods[0]] }
        return periods.reversed().enumerated().map { index, period in
            decide(period.name, periodStartMs: period.start, triggerMs: period.trigger, metadata: metadata,
                latest: index == periods.count - 1)
        }
    }

    private func decide(_ name: String, periodStartMs: Int64, triggerMs: Int64, metadata: TableMetadata, latest: Bool) -> Decision {
        var decision = Decision(name: name, periodStartMs: periodStartMs, triggerMs: triggerMs, action: .skip, snapshotId: nil,
            snapshotMs: nil, reason: "")
        if let existing = metadata.refs[name] {
            if existing.kind == .tag {
                decision.action = .exists
                decision.snapshotId = existing.snapshotId
                decision.snapshotMs = metadata.snapshot(id: existing.snapshotId)?.timestampMs
                decision.reason = "the tag exists"
            } else {
                decision.reason = "a branch has this name"
            }
            return decision
        }
        guard let position = metadata.snapshots.firstIndex(where: { $0.timestampMs >= triggerMs }) else {
            decision.reason = "no snapshot committed at or after the trigger time yet"
            return decision
        }
        let snapshot = metadata.snapshots[position]
        decision.snapshotId = snapshot.snapshotId
        decision.snapshotMs = snapshot.timestampMs
        let delayMs = snapshot.timestampMs.saturatingSubtract(triggerMs)
        if config.maxDelayMinutes > 0 && delayMs > Int64(config.maxDelayMinutes) * 60_000 {
            decision.reason = "the first snapshot after the trigger time came \(delayMs / 60_000) minutes late "
                + "(tag.auto-create.trigger.max-delay.minutes=\(config.maxDelayMinutes))"
            return decision
        }
        if !latest {
            let before = position > 0 ? metadata.snapshots[position - 1].snapshotId : nil
            guard snapshot.parentSnapshotId == before else {
                decision.reason = "the history before the trigger time has expired: the snapshot Amoro would pick may be gone"
                return decision
            }
        }
        decision.action = .create
        decision.reason = "the first snapshot at or after the trigger time"
        return decision
    }

    /// The ref a created tag gets.
    package func ref(for decision: Decision) -> SnapshotRef? {
        guard decision.action == .create, let id = decision.snapshotId else { return nil }
        return SnapshotRef(snapshotId: id, kind: .tag, maxRefAgeMs: config.maxAgeMs > 0 ? config.maxAgeMs : nil)
    }
}
