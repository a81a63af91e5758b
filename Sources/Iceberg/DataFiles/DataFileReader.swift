import IcebergSpec
import JSONCoding
import Parquet

/// Reads an Iceberg Parquet data file for rewriting, one row group at a time, as the leaf columns of the table's
/// schema matched BY FIELD ID: columns the file lacks read as nulls of the right shape (following a sibling's
/// levels inside structs, lists and maps), renamed columns match by id, int→long, float→double and decimal
/// widening (INT32/INT64/FIXED/BINARY to a wider form) are applied, timestamps in other units or INT96 are
/// converted. Each row carries its position in the file.
package struct DataFileReader: Sendable {
    package let path: String
    package let file: ParquetFileReader
    /// The output columns: the table schema as Iceberg writes it to Parquet.
    package let schema: ParquetSchema
    package let rowLineage: RowLineage?
    private let sources: [LeafSource]
    private let firstPositions: [Int64]

    /// Opens `path` to read it as `tableSchema`. Pass `rowLineage` (v3 tables) to fill the `_row_id` and
    /// `_last_updated_sequence_number` columns when `tableSchema` holds them (see `Schema.withRowLineageFields`),
    /// and the table's `nameMapping` to read files written without field ids.
    package init(path: String, tableSchema: Schema, rowLineage: RowLineage? = nil, nameMapping: NameMapping? = nil)
        throws(DataFileError)
    {
        let file: ParquetFileReader
        do { file = try ParquetFileReader(path: path) } catch { throw .parquet(path, error) }
        try self.init(file: file, path: path, tableSchema: tableSchema, rowLineage: rowLineage, nameMapping: nameMapping)
    }

    /// Reads an opened file as `tableSchema`. A file without any field id needs `nameMapping`; reading it by
    /// position or name alone could silently lose data. Fields the file lacks read as their `initial-default`
    /// (primitive fields) or as nulls.
    package init(
        file: ParquetFileReader, path: String, tableSchema: Schema, rowLineage: RowLineage? = nil,
        nameMapping: NameMapping? = nil
    ) throws(DataFileError) {
        let schema = try IcebergParquetSchema.parquetSchema(for: tableSchema)
        let fields = tableSchema.fieldsById()
        self.path = path
        self.file = file
        self.schema = schema
        self.rowLineage = rowLineage
        var fileSchema = file.schema
        if fileSchema.columns.allSatisfy({ $0.fieldID == nil }) {
            guard let nameMapping else {
                throw .schemaMismatch(path, "the file has no field ids and the table has no name mapping")
            }
            fileSchema = try nameMapping.applied(to: fileSchema)
        }
        let fileChains = LeafChain.chains(fileSchema)
        let targetChains = LeafChain.chains(schema)
        var byKey: [[Int32]: Int] = [:]
        for (index, chain) in fileChains.enumerated() where byKey[chain.key] == nil { byKey[chain.key] = index }
        var sources: [LeafSource] = []
        for (index, target) in targetChains.enumerated() {
            let column = schema.columns[index]
            let field = column.fieldID.flatMap { fields[Int($0)]?.field }
            sources.append(try LeafSource(
                target: target, column: column, initialDefault: try field.flatMap { (field) throws(DataFileError) in
                    try Self.initialDefault(field, path: path)
                }, fileChains: fileChains, fileKeys: byKey, path: path))
        }
        self.sources = sources
        var positions: [Int64] = []
        var next: Int64 = 0
        for group in file.metadata.rowGroups {
            positions.append(next)
            next += group.numRows
        }
        self.firstPositions = positions
    }

    /// A primitive field's `initial-default` as a value of its Parquet column (nil when it has none).
    private static func initialDefault(_ field: NestedField, path: String) throws(DataFileError) -> ColumnValues?
    {
        guard let json = field.initialDefault, !json.isNull else { return nil }
        let unsupported = DataFileError.unsupported("initial-default \(json.rendered()) of field \(field.name) (\(path))")
        guard case .primitive(let type) = field.type else { throw unsupported }
        switch type {
        case .boolean:
            guard let value = json.boolValue else { throw unsupported }
            return .boolean([value])
        case .int:
            guard let value = json.int64Value.flatMap({ Int32(exactly: $0) }) else { throw unsupported }
            return .int32([value])
        case .long:
            guard let value = json.int64Value else { throw unsupported }
            return .int64([value])
        case .float:
            guard let value = json.doubleValue else { throw unsupported }
            return .float([Float(value)])
        case .double:
            guard let value = json.doubleValue else { throw unsupported }
            return .double([value])
        case .string:
            guard let text = json.stringValue else { throw unsupported }
            var bytes = ByteArrays()
            bytes.append(Array(text.utf8))
            return .byteArray(bytes)
        default:
            throw unsupported
        }
    }

    package var rowGroupCount: Int { file.rowGroupCount }
    package var rowCount: Int { file.rowCount }

    /// For each output leaf, the file column whose stored pages already are that column as the table writes it (same
    /// field, physical type, width, levels and logical type, so reading would convert nothing): the file's row
    /// groups can then be copied as they are stored (`ParquetFileWriter.appendStoredRowGroup`). Nil when any
    /// leaf needs reading, and for v3 rewrites, whose row-lineage columns are filled in on reading.
    package var storedColumns: [Int]? {
        guard rowLineage == nil else { return nil }
        var columns: [Int] = []
        for (leaf, source) in sources.enumerated() {
            guard let column = source.storedColumn(target: schema.columns[leaf], fileSchema: file.schema) else { return nil }
            columns.append(column)
        }
        return columns
    }

    /// Row group `index` as a batch of the output schema, with file positions.
    package func readRowGroup(_ index: Int) throws(DataFileError) -> DataBatch {
        guard index >= 0 && index < rowGroupCount else {
            throw .invalidArgument("row group \(index) of \(rowGroupCount) in \(path)")
        }
        // The footer's row count is checked against a decoded column before columns of nulls are made with it.
        let probe = sources.lazy.compactMap(\.fileColumn).first ?? 0
        var cache: [Int: ColumnData] = [:]
        do { cache[probe] = try file.readColumn(rowGroup: index, column: probe) } catch { throw .parquet(path, error) }
        let rows = cache[probe]?.rowCount ?? 0
        guard Int64(rows) == file.metadata.rowGroups[index].numRows else {
            throw .schemaMismatch(path, "row group \(index) says \(file.metadata.rowGroups[index].numRows) rows, its columns hold \(rows)")
        }
        var columns: [ColumnData] = []
        columns.reserveCapacity(sources.count)
        for (leaf, source) in sources.enumerated() {
            var data: ColumnData
            if let fileColumn = source.fileColumn {
                let raw: ColumnData
                if let cached = cache[fileColumn] {
                    raw = cached
                } else {
                    do { raw = try file.readColumn(rowGroup: index, column: fileColumn) } catch { throw .parquet(path, error) }
                    cache[fileColumn] = raw
                }
                data = try source.apply(raw, target: schema.columns[leaf], file: file.schema.columns[fileColumn], path: path)
            } else {
                data = source.allNull(rows: rows, target: schema.columns[leaf])
            }
            do { try data.validate(against: schema.columns[leaf]) } catch { throw .parquet(path, error) }
            guard data.rowCount == rows else {
                throw .schemaMismatch(path, "column \(schema.columns[leaf].dottedPath) has \(data.rowCount) rows, expected \(rows)")
            }
            if let rowLineage {
                data = Self.inherit(data, field: schema.columns[leaf].fieldID, lineage: rowLineage,
                    firstPosition: firstPositions[index])
            }
            columns.append(data)
        }
        let first = firstPositions[index]
        return DataBatch(schema: schema, columns: columns, positions: (0..<Int64(rows)).map { first + $0 })
    }

    /// Fills null row-lineage values with the inherited ones.
    private static func inherit(_ data: ColumnData, field: Int32?, lineage: RowLineage, firstPosition: Int64) -> ColumnData {
        let inherited: (Int64) -> Int64?
        switch field.map(Int.init) {
        case IcebergParquetSchema.rowIDFieldID:
            guard let first = lineage.firstRowId else { return data }
            inherited = { first + firstPosition + $0 }
        case IcebergParquetSchema.lastUpdatedSequenceNumberFieldID:
            guard let sequence = lineage.dataSequenceNumber else { return data }
            inherited = { _ in sequence }
        default:
            return data
        }
        guard case .int64(let present) = data.values, !data.definitionLevels.isEmpty, data.repetitionLevels.isEmpty
        else { return data }
        var values: [Int64] = []
        values.reserveCapacity(data.definitionLevels.count)
        var levels = data.definitionLevels
        var next = 0
        for (row, level) in data.definitionLevels.enumerated() {
            if level == 1 {
                values.append(present[next])
                next += 1
            } else if let value = inherited(Int64(row)) {
                values.append(value)
                levels[row] = 1
            }
        }
        return ColumnData(values: .int64(values), definitionLevels: levels)
    }
}

