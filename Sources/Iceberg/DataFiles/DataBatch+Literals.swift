import IcebergSpec
import Parquet

extension DataBatch {
    /// Each row's value of a primitive field outside lists and maps (nil for null), as literals of its type in
    /// `schema` (the schema the batch was read as): sort keys, equality-delete keys.
    package func literals(fieldID: Int, schema: Schema) throws(DataFileError) -> [Literal?] {
        guard let field = schema.fieldsById()[fieldID], case .primitive(let type) = field.field.type,
            let leaf = self.schema.columns.firstIndex(where: {
                $0.fieldID.map(Int.init) == fieldID && $0.maxRepetitionLevel == 0
            })
        else { throw .unsupported("field \(fieldID) is not a primitive column outside lists and maps") }
        let data = columns[leaf]
        let layout = ColumnRowLayout(data, maxDefinitionLevel: self.schema.columns[leaf].maxDefinitionLevel)
        var result: [Literal?] = []
        result.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            let start = layout.valueStarts[row]
            guard layout.valueStarts[row + 1] > start, let value = data.values.parquetValue(at: start) else {
                result.append(nil)
                continue
            }
            result.append(DataFileMetrics.literal(value, type))
        }
        return result
    }
}

extension ColumnValues {
    /// Value `index` as a Parquet value (for keys, not for hot loops).
    package func parquetValue(at index: Int) -> ParquetValue? {
        guard index >= 0 && index < count else { return nil }
        switch self {
        case .boolean(let a): return .boolean(a[index])
        case .int32(let a): return .int32(a[index])
        case .int64(let a): return .int64(a[index])
        case .int96(let a): return .int96(a[index])
        case .float(let a): return .float(a[index])
        case .double(let a): return .double(a[index])
        case .byteArray(let a): return .bytes(Array(a[index]))
        case .fixedLenByteArray(let a): return .bytes(Array(a[index]))
        }
    }
}
