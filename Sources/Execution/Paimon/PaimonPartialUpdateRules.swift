import Paimon
import Parquet

/// A `partial-update` table's sequence groups, per-field aggregates and `partial-update.remove-record-on-*`
/// options, read and checked as Paimon's `PartialUpdateMergeFunction.Factory` (1.1 to 2.0) does; what Paimon
/// rejects at table creation is refused here, since the options are untrusted.
///
/// - `fields.<s1>,<s2>.sequence-group = f1,f2`: the group `f1,f2` (and its sequence fields) is updated only by
///   records whose sequence fields compare at least the row's, in order, nulls first; a field belongs to one group
///   (amoro also refuses a sequence field shared by two groups, where Paimon's outcome depends on its map order);
///   primary keys are in none.
/// - `fields.<f>.aggregate-function` / `fields.default-aggregate-function`: a field's aggregate, never on sequence
///   fields (one named for a sequence field is refused, as Paimon 0.9 refuses it) or primary keys; other than
///   `last_non_null_value` only on fields of a sequence group.
/// - `partial-update.remove-record-on-delete` (no sequence groups, no `ignore-delete`) and
///   `partial-update.remove-record-on-sequence-group = s1,...` (sequence fields; no `ignore-delete`).
package struct PaimonPartialUpdateRules: Sendable, Equatable {
    /// A sequence group: its sequence fields and the fields it guards, as positions among the table's fields.
    package struct Group: Sendable, Equatable {
        package var sequence: [Int]
        package var fields: [Int]
    }

    package var groups: [Group]
    /// Per table field: its aggregate, if it has one.
    package var aggregates: [PaimonFieldAggregate?]
    package var removeRecordOnDelete: Bool
    /// The sequence fields whose group's newer `-D` removes the whole row.
    package var removeOnSequenceGroup: Set<Int>
    /// The table's field names, and per field whether it may be null.
    package var names: [String]
    package var nullable: [Bool]

    /// Whether nothing here applies: the table merges as plain `partial-update` (a `last_non_null_value`
    /// aggregate outside sequence groups is what plain partial-update does anyway).
    var isPlain: Bool { groups.isEmpty && !removeRecordOnDelete }

    package init(_ schema: PaimonSchema, ignoreDelete: Bool) throws(PaimonError) {
        let settings = schema.options
        let names = schema.fields.map(\.name)
        func position(_ name: Substring, _ key: String) throws(PaimonError) -> Int {
            guard let index = names.firstIndex(of: String(name)) else {
                throw .unsupported("compacting a Paimon partial-update table whose \(key) names \(name), not a field of the table")
            }
            return index
        }
        /// Java's `String.split(",")`: trailing empty parts dropped.
        func split(_ text: Substring) -> [Substring] {
            var parts = text.split(separator: ",", omittingEmptySubsequences: false)
            while parts.last?.isEmpty == true { parts.removeLast() }
            return parts
        }
        var groups: [Group] = []
        var owner: [Int: String] = [:]
        for key in settings.keys.sorted() where key.hasPrefix("fields.") && key.hasSuffix(".sequence-group") {
            let spelled = key.dropFirst("fields.".count).dropLast(".sequence-group".count)
            var group = Group(sequence: [], fields: [])
            for name in split(spelled) { group.sequence.append(try position(name, key)) }
            for name in split(Substring(settings[key] ?? "")) { group.fields.append(try position(name, key)) }
            if group.sequence.isEmpty { throw .unsupported("compacting a Paimon partial-update table with an empty \(key)") }
            if Set(group.fields).count != group.fields.count {
                throw .unsupported("compacting a Paimon partial-update table whose \(key) names a field twice")
            }
            for index in group.sequence + group.fields {
                let field = schema.fields[index]
                if schema.primaryKeys.contains(field.name) {
                    throw .unsupported("compacting a Paimon partial-update table whose \(key) holds the primary key \(field.name)")
                }
                if let other = owner[index], other != key {
                    throw .unsupported("compacting a Paimon partial-update table whose field \(field.name) is in two sequence groups (\(other), \(key))")
                }
                owner[index] = key
            }
            for index in group.sequence {
                // Timestamps beyond microseconds are INT96 in Parquet, which amoro does not order.
                let type = schema.fields[index].type
                guard PaimonFieldAggregate.ordered.contains(type.root), type.root != .timestamp || (type.precision ?? 6) <= 6 else {
                    throw .unsupported("compacting a Paimon partial-update table with a \(type.text) sequence field (\(key))")
                }
            }
            groups.append(group)
        }
        let sequenceFields = Set(groups.flatMap(\.sequence))
        let guarded = Set(groups.flatMap(\.fields))
        // Paimon 0.9 rejects an aggregate named for a sequence field; 1.1 and later pass over it.
        for index in sequenceFields.sorted() where settings["fields.\(names[index]).aggregate-function"] != nil {
            throw .unsupported("compacting a Paimon partial-update table with an aggregate on the sequence field \(names[index])")
        }
        var aggregates: [PaimonFieldAggregate?] = []
        for (index, field) in schema.fields.enumerated() {
            guard !sequenceFields.contains(index), !schema.primaryKeys.contains(field.name),
                let named = PaimonFieldAggregate.named(field.name, schema)
            else {
                aggregates.append(nil)
                continue
            }
            let aggregate = try PaimonFieldAggregate(field: field, schema: schema, named: named, engine: "partial-update")
            if aggregate.function != .lastNonNullValue && !guarded.contains(index) {
                throw .unsupported("compacting a Paimon partial-update table with an aggregate on \(field.name), which no sequence group holds (Paimon requires one)")
            }
            if aggregate.function == .count {
                throw .unsupported("compacting a Paimon partial-update table with count (field \(field.name)), which Paimon's partial-update does not have")
            }
            aggregates.append(aggregate)
        }
        let removeOnDelete = settings["partial-update.remove-record-on-delete"]?.lowercased() == "true"
        let onGroup = settings["partial-update.remove-record-on-sequence-group"]
        if removeOnDelete && ignoreDelete {
            throw .unsupported("a Paimon partial-update table with both ignore-delete and partial-update.remove-record-on-delete")
        }
        if onGroup != nil && ignoreDelete {
            throw .unsupported("a Paimon partial-update table with both ignore-delete and partial-update.remove-record-on-sequence-group")
        }
        if removeOnDelete && !groups.isEmpty {
            throw .unsupported("a Paimon partial-update table with both sequence groups and partial-update.remove-record-on-delete")
        }
        var removeOnSequenceGroup: Set<Int> = []
        for name in split(Substring(onGroup ?? "")) {
            guard let index = names.firstIndex(of: String(name)), sequenceFields.contains(index) else {
                throw .unsupported("a Paimon partial-update table whose partial-update.remove-record-on-sequence-group names \(name), not a sequence field")
            }
            removeOnSequenceGroup.insert(index)
        }
        self.groups = groups
        self.aggregates = aggregates
        self.removeRecordOnDelete = removeOnDelete
        self.removeOnSequenceGroup = removeOnSequenceGroup
        self.names = names
        nullable = schema.fields.map(\.type.nullable)
    }
}

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
    private func leavesAlone(_ group: PaimonPartialUpdateRules.Group, _ values: [ParquetValue], processed: inout [Bool]) -> Bool {
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
        var processed = [Bool](repeating: false, count: values.count)
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
            if leavesAlone(group, values, processed: &processed) { continue }
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
        var processed = [Bool](repeating: false, count: values.count)
        var moved = Set<Int>()
        for index in values.indices {
            guard let number = groupOf[index], !processed[index] else { continue }
            let aggregate = rules.aggregates[index]
            let group = rules.groups[number]
            if leavesAlone(group, values, processed: &processed) { continue }
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
