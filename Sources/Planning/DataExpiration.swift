import IcebergSpec

/// Which data files Apache Amoro's data expiration removes (behaviour notes §4.5), decided from metadata alone and
/// only where metadata proves it: a file goes when the largest value of the expiration field it can hold is at
/// or before the cut-off (base time − `data-expire.retention-time`), at level `file` on its own, at level
/// `partition` only with every other data file of its partition.
///
/// The largest value comes from the file's upper bound for the field or, without one, from its partition value
/// when the partition transform of the field bounds it (identity, year, month, day, hour). Where Amoro's rules
/// could remove a row that has not expired, amoro keeps the file instead and says why:
/// - a file holding rows without a value in the field (or without a null count for an optional field) is kept:
///   a missing time is not an old one (Amoro deletes them with the file);
/// - a string field decides only when its pattern sorts as time (fixed-width fields, most significant first) and
///   both bounds parse completely with it, so a truncated or foreign bound keeps the file;
/// - every time is UTC: timestamps without zone, longs and dates as the spec stores them, and strings are read as
///   UTC times (Amoro reads them in the server's zone, #3617);
/// - the base time `LAST_COMMIT_TIME` is the newest data commit on the main branch, never a commit of amoro's or
///   Amoro's own maintenance (Amoro once took its own snapshot, #2555); without one nothing expires.
package struct DataExpiration: Sendable {
    /// What happens to one data file, and why.
    package struct FileDecision: Sendable, Equatable {
        package var path: String
        package var partition: PartitionKey
        /// The partition as `name=value/...`, for documents.
        package var partitionText: String
        package var records: Int64
        package var bytes: Int64
        package var verdict: Verdict
        package var reason: String

        package var expired: Bool { verdict == .expired }
    }

    /// Whether a data file goes, and if not, which kind of reason keeps it.
    package enum Verdict: String, Sendable {
        case expired
        /// It holds values after the cut-off.
        case fresh
        /// It expired, but at level `partition` its partition still holds fresh or undecided files.
        case partitionKept = "partition-kept"
        /// Its metadata does not prove that every row expired (no bounds, nulls, truncated strings, no base time).
        case undecided
        /// It expired, but the audit being replayed (`--from-audit`) does not list it, or lists another size.
        case notInAudit = "not-in-audit"
    }

    package let config: DataExpirationConfig
    /// The base time, or nil when `LAST_COMMIT_TIME` finds no data commit.
    package let baseTimeMs: Int64?
    /// Values at or before this time have expired (nil without a base time).
    package let cutoffMs: Int64?
    let fieldId: Int
    let domain: Domain

    /// The unit the field's values are compared in, with the cut-off expressed in it.
    enum Domain: Equatable {
        case micros, nanos, millis, seconds, days, text(DateTimePattern)
    }

    /// Expiration of `schema`'s field under `config`, at `nowMs`, for a table whose snapshots are `snapshots` with
    /// `currentSnapshotId` at the head of main. Throws when the field is missing or of a type Amoro does not expire by.
    package init(config: DataExpirationConfig, schema: Schema, snapshots: [Snapshot], currentSnapshotId: Int64?, nowMs: Int64)
        throws(PropertyError)
    {
        self.config = config
        let name = config.field ?? ""
        guard let found = schema.fieldsById().first(where: { $0.value.name == name }) else {
            throw PropertyError(key: "data-expire.field", value: name, expected: "a column of the table's current schema")
        }
        fieldId = found.key
        let field = found.value.field
        switch field.type {
        case .primitive(.timestamp), .primitive(.timestamptz): domain = .micros
        case .primitive(.timestampNs), .primitive(.timestamptzNs): domain = .nanos
        case .primitive(.long): domain = config.numberFormat == .seconds ? .seconds : .millis
        case .primitive(.date): domain = .days
        case .primitive(.string): domain = .text(config.stringPattern)
        default:
            throw PropertyError(key: "data-expire.field", value: name,
                expected: "a timestamp, timestamptz, long, string or date column"
                    + (field.type.isPrimitive ? "" : " (it is nested)"))
        }
        switch config.baseRule {
        case .currentTime: baseTimeMs = nowMs
        case .lastCommitTime: baseTimeMs = Self.lastCommitTime(snapshots: snapshots, currentSnapshotId: currentSnapshotId)
        }
        cutoffMs = baseTimeMs.map { $0.saturatingSubtract(config.retentionMs) }
    }


    /// `LAST_COMMIT_TIME`: the time of the newest snapshot on main's history that changed data (an append,
    /// overwrite or delete not committed by maintenance); `replace` snapshots never change data.
    package static func lastCommitTime(snapshots: [Snapshot], currentSnapshotId: Int64?) -> Int64? {
        let byId = Dictionary(snapshots.map { ($0.snapshotId, $0) }, uniquingKeysWith: { first, _ in first })
        var cursor = currentSnapshotId.flatMap { byId[$0] }
        var seen = Set<Int64>()
        while let snapshot = cursor, seen.insert(snapshot.snapshotId).inserted {
            if snapshot.summary.operation != .replace,
                !SnapshotExpiry.maintenanceProducers.contains(snapshot.summary[OptimizingHistory.producerKey] ?? "")
            {
                return snapshot.timestampMs
            }
            cursor = snapshot.parentSnapshotId.flatMap { byId[$0] }
        }
        return nil
    }

    /// The decision for every live data file of the current snapshot (`files`, each with its spec).
    package func decide(_ files: [DataFile], specs: [Int: PartitionSpec], schema: Schema) -> [FileDecision] {
        var decisions = files.map { decide($0, spec: specs[$0.specId], schema: schema) }
        guard config.level == .partition else { return decisions }
        var unexpired: [PartitionKey: String] = [:]
        for decision in decisions where !decision.expired { unexpired[decision.partition] = unexpired[decision.partition] ?? decision.path }
        for index in decisions.indices where decisions[index].expired {
            if let other = unexpired[decisions[index].partition] {
                decisions[index].verdict = .partitionKept
                decisions[index].reason = "expired, but its partition keeps unexpired data (\(other))"
            }
        }
        return decisions
    }

    private func decide(_ file: DataFile, spec: PartitionSpec?, schema: Schema) -> FileDecision {
        var decision = FileDecision(path: file.filePath, partition: PartitionKey(specId: file.specId, values: file.partition),
            partitionText: Self.partitionText(file, spec: spec, schema: schema), records: file.recordCount,
            bytes: file.fileSizeInBytes, verdict: .undecided, reason: "")
        guard let cutoffMs else {
            decision.reason = "no base time: main's history holds no data commit"
            return decision
        }
        let field = schema.field(id: fieldId)
        if let nulls = file.nullValueCounts?[fieldId] {
            if nulls > 0 {
                decision.reason = "\(nulls) rows have no \(config.field ?? "") value"
                return decision
            }
        } else if field?.isRequired != true && file.upperBounds?[fieldId] != nil {
            decision.reason = "no null count for \(config.field ?? ""): rows without a value cannot be ruled out"
            return decision
        }
        let largest: Int64
        let source: String
        if let upper = file.upperBounds?[fieldId] {
            guard let value = value(of: upper, lower: file.lowerBounds?[fieldId]) else {
                decision.reason = "its bounds for \(config.field ?? "") do not decide (" + undecidedBound() + ")"
                return decision
            }
            largest = value
            source = "upper bound"
        } else if let value = partitionUpperBound(file, spec: spec), file.nullValueCounts?[fieldId] != nil || field?.isRequired == true {
            largest = value
            source = "partition's upper bound"
        } else {
            decision.reason = "no bounds for \(config.field ?? "") and no partition value that bounds it"
            return decision
        }
        let cutoff = cutoffValue(cutoffMs)
        decision.verdict = largest <= cutoff ? .expired : .fresh
        decision.reason = decision.expired
            ? "\(source) \(describe(largest)) is at or before the cut-off \(describe(cutoff))"
            : "\(source) \(describe(largest)) is after the cut-off \(describe(cutoff))"
        return decision
    }

    private func undecidedBound() -> String {
        if case .text(let pattern) = domain {
            return pattern.sortsAsTime
                ? "a bound does not follow \(pattern.text.debugDescription) completely (truncated?)"
                : "pattern \(pattern.text.debugDescription) does not sort as time"
        }
        return "unreadable"
    }

    /// The cut-off in the field's unit: a value at or below it has expired.
    func cutoffValue(_ cutoffMs: Int64) -> Int64 {
        switch domain {
        case .micros: cutoffMs.saturatingMultiply(1000)
        case .nanos: cutoffMs.saturatingMultiply(1_000_000)
        case .millis, .text: cutoffMs
        case .seconds: DateTimePattern.floorDiv(cutoffMs, 1000)
        case .days: DateTimePattern.floorDiv(cutoffMs, 86_400_000)
        }
    }

    /// The largest value an upper bound allows, in the field's unit; nil when it does not decide.
    private func value(of upper: [UInt8], lower: [UInt8]?) -> Int64? {
        switch domain {
        case .text(let pattern):
            guard pattern.sortsAsTime, let lower, let upperText = String(validating: upper, as: UTF8.self),
                let lowerText = String(validating: lower, as: UTF8.self), pattern.parse(lowerText) != nil
            else { return nil }
            return pattern.parse(upperText)
        default:
            guard let literal = try? Literal(binary: upper, type: primitiveType) else { return nil }
            return number(literal)
        }
    }

    private var primitiveType: PrimitiveType {
        switch domain {
        case .micros: .timestamp
        case .nanos: .timestampNs
        case .millis, .seconds: .long
        case .days: .date
        case .text: .string
        }
    }

    private func number(_ literal: Literal) -> Int64? {
        switch literal {
        case .timestamp(let v), .timestamptz(let v), .timestampNs(let v), .timestamptzNs(let v), .long(let v): v
        case .date(let v): Int64(v)
        case .int(let v): Int64(v)
        default: nil
        }
    }

    /// The largest value of the field a file of this partition can hold, from a partition field over it whose
    /// transform bounds it; nil when none does.
    private func partitionUpperBound(_ file: DataFile, spec: PartitionSpec?) -> Int64? {
        guard let spec else { return nil }
        var best: Int64?
        for (index, partitionField) in spec.fields.enumerated() where partitionField.sourceId == fieldId && index < file.partition.count {
            guard let value = file.partition[index] else { continue }
            let bound: Int64?
            switch (partitionField.transform, domain) {
            case (.identity, .text(let pattern)):
                if case .string(let text) = value, pattern.sortsAsTime { bound = pattern.parse(text) } else { bound = nil }
            case (.identity, _): bound = number(value)
            case (.year, _), (.month, _), (.day, _), (.hour, _):
                guard let ordinal = number(value), let end = Self.periodEndMicros(partitionField.transform, ordinal) else { continue }
                switch domain {
                case .micros: bound = end - 1
                case .nanos: bound = end.saturatingMultiply(1000) - 1
                case .days: bound = DateTimePattern.floorDiv(end - 1, 86_400_000_000)
                default: bound = nil
                }
            default: bound = nil
            }
            if let bound { best = min(best ?? bound, bound) }
        }
        return best
    }

    /// Microseconds since the epoch at which the `transform` period numbered `ordinal` ends.
    static func periodEndMicros(_ transform: Transform, _ ordinal: Int64) -> Int64? {
        guard abs(ordinal) < 100_000_000 else { return nil }
        switch transform {
        case .hour: return (ordinal + 1) * 3_600_000_000
        case .day: return (ordinal + 1) * 86_400_000_000
        case .month:
            let next = ordinal + 1
            let year = 1970 + DateTimePattern.floorDiv(next, 12)
            let month = next - DateTimePattern.floorDiv(next, 12) * 12 + 1
            return CivilCalendar.days(year: year, month: month, day: 1) * 86_400_000_000
        case .year: return CivilCalendar.days(year: 1970 + ordinal + 1, month: 1, day: 1) * 86_400_000_000
        default: return nil
        }
    }

    private func describe(_ value: Int64) -> String {
        let ms: Int64
        switch domain {
        case .micros: ms = DateTimePattern.floorDiv(value, 1000)
        case .nanos: ms = DateTimePattern.floorDiv(value, 1_000_000)
        case .millis, .text: ms = value
        case .seconds: ms = value.saturatingMultiply(1000)
        case .days: ms = value.saturatingMultiply(86_400_000)
        }
        return Self.isoText(ms)
    }

    /// A UTC time as ISO-8601 with milliseconds, for documents and reasons.
    package static func isoText(_ ms: Int64) -> String {
        // The pattern is valid.
        let iso = try! DateTimePattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        return iso.format(epochMs: ms)
    }

    /// The partition path of a file (`unpartitioned` without fields).
    static func partitionText(_ file: DataFile, spec: PartitionSpec?, schema: Schema) -> String {
        guard let spec, !spec.isUnpartitioned else { return "unpartitioned" }
        return spec.path(for: file.partition)
    }
}
