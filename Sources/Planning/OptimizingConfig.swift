/// A table's self-optimizing settings, read from its properties with Apache Amoro's keys, meanings and defaults
/// (Amoro 0.9), so a table moves between Amoro and amoro without changing behaviour.
///
/// Catalog-level defaults are catalog properties prefixed `table.`; table properties win over them, and when the
/// table disables optimizing, catalog `self-optimizing.*` defaults are dropped, as Amoro merges them.
package struct OptimizingConfig: Hashable, Sendable {
    package var enabled = true
    package var group = "default"
    package var quota = 0.5
    package var executeRetries = 5
    package var targetSize: Int64 = 134_217_728
    package var maxTaskSizeBytes: Int64 = 134_217_728
    package var fragmentRatio: Int64 = 8
    package var minTargetSizeRatio = 0.75
    package var minorTriggerFileCount = 12
    package var minorTriggerIntervalMs: Int64 = 3_600_000
    package var majorTriggerDuplicateRatio = 0.1
    package var fullTriggerIntervalMs: Int64 = -1
    package var fullRewriteAllFiles = true
    /// A WHERE-style predicate selecting the files to optimize (parsed by the planner).
    package var filter: String?
    package var minPlanIntervalMs: Int64 = 60_000
    package var allowPartialCommit = false
    /// Compact eligible tasks by copying their Parquet row groups as stored (`RowGroupMerge` in Execution).
    package var rowGroupMergeEnabled = false
    /// Row-group merge is skipped for a task whose input row groups average fewer bytes than this.
    package var rowGroupMergeMinAverageBytes: Int64 = 8_388_608
    /// Iceberg's `read.split.open-file-cost`: used only in partition cost estimates.
    package var openFileCost: Int64 = 4_194_304

    /// Files at most this large are fragments: target-size ÷ fragment-ratio (integer division).
    package var fragmentSize: Int64 { targetSize / fragmentRatio }
    /// Segments at most this large are undersized: floor(target-size × min-target-size-ratio).
    package var minTargetSize: Int64 { Int64((Double(targetSize) * minTargetSizeRatio).rounded(.down)) }
    /// Bin capacity when packing files into tasks.
    package var taskCapacity: Int64 { max(targetSize, maxTaskSizeBytes) }

    package init() {}

    /// Reads the settings; an unparsable or out-of-range value is an error naming the key.
    package init(tableProperties: [String: String], catalogProperties: [String: String] = [:]) throws(PropertyError) {
        let properties = Self.merge(table: tableProperties, catalog: catalogProperties)
        let reader = PropertyReader(properties)
        enabled = try reader.bool("self-optimizing.enabled", default: enabled)
        group = properties["self-optimizing.group"] ?? group
        quota = try reader.double("self-optimizing.quota", default: quota, range: 0...)
        executeRetries = try reader.int("self-optimizing.execute.num-retries", default: executeRetries, range: 0...)
        targetSize = try reader.long("self-optimizing.target-size", default: targetSize, range: 1...)
        maxTaskSizeBytes = try reader.long("self-optimizing.max-task-size-bytes", default: maxTaskSizeBytes, range: 1...)
        fragmentRatio = try reader.long("self-optimizing.fragment-ratio", default: fragmentRatio, range: 1...)
        minTargetSizeRatio = try reader.double("self-optimizing.min-target-size-ratio", default: minTargetSizeRatio, range: 0...1)
        minorTriggerFileCount = try reader.int("self-optimizing.minor.trigger.file-count", default: minorTriggerFileCount, range: 0...)
        minorTriggerIntervalMs = try reader.long("self-optimizing.minor.trigger.interval", default: minorTriggerIntervalMs)
        majorTriggerDuplicateRatio = try reader.double(
            "self-optimizing.major.trigger.duplicate-ratio", default: majorTriggerDuplicateRatio, range: 0...)
        fullTriggerIntervalMs = try reader.long("self-optimizing.full.trigger.interval", default: fullTriggerIntervalMs)
        fullRewriteAllFiles = try reader.bool("self-optimizing.full.rewrite-all-files", default: fullRewriteAllFiles)
        filter = properties["self-optimizing.filter"].flatMap { $0.isEmpty ? nil : $0 }
        minPlanIntervalMs = try reader.long("self-optimizing.min-plan-interval", default: minPlanIntervalMs)
        allowPartialCommit = try reader.bool("self-optimizing.allow-partial-commit", default: allowPartialCommit)
        rowGroupMergeEnabled = try reader.bool(
            "self-optimizing.rewrite.use-parquet-row-group-merge.enabled", default: rowGroupMergeEnabled)
        rowGroupMergeMinAverageBytes = try reader.long(
            "self-optimizing.rewrite.use-parquet-row-group-merge.min-avg-row-group-size-bytes",
            default: rowGroupMergeMinAverageBytes, range: 0...)
        openFileCost = try reader.long("read.split.open-file-cost", default: openFileCost, range: 0...)
    }

    /// Catalog `table.`-prefixed defaults under the table's own properties (Amoro's
    /// `mergeCatalogPropertiesToTable`).
    static func merge(table: [String: String], catalog: [String: String]) -> [String: String] {
        var merged: [String: String] = [:]
        let tableDisables = table["self-optimizing.enabled"].map { $0.lowercased() == "false" } ?? false
        for (key, value) in catalog where key.hasPrefix("table.") {
            let stripped = String(key.dropFirst("table.".count))
            if tableDisables && stripped.hasPrefix("self-optimizing.") { continue }
            merged[stripped] = value
        }
        merged.merge(table) { _, tableValue in tableValue }
        return merged
    }
}

