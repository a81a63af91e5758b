import Paimon

/// A primary-key table's merge engine as amoro compacts it, read from the schema's options; anything Paimon does
/// that amoro does not is refused with a one-line error here, never approximated.
///
/// - `deduplicate`: the record of the highest sequence number wins (`ignore-delete`: retractions are skipped);
/// - `first-row`: the first record wins; retractions are an error unless `ignore-delete` skips them;
/// - `partial-update`: the non-null fields of later records overwrite earlier ones, the result is an insert with the
///   latest sequence number; retractions are an error unless `ignore-delete` skips them. With sequence groups,
///   per-field aggregates or `partial-update.remove-record-on-*` (`PaimonPartialUpdateRules`), the key merges as
///   Paimon 1.1 to 2.0 merge it (`PaimonSequenceGroupPartialUpdate`): groups updated or retracted by their own
///   sequence fields, and a removed row a `-D`;
/// - `aggregation`: each value field folded by `fields.<f>.aggregate-function` (else
///   `fields.default-aggregate-function`, else `last_non_null_value`; the primary keys keep their value), the result
///   an insert with the latest sequence number; a retraction is undone by the functions that can (sum, count,
///   last_value, last_non_null_value), skipped for fields with `fields.<f>.ignore-retract`, and an error otherwise
///   (sequence groups, `aggregation.remove-record-on-delete` and distinct listagg are refused).
///
/// `sequence.field` orders a key's records by its fields (nulls first, `sequence.field.sort-order` ascending or
/// descending) before their sequence numbers, as Paimon's merge readers do (Paimon 0.9 has no sort order: always
/// ascending); `sequence.snapshot-ordering` is refused.
package struct PaimonMergeEngine: Sendable {
    package enum Kind: Sendable, Equatable {
        case deduplicate
        case firstRow
        case partialUpdate(PaimonPartialUpdateRules)
        case aggregation([PaimonFieldAggregate])
    }

    package var kind: Kind
    package var ignoreDelete: Bool
    /// `sequence.field`: the value fields that order a key's records before the sequence number (nulls first), and
    /// whether `sequence.field.sort-order` is descending.
    package var sequenceFields: [String] = []
    package var sequenceDescending = false

    /// The options Paimon reads as `ignore-delete` (the engine-specific names are its fallback keys).
    static let ignoreDeleteKeys = ["ignore-delete", "deduplicate.ignore-delete", "first-row.ignore-delete", "partial-update.ignore-delete"]

    package init(_ schema: PaimonSchema, _ options: PaimonOptions) throws(PaimonError) {
        let settings = schema.options
        func flag(_ key: String) -> Bool { settings[key]?.lowercased() == "true" }
        ignoreDelete = Self.ignoreDeleteKeys.contains(where: flag)
        if let spelled = settings["sequence.field"] {
            sequenceFields = try Self.sequenceFields(spelled, schema: schema, mergeEngine: options.mergeEngine)
            switch settings["sequence.field.sort-order"]?.lowercased() ?? "ascending" {
            case "ascending": sequenceDescending = false
            case "descending": sequenceDescending = true
            case let order: throw .unsupported("compacting a Paimon table with sequence.field.sort-order \(order)")
            }
        }
        if flag("sequence.snapshot-ordering") {
            throw .unsupported("compacting a Paimon primary-key table with sequence.snapshot-ordering")
        }
        switch options.mergeEngine {
        case "deduplicate":
            kind = .deduplicate
        case "first-row":
            kind = .firstRow
        case "partial-update":
            kind = .partialUpdate(try PaimonPartialUpdateRules(schema, ignoreDelete: ignoreDelete))
        case "aggregation":
            for key in settings.keys.sorted() where key.hasPrefix("fields.") && key.hasSuffix(".sequence-group") {
                throw .unsupported("compacting a Paimon aggregation table with sequence groups (\(key))")
            }
            if flag("aggregation.remove-record-on-delete") {
                throw .unsupported("compacting a Paimon aggregation table with aggregation.remove-record-on-delete")
            }
            var fields: [PaimonFieldAggregate] = []
            for field in schema.fields {
                fields.append(try PaimonFieldAggregate(field: field, schema: schema))
            }
            kind = .aggregation(fields)
        default:
            throw .unsupported("compacting Paimon primary-key tables with merge-engine \(options.mergeEngine)")
        }
    }

    /// `sequence.field`'s fields, checked as Paimon checks them (fields of the table, each once, no aggregate
    /// named for them, not with `first-row`) and of the types amoro orders as Paimon does.
    static func sequenceFields(_ spelled: String, schema: PaimonSchema, mergeEngine: String) throws(PaimonError) -> [String] {
        var parts = spelled.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        while parts.last?.isEmpty == true { parts.removeLast() }
        if mergeEngine == "first-row" { throw .unsupported("a Paimon first-row table with sequence.field (Paimon refuses it)") }
        if parts.isEmpty || Set(parts).count != parts.count {
            throw .unsupported("compacting a Paimon table whose sequence.field is empty or names a field twice")
        }
        let orderable: Set<PaimonDataType.Root> = [.tinyint, .smallint, .int, .bigint, .float, .double, .string, .date, .timestamp]
        for name in parts {
            guard let field = schema.fields.first(where: { $0.name == name }) else {
                throw .unsupported("compacting a Paimon table whose sequence.field names \(name), not a field of the table")
            }
            if schema.options["fields.\(name).aggregate-function"] != nil {
                throw .unsupported("compacting a Paimon table with an aggregate on the sequence field \(name) (Paimon refuses it)")
            }
            guard orderable.contains(field.type.root), field.type.root != .timestamp || (field.type.precision ?? 6) <= 6 else {
                throw .unsupported("compacting a Paimon table with a \(field.type.text) sequence.field (\(name))")
            }
        }
        return parts
    }

    /// A fresh merge function for one bucket's merge; `fieldIndexes` are the positions of the table's fields among
    /// the data files' top-level columns.
    func function(sequenceIndex: Int, kindIndex: Int, fieldIndexes: [Int], location: String) -> any PaimonMergeFunction {
        switch kind {
        case .deduplicate: PaimonDeduplicate(ignoreDelete: ignoreDelete)
        case .firstRow: PaimonFirstRow(ignoreDelete: ignoreDelete, location: location)
        case .partialUpdate(let rules) where rules.isPlain:
            PaimonPartialUpdate(ignoreDelete: ignoreDelete, layout: .init(sequence: sequenceIndex, kind: kindIndex, fields: fieldIndexes),
                location: location)
        case .partialUpdate(let rules):
            PaimonSequenceGroupPartialUpdate(rules: rules, ignoreDelete: ignoreDelete,
                layout: .init(sequence: sequenceIndex, kind: kindIndex, fields: fieldIndexes), location: location)
        case .aggregation(let aggregates):
            PaimonAggregation(aggregates: aggregates, layout: .init(sequence: sequenceIndex, kind: kindIndex, fields: fieldIndexes),
                location: location)
        }
    }
}