/// How one output column is made from the file: which file column, how its levels map, and whether its values are
/// kept (the column itself) or dropped (a sibling lending its shape to a column the file lacks).
private struct LeafSource: Sendable {
    var fileColumn: Int?
    /// Target definition level for each file definition level.
    var definitionMap: [Int16]
    /// File slots repeating deeper than this are continuations of a sibling's lists: dropped.
    var repetitionLimit: Int16
    var keepsValues: Bool
    /// For a column the file lacks: its `initial-default`, given to every slot where the field's parent is present
    /// (definition level `defaultLevel`).
    var initialDefault: ColumnValues?
    var defaultLevel: Int16 = 0

    init(
        target: LeafChain, column: ColumnDescriptor, initialDefault: ColumnValues?, fileChains: [LeafChain],
        fileKeys: [[Int32]: Int], path: String
    ) throws(DataFileError) {
        try self.init(target: target, column: column, hasDefault: initialDefault != nil, fileChains: fileChains,
            fileKeys: fileKeys, path: path)
        if let initialDefault, !keepsValues {
            // The parent's level: where the missing leaf's own node would start to be defined.
            let own = target.definitionLevels.last ?? 0
            let optional: Int16 = column.repetition == .required ? 0 : 1
            self.initialDefault = initialDefault
            self.defaultLevel = own - optional
        }
    }

