import Paimon
import Parquet

/// `partial-update` with sequence groups, per-field aggregates or `partial-update.remove-record-on-delete`, as
/// Paimon 1.1 to 2.0's `PartialUpdateMergeFunction` merges the value rows of a key (`add` them in merge order, then
/// take the `result`):
///
/// - an insert updates each group whose sequence fields are not all null and compare at least the row's (its
///   sequence fields together, its fields by value or by their aggregate), folds older-sequence values into the
///   aggregates reversed (`aggReversed`: `agg(input, accumulator)`), and overwrites fields outside groups with its
///   non-null values (or folds them into their aggregate);
/// - a retraction (unless `ignore-delete` skips it) moves the sequence fields of each group it is newer for and
///   sets the group's fields to null or retracts their aggregates (aggregates also when it is older); a `-D` newer
///   for a group of `partial-update.remove-record-on-sequence-group` removes the row; without groups,
///   `partial-update.remove-record-on-delete` removes the row on `-D` (and skips `-U`);
/// - the first record, when it retracts, fills the row with its own values (even under `ignore-delete`);
/// - the result has the last non-skipped record's sequence number (0 if none) and is a `-D` when the row was removed
///   by the last record or no insert came, else an insert.
///
/// Paimon 0.9 differs where retractions lead: it starts from an empty row, keeps the sequence number of the last
/// insert and always returns an insert; its remove-record-on-delete fails on an insert after the `-D`, it has no
/// remove-record-on-sequence-group, and it also aggregates sequence fields under `fields.default-aggregate-function`.
/// Inserts, and retractions after an insert, merge alike in both.
package struct PaimonPartialUpdateMerge {
    let rules: PaimonPartialUpdateRules
    let ignoreDelete: Bool
    let location: String
    /// Per table field: its group.
    private let groupOf: [Int?]
    private var row: [ParquetValue]
    private var initialized: [Bool]
    private var sequence: Int64 = 0
    private var filled = false
    private var metInsert = false
    private var removed = false
    /// Per table field: whether the record being merged has dealt with it (reused from record to record).
    private var processed: [Bool]

    package init(rules: PaimonPartialUpdateRules, ignoreDelete: Bool, location: String) {
        self.rules = rules
        self.ignoreDelete = ignoreDelete
        self.location = location
        var groupOf = [Int?](repeating: nil, count: rules.names.count)
        for (number, group) in rules.groups.enumerated() {
            for index in group.sequence + group.fields { groupOf[index] = number }
        }
        self.groupOf = groupOf
        row = Array(repeating: .null, count: rules.names.count)
        initialized = Array(repeating: false, count: rules.names.count)
        processed = Array(repeating: false, count: rules.names.count)
    }

    package mutating func reset() {
        for index in row.indices {
            row[index] = .null
            initialized[index] = false
        }
        sequence = 0
        filled = false
        metInsert = false
        removed = false
    }

    /// The merged row so far: the table's fields, its row kind (0 insert, 3 delete) and sequence number.
    package var result: (fields: [ParquetValue], kind: Int32, sequence: Int64) {
        (row, removed || !metInsert ? 3 : 0, sequence)
    }

    /// Merges a record: its table fields, row kind and sequence number.
    package mutating func add(_ values: [ParquetValue], kind: Int32, sequence number: Int64) throws {
        removed = false
        if kind == 1 || kind == 3 {
            if !filled {
                try fill(values)
                filled = true
            }
            if ignoreDelete { return }
            sequence = number
            if !rules.groups.isEmpty {
                try retract(values, delete: kind == 3)
                return
            }
            if rules.removeRecordOnDelete {
                if kind == 3 {
                    removed = true
                    try fill(values)
                }
                return
            }
            throw PaimonError.invalidFile(location,
                "a partial-update table holds a -U/-D record; Paimon takes them only with ignore-delete, sequence groups or partial-update.remove-record-on-delete")
        }
        sequence = number
        if rules.groups.isEmpty {
            for (index, value) in values.enumerated() {
                if !value.isNull {
                    row[index] = value
                } else if !rules.nullable[index] {
                    throw nullInNotNull(index)
                }
            }
        } else {
            try update(values)
        }
        metInsert = true
        filled = true
    }

    /// Paimon's `initRow`: the row takes all of a record's values.
    private mutating func fill(_ values: [ParquetValue]) throws {
        for (index, value) in values.enumerated() {
            if value.isNull && !rules.nullable[index] { throw nullInNotNull(index) }
            row[index] = value
        }
    }

    /// Whether all of `group`'s sequence fields are null in `values`, which leaves the group alone; its sequence
    /// fields are then marked `processed`.
    private mutating func leavesAlone(_ group: PaimonPartialUpdateRules.Group, _ values: [ParquetValue]) -> Bool {
        guard group.sequence.allSatisfy({ values[$0].isNull }) else { return false }
        for sequenceIndex in group.sequence { processed[sequenceIndex] = true }
        return true
    }

    /// `values`' order against the row's by `group`'s sequence fields, in order, nulls first.
    private func compare(_ group: PaimonPartialUpdateRules.Group, _ values: [ParquetValue]) throws -> Int {
        for index in group.sequence {
            switch (values[index].isNull, row[index].isNull) {
            case (true, true): continue
            case (true, false): return -1
            case (false, true): return 1
            case (false, false):
                guard let order = PaimonFieldAggregate.compare(values[index], row[index]) else {
                    throw PaimonError.invalidFile(location, "sequence field \(rules.names[index]) holds values of different types")
                }
                if order != 0 { return order }
            }
        }
        return 0
    }

    private mutating func update(_ values: [ParquetValue]) throws {
        for index in processed.indices { processed[index] = false }
        for index in values.indices {
            let aggregate = rules.aggregates[index]
            guard let number = groupOf[index] else {
                if let aggregate {
                    row[index] = try aggregate.fold(row[index], values[index], initialized: &initialized[index], location: location)
                } else if !values[index].isNull {
                    row[index] = values[index]
                }
                continue
            }
            if processed[index] { continue }
            let group = rules.groups[number]
            if leavesAlone(group, values) { continue }
            if try compare(group, values) >= 0 {
                if group.sequence.contains(index) {
                    for sequenceIndex in group.sequence {
                        row[sequenceIndex] = values[sequenceIndex]
                        processed[sequenceIndex] = true
                    }
                    continue
                }
                row[index] = try aggregate.map {
                    try $0.fold(row[index], values[index], initialized: &initialized[index], location: location)
                } ?? values[index]
            } else if let aggregate {
                row[index] = try aggregate.fold(values[index], row[index], initialized: &initialized[index], location: location)
            }
        }
    }

    private mutating func retract(_ values: [ParquetValue], delete: Bool) throws {
        for index in processed.indices { processed[index] = false }
        var moved = Set<Int>()
        for index in values.indices {
            guard let number = groupOf[index], !processed[index] else { continue }
            let aggregate = rules.aggregates[index]
            let group = rules.groups[number]
            if leavesAlone(group, values) { continue }
            if try compare(group, values) >= 0 {
                if group.sequence.contains(index) {
                    for sequenceIndex in group.sequence {
                        if !moved.contains(sequenceIndex) {
                            if delete && rules.removeOnSequenceGroup.contains(sequenceIndex) {
                                removed = true
                                try fill(values)
                                return
                            }
                            row[sequenceIndex] = values[sequenceIndex]
                            moved.insert(sequenceIndex)
                        }
                        processed[sequenceIndex] = true
                    }
                } else if let aggregate {
                    row[index] = try aggregate.retract(row[index], values[index], location: location)
                } else {
                    row[index] = .null
                }
            } else if let aggregate {
                row[index] = try aggregate.retract(row[index], values[index], location: location)
            }
        }
    }

    private func nullInNotNull(_ index: Int) -> PaimonError {
        .invalidFile(location, "a partial-update record holds null in the NOT NULL field \(rules.names[index])")
    }
}

