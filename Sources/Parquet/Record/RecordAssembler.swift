/// Rebuilds nested rows from leaf columns (Dremel record assembly driven by definition and repetition levels).
///
/// Works on any schema, including a projection made with `ParquetSchema.projected(to:)`; inconsistent levels are
/// `.corrupt`, never a crash.
package struct RecordAssembler {
    private let schema: ParquetSchema
    private let columns: [ColumnData]
    private var levelCursor: [Int]
    private var valueCursor: [Int]

    /// Assembles all rows of `columns` (one per leaf of `schema`, in order). Each row is a `.group` of the root's
    /// fields, at the logical level.
    package static func rows(schema: ParquetSchema, columns: [ColumnData]) throws(ParquetError) -> [ParquetValue] {
        guard columns.count == schema.columns.count else {
            throw .invalidArgument("\(columns.count) columns for a schema of \(schema.columns.count) leaves")
        }
        var assembler = RecordAssembler(
            schema: schema, columns: columns, levelCursor: Array(repeating: 0, count: columns.count),
            valueCursor: Array(repeating: 0, count: columns.count))
        return try assembler.assemble()
    }

    private mutating func assemble() throws(ParquetError) -> [ParquetValue] {
        var rows: [ParquetValue] = []
        guard !columns.isEmpty else { return rows }
        let fields = schema.root.children
        while levelCursor[0] < columns[0].levelCount {
            guard repetition(0) == 0 else { throw .corrupt("a row starts with repetition level \(repetition(0))") }
            var values: [ParquetValue] = []
            values.reserveCapacity(fields.count)
            for field in fields { values.append(LogicalForm.logical(field, try readField(field))) }
            rows.append(.group(values))
        }
        for (index, column) in columns.enumerated() {
            guard levelCursor[index] == column.levelCount, valueCursor[index] == column.values.count else {
                throw .corrupt("column \(schema.columns[index].dottedPath) has levels or values left over after \(rows.count) rows")
            }
        }
        return rows
    }

    private func definition(_ leaf: Int) -> Int16 {
        let levels = columns[leaf].definitionLevels
        return levels.isEmpty ? 0 : levels[levelCursor[leaf]]
    }

    private func repetition(_ leaf: Int) -> Int16 {
        let levels = columns[leaf].repetitionLevels
        return levels.isEmpty ? 0 : levels[levelCursor[leaf]]
    }

    private func hasLevel(_ leaf: Int) -> Bool { levelCursor[leaf] < columns[leaf].levelCount }

    private func requireLevel(_ leaf: Int) throws(ParquetError) {
        guard hasLevel(leaf) else { throw .corrupt("column \(schema.columns[leaf].dottedPath) ends too early") }
    }

    private mutating func readField(_ node: SchemaNode) throws(ParquetError) -> ParquetValue {
        guard !node.leaves.isEmpty else { return node.repetition == .repeated ? .list([]) : .group([]) }
        let first = node.leaves.lowerBound
        try requireLevel(first)
        switch node.repetition {
        case .repeated:
            if definition(first) < node.definitionLevel {
                try skipAbsent(node)
                return .list([])
            }
            var items: [ParquetValue] = []
            repeat {
                items.append(try readSingle(node))
            } while hasLevel(first) && repetition(first) == node.repetitionLevel
            return .list(items)
        case .optional:
            if definition(first) < node.definitionLevel {
                try skipAbsent(node)
                return .null
            }
            return try readSingle(node)
        case .required:
            return try readSingle(node)
        }
    }

    private mutating func readSingle(_ node: SchemaNode) throws(ParquetError) -> ParquetValue {
        switch node.kind {
        case .primitive:
            let leaf = node.leaves.lowerBound
            try requireLevel(leaf)
            guard definition(leaf) == schema.columns[leaf].maxDefinitionLevel else {
                throw .corrupt("column \(schema.columns[leaf].dottedPath): levels disagree with the schema")
            }
            let index = valueCursor[leaf]
            guard index < columns[leaf].values.count else {
                throw .corrupt("column \(schema.columns[leaf].dottedPath) has fewer values than its levels say")
            }
            valueCursor[leaf] += 1
            levelCursor[leaf] += 1
            return Self.element(columns[leaf].values, index)
        case .group(let children):
            var values: [ParquetValue] = []
            values.reserveCapacity(children.count)
            for child in children { values.append(try readField(child)) }
            return .group(values)
        }
    }

    /// The node is null or an empty list: every leaf below has exactly one slot for it.
    private mutating func skipAbsent(_ node: SchemaNode) throws(ParquetError) {
        for leaf in node.leaves {
            try requireLevel(leaf)
            levelCursor[leaf] += 1
        }
    }

    /// One value of a typed column as a `ParquetValue`.
    package static func element(_ values: ColumnValues, _ index: Int) -> ParquetValue {
        switch values {
        case .boolean(let array): .boolean(array[index])
        case .int32(let array): .int32(array[index])
        case .int64(let array): .int64(array[index])
        case .int96(let array): .int96(array[index])
        case .float(let array): .float(array[index])
        case .double(let array): .double(array[index])
        case .byteArray(let array): .bytes(Array(array[index]))
        case .fixedLenByteArray(let array): .bytes(Array(array[index]))
        }
    }
}

extension ParquetSchema {
    /// The schema reduced to the given leaves (and the groups above them), keeping their order and levels.
    package func projected(to leaves: [Int]) throws(ParquetError) -> ParquetSchema {
        let keep = Set(leaves)
        func prune(_ node: SchemaNode) -> SchemaNode? {
            switch node.kind {
            case .primitive: return keep.contains(node.leaves.lowerBound) ? node : nil
            case .group(let children):
                let kept = children.compactMap(prune)
                if kept.isEmpty { return nil }
                var copy = node
                copy.kind = .group(kept)
                return copy
            }
        }
        var root = root
        root.kind = .group(root.children.compactMap(prune))
        return try ParquetSchema(root: root)
    }
}