    private init(
        target: LeafChain, column: ColumnDescriptor, hasDefault: Bool, fileChains: [LeafChain], fileKeys: [[Int32]: Int],
        path: String
    ) throws(DataFileError) {
        let name = column.dottedPath
        if let index = fileKeys[target.key] {
            let chain = fileChains[index]
            try Self.checkAligned(target, chain, through: target.ids.count - 1, name: name, path: path)
            self.init(fileColumn: index, chain: chain, target: target, ancestor: target.ids.count - 1, keepsValues: true)
            return
        }
        // The file lacks this column: find the deepest ancestor it has, and a column under it to copy the shape of.
        guard target.definitionLevels[0] > 0 || target.ids.count > 1 || hasDefault else {
            throw .schemaMismatch(path, "required column \(name) (field \(target.ids[0].map(String.init) ?? "?")) is missing")
        }
        let idIndices = target.ids.indices.filter { target.ids[$0] != nil }
        for depth in stride(from: idIndices.count - 1, through: 1, by: -1) {
            let prefix = Array(target.key.prefix(depth))
            guard let index = fileChains.firstIndex(where: { $0.key.starts(with: prefix) }) else { continue }
            let ancestor = idIndices[depth - 1]
            try Self.checkAligned(target, fileChains[index], through: ancestor, name: name, path: path)
            guard target.definitionLevels[ancestor] < column.maxDefinitionLevel || hasDefault else {
                throw .schemaMismatch(path, "required column \(name) is missing")
            }
            guard !hasDefault || ancestor == target.ids.count - 2 else {
                throw .unsupported("initial-default of \(name) inside a struct the file also lacks (\(path))")
            }
            self.init(fileColumn: index, chain: fileChains[index], target: target, ancestor: ancestor, keepsValues: false)
            return
        }
        guard target.definitionLevels[0] > 0 || hasDefault else {
            throw .schemaMismatch(path, "required column \(name) is missing")
        }
        guard !hasDefault || target.ids.count == 1 else {
            throw .unsupported("initial-default of \(name) inside a struct the file also lacks (\(path))")
        }
        self.init(fileColumn: nil, definitionMap: [], repetitionLimit: 0, keepsValues: false)
    }

    private init(fileColumn: Int?, definitionMap: [Int16], repetitionLimit: Int16, keepsValues: Bool) {
        self.fileColumn = fileColumn
        self.definitionMap = definitionMap
        self.repetitionLimit = repetitionLimit
        self.keepsValues = keepsValues
    }

    private init(fileColumn: Int, chain: LeafChain, target: LeafChain, ancestor: Int, keepsValues: Bool) {
        let maxLevel = chain.definitionLevels.last ?? 0
        let map: [Int16] = (0...maxLevel).map { level in
            let deepest = min(chain.deepestPresent(at: level), ancestor)
            return deepest < 0 ? 0 : target.definitionLevels[deepest]
        }
        self.init(fileColumn: fileColumn, definitionMap: map, repetitionLimit: target.repetitionLevels[ancestor],
            keepsValues: keepsValues)
    }

