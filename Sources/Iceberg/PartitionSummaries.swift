import IcebergSpec

/// The per-partition-field summaries a manifest-list record carries: whether nulls or NaNs occur, and the
/// lowest and highest non-null, non-NaN value of each partition field over the manifest's entries.
package enum PartitionSummaries {
    package static func summaries(of files: [DataFile], spec: PartitionSpec, schema: Schema) throws(IcebergError)
        -> [FieldSummary]
    {
        var summaries = spec.fields.map { _ in FieldSummary(containsNull: false, containsNaN: false) }
        var lowers: [Literal?] = Array(repeating: nil, count: spec.fields.count)
        var uppers: [Literal?] = Array(repeating: nil, count: spec.fields.count)
        for file in files {
            for (index, value) in file.partition.enumerated() where index < summaries.count {
                guard let value else {
                    summaries[index].containsNull = true
                    continue
                }
                if case .float(let f) = value, f.isNaN { summaries[index].containsNaN = true; continue }
                if case .double(let d) = value, d.isNaN { summaries[index].containsNaN = true; continue }
                if lowers[index].map({ (Literal.compare(value, $0) ?? 0) < 0 }) ?? true { lowers[index] = value }
                if uppers[index].map({ (Literal.compare(value, $0) ?? 0) > 0 }) ?? true { uppers[index] = value }
            }
        }
        for index in summaries.indices {
            summaries[index].lowerBound = lowers[index]?.binary
            summaries[index].upperBound = uppers[index]?.binary
        }
        return summaries
    }
}
