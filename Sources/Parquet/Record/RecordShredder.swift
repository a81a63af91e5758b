/// Splits nested rows into leaf columns with definition and repetition levels (the inverse of `RecordAssembler`).
/// For tests and convenience; bulk writers build `ColumnData` directly.
package struct RecordShredder {
    private let schema: ParquetSchema
    private var builders: [ColumnBuilder]

    /// Shreds `rows` (each a `.group` of the root's fields, at the logical level) into one `ColumnData` per leaf.
    package static func columns(schema: ParquetSchema, rows: [ParquetValue]) throws(ParquetError) -> [ColumnData] {
        var shredder = RecordShredder(
            schema: schema, builders: schema.columns.map { ColumnBuilder(column: $0) })
        let fields = schema.root.children
        for row in rows {
            guard case .group(let values) = row, values.count == fields.count else {
                throw .invalidArgument("a row must be a group of \(fields.count) fields, got \(row)")
            }
            for (field, value) in zip(fields, values) {
                try shredder.shred(field, try LogicalForm.physical(field, value), repetition: 0, definition: 0)
            }
        }
        return shredder.builders.map(\.data)
    }

    private mutating func shred(_ node: SchemaNode, _ value: ParquetValue, repetition: Int16, definition: Int16)
        throws(ParquetError)
    {
        switch node.repetition {
        case .repeated:
            let items: [ParquetValue]
            switch value {
            case .null: items = []
            case .list(let list): items = list
            default: throw .invalidArgument("field \(node.name) is repeated: expected a list")
            }
            if items.isEmpty {
                emitAbsent(node, repetition: repetition, definition: definition)
                return
            }
            for (index, item) in items.enumerated() {
                try shredSingle(
                    node, item, repetition: index == 0 ? repetition : node.repetitionLevel,
                    definition: node.definitionLevel)
            }
        case .optional:
            if value.isNull {
                emitAbsent(node, repetition: repetition, definition: definition)
            } else {
                try shredSingle(node, value, repetition: repetition, definition: node.definitionLevel)
            }
        case .required:
            guard !value.isNull else { throw .invalidArgument("required field \(node.name) is null") }
            try shredSingle(node, value, repetition: repetition, definition: definition)
        }
    }

    private mutating func shredSingle(_ node: SchemaNode, _ value: ParquetValue, repetition: Int16, definition: Int16)
        throws(ParquetError)
    {
        switch node.kind {
        case .primitive:
            let leaf = node.leaves.lowerBound
            try builders[leaf].append(value)
            builders[leaf].appendLevels(repetition: repetition, definition: definition)
        case .group(let children):
            guard case .group(let values) = value, values.count == children.count else {
                throw .invalidArgument("field \(node.name) is a group of \(children.count) fields, got \(value)")
            }
            for (child, childValue) in zip(children, values) {
                try shred(child, childValue, repetition: repetition, definition: definition)
            }
        }
    }

    private mutating func emitAbsent(_ node: SchemaNode, repetition: Int16, definition: Int16) {
        for leaf in node.leaves { builders[leaf].appendLevels(repetition: repetition, definition: definition) }
    }
}

/// Accumulates one leaf's values and levels, value by value.
struct ColumnBuilder {
    let column: ColumnDescriptor
    private(set) var data: ColumnData

    init(column: ColumnDescriptor) {
        self.column = column
        data = ColumnData(values: ColumnData.emptyValues(column.physicalType, typeLength: column.typeLength))
    }

    mutating func appendLevels(repetition: Int16, definition: Int16) {
        if column.maxRepetitionLevel > 0 { data.repetitionLevels.append(repetition) }
        if column.maxDefinitionLevel > 0 { data.definitionLevels.append(definition) }
    }

    mutating func append(_ value: ParquetValue) throws(ParquetError) {
        // Move the array out of the enum so appending does not copy it.
        let values = data.values
        data.values = .boolean([])
        switch (values, value) {
        case (.boolean(var array), .boolean(let x)):
            array.append(x)
            data.values = .boolean(array)
        case (.int32(var array), .int32(let x)):
            array.append(x)
            data.values = .int32(array)
        case (.int64(var array), .int64(let x)):
            array.append(x)
            data.values = .int64(array)
        case (.int96(var array), .int96(let x)):
            array.append(x)
            data.values = .int96(array)
        case (.float(var array), .float(let x)):
            array.append(x)
            data.values = .float(array)
        case (.double(var array), .double(let x)):
            array.append(x)
            data.values = .double(array)
        case (.byteArray(var array), .bytes(let x)):
            array.append(x)
            data.values = .byteArray(array)
        case (.fixedLenByteArray(var array), .bytes(let x)):
            guard x.count == array.width else {
                data.values = .fixedLenByteArray(array)
                throw .invalidArgument("column \(column.dottedPath) needs \(array.width)-byte values, got \(x.count)")
            }
            array.append(x)
            data.values = .fixedLenByteArray(array)
        default:
            data.values = values
            throw .invalidArgument("column \(column.dottedPath) of type \(column.physicalType) cannot hold \(value)")
        }
    }
}
