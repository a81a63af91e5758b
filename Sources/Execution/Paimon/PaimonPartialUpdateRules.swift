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
