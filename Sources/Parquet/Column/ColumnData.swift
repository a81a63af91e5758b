/// One leaf column's content for a row group (or a whole file): the non-null values, typed, plus the definition
/// and repetition levels that say where nulls and list boundaries are. The unit the reader returns and the writer
/// takes.
///
/// Levels of a column whose maximum level is 0 are not stored: `definitionLevels` is empty when the column and all
/// its ancestors are required, `repetitionLevels` is empty when nothing above it repeats. Otherwise both hold one
/// entry per level slot (`levelCount`), and `values` holds one value per slot whose definition level is the maximum.
package struct ColumnData: Sendable, Equatable {
    package var values: ColumnValues
    package var definitionLevels: [Int16]
    package var repetitionLevels: [Int16]

    package init(values: ColumnValues, definitionLevels: [Int16] = [], repetitionLevels: [Int16] = []) {
        self.values = values
        self.definitionLevels = definitionLevels
        self.repetitionLevels = repetitionLevels
    }

    /// Number of level slots (values and nulls, including empty lists).
    package var levelCount: Int {
        if !definitionLevels.isEmpty { return definitionLevels.count }
        if !repetitionLevels.isEmpty { return repetitionLevels.count }
        return values.count
    }

    /// Number of rows: slots that start a new record.
    package var rowCount: Int {
        repetitionLevels.isEmpty ? levelCount : repetitionLevels.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    }

    /// An empty column of a physical type.
    package static func emptyValues(_ type: PhysicalType, typeLength: Int) -> ColumnValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .int96: .int96([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray: .byteArray(ByteArrays())
        case .fixedLenByteArray: .fixedLenByteArray(FixedLengthByteArrays(width: max(typeLength, 1)))
        }
    }

    /// Appends another column's slots (same physical type) after these.
    package mutating func append(contentsOf other: ColumnData) {
        definitionLevels += other.definitionLevels
        repetitionLevels += other.repetitionLevels
        let current = values
        values = .boolean([])  // release the payload so the arrays below are uniquely referenced
        switch (current, other.values) {
        case (.boolean(var a), .boolean(let b)): a += b; values = .boolean(a)
        case (.int32(var a), .int32(let b)): a += b; values = .int32(a)
        case (.int64(var a), .int64(let b)): a += b; values = .int64(a)
        case (.int96(var a), .int96(let b)): a += b; values = .int96(a)
        case (.float(var a), .float(let b)): a += b; values = .float(a)
        case (.double(var a), .double(let b)): a += b; values = .double(a)
        case (.byteArray(var a), .byteArray(let b)):
            let base = a.data.count
            a.data += b.data
            a.offsets += b.offsets.dropFirst().map { $0 + base }
            values = .byteArray(a)
        case (.fixedLenByteArray(var a), .fixedLenByteArray(let b)):
            a.data += b.data
            values = .fixedLenByteArray(a)
        default:
            preconditionFailure("appending \(other.values.physicalType) values to a \(current.physicalType) column")
        }
    }

    /// The slots from `slot` on (whose first value is value `value`) as a new column.
    package func suffix(fromSlot slot: Int, value: Int) -> ColumnData {
        let tail: ColumnValues
        switch values {
        case .boolean(let a): tail = .boolean(Array(a[value...]))
        case .int32(let a): tail = .int32(Array(a[value...]))
        case .int64(let a): tail = .int64(Array(a[value...]))
        case .int96(let a): tail = .int96(Array(a[value...]))
        case .float(let a): tail = .float(Array(a[value...]))
        case .double(let a): tail = .double(Array(a[value...]))
        case .byteArray(let a):
            let base = a.offsets[value]
            tail = .byteArray(ByteArrays(offsets: a.offsets[value...].map { $0 - base }, data: Array(a.data[base...])))
        case .fixedLenByteArray(let a):
            tail = .fixedLenByteArray(FixedLengthByteArrays(width: a.width, data: Array(a.data[(value * a.width)...])))
        }
        return ColumnData(
            values: tail, definitionLevels: definitionLevels.isEmpty ? [] : Array(definitionLevels[slot...]),
            repetitionLevels: repetitionLevels.isEmpty ? [] : Array(repetitionLevels[slot...]))
    }

    /// Approximate in-memory size in bytes (values and levels), for row-group sizing.
    package var estimatedBytes: Int {
        let valueBytes: Int
        switch values {
        case .boolean(let a): valueBytes = a.count
        case .int32(let a): valueBytes = a.count * 4
        case .float(let a): valueBytes = a.count * 4
        case .int64(let a): valueBytes = a.count * 8
        case .double(let a): valueBytes = a.count * 8
        case .int96(let a): valueBytes = a.count * 12
        case .byteArray(let a): valueBytes = a.data.count + a.count * 4
        case .fixedLenByteArray(let a): valueBytes = a.data.count
        }
        return valueBytes + 2 * (definitionLevels.count + repetitionLevels.count)
    }

    /// Checks that the levels and values agree with `column`'s maximum levels (the writer calls this first).
    package func validate(against column: ColumnDescriptor) throws(ParquetError) {
        let name = column.dottedPath
        guard values.physicalType == column.physicalType else {
            throw .invalidArgument("column \(name) holds \(values.physicalType) values, the schema says \(column.physicalType)")
        }
        if case .fixedLenByteArray(let fixed) = values, fixed.width != column.typeLength {
            throw .invalidArgument("column \(name) holds \(fixed.width)-byte values, the schema says \(column.typeLength)")
        }
        if column.maxDefinitionLevel == 0 {
            guard definitionLevels.isEmpty else { throw .invalidArgument("column \(name) is required: no definition levels") }
        }
        if column.maxRepetitionLevel == 0 {
            guard repetitionLevels.isEmpty else { throw .invalidArgument("column \(name) does not repeat: no repetition levels") }
        } else {
            guard repetitionLevels.count == levelCount else {
                throw .invalidArgument("column \(name) has \(repetitionLevels.count) repetition levels for \(levelCount) slots")
            }
            guard repetitionLevels.first ?? 0 == 0 else { throw .invalidArgument("column \(name) must start a row") }
        }
        var present = values.count
        if column.maxDefinitionLevel > 0 {
            guard definitionLevels.count == levelCount else {
                throw .invalidArgument("column \(name) has \(definitionLevels.count) definition levels for \(levelCount) slots")
            }
            present = 0
            for level in definitionLevels {
                guard level >= 0 && level <= column.maxDefinitionLevel else {
                    throw .invalidArgument("column \(name) has definition level \(level) above \(column.maxDefinitionLevel)")
                }
                if level == column.maxDefinitionLevel { present += 1 }
            }
        }
        for level in repetitionLevels where level < 0 || level > column.maxRepetitionLevel {
            throw .invalidArgument("column \(name) has repetition level \(level) above \(column.maxRepetitionLevel)")
        }
        // A slot that continues a list (repetition level r > 0) must have that list present.
        if column.maxRepetitionLevel > 0 {
            let needed = column.repeatedDefinitionLevels
            for slot in repetitionLevels.indices where repetitionLevels[slot] > 0 {
                let minimum = needed[Int(repetitionLevels[slot]) - 1]
                let level = definitionLevels.isEmpty ? column.maxDefinitionLevel : definitionLevels[slot]
                guard level >= minimum else {
                    throw .invalidArgument(
                        "column \(name) slot \(slot): repetition level \(repetitionLevels[slot]) with definition level \(level) below \(minimum)")
                }
            }
        }
        guard present == values.count else {
            throw .invalidArgument("column \(name) has \(values.count) values for \(present) non-null slots")
        }
    }
}
