import Paimon
import Parquet

/// One value field's aggregate function (an `aggregation` table's field, or a field of a `partial-update` table
/// that names one), checked against the field's type, and its fold (`agg`) and retraction as Paimon's
/// `FieldAggregator` subclasses define them.
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

    /// The aggregate of `field` in an `aggregation` table: the one it names, else `last_non_null_value`.
    init(field: PaimonSchema.Field, schema: PaimonSchema) throws(PaimonError) {
        try self.init(field: field, schema: schema, named: Self.named(field.name, schema), engine: "aggregation")
    }

    /// `fields.<f>.aggregate-function`, else `fields.default-aggregate-function`.
    static func named(_ field: String, _ schema: PaimonSchema) -> String? {
        schema.options["fields.\(field).aggregate-function"] ?? schema.options["fields.default-aggregate-function"]
    }

    init(field: PaimonSchema.Field, schema: PaimonSchema, named: String?, engine: String) throws(PaimonError) {
        let settings = schema.options
        name = field.name
        type = field.type.root
        ignoreRetract = settings["fields.\(field.name).ignore-retract"]?.lowercased() == "true"
        delimiter = Array((settings["fields.\(field.name).list-agg-delimiter"] ?? ",").utf8)
        if schema.primaryKeys.contains(field.name) {
            function = .primaryKey
            return
        }
        let spelled = named?.lowercased() == "first_not_null_value" ? "first_non_null_value" : named?.lowercased()
        guard let chosen = Function(rawValue: spelled ?? "last_non_null_value"), chosen != .primaryKey else {
            throw .unsupported("compacting a Paimon \(engine) table with aggregate function \(named ?? "") (field \(field.name))")
        }
        function = chosen
        let numeric: Set<PaimonDataType.Root> = [.tinyint, .smallint, .int, .bigint, .float, .double]
        let fits: Bool
        switch chosen {
        case .sum: fits = numeric.contains(type)
        case .count: fits = type == .int || type == .bigint
        case .min, .max: fits = Self.ordered.contains(type)
        case .boolAnd, .boolOr: fits = type == .boolean
        case .listagg:
            fits = type == .string
            if settings["fields.\(field.name).distinct"]?.lowercased() == "true" {
                throw .unsupported("compacting a Paimon \(engine) table with a distinct listagg (field \(field.name))")
            }
        default: fits = true
        }
        guard fits else {
            throw .unsupported("compacting a Paimon \(engine) table with \(chosen.rawValue) over a \(type.rawValue) field (\(field.name))")
        }
    }

    /// The types `compare` orders.
    static let ordered: Set<PaimonDataType.Root> = [.tinyint, .smallint, .int, .bigint, .float, .double, .boolean, .string, .date, .timestamp]

    /// Whether Paimon undoes a retraction for this function (the others throw unless the field ignores them).
    var retracts: Bool { [.primaryKey, .sum, .count, .lastValue, .lastNonNullValue].contains(function) }

    /// `input` folded into `accumulator` (Paimon's `agg`); `initialized` is the first-value functions' state.
    func fold(_ accumulator: ParquetValue, _ input: ParquetValue, initialized: inout Bool, location: String) throws -> ParquetValue {
        switch function {
        case .primaryKey, .lastValue: return input
        case .lastNonNullValue: return input.isNull ? accumulator : input
        case .firstValue:
            if initialized { return accumulator }
            initialized = true
            return input
        case .firstNonNullValue:
            if initialized || input.isNull { return accumulator }
            initialized = true
            return input
        case .sum:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? input : accumulator }
            return try arithmetic(accumulator, input, subtract: false, location: location)
        case .count:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? one : accumulator }
            return try arithmetic(accumulator, one, subtract: false, location: location)
        case .min, .max:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? input : accumulator }
            guard let order = Self.compare(accumulator, input) else { throw mismatch(location) }
            return (function == .max ? order < 0 : order > 0) ? input : accumulator
        case .boolAnd, .boolOr:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? input : accumulator }
            guard case .boolean(let a) = accumulator, case .boolean(let b) = input else { throw mismatch(location) }
            return .boolean(function == .boolAnd ? a && b : a || b)
        case .listagg:
            guard case .bytes(let text) = input, !Self.isBlank(text) else { return accumulator }
            guard case .bytes(let joined) = accumulator, !Self.isBlank(joined) else { return input }
            return .bytes(joined + delimiter + text)
        }
    }

    /// `input`'s retraction from `accumulator` (Paimon's `retract`; an error for the functions that have none).
    func retract(_ accumulator: ParquetValue, _ input: ParquetValue, location: String) throws -> ParquetValue {
        if ignoreRetract { return accumulator }
        switch function {
        case .primaryKey: return input
        case .lastValue: return .null
        case .lastNonNullValue: return input.isNull ? accumulator : .null
        case .sum:
            if accumulator.isNull { return input.isNull ? .null : try arithmetic(zero, input, subtract: true, location: location) }
            if input.isNull { return accumulator }
            return try arithmetic(accumulator, input, subtract: true, location: location)
        case .count:
            if accumulator.isNull || input.isNull { return accumulator.isNull ? one : accumulator }
            return try arithmetic(accumulator, one, subtract: true, location: location)
        default:
            throw PaimonError.invalidFile(location,
                "a -U/-D record reaches \(function.rawValue) of field \(name), which Paimon cannot retract (fields.\(name).ignore-retract)")
        }
    }

    private func mismatch(_ location: String) -> PaimonError {
        .invalidFile(location, "field \(name) holds a value that is not a \(type.rawValue)")
    }

    private var one: ParquetValue { type == .bigint ? .int64(1) : .int32(1) }

    private var zero: ParquetValue {
        switch type {
        case .bigint: .int64(0)
        case .float: .float(0)
        case .double: .double(0)
        default: .int32(0)
        }
    }

    /// Java's arithmetic on the field's type: integers wrap at their width, floats follow IEEE 754.
    private func arithmetic(_ a: ParquetValue, _ b: ParquetValue, subtract: Bool, location: String) throws -> ParquetValue {
        switch (a, b) {
        case (.int32(let x), .int32(let y)):
            let sum = subtract ? x &- y : x &+ y
            switch type {
            case .tinyint: return .int32(Int32(Int8(truncatingIfNeeded: sum)))
            case .smallint: return .int32(Int32(Int16(truncatingIfNeeded: sum)))
            default: return .int32(sum)
            }
        case (.int64(let x), .int64(let y)): return .int64(subtract ? x &- y : x &+ y)
        case (.float(let x), .float(let y)): return .float(subtract ? x - y : x + y)
        case (.double(let x), .double(let y)): return .double(subtract ? x - y : x + y)
        default: throw mismatch(location)
        }
    }

    /// Java's order of two non-null values of one type (`Float.compare` and `Double.compare` for floating point,
    /// unsigned bytes for strings), nil for values of different or unordered kinds.
    static func compare(_ a: ParquetValue, _ b: ParquetValue) -> Int? {
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
        default: return nil
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
