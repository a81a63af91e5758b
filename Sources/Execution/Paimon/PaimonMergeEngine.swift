import Paimon

/// A primary-key table's merge engine as amoro compacts it, read from the schema's options; anything Paimon does
/// that amoro does not is refused with a one-line error here, never approximated.
///
/// - `deduplicate`: the record of the highest sequence number wins (`ignore-delete`: retractions are skipped);
/// - `first-row`: the first record wins; retractions are an error unless `ignore-delete` skips them;
/// - `partial-update`: the non-null fields of later records overwrite earlier ones, the result is an insert with the
///   latest sequence number; retractions are an error unless `ignore-delete` skips them (sequence groups,
///   per-field aggregates and `partial-update.remove-record-on-*` are refused);
/// - `aggregation`: each value field folded by `fields.<f>.aggregate-function` (else
///   `fields.default-aggregate-function`, else `last_non_null_value`; the primary keys keep their value), the result
///   an insert with the latest sequence number; a retraction is undone by the functions that can (sum, count,
///   last_value, last_non_null_value), skipped for fields with `fields.<f>.ignore-retract`, and an error otherwise
///   (sequence groups, `aggregation.remove-record-on-delete` and distinct listagg are refused).
package struct PaimonMergeEngine: Sendable {
    package enum Kind: Sendable, Equatable {
        case deduplicate
        case firstRow
        case partialUpdate
        case aggregation([PaimonFieldAggregate])
    }

    package var kind: Kind
    package var ignoreDelete: Bool

    /// The options Paimon reads as `ignore-delete` (the engine-specific names are its fallback keys).
    static let ignoreDeleteKeys = ["ignore-delete", "deduplicate.ignore-delete", "first-row.ignore-delete", "partial-update.ignore-delete"]

    package init(_ schema: PaimonSchema, _ options: PaimonOptions) throws(PaimonError) {
        let settings = schema.options
        func flag(_ key: String) -> Bool { settings[key]?.lowercased() == "true" }
        ignoreDelete = Self.ignoreDeleteKeys.contains(where: flag)
        if settings["sequence.field"] != nil { throw .unsupported("compacting a Paimon primary-key table with sequence.field") }
        for key in settings.keys.sorted() where key.hasPrefix("fields.") && key.hasSuffix(".sequence-group") {
            throw .unsupported("compacting a Paimon table with sequence groups (\(key))")
        }
        let aggregateKeys = settings.keys.sorted().filter {
            $0 == "fields.default-aggregate-function" || ($0.hasPrefix("fields.") && $0.hasSuffix(".aggregate-function"))
        }
        switch options.mergeEngine {
        case "deduplicate":
            kind = .deduplicate
        case "first-row":
            kind = .firstRow
        case "partial-update":
            for key in ["partial-update.remove-record-on-delete", "partial-update.remove-record-on-sequence-group"]
            where settings[key] != nil && settings[key]?.lowercased() != "false" {
                throw .unsupported("compacting a Paimon partial-update table with \(key)")
            }
            if let key = aggregateKeys.first { throw .unsupported("compacting a Paimon partial-update table with \(key)") }
            kind = .partialUpdate
        case "aggregation":
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

    /// A fresh merge function for one bucket's merge; `fieldIndexes` are the positions of the table's fields among
    /// the data files' top-level columns.
    func function(sequenceIndex: Int, kindIndex: Int, fieldIndexes: [Int], location: String) -> any PaimonMergeFunction {
        switch kind {
        case .deduplicate: PaimonDeduplicate(ignoreDelete: ignoreDelete)
        case .firstRow: PaimonFirstRow(ignoreDelete: ignoreDelete, location: location)
        case .partialUpdate:
            PaimonPartialUpdate(ignoreDelete: ignoreDelete, layout: .init(sequence: sequenceIndex, kind: kindIndex, fields: fieldIndexes),
                location: location)
        case .aggregation(let aggregates):
            PaimonAggregation(aggregates: aggregates, layout: .init(sequence: sequenceIndex, kind: kindIndex, fields: fieldIndexes),
                location: location)
        }
    }
}

/// One value field's aggregate function in an `aggregation` table, checked against the field's type.
package struct PaimonFieldAggregate: Sendable, Equatable {
    package enum Function: String, Sendable {
        case primaryKey = "primary-key"
        case sum, count, min, max
        case lastValue = "last_value"
        case lastNonNullValue = "last_non_null_value"
        case firstValue = "first_value"
        case firstNonNullValue = "first_non_null_value"
        case boolAnd = "bool_and"
        case boolOr = "bool_or"
        case listagg
    }

    package var name: String
    package var function: Function
    package var type: PaimonDataType.Root
    package var ignoreRetract: Bool
    /// `listagg`'s `fields.<f>.list-agg-delimiter` (",").
    package var delimiter: [UInt8]

    init(field: PaimonSchema.Field, schema: PaimonSchema) throws(PaimonError) {
        let settings = schema.options
        name = field.name
        type = field.type.root
        ignoreRetract = settings["fields.\(field.name).ignore-retract"]?.lowercased() == "true"
        delimiter = Array((settings["fields.\(field.name).list-agg-delimiter"] ?? ",").utf8)
        if schema.primaryKeys.contains(field.name) {
            function = .primaryKey
            return
        }
        let named = settings["fields.\(field.name).aggregate-function"] ?? settings["fields.default-aggregate-function"]
        let spelled = named?.lowercased() == "first_not_null_value" ? "first_non_null_value" : named?.lowercased()
        guard let chosen = Function(rawValue: spelled ?? "last_non_null_value"), chosen != .primaryKey else {
            throw .unsupported("compacting a Paimon aggregation table with aggregate function \(named ?? "") (field \(field.name))")
        }
        function = chosen
        let numeric: Set<PaimonDataType.Root> = [.tinyint, .smallint, .int, .bigint, .float, .double]
        let ordered: Set<PaimonDataType.Root> = numeric.union([.boolean, .string, .date, .timestamp])
        let fits: Bool
        switch chosen {
        case .sum: fits = numeric.contains(type)
        case .count: fits = type == .int || type == .bigint
        case .min, .max: fits = ordered.contains(type)
        case .boolAnd, .boolOr: fits = type == .boolean
        case .listagg:
            fits = type == .string
            if settings["fields.\(field.name).distinct"]?.lowercased() == "true" {
                throw .unsupported("compacting a Paimon aggregation table with a distinct listagg (field \(field.name))")
            }
        default: fits = true
        }
        guard fits else {
            throw .unsupported("compacting a Paimon aggregation table with \(chosen.rawValue) over a \(type.rawValue) field (\(field.name))")
        }
    }

    /// Whether Paimon undoes a retraction for this function (the others throw unless the field ignores them).
    var retracts: Bool { [.primaryKey, .sum, .count, .lastValue, .lastNonNullValue].contains(function) }
}
