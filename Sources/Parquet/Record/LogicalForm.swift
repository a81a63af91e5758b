/// Conversions between logical values and the physical form (repeated fields as `.list`, groups as `.group`).
enum LogicalForm {
    /// Physical → logical for a field reached from its parent.
    static func logical(_ node: SchemaNode, _ value: ParquetValue) -> ParquetValue {
        if node.repetition == .repeated {
            guard case .list(let items) = value else { return value }
            return .list(items.map { single(node, $0) })
        }
        return single(node, value)
    }

    /// Physical → logical for one occurrence of the node (its repetition already handled).
    static func single(_ node: SchemaNode, _ value: ParquetValue) -> ParquetValue {
        guard case .group(let children) = value, case .group(let nodes) = node.kind else { return value }
        switch NestedShape(node) {
        case .list(let repeated, let element):
            guard case .list(let items) = children[0] else { return .null }
            if let element {
                return .list(items.map { item in
                    guard case .group(let inner) = item else { return item }
                    return logical(element, inner[0])
                })
            }
            return .list(items.map { single(repeated, $0) })
        case .map(_, let key, let valueNode):
            guard case .list(let items) = children[0] else { return .null }
            return .map(items.map { item in
                guard case .group(let pair) = item else { return .init(key: item, value: .null) }
                let mappedValue = valueNode.map { logical($0, pair[1]) } ?? .null
                return .init(key: logical(key, pair[0]), value: mappedValue)
            })
        case .plain:
            return .group(zip(nodes, children).map { logical($0, $1) })
        }
    }

    /// Logical → physical for a field reached from its parent.
    static func physical(_ node: SchemaNode, _ value: ParquetValue) throws(ParquetError) -> ParquetValue {
        if node.repetition == .repeated {
            switch value {
            case .null: return .list([])
            case .list(let items):
                var result: [ParquetValue] = []
                result.reserveCapacity(items.count)
                for item in items { result.append(try physicalSingle(node, item)) }
                return .list(result)
            default: throw .invalidArgument("field \(node.name) is repeated: expected a list, got \(value)")
            }
        }
        return try physicalSingle(node, value)
    }

    static func physicalSingle(_ node: SchemaNode, _ value: ParquetValue) throws(ParquetError) -> ParquetValue {
        guard case .group(let nodes) = node.kind, !value.isNull else { return value }
        switch NestedShape(node) {
        case .list(let repeated, let element):
            guard case .list(let items) = value else {
                throw .invalidArgument("field \(node.name) is a LIST: expected a list, got \(value)")
            }
            var result: [ParquetValue] = []
            result.reserveCapacity(items.count)
            for item in items {
                if let element {
                    result.append(.group([try physical(element, item)]))
                } else {
                    result.append(try physicalSingle(repeated, item))
                }
            }
            return .group([.list(result)])
        case .map(_, let key, let valueNode):
            guard case .map(let entries) = value else {
                throw .invalidArgument("field \(node.name) is a MAP: expected a map, got \(value)")
            }
            var result: [ParquetValue] = []
            result.reserveCapacity(entries.count)
            for entry in entries {
                var pair = [try physical(key, entry.key)]
                if let valueNode { pair.append(try physical(valueNode, entry.value)) }
                result.append(.group(pair))
            }
            return .group([.list(result)])
        case .plain:
            guard case .group(let children) = value, children.count == nodes.count else {
                throw .invalidArgument("field \(node.name) is a group of \(nodes.count) fields, got \(value)")
            }
            var result: [ParquetValue] = []
            result.reserveCapacity(children.count)
            for (child, childValue) in zip(nodes, children) { result.append(try physical(child, childValue)) }
            return .group(result)
        }
    }
}
