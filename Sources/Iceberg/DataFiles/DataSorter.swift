import IcebergSpec
import Parquet

/// Sorts the rows of a rewrite task by a table sort order (identity and transform keys, ascending or descending,
/// nulls first or last), in memory: a task's input is bounded (a few hundred MiB), so its batches are
/// concatenated, keyed once per row, and reordered by a stable sort. Sort keys must be primitive columns outside
/// lists and maps.
package enum DataSorter {
    package static func sort(_ batches: [DataBatch], by order: SortOrder, schema: Schema) throws(DataFileError)
        -> DataBatch
    {
        let parquetSchema = try IcebergParquetSchema.parquetSchema(for: schema)
        let all = try DataBatch.concatenating(batches, schema: parquetSchema)
        guard !order.fields.isEmpty, all.rowCount > 1 else { return all }
        var keys: [[Literal?]] = []
        for sortField in order.fields {
            var column: [Literal?] = []
            column.reserveCapacity(all.rowCount)
            for value in try all.literals(fieldID: sortField.sourceId, schema: schema) {
                do { column.append(try value.flatMap { try sortField.transform.apply($0) }) } catch {
                    throw .unsupported("sort transform \(sortField.transform) on field \(sortField.sourceId): \(error)")
                }
            }
            keys.append(column)
        }
        let permutation = (0..<all.rowCount).sorted { left, right in
            for (index, sortField) in order.fields.enumerated() {
                let result = compare(keys[index][left], keys[index][right], sortField)
                if result != 0 { return result < 0 }
            }
            return left < right
        }
        var ranges: [Range<Int>] = []
        for row in permutation {
            if let last = ranges.last, last.upperBound == row {
                ranges[ranges.count - 1] = last.lowerBound..<row + 1
            } else {
                ranges.append(row..<row + 1)
            }
        }
        return all.rows(ranges)
    }

    /// Orders two keys of one sort field: nulls by the null order (not reversed by direction), values by the
    /// type's order, reversed when descending.
    package static func compare(_ left: Literal?, _ right: Literal?, _ field: SortField) -> Int {
        switch (left, right) {
        case (nil, nil): return 0
        case (nil, _): return field.nullOrder == .nullsFirst ? -1 : 1
        case (_, nil): return field.nullOrder == .nullsFirst ? 1 : -1
        case (let left?, let right?):
            let result = Literal.compare(left, right) ?? 0
            return field.direction == .ascending ? result : -result
        }
    }
}
