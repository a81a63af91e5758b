import Parquet

/// The nodes from the schema root down to one leaf: field ids and the levels at each node.
struct LeafChain {
    var ids: [Int32?]
    var definitionLevels: [Int16]
    var repetitionLevels: [Int16]

    /// The non-nil field ids, root first: what matches a table column to a file column.
    var key: [Int32] { ids.compactMap { $0 } }

    static func chains(_ schema: ParquetSchema) -> [LeafChain] {
        var result: [LeafChain] = []
        func walk(_ node: SchemaNode, _ chain: LeafChain) {
            var chain = chain
            chain.ids.append(node.fieldID)
            chain.definitionLevels.append(node.definitionLevel)
            chain.repetitionLevels.append(node.repetitionLevel)
            if node.isPrimitive {
                result.append(chain)
            } else {
                for child in node.children { walk(child, chain) }
            }
        }
        for child in schema.root.children { walk(child, LeafChain(ids: [], definitionLevels: [], repetitionLevels: [])) }
        return result
    }

    /// The deepest node present at definition level `level` (-1 for none).
    func deepestPresent(at level: Int16) -> Int {
        var deepest = -1
        for (index, node) in definitionLevels.enumerated() where node <= level { deepest = index }
        return deepest
    }
}
