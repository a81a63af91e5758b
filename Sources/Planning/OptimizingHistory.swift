import IcebergSpec

/// When each optimizing level last ran, read from the table itself: amoro has no service database, so its
/// commits record the level and the plan time in the snapshot summary.
///
/// Summary keys (written by `amoro compact`): `snapshot.producer=OPTIMIZE` (as Apache Amoro writes it),
/// `amoro.optimizing.level` (minor, major or full) and `amoro.optimizing.plan-time-ms`. A `replace` snapshot with
/// `snapshot.producer=OPTIMIZE` but no level was committed by Apache Amoro, which does not record one: it counts
/// as a minor run at the snapshot's time. A table never optimized has no times ("never"). When `amoro
/// expire-snapshots` removes the newest optimizing snapshot of a level, it records that level's time in the table
/// property `amoro.optimizing.last-<level>-ms`, which is read as a fallback, so expiry never resets an interval.
package struct OptimizingHistory: Sendable, Equatable {
    package static let producerKey = "snapshot.producer"
    package static let producerValue = "OPTIMIZE"
    package static let levelKey = "amoro.optimizing.level"
    package static let planTimeKey = "amoro.optimizing.plan-time-ms"

    package var lastMinorMs: Int64?
    package var lastMajorMs: Int64?
    package var lastFullMs: Int64?

    package init(lastMinorMs: Int64? = nil, lastMajorMs: Int64? = nil, lastFullMs: Int64? = nil) {
        self.lastMinorMs = lastMinorMs
        self.lastMajorMs = lastMajorMs
        self.lastFullMs = lastFullMs
    }

    package init(snapshots: [Snapshot]) {
        self.init()
        for snapshot in snapshots where snapshot.summary.operation == .replace
            && snapshot.summary[Self.producerKey] == Self.producerValue
        {
            let time = snapshot.summary[Self.planTimeKey].flatMap { Int64($0) } ?? snapshot.timestampMs
            switch snapshot.summary[Self.levelKey].flatMap(OptimizingLevel.init(rawValue:)) ?? .minor {
            case .minor: lastMinorMs = max(lastMinorMs ?? time, time)
            case .major: lastMajorMs = max(lastMajorMs ?? time, time)
            case .full: lastFullMs = max(lastFullMs ?? time, time)
            }
        }
    }

    /// The times in the snapshots, or in the table properties expiry left where those are later.
    package init(snapshots: [Snapshot], properties: [String: String]) {
        self.init(snapshots: snapshots)
        for level in OptimizingLevel.allCases {
            guard let recorded = properties[Self.propertyKey(level)].flatMap({ Int64($0) }) else { continue }
            set(level, max(last(level) ?? recorded, recorded))
        }
    }

    /// The table property that keeps a level's last time once its snapshots are expired.
    package static func propertyKey(_ level: OptimizingLevel) -> String { "amoro.optimizing.last-\(level.rawValue)-ms" }

    /// The properties an expiry that keeps only `retained` must set so that no level's last time goes back.
    package static func propertiesPreserving(
        before snapshots: [Snapshot], retained: [Snapshot], properties: [String: String]
    ) -> [String: String] {
        let before = OptimizingHistory(snapshots: snapshots, properties: properties)
        let after = OptimizingHistory(snapshots: retained, properties: properties)
        var changed: [String: String] = [:]
        for level in OptimizingLevel.allCases {
            if let time = before.last(level), after.last(level) != time { changed[propertyKey(level)] = String(time) }
        }
        return changed
    }

    private mutating func set(_ level: OptimizingLevel, _ time: Int64) {
        switch level {
        case .minor: lastMinorMs = time
        case .major: lastMajorMs = time
        case .full: lastFullMs = time
        }
    }

    package func last(_ level: OptimizingLevel) -> Int64? {
        switch level {
        case .minor: lastMinorMs
        case .major: lastMajorMs
        case .full: lastFullMs
        }
    }
}
