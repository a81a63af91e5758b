import Foundation
import Iceberg
import Paimon
import Parquet
import Synchronization

/// The decoded rows a merge holds at once, and the most it held: a loaded row group counts until nothing refers
/// to it any more. The bound a bucket's merge keeps (about one row group per input), made visible; an append
/// rewrite counts its input row group and the rows of its output's unwritten row group.
package final class PaimonMergeMemory: Sendable {
    private let counts = Mutex<(held: Int, peak: Int)>((0, 0))

    package init() {}

    /// The most rows held at once so far.
    package var peakRows: Int { counts.withLock { $0.peak } }

    func hold(_ rows: Int) {
        counts.withLock {
            $0.held += rows
            $0.peak = max($0.peak, $0.held)
        }
    }

    func release(_ rows: Int) { counts.withLock { $0.held -= rows } }
}

/// The leaf positions of the columns a primary-key merge reads directly: the trimmed key columns (`_KEY_<k>`),
/// `_SEQUENCE_NUMBER`, `_VALUE_KIND` and the `sequence.field` value columns, each a top-level primitive column.
struct PaimonKeyValueColumns {
    var keys: [Int]
    var sequence: Int
    var kind: Int
    var userSequence: [Int] = []

    init(_ schema: ParquetSchema, keys names: [String], userSequence fields: [String] = [], file: String) throws(PaimonError) {
        func leaf(_ name: String) throws(PaimonError) -> Int {
            guard let column = schema.column(path: [name]), column.maxRepetitionLevel == 0 else {
                throw .invalidFile(file, "data files lack the column \(name)")
            }
            return column.index
        }
        keys = []
        for name in names { keys.append(try leaf("_KEY_\(name)")) }
        sequence = try leaf("_SEQUENCE_NUMBER")
        kind = try leaf("_VALUE_KIND")
        for name in fields { userSequence.append(try leaf(name)) }
    }
}

/// One top-level primitive column of a row group, read by row: the non-null values and, for an optional column,
/// where each row's value is (-1 for null).
struct PaimonFlatColumn {
    let values: ColumnValues
    let positions: [Int32]?

    init(_ data: ColumnData, maxDefinitionLevel: Int16) {
        values = data.values
        guard maxDefinitionLevel > 0 else {
            positions = nil
            return
        }
        var next: Int32 = 0
        positions = data.definitionLevels.map { level in
            guard level == maxDefinitionLevel else { return -1 }
            defer { next += 1 }
            return next
        }
    }

    /// The value index of `row`, or nil when it is null.
    @inline(__always) func position(_ row: Int) -> Int? {
        guard let positions else { return row }
        let position = positions[row]
        return position < 0 ? nil : Int(position)
    }

    func int64(_ row: Int) -> Int64? {
        guard let at = position(row), case .int64(let values) = values else { return nil }
        return values[at]
    }

    func int32(_ row: Int) -> Int32? {
        guard let at = position(row), case .int32(let values) = values else { return nil }
        return values[at]
    }

    /// The stored value of `row` as a `ParquetValue`.
    func value(_ row: Int) -> ParquetValue {
        guard let at = position(row) else { return .null }
        switch values {
        case .boolean(let values): return .boolean(values[at])
        case .int32(let values): return .int32(values[at])
        case .int64(let values): return .int64(values[at])
        case .int96(let values): return .int96(values[at])
        case .float(let values): return .float(values[at])
        case .double(let values): return .double(values[at])
        case .byteArray(let values): return .bytes(Array(values[at]))
        case .fixedLenByteArray(let values): return .bytes(Array(values.data[(at * values.width)..<((at + 1) * values.width)]))
        }
    }

