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

    /// Appends another column's slots (same physical type) after these, in place: the buffers grow
    /// geometrically, so appending batch after batch costs time linear in the rows.
    package mutating func append(contentsOf other: ColumnData) {
        definitionLevels += other.definitionLevels
        repetitionLevels += other.repetitionLevels
        values.append(contentsOf: other.values)
    }

    /// Slots `levels`, whose values are `values`, as a new column.
    package func subrange(levels: Range<Int>, values range: Range<Int>) -> ColumnData {
        let part: ColumnValues
        switch values {
        case .boolean(let a): part = .boolean(Array(a[range]))
        case .int32(let a): part = .int32(Array(a[range]))
        case .int64(let a): part = .int64(Array(a[range]))
        case .int96(let a): part = .int96(Array(a[range]))
        case .float(let a): part = .float(Array(a[range]))
        case .double(let a): part = .double(Array(a[range]))
        case .byteArray(let a):
            let base = a.offsets[range.lowerBound]
            part = .byteArray(
                ByteArrays(
                    offsets: a.offsets[range.lowerBound...range.upperBound].map { $0 - base },
                    data: Array(a.data[base..<a.offsets[range.upperBound]])))
        case .fixedLenByteArray(let a):
            part = .fixedLenByteArray(
                FixedLengthByteArrays(width: a.width, data: Array(a.data[(range.lowerBound * a.width)..<(range.upperBound * a.width)])))
        }
        return ColumnData(
            values: part, definitionLevels: definitionLevels.isEmpty ? [] : Array(definitionLevels[levels]),
            repetitionLevels: repetitionLevels.isEmpty ? [] : Array(repetitionLevels[levels]))
    }

    /// Approximate in-memory size in bytes (values and levels), for row-group sizing.
    package var estimatedBytes: Int { estimatedBytes(levels: 0..<levelCount, values: 0..<values.count) }

    /// Approximate in-memory size in bytes of slots `levels`, whose values are `values`.
    package func estimatedBytes(levels: Range<Int>, values range: Range<Int>) -> Int {
        let valueBytes: Int
        switch values {
        case .boolean: valueBytes = range.count
        case .int32, .float: valueBytes = range.count * 4
        case .int64, .double: valueBytes = range.count * 8
        case .int96: valueBytes = range.count * 12
        case .byteArray(let a): valueBytes = a.offsets[range.upperBound] - a.offsets[range.lowerBound] + range.count * 4
        case .fixedLenByteArray(let a): valueBytes = range.count * a.width
        }
        let levelArrays = (definitionLevels.isEmpty ? 0 : 1) + (repetitionLevels.isEmpty ? 0 : 1)
        return valueBytes + 2 * levelArrays * levels.count
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
