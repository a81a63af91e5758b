/// How a schema node maps between its logical value and its physical (level) form, following the LIST and MAP
/// backward-compatibility rules of LogicalTypes.md.
package enum NestedShape {
    /// A LIST- or MAP-annotated group: the repeated child, and the element node under it (`nil` when the
    /// repeated child is itself the element: the legacy two-level form).
    case list(repeated: SchemaNode, element: SchemaNode?)
    case map(repeated: SchemaNode, key: SchemaNode, value: SchemaNode?)
    case plain

    package init(_ node: SchemaNode) {
        guard case .group(let children) = node.kind, children.count == 1, children[0].repetition == .repeated else {
            self = .plain
            return
        }
        let repeated = children[0]
        switch node.logicalType {
        case .list?:
            switch repeated.kind {
            case .primitive:
                self = .list(repeated: repeated, element: nil)
            case .group(let inner):
                if inner.count != 1 || repeated.name == "array" || repeated.name == node.name + "_tuple" {
                    self = .list(repeated: repeated, element: nil)
                } else {
                    self = .list(repeated: repeated, element: inner[0])
                }
            }
        case .map?:
            guard case .group(let inner) = repeated.kind, inner.count == 1 || inner.count == 2 else {
                self = .plain
                return
            }
            self = .map(repeated: repeated, key: inner[0], value: inner.count == 2 ? inner[1] : nil)
        default:
            self = .plain
        }
    }
}

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