    /// Paimon's key order of row `a` here and row `b` of `other` (nulls first, strings and binaries by unsigned
    /// bytes); nil for values that are not comparable.
    static func compare(_ column: PaimonFlatColumn, _ a: Int, _ other: PaimonFlatColumn, _ b: Int) -> Int? {
        @inline(__always) func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (column.position(a), other.position(b)) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let i?, let j?):
            switch (column.values, other.values) {
            case (.int64(let x), .int64(let y)): return sign(x[i], y[j])
            case (.int32(let x), .int32(let y)): return sign(x[i], y[j])
            case (.byteArray(let x), .byteArray(let y)):
                let p = x.offsets[i]
                let pEnd = x.offsets[i + 1]
                let q = y.offsets[j]
                let qEnd = y.offsets[j + 1]
                let common = min(pEnd - p, qEnd - q)
                // memcmp orders by unsigned bytes, as Paimon does; one call per comparison on the merge's hot path.
                if common > 0 {
                    let order = x.data.withUnsafeBytes { a in y.data.withUnsafeBytes { b in memcmp(a.baseAddress! + p, b.baseAddress! + q, common) } }
                    if order != 0 { return order < 0 ? -1 : 1 }
                }
                return sign(pEnd - p, qEnd - q)
            case (.boolean(let x), .boolean(let y)): return sign(x[i] ? 1 : 0, y[j] ? 1 : 0)
            case (.float(let x), .float(let y)): return x[i].isNaN || y[j].isNaN ? nil : sign(x[i], y[j])
            case (.double(let x), .double(let y)): return x[i].isNaN || y[j].isNaN ? nil : sign(x[i], y[j])
            default: return nil
            }
        }
    }
}

/// One decoded row group of a sorted run: its columns as the writer takes them, its key, sequence and kind columns
/// read by row, and, for merge functions that combine fields, its rows assembled on first use. Counted in the
/// merge's memory while anything refers to it.
final class PaimonRowGroup {
    let columns: [ColumnData]
    let keys: [PaimonFlatColumn]
    let sequence: PaimonFlatColumn
    let kind: PaimonFlatColumn
    /// The `sequence.field` columns.
    let userSequence: [PaimonFlatColumn]
    let rowCount: Int
    private let schema: ParquetSchema
    private let memory: PaimonMergeMemory
    private var assembled: [ParquetValue]?

    init(columns: [ColumnData], schema: ParquetSchema, layout: PaimonKeyValueColumns, memory: PaimonMergeMemory) {
        self.columns = columns
        self.schema = schema
        self.memory = memory
        func flat(_ index: Int) -> PaimonFlatColumn {
            PaimonFlatColumn(columns[index], maxDefinitionLevel: schema.columns[index].maxDefinitionLevel)
        }
        keys = layout.keys.map(flat)
        sequence = flat(layout.sequence)
        kind = flat(layout.kind)
        userSequence = layout.userSequence.map(flat)
        rowCount = columns.first?.rowCount ?? 0
        memory.hold(rowCount)
    }

    deinit { memory.release(rowCount) }

    /// Row `row`'s fields (one per top-level column).
    func fields(_ row: Int) throws -> [ParquetValue] {
        if assembled == nil { assembled = try RecordAssembler.rows(schema: schema, columns: columns) }
        guard case .group(let fields) = assembled![row] else { throw PaimonError.invalidFile("row group", "a row is not a record") }
        return fields
    }
}

/// One input file of a merge read as a sorted run, a row group at a time, through a ranged source: the current row
/// group and the position in it.
struct PaimonSortedRun {
    let reader: ParquetFileReader
    let location: String
    let order: Int
    private let layout: PaimonKeyValueColumns
    private let memory: PaimonMergeMemory
    /// The file positions its deletion vector deletes: those rows are passed over.
    private let deleted: RoaringPositionBitmap?
    private var nextGroup = 0
    /// The file position of the current row group's first row, and of the next one's.
    private var groupStart: Int64 = 0
    private var nextGroupStart: Int64 = 0
    private(set) var group: PaimonRowGroup?
    private(set) var row = 0

    init(
        reader: ParquetFileReader, location: String, order: Int, layout: PaimonKeyValueColumns, memory: PaimonMergeMemory,
        deleted: RoaringPositionBitmap? = nil
    ) {
        self.reader = reader
        self.location = location
        self.order = order
        self.layout = layout
        self.memory = memory
        self.deleted = deleted
    }

    /// Moves to the next row its deletion vector keeps; false once the run is exhausted.
    mutating func advance() throws -> Bool {
        while try step() {
            guard let deleted, deleted.contains(groupStart + Int64(row)) else { return true }
        }
        return false
    }

    /// Moves to the next row of the file.
    private mutating func step() throws -> Bool {
        if let group, row + 1 < group.rowCount {
            row += 1
            return true
        }
        group = nil
        while nextGroup < reader.rowGroupCount {
            let columns = try reader.readRowGroup(nextGroup)
            nextGroup += 1
            let loaded = PaimonRowGroup(columns: columns, schema: reader.schema, layout: layout, memory: memory)
            groupStart = nextGroupStart
            nextGroupStart += Int64(loaded.rowCount)
            if loaded.rowCount > 0 {
                group = loaded
                row = 0
                return true
            }
        }
        return false
    }
}
