extension ColumnData {
    /// The rows whose entry in `keep` is true (one entry per row), with all their slots, levels and values: how
    /// a rewrite drops deleted rows without boxing values. `column` gives the maximum definition level.
    package func filtered(keepingRows keep: [Bool], column: ColumnDescriptor) throws(ParquetError) -> ColumnData {
        guard keep.count == rowCount else {
            throw .invalidArgument("a row filter of \(keep.count) entries for \(rowCount) rows of \(column.dottedPath)")
        }
        let slots = levelCount
        let maxDefinition = column.maxDefinitionLevel
        var keptSlots: [Int] = []
        var keptValues: [Int] = []
        keptSlots.reserveCapacity(slots)
        keptValues.reserveCapacity(values.count)
        var row = -1
        var value = 0
        for slot in 0..<slots {
            if repetitionLevels.isEmpty || repetitionLevels[slot] == 0 { row += 1 }
            let present = definitionLevels.isEmpty || definitionLevels[slot] == maxDefinition
            if keep[row] {
                keptSlots.append(slot)
                if present { keptValues.append(value) }
            }
            if present { value += 1 }
        }
        return ColumnData(
            values: Self.gather(values, keptValues),
            definitionLevels: definitionLevels.isEmpty ? [] : keptSlots.map { definitionLevels[$0] },
            repetitionLevels: repetitionLevels.isEmpty ? [] : keptSlots.map { repetitionLevels[$0] })
    }

    /// The values at `indices` (ascending), in order.
    private static func gather(_ values: ColumnValues, _ indices: [Int]) -> ColumnValues {
        switch values {
        case .boolean(let a): return .boolean(indices.map { a[$0] })
        case .int32(let a): return .int32(indices.map { a[$0] })
        case .int64(let a): return .int64(indices.map { a[$0] })
        case .int96(let a): return .int96(indices.map { a[$0] })
        case .float(let a): return .float(indices.map { a[$0] })
        case .double(let a): return .double(indices.map { a[$0] })
        case .byteArray(let a):
            var result = ByteArrays()
            var bytes = 0
            for index in indices { bytes += a.offsets[index + 1] - a.offsets[index] }
            result.reserveCapacity(values: indices.count, bytes: bytes)
            a.data.withUnsafeBytes { data in
                for index in indices {
                    result.append(UnsafeRawBufferPointer(rebasing: data[a.offsets[index]..<a.offsets[index + 1]]))
                }
            }
            return .byteArray(result)
        case .fixedLenByteArray(let a):
            var data: [UInt8] = []
            data.reserveCapacity(indices.count * a.width)
            a.data.withUnsafeBytes { bytes in
                for index in indices {
                    data.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(index * a.width)..<((index + 1) * a.width)]))
                }
            }
            return .fixedLenByteArray(FixedLengthByteArrays(width: a.width, data: data))
        }
    }
}