    /// Checks that file and table agree on the nodes down to `last`: same ids, lists and maps in the same places.
    private static func checkAligned(_ target: LeafChain, _ file: LeafChain, through last: Int, name: String, path: String)
        throws(DataFileError)
    {
        guard file.ids.count > last else { throw .schemaMismatch(path, "column \(name) has a different nesting") }
        for index in 0...last {
            guard file.ids[index] == target.ids[index] || target.ids[index] == nil,
                file.repetitionLevels[index] == target.repetitionLevels[index]
            else { throw .schemaMismatch(path, "column \(name) is nested differently (two-level lists are not read)") }
        }
        if last == target.ids.count - 1 && file.ids.count != target.ids.count {
            throw .schemaMismatch(path, "column \(name) is a group in the file")
        }
    }

    /// The file column, when its stored values and levels are the target column's exactly: no level mapping, no
    /// conversion (decimals may differ only in precision, which changes no stored value).
    func storedColumn(target: ColumnDescriptor, fileSchema: ParquetSchema) -> Int? {
        guard let fileColumn, keepsValues else { return nil }
        let file = fileSchema.columns[fileColumn]
        guard file.physicalType == target.physicalType, file.typeLength == target.typeLength,
            file.maxDefinitionLevel == target.maxDefinitionLevel, file.maxRepetitionLevel == target.maxRepetitionLevel,
            definitionMap.enumerated().allSatisfy({ Int16($0.offset) == $0.element })
        else { return nil }
        switch (file.logicalType, target.logicalType) {
        case (.decimal(_, let fileScale), .decimal(_, let targetScale)): return fileScale == targetScale ? fileColumn : nil
        case let (fileType, targetType): return fileType == targetType ? fileColumn : nil
        }
    }

    /// A column of nulls, one per row, for a column whose top-level field the file lacks.
    func allNull(rows: Int, target: ColumnDescriptor) -> ColumnData {
        defaulted(ColumnData(
            values: ColumnData.emptyValues(target.physicalType, typeLength: target.typeLength),
            definitionLevels: Array(repeating: 0, count: rows),
            repetitionLevels: target.maxRepetitionLevel > 0 ? Array(repeating: 0, count: rows) : []), target: target)
    }

    /// A missing column's slots where the parent is present, given the initial default.
    private func defaulted(_ data: ColumnData, target: ColumnDescriptor) -> ColumnData {
        guard let initialDefault else {
            if target.maxDefinitionLevel > 0 { return data }
            return ColumnData(values: data.values, repetitionLevels: data.repetitionLevels)
        }
        var definitions = data.definitionLevels
        var count = 0
        for index in definitions.indices where definitions[index] == defaultLevel {
            definitions[index] = target.maxDefinitionLevel
            count += 1
        }
        let values = initialDefault.gathering(Array(repeating: 0..<1, count: count))
        return ColumnData(
            values: values, definitionLevels: target.maxDefinitionLevel > 0 ? definitions : [],
            repetitionLevels: data.repetitionLevels)
    }

    /// The file column's data as the target column.
    func apply(_ raw: ColumnData, target: ColumnDescriptor, file: ColumnDescriptor, path: String) throws(DataFileError)
        -> ColumnData
    {
        let identityLevels = keepsValues && file.maxDefinitionLevel == target.maxDefinitionLevel
            && file.maxRepetitionLevel == target.maxRepetitionLevel
            && definitionMap.enumerated().allSatisfy { Int16($0.offset) == $0.element }
        var result: ColumnData
        if identityLevels {
            result = raw
        } else {
            var definitions: [Int16] = []
            var repetitions: [Int16] = []
            let slots = raw.levelCount
            definitions.reserveCapacity(slots)
            let fileMax = file.maxDefinitionLevel
            for slot in 0..<slots {
                let repetition = raw.repetitionLevels.isEmpty ? 0 : raw.repetitionLevels[slot]
                if repetition > repetitionLimit { continue }
                let level = raw.definitionLevels.isEmpty ? fileMax : raw.definitionLevels[slot]
                guard level >= 0 && level <= fileMax else {
                    throw .schemaMismatch(path, "column \(file.dottedPath) has definition level \(level)")
                }
                definitions.append(definitionMap[Int(level)])
                repetitions.append(repetition)
            }
            guard keepsValues else {
                return defaulted(ColumnData(
                    values: ColumnData.emptyValues(target.physicalType, typeLength: target.typeLength),
                    definitionLevels: definitions,
                    repetitionLevels: target.maxRepetitionLevel > 0 ? repetitions : []), target: target)
            }
            let values = raw.values
            result = ColumnData(
                values: values, definitionLevels: target.maxDefinitionLevel > 0 ? definitions : [],
                repetitionLevels: target.maxRepetitionLevel > 0 ? repetitions : [])
        }
        result.values = try ValuePromotion.convert(result.values, from: file, to: target, path: path)
        return result
    }
}
