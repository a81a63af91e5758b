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
        var row = try latest.group.fields(latest.row)
        for (position, index) in fields.enumerated() { row[index] = values[position] }
        row[sequence] = .int64(latest.sequence)
        row[kind] = .int32(0)
        return .built(fields: row, kind: 0, sequence: latest.sequence, key: latest)
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
                values[position] = try retract(aggregate, values[position], input)
            } else {
                values[position] = try fold(aggregate, position, values[position], input)
            }
        }
    }

    mutating func result() throws -> PaimonMergedRow? {
        guard let latest else { return nil }
        return try layout.built(values, latest: latest)
    }

    private mutating func fold(_ aggregate: PaimonFieldAggregate, _ position: Int, _ accumulator: ParquetValue, _ input: ParquetValue)
        throws -> ParquetValue
    {
        switch aggregate.function {
        case .primaryKey, .lastValue: return input
        case .lastNonNullValue: return input.isNull ? accumulator : input
        case .firstValue:
            if initialized[position] { return accumulator }
            initialized[position] = true
            return input
        case .firstNonNullValue:
            if initialized[position] || input.isNull { return accumulator }
            initialized[position] = true
            return input
        case .sum:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? input : accumulator }
            return try arithmetic(aggregate, accumulator, input, subtract: false)
        case .count:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? one(aggregate) : accumulator }
            return try arithmetic(aggregate, accumulator, one(aggregate), subtract: false)
        case .min, .max:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? input : accumulator }
            let order = try compare(aggregate, accumulator, input)
            return (aggregate.function == .max ? order < 0 : order > 0) ? input : accumulator
        case .boolAnd, .boolOr:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? input : accumulator }
            guard case .boolean(let a) = accumulator, case .boolean(let b) = input else { throw mismatch(aggregate) }
            return .boolean(aggregate.function == .boolAnd ? a && b : a || b)
        case .listagg:
            guard case .bytes(let text) = input, !Self.isBlank(text) else { return accumulator }
            guard case .bytes(let joined) = accumulator, !Self.isBlank(joined) else { return input }
            return .bytes(joined + aggregate.delimiter + text)
        }
    }

    private func retract(_ aggregate: PaimonFieldAggregate, _ accumulator: ParquetValue, _ input: ParquetValue) throws -> ParquetValue {
        if aggregate.ignoreRetract { return accumulator }
        switch aggregate.function {
        case .primaryKey: return input
        case .lastValue: return .null
        case .lastNonNullValue: return input.isNull ? accumulator : .null
        case .sum:
            if accumulator.isNull { return input.isNull ? .null : try arithmetic(aggregate, zero(aggregate), input, subtract: true) }
            if input.isNull { return accumulator }
            return try arithmetic(aggregate, accumulator, input, subtract: true)
        case .count:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? one(aggregate) : accumulator }
            return try arithmetic(aggregate, accumulator, one(aggregate), subtract: true)
        default:
            throw PaimonError.invalidFile(location,
                "a -U/-D record reaches \(aggregate.function.rawValue) of field \(aggregate.name), which Paimon cannot retract (fields.\(aggregate.name).ignore-retract)")
        }
    }

    private func mismatch(_ aggregate: PaimonFieldAggregate) -> PaimonError {
        .invalidFile(location, "field \(aggregate.name) holds a value that is not a \(aggregate.type.rawValue)")
    }

    private func one(_ aggregate: PaimonFieldAggregate) -> ParquetValue { aggregate.type == .bigint ? .int64(1) : .int32(1) }

    private func zero(_ aggregate: PaimonFieldAggregate) -> ParquetValue {
        switch aggregate.type {
        case .bigint: .int64(0)
        case .float: .float(0)
        case .double: .double(0)
        default: .int32(0)
        }
    }

    /// Java's arithmetic on the field's type: integers wrap at their width, floats follow IEEE 754.
    private func arithmetic(_ aggregate: PaimonFieldAggregate, _ a: ParquetValue, _ b: ParquetValue, subtract: Bool) throws -> ParquetValue {
        switch (a, b) {
        case (.int32(let x), .int32(let y)):
            let sum = subtract ? x &- y : x &+ y
            switch aggregate.type {
            case .tinyint: return .int32(Int32(Int8(truncatingIfNeeded: sum)))
            case .smallint: return .int32(Int32(Int16(truncatingIfNeeded: sum)))
            default: return .int32(sum)
            }
        case (.int64(let x), .int64(let y)): return .int64(subtract ? x &- y : x &+ y)
        case (.float(let x), .float(let y)): return .float(subtract ? x - y : x + y)
        case (.double(let x), .double(let y)): return .double(subtract ? x - y : x + y)
        default: throw mismatch(aggregate)
        }
    }

    /// Java's order of two values of the field's type (`Float.compare` and `Double.compare` for floating point,
    /// unsigned bytes for strings).
    private func compare(_ aggregate: PaimonFieldAggregate, _ a: ParquetValue, _ b: ParquetValue) throws -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        func java(_ x: Double, _ y: Double) -> Int {
            if x < y { return -1 }
            if x > y { return 1 }
            // Equal, or a NaN among them: Java orders by the canonical bits (NaN last, -0.0 before 0.0).
            func bits(_ v: Double) -> Int64 { v.isNaN ? 0x7ff8_0000_0000_0000 : Int64(bitPattern: v.bitPattern) }
            return sign(bits(x), bits(y))
        }
        switch (a, b) {
        case (.int32(let x), .int32(let y)): return sign(x, y)
        case (.int64(let x), .int64(let y)): return sign(x, y)
        case (.float(let x), .float(let y)): return java(Double(x), Double(y))
        case (.double(let x), .double(let y)): return java(x, y)
        case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case (.bytes(let x), .bytes(let y)):
            for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
            return sign(x.count, y.count)
        default: throw mismatch(aggregate)
        }
    }

    /// Java's `StringUtils.isBlank`: empty or only whitespace (`Character.isWhitespace`).
    static func isBlank(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x09...0x0D, 0x1C...0x1F, 0x20: return true
            case 0xA0, 0x2007, 0x202F: return false
            default:
                return scalar.properties.generalCategory == .spaceSeparator || scalar.properties.generalCategory == .lineSeparator
                    || scalar.properties.generalCategory == .paragraphSeparator
            }
        }
    }
}
