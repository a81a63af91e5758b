import IcebergSpec

/// A table's automatic-tag settings, Apache Amoro's `tag.auto-create.*` (behaviour notes §1.4), with the catalog's
/// `table.` defaults under the table's own values. Not gated by `gc.enabled`, as in Amoro.
package struct AutoTagConfig: Hashable, Sendable {
    package var enabled = false
    package var period = TagPeriod.daily
    /// `tag.auto-create.trigger.offset.minutes`: a period's tag is due this long after the period ends.
    package var offsetMinutes = 0
    /// `tag.auto-create.trigger.max-delay.minutes`: a tag is skipped when the first snapshot after its trigger time
    /// came later than this; 0 or less turns the check off.
    package var maxDelayMinutes = 60
    /// `tag.auto-create.tag-format`, applied to the start of the period the tag is for.
    package var format: DateTimePattern
    /// `tag.auto-create.max-age-ms`: the tag's `max-ref-age-ms` when above 0.
    package var maxAgeMs: Int64 = -1

    package init() {
        format = period.defaultFormat
    }

    package init(tableProperties: [String: String], catalogProperties: [String: String] = [:]) throws(PropertyError) {
        self.init()
        let merged = OptimizingConfig.merge(table: tableProperties, catalog: catalogProperties)
        let reader = PropertyReader(merged)
        enabled = try reader.bool("tag.auto-create.enabled", default: enabled)
        if let text = merged["tag.auto-create.trigger.period"] {
            guard let value = TagPeriod(rawValue: text.lowercased()) else {
                throw PropertyError(key: "tag.auto-create.trigger.period", value: text, expected: "daily, hourly or monthly")
            }
            period = value
        }
        format = period.defaultFormat
        if let text = merged["tag.auto-create.tag-format"] {
            do { format = try DateTimePattern(text) } catch {
                throw PropertyError(key: "tag.auto-create.tag-format", value: text, expected: error.description)
            }
        }
        offsetMinutes = try reader.int("tag.auto-create.trigger.offset.minutes", default: offsetMinutes)
        maxDelayMinutes = try reader.int("tag.auto-create.trigger.max-delay.minutes", default: maxDelayMinutes)
        maxAgeMs = try reader.long("tag.auto-create.max-age-ms", default: maxAgeMs)
    }
}

/// The period automatic tags follow: hours, days or calendar months, in UTC.
package enum TagPeriod: String, Sendable {
    case hourly, daily, monthly

    /// Amoro's default tag name pattern for the period.
    var defaultFormat: DateTimePattern {
        // The patterns are valid.
        switch self {
        case .hourly: try! DateTimePattern("'tag-'yyyyMMddHH")
        case .daily: try! DateTimePattern("'tag-'yyyyMMdd")
        case .monthly: try! DateTimePattern("'tag-'yyyyMM")
        }
    }

    /// The start of the period holding `ms` (milliseconds since the epoch, UTC).
    package func start(of ms: Int64) -> Int64 {
        switch self {
        case .hourly: return DateTimePattern.floorDiv(ms, 3_600_000) * 3_600_000
        case .daily: return DateTimePattern.floorDiv(ms, 86_400_000) * 86_400_000
        case .monthly:
            let (year, month, _) = CivilCalendar.date(daysSinceEpoch: DateTimePattern.floorDiv(ms, 86_400_000))
            return CivilCalendar.days(year: year, month: month, day: 1) * 86_400_000
        }
    }

    /// The start of the period before the one starting at `start`.
    package func previous(_ start: Int64) -> Int64 {
        switch self {
        case .hourly: start.saturatingSubtract(3_600_000)
        case .daily: start.saturatingSubtract(86_400_000)
        case .monthly: self.start(of: start.saturatingSubtract(1))
        }
    }
}