/// `PaimonPartialUpdateMerge` over a key's records, behind Paimon's `ReducerMergeFunctionWrapper`: a key's only
/// record is kept as it is, the records of a key of two or more are merged.
struct PaimonSequenceGroupPartialUpdate: PaimonMergeFunction {
    let layout: PaimonRowLayout
    private var merging: PaimonPartialUpdateMerge
    private var first: PaimonRecord?
    private var last: PaimonRecord?
    private var count = 0

    init(rules: PaimonPartialUpdateRules, ignoreDelete: Bool, layout: PaimonRowLayout, location: String) {
        self.layout = layout
        merging = PaimonPartialUpdateMerge(rules: rules, ignoreDelete: ignoreDelete, location: location)
    }

    mutating func reset() {
        merging.reset()
        first = nil
        last = nil
        count = 0
    }

    mutating func add(_ record: PaimonRecord) throws {
        count += 1
        last = record
        guard let first else {
            self.first = record
            return
        }
        if count == 2 { try merge(first) }
        try merge(record)
    }

    private mutating func merge(_ record: PaimonRecord) throws {
        let stored = try record.group.fields(record.row)
        try merging.add(layout.fields.map { stored[$0] }, kind: record.kind, sequence: record.sequence)
    }

    mutating func result() throws -> PaimonMergedRow? {
        guard let first, let last else { return nil }
        if count == 1 { return .stored(first) }
        let (fields, kind, sequence) = merging.result
        return try layout.built(fields, key: last, kind: kind, sequence: sequence)
    }
}
