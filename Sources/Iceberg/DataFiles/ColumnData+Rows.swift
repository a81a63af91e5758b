import Parquet

/// Where each row of a column lives: row `r` covers level slots `slotStarts[r]..<slotStarts[r + 1]` and values
/// `valueStarts[r]..<valueStarts[r + 1]`. Rows start where the repetition level is 0.
package struct ColumnRowLayout: Sendable {
    package var slotStarts: [Int]
    package var valueStarts: [Int]

    package var rowCount: Int { slotStarts.count - 1 }

    /// The layout of `data`, whose present values are the slots at `maxDefinitionLevel`.
    package init(_ data: ColumnData, maxDefinitionLevel: Int16) {
        let slots = data.levelCount
        if data.repetitionLevels.isEmpty && data.definitionLevels.isEmpty {
            slotStarts = Array(0...slots)
            valueStarts = slotStarts
            return
        }
        var slotStarts: [Int] = []
        var valueStarts: [Int] = []
        slotStarts.reserveCapacity(slots + 1)
        valueStarts.reserveCapacity(slots + 1)
        var values = 0
        let repeats = !data.repetitionLevels.isEmpty
        let defined = !data.definitionLevels.isEmpty
        data.repetitionLevels.withUnsafeBufferPointer { reps in
            data.definitionLevels.withUnsafeBufferPointer { defs in
                for slot in 0..<slots {
                    if !repeats || reps[slot] == 0 {
                        slotStarts.append(slot)
                        valueStarts.append(values)
                    }
                    if !defined || defs[slot] == maxDefinitionLevel { values += 1 }
                }
            }
        }
        slotStarts.append(slots)
        valueStarts.append(values)
        self.slotStarts = slotStarts
        self.valueStarts = valueStarts
    }
}

extension ColumnData {
    /// The rows in `rows` (ranges of row numbers, in the order given) as a new column.
    package func taking(rows: [Range<Int>], layout: ColumnRowLayout) -> ColumnData {
        var slotRanges: [Range<Int>] = []
        var valueRanges: [Range<Int>] = []
        slotRanges.reserveCapacity(rows.count)
        valueRanges.reserveCapacity(rows.count)
        for range in rows where !range.isEmpty {
            slotRanges.append(layout.slotStarts[range.lowerBound]..<layout.slotStarts[range.upperBound])
            valueRanges.append(layout.valueStarts[range.lowerBound]..<layout.valueStarts[range.upperBound])
        }
        return ColumnData(
            values: values.gathering(valueRanges),
            definitionLevels: definitionLevels.isEmpty ? [] : Self.gather(definitionLevels, slotRanges),
            repetitionLevels: repetitionLevels.isEmpty ? [] : Self.gather(repetitionLevels, slotRanges))
    }

    static func gather<T>(_ array: [T], _ ranges: [Range<Int>]) -> [T] {
        var result: [T] = []
        result.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
        array.withUnsafeBufferPointer { source in
            for range in ranges {
                if range.count == 1 {
                    result.append(source[range.lowerBound])
                } else {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: source[range]))
                }
            }
        }
        return result
    }
}

extension ColumnValues {
    /// The values in `ranges` (in the order given), concatenated.
    package func gathering(_ ranges: [Range<Int>]) -> ColumnValues {
        switch self {
        case .boolean(let a): .boolean(ColumnData.gather(a, ranges))
        case .int32(let a): .int32(ColumnData.gather(a, ranges))
        case .int64(let a): .int64(ColumnData.gather(a, ranges))
        case .int96(let a): .int96(ColumnData.gather(a, ranges))
        case .float(let a): .float(ColumnData.gather(a, ranges))
        case .double(let a): .double(ColumnData.gather(a, ranges))
        case .byteArray(let a):
            .byteArray(ColumnValues.gather(a, ranges))
        case .fixedLenByteArray(let a):
            .fixedLenByteArray(FixedLengthByteArrays(
                width: a.width,
                data: ColumnData.gather(a.data, ranges.map { $0.lowerBound * a.width..<$0.upperBound * a.width })))
        }
    }

    private static func gather(_ a: ByteArrays, _ ranges: [Range<Int>]) -> ByteArrays {
        var offsets: [Int] = [0]
        offsets.reserveCapacity(ranges.reduce(1) { $0 + $1.count })
        var byteRanges: [Range<Int>] = []
        byteRanges.reserveCapacity(ranges.count)
        var end = 0
        a.offsets.withUnsafeBufferPointer { source in
            for range in ranges {
                let base = source[range.lowerBound]
                for index in range {
                    offsets.append(end + source[index + 1] - base)
                }
                let upper = source[range.upperBound]
                byteRanges.append(base..<upper)
                end += upper - base
            }
        }
        return ByteArrays(offsets: offsets, data: ColumnData.gather(a.data, byteRanges))
    }
}
