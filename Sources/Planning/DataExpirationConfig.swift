/// A table's data-expiration settings, Apache Amoro's `data-expire.*` (behaviour notes §1.3), with the catalog's
/// `table.` defaults under the table's own values. Expiration runs only when `data-expire.enabled` and
/// `gc.enabled` are both on, a field is named and the retention is above zero, as in Amoro.
package struct DataExpirationConfig: Hashable, Sendable {
    package enum Level: String, Sendable {
        /// A partition's files go only when every data file of the partition has expired.
        case partition
        /// Each expired data file goes on its own.
        case file
    }

    package enum BaseRule: String, Sendable {
        /// The time of the table's last data commit (`DataExpiration.lastCommitTime`).
        case lastCommitTime = "LAST_COMMIT_TIME"
        /// The wall clock.
        case currentTime = "CURRENT_TIME"
    }

    package enum NumberFormat: String, Sendable {
        case milliseconds = "TIMESTAMP_MS"
        case seconds = "TIMESTAMP_S"
    }

    package var enabled = false
    package var gcEnabled = true
    package var level = Level.partition
    /// `data-expire.field`: a top-level or nested (dotted) column name.
    package var field: String?
    /// `data-expire.datetime-string-pattern`, for string fields (default `yyyy-MM-dd`).
    package var stringPattern: DateTimePattern
    /// `data-expire.datetime-number-format`, for long fields.
    package var numberFormat = NumberFormat.milliseconds
    /// `data-expire.retention-time`; a bare number means milliseconds. 0 when unset.
    package var retentionMs: Int64 = 0
    package var baseRule = BaseRule.lastCommitTime

    /// Whether a run expires anything at all (Amoro's `isValidDataExpirationField` without the type check, which
    /// needs the schema).
    package var expires: Bool { enabled && gcEnabled && field != nil && retentionMs > 0 }

    package init() {
        // The default pattern is valid.
        stringPattern = try! DateTimePattern("yyyy-MM-dd")
    }

    package init(tableProperties: [String: String], catalogProperties: [String: String] = [:]) throws(PropertyError) {
        self.init()
        let merged = OptimizingConfig.merge(table: tableProperties, catalog: catalogProperties)
        let reader = PropertyReader(merged)
        enabled = try reader.bool("data-expire.enabled", default: enabled)
        gcEnabled = try reader.bool("gc.enabled", default: gcEnabled)
        if let text = merged["data-expire.level"] {
            guard let value = Level(rawValue: text.lowercased()) else {
                throw PropertyError(key: "data-expire.level", value: text, expected: "partition or file")
            }
            level = value
        }
        field = merged["data-expire.field"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = merged["data-expire.datetime-string-pattern"] {
            do { stringPattern = try DateTimePattern(text) } catch {
                throw PropertyError(key: "data-expire.datetime-string-pattern", value: text, expected: error.description)
            }
        }
        if let text = merged["data-expire.datetime-number-format"] {
            guard let value = NumberFormat(rawValue: text.uppercased()) else {
                throw PropertyError(key: "data-expire.datetime-number-format", value: text, expected: "TIMESTAMP_MS or TIMESTAMP_S")
            }
            numberFormat = value
        }
        retentionMs = try reader.durationMs("data-expire.retention-time", default: 0, bareUnitMs: 1)
        if let text = merged["data-expire.base-on-rule"] {
            guard let value = BaseRule(rawValue: text.uppercased()) else {
                throw PropertyError(key: "data-expire.base-on-rule", value: text, expected: "LAST_COMMIT_TIME or CURRENT_TIME")
            }
            baseRule = value
        }
    }
}