/// A table property whose value cannot be used.
package struct PropertyError: Error, Equatable, Sendable, CustomStringConvertible {
    package let key: String
    package let value: String
    package let expected: String

    package var description: String { "table property \(key)=\(value) is invalid: expected \(expected)" }
}

/// Typed property lookups with Iceberg's lenient parsing (case-insensitive booleans, surrounding spaces).
struct PropertyReader {
    let properties: [String: String]

    init(_ properties: [String: String]) { self.properties = properties }

    private func raw(_ key: String) -> String? {
        properties[key].map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
    }

    func bool(_ key: String, default value: Bool) throws(PropertyError) -> Bool {
        guard let text = raw(key) else { return value }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw PropertyError(key: key, value: text, expected: "true or false")
        }
    }

    func long(_ key: String, default value: Int64, range: PartialRangeFrom<Int64>? = nil) throws(PropertyError) -> Int64 {
        guard let text = raw(key) else { return value }
        guard let number = Int64(text), range.map({ $0.contains(number) }) ?? true else {
            throw PropertyError(key: key, value: text, expected: range.map { "an integer ≥ \($0.lowerBound)" } ?? "an integer")
        }
        return number
    }

    func int(_ key: String, default value: Int, range: PartialRangeFrom<Int>? = nil) throws(PropertyError) -> Int {
        guard let text = raw(key) else { return value }
        guard let number = Int32(text).map(Int.init), range.map({ $0.contains(number) }) ?? true else {
            throw PropertyError(key: key, value: text, expected: range.map { "an integer ≥ \($0.lowerBound)" } ?? "an integer")
        }
        return number
    }

    func double(_ key: String, default value: Double, range: PartialRangeFrom<Double>) throws(PropertyError) -> Double {
        guard let text = raw(key) else { return value }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            throw PropertyError(key: key, value: text, expected: "a number ≥ \(range.lowerBound)")
        }
        return number
    }

    func double(_ key: String, default value: Double, range: ClosedRange<Double>) throws(PropertyError) -> Double {
        guard let text = raw(key) else { return value }
        guard let number = Double(text), range.contains(number) else {
            throw PropertyError(key: key, value: text, expected: "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// A duration such as `720min`, `12h`, `7d`, `30s`, `500ms`; a bare number is in `bareUnitMs` milliseconds.
    func durationMs(_ key: String, default value: Int64, bareUnitMs: Int64) throws(PropertyError) -> Int64 {
        guard let text = raw(key) else { return value }
        guard let parsed = DurationText.milliseconds(text, bareUnitMs: bareUnitMs) else {
            throw PropertyError(key: key, value: text, expected: "a duration such as 720min, 12h or 7d")
        }
        return parsed
    }
}

/// Duration strings as Amoro's configuration helpers accept them.
package enum DurationText {
    static let units: [(names: [String], ms: Int64)] = [
        (["d", "day", "days"], 86_400_000), (["h", "hour", "hours"], 3_600_000),
        (["min", "m", "minute", "minutes"], 60_000), (["s", "sec", "secs", "second", "seconds"], 1000),
        (["ms", "milli", "millis", "millisecond", "milliseconds"], 1),
    ]

    package static func milliseconds(_ text: String, bareUnitMs: Int64) -> Int64? {
        let trimmed = text.lowercased().filter { $0 != " " }
        let digits = trimmed.prefix { $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let unit = String(trimmed.dropFirst(digits.count))
        if unit.isEmpty { return number.multipliedReportingOverflow(by: bareUnitMs).overflow ? nil : number * bareUnitMs }
        guard let scale = units.first(where: { $0.names.contains(unit) })?.ms else { return nil }
        let (result, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : result
    }
}
