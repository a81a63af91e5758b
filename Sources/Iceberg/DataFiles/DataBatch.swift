import Parquet

/// Rows of one or more data files as the leaf columns of `schema` (the table schema written as Parquet), with the
/// position in its source file of each row. Read from a file, positions ascend; after sorting they follow the rows.
package struct DataBatch: Sendable {
    package var schema: ParquetSchema
    /// One entry per leaf of `schema`, each holding `rowCount` rows.
    package var columns: [ColumnData]
    /// Source-file position of each row.
    package var positions: [Int64]

    package init(schema: ParquetSchema, columns: [ColumnData], positions: [Int64]) {
        self.schema = schema
        self.columns = columns
        self.positions = positions
    }

    package var rowCount: Int { positions.count }

    /// Approximate in-memory size in bytes.
    package var estimatedBytes: Int { columns.reduce(positions.count * 8) { $0 + $1.estimatedBytes } }

    /// The rows in `ranges` (row numbers of this batch, in the order given).
    package func rows(_ ranges: [Range<Int>]) -> DataBatch {
        var columns: [ColumnData] = []
        columns.reserveCapacity(self.columns.count)
        for (data, column) in zip(self.columns, schema.columns) {
            let layout = ColumnRowLayout(data, maxDefinitionLevel: column.maxDefinitionLevel)
            columns.append(data.taking(rows: ranges, layout: layout))
        }
        return DataBatch(schema: schema, columns: columns, positions: ColumnData.gather(positions, ranges))
    }

    /// The rows whose position `isDeleted` rejects, dropped (the closure sees each row's source position once).
    package func removingDeleted(_ isDeleted: (Int64) -> Bool) -> DataBatch {
        keeping { !isDeleted($0) }
    }

    /// The rows whose positions are in `sortedPositions` (ascending), dropped.
    package func removingDeleted(sortedPositions deleted: [Int64]) -> DataBatch {
        if deleted.isEmpty { return self }
        var cursor = 0
        var ascending = true
        var previous = Int64.min
        for position in positions {
            if position < previous { ascending = false; break }
            previous = position
        }
        if ascending {
            return keeping { position in
                while cursor < deleted.count && deleted[cursor] < position { cursor += 1 }
                return cursor >= deleted.count || deleted[cursor] != position
            }
        }
        return keeping { position in
            var low = 0
            var high = deleted.count
            while low < high {
                let middle = (low + high) / 2
                if deleted[middle] < position { low = middle + 1 } else { high = middle }
            }
            return low >= deleted.count || deleted[low] != position
        }
    }

    /// The rows for which `isDeleted` (given the row number in this batch) holds, dropped: for deletes decided on
    /// row values, such as equality deletes (see `literals(fieldID:schema:)`).
    package func removingRows(where isDeleted: (Int) -> Bool) -> DataBatch {
        keepingRows { !isDeleted($0) }
    }

    private func keeping(_ keep: (Int64) -> Bool) -> DataBatch {
        keepingRows { keep(positions[$0]) }
    }

    private func keepingRows(_ keep: (Int) -> Bool) -> DataBatch {
        var ranges: [Range<Int>] = []
        var start: Int?
        for row in positions.indices {
            if keep(row) {
                if start == nil { start = row }
            } else if let begun = start {
                ranges.append(begun..<row)
                start = nil
            }
        }
        if let begun = start { ranges.append(begun..<positions.count) }
        if ranges.count == 1 && ranges[0] == 0..<positions.count { return self }
        return rows(ranges)
    }

    /// The batches' rows one after another (all batches must share one schema).
    package static func concatenating(_ batches: [DataBatch], schema: ParquetSchema) throws(DataFileError) -> DataBatch {
        var columns = schema.columns.map {
            ColumnData(values: ColumnData.emptyValues($0.physicalType, typeLength: $0.typeLength))
        }
        var positions: [Int64] = []
        positions.reserveCapacity(batches.reduce(0) { $0 + $1.rowCount })
        for batch in batches {
            guard batch.schema == schema else { throw .invalidArgument("batches of different schemas") }
            for index in columns.indices { columns[index].append(contentsOf: batch.columns[index]) }
            positions += batch.positions
        }
        return DataBatch(schema: schema, columns: columns, positions: positions)
    }
}
