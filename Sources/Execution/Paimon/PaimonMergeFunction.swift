import Paimon
import Parquet

/// One input record of a key's group in a merge: a row of a loaded row group, with its row kind and sequence
/// number.
struct PaimonRecord {
    let group: PaimonRowGroup
    let row: Int
    let kind: Int32
    let sequence: Int64

    /// `-U` or `-D`.
    var isRetract: Bool { kind == 1 || kind == 3 }
}

/// What a key's group reduces to: an input row as stored, or a row the merge function built (all top-level fields,
/// `_SEQUENCE_NUMBER` and `_VALUE_KIND` among them), with its kind and sequence number.
enum PaimonMergedRow {
    case stored(PaimonRecord)
    case built(fields: [ParquetValue], kind: Int32, sequence: Int64, key: PaimonRecord)

    var kind: Int32 {
        switch self {
        case .stored(let record): record.kind
        case .built(_, let kind, _, _): kind
        }
    }

    var sequence: Int64 {
        switch self {
        case .stored(let record): record.sequence
        case .built(_, _, let sequence, _): sequence
        }
    }

    /// A record of the key, for its key columns.
    var keyRecord: PaimonRecord {
        switch self {
        case .stored(let record): record
        case .built(_, _, _, let key): key
        }
    }
}

/// A merge engine's reduction of one key's records, given in sequence order (Paimon's `MergeFunction`).
protocol PaimonMergeFunction {
    mutating func reset()
    mutating func add(_ record: PaimonRecord) throws
    /// The key's merged row, or nil when nothing remains of it.
    mutating func result() throws -> PaimonMergedRow?
}

/// `deduplicate`: the record of the highest sequence number wins; with `ignoreDelete` retractions are skipped.
struct PaimonDeduplicate: PaimonMergeFunction {
    let ignoreDelete: Bool
    private var latest: PaimonRecord?

    init(ignoreDelete: Bool) { self.ignoreDelete = ignoreDelete }

    mutating func reset() { latest = nil }

    mutating func add(_ record: PaimonRecord) {
        if ignoreDelete && record.isRetract { return }
        latest = record
    }

    mutating func result() -> PaimonMergedRow? { latest.map { .stored($0) } }
}

/// `first-row`: the first record wins. A retraction is an error, as in Paimon, unless `ignoreDelete` skips it.
struct PaimonFirstRow: PaimonMergeFunction {
    let ignoreDelete: Bool
    let location: String
    private var first: PaimonRecord?

    init(ignoreDelete: Bool, location: String) {
        self.ignoreDelete = ignoreDelete
        self.location = location
    }

    mutating func reset() { first = nil }

    mutating func add(_ record: PaimonRecord) throws {
        if record.isRetract {
            guard ignoreDelete else {
                throw PaimonError.invalidFile(location, "a first-row table holds a -U/-D record; Paimon takes them only with ignore-delete")
            }
            return
        }
        if first == nil { first = record }
    }

    mutating func result() -> PaimonMergedRow? { first.map { .stored($0) } }
}

/// Where a built row's parts are among the data files' top-level columns.
struct PaimonRowLayout {
    var sequence: Int
    var kind: Int
    /// The table's fields (the value columns), in schema order.
    var fields: [Int]

    /// `fields` of `latest` with the value columns replaced, an insert at `latest`'s sequence number.
    func built(_ values: [ParquetValue], latest: PaimonRecord) throws -> PaimonMergedRow {
        try built(values, key: latest, kind: 0, sequence: latest.sequence)
    }

    /// `fields` of `key` (a record of the key) with the value columns replaced, of row kind `kind` at `sequence`.
    func built(_ values: [ParquetValue], key: PaimonRecord, kind rowKind: Int32, sequence number: Int64) throws -> PaimonMergedRow {
        var row = try key.group.fields(key.row)
        for (position, index) in fields.enumerated() { row[index] = values[position] }
        row[sequence] = .int64(number)
        row[kind] = .int32(rowKind)
        return .built(fields: row, kind: rowKind, sequence: number, key: key)
    }
}

/// `partial-update`: each field takes the last non-null value of the key's records; the result is an insert with
/// the latest sequence number. A retraction is an error, as in Paimon, unless `ignoreDelete` skips it.
struct PaimonPartialUpdate: PaimonMergeFunction {
    let ignoreDelete: Bool
    let layout: PaimonRowLayout
    let location: String
    private var values: [ParquetValue] = []
    private var latest: PaimonRecord?

    init(ignoreDelete: Bool, layout: PaimonRowLayout, location: String) {
        self.ignoreDelete = ignoreDelete
        self.layout = layout
        self.location = location
    }

    mutating func reset() {
        values = []
        latest = nil
    }

    mutating func add(_ record: PaimonRecord) throws {
        if record.isRetract {
            guard ignoreDelete else {
                throw PaimonError.invalidFile(location,
                    "a partial-update table holds a -U/-D record; Paimon takes them only with ignore-delete or sequence groups")
            }
            return
        }
        let fields = try record.group.fields(record.row)
        if values.isEmpty { values = Array(repeating: .null, count: layout.fields.count) }
        for (position, index) in layout.fields.enumerated() where !fields[index].isNull { values[position] = fields[index] }
        latest = record
    }

    mutating func result() throws -> PaimonMergedRow? {
        guard let latest else { return nil }
        return try layout.built(values, latest: latest)
    }
}

/// `aggregation`: each field folded by its aggregate function over the key's records (retractions undone where
/// the function can); the result is an insert with the latest sequence number.
struct PaimonAggregation: PaimonMergeFunction {
    let aggregates: [PaimonFieldAggregate]
    let layout: PaimonRowLayout
    let location: String
    private var values: [ParquetValue]
    /// Per field: whether `first_value` / `first_non_null_value` has taken its value.
    private var initialized: [Bool]
    private var latest: PaimonRecord?

    init(aggregates: [PaimonFieldAggregate], layout: PaimonRowLayout, location: String) {
        self.aggregates = aggregates
        self.layout = layout
        self.location = location
        values = Array(repeating: .null, count: aggregates.count)
        initialized = Array(repeating: false, count: aggregates.count)
    }

    mutating func reset() {
        for index in values.indices {
            values[index] = .null
            initialized[index] = false
        }
        latest = nil
    }

    mutating func add(_ record: PaimonRecord) throws {
        let fields = try record.group.fields(record.row)
        latest = record
        for (position, aggregate) in aggregates.enumerated() {
            let input = fields[layout.fields[position]]
            if record.isRetract {
                values[position] = try aggregate.retract(values[position], input, location: location)
            } else {
                values[position] = try aggregate.fold(values[position], input, initialized: &initialized[position], location: location)
            }
        }
    }

    mutating func result() throws -> PaimonMergedRow? {
        guard let latest else { return nil }
        return try layout.built(values, latest: latest)
    }
}
