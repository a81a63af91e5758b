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
