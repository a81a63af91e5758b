import IcebergSpec

/// When each optimizing level last ran, read from the table itself: amoro has no service database, so its
/// commits record the level and the plan time in the snapshot summary.
///
/// Summary keys (written by `amoro compact`): `snapshot.producer=OPTIMIZE` (as Apache Amoro writes it),
/// `amoro.optimizing.level` (minor, major or full) and `amoro.optimizing.plan-time-ms`. A `replace` snapshot with
/// `snapshot.producer=OPTIMIZE` but no level was committed by Apache Amoro, which does not record one: it counts
/// as a minor run at the snapshot's time. A table never optimized has no times ("never"). Snapshots removed by
/// expiry take their times with them, so an interval counts from the oldest record still in the table.
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

    package func last(_ level: OptimizingLevel) -> Int64? {
        switch level {
        case .minor: lastMinorMs
        case .major: lastMajorMs
        case .full: lastFullMs
        }
    }
}
