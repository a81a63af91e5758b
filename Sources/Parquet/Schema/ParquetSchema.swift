/// A file's schema as a tree, with its leaf columns in file order.
package struct ParquetSchema: Sendable, Hashable {
    /// The root group (its own repetition is ignored).
    package private(set) var root: SchemaNode
    /// Leaf columns, depth first: the order of column chunks in every row group.
    package private(set) var columns: [ColumnDescriptor] = []

    /// Deepest nesting accepted when reading a schema from a file.
    package static let maxDepth = 128

    /// Builds a schema from a root group, computing levels and leaves.
    package init(root: SchemaNode) throws(ParquetError) {
        var root = root
        root.repetition = .required
        var columns: [ColumnDescriptor] = []
        try Self.annotate(&root, path: [], definition: 0, repetition: 0, depth: 0, columns: &columns)
        self.root = root
        self.columns = columns
    }

    /// A schema whose root holds `fields`.
    package init(_ fields: [SchemaNode]) throws(ParquetError) {
        try self.init(root: .group("schema", repetition: .required, fields))
    }

    private static func annotate(
        _ node: inout SchemaNode, path: [String], definition: Int16, repetition: Int16, depth: Int,
        repeatedDefinitions: [Int16] = [], columns: inout [ColumnDescriptor]
    ) throws(ParquetError) {
        guard depth <= maxDepth else { throw .corrupt("schema nests deeper than \(maxDepth)") }
        var definition = definition
        var repetition = repetition
        if depth > 0 {
            if node.repetition != .required { definition += 1 }
            if node.repetition == .repeated { repetition += 1 }
        }
        node.definitionLevel = definition
        node.repetitionLevel = repetition
        let repeatedDefinitions =
            depth > 0 && node.repetition == .repeated ? repeatedDefinitions + [definition] : repeatedDefinitions
        let first = columns.count
        let path = depth > 0 ? path + [node.name] : path
        switch node.kind {
        case .primitive(let type, let typeLength):
            guard depth > 0 else { throw .invalidArgument("the schema root must be a group") }
            if type == .fixedLenByteArray, typeLength <= 0 {
                throw .invalidArgument("FIXED_LEN_BYTE_ARRAY column \(path.joined(separator: ".")) needs a length")
            }
            columns.append(
                ColumnDescriptor(
                    index: first, path: path, physicalType: type,
                    typeLength: type == .fixedLenByteArray ? typeLength : 0, logicalType: node.logicalType,
                    convertedType: node.convertedType, precision: node.precision, scale: node.scale,
                    repetition: node.repetition, maxDefinitionLevel: definition, maxRepetitionLevel: repetition,
                    fieldID: node.fieldID, repeatedDefinitionLevels: repeatedDefinitions))
        case .group(var children):
            for index in children.indices {
                try annotate(
                    &children[index], path: path, definition: definition, repetition: repetition, depth: depth + 1,
                    repeatedDefinitions: repeatedDefinitions, columns: &columns)
            }
            node.kind = .group(children)
        }
        node.leaves = first..<columns.count
    }

    // MARK: Footer form

    /// Rebuilds the tree from the footer's depth-first element list.
    package init(elements: [SchemaElement]) throws(ParquetError) {
        guard !elements.isEmpty else { throw .corrupt("the schema is empty") }
        var position = 0
        let root = try Self.node(from: elements, at: &position, depth: 0)
        guard position == elements.count else {
            throw .corrupt("the schema has \(elements.count - position) elements outside the root")
        }
        try self.init(root: root)
    }

    private static func node(from elements: [SchemaElement], at position: inout Int, depth: Int)
        throws(ParquetError) -> SchemaNode
    {
        guard depth <= maxDepth else { throw .corrupt("schema nests deeper than \(maxDepth)") }
        guard position < elements.count else { throw .corrupt("schema children run past the element list") }
        let element = elements[position]
        position += 1
        let precision = Int(element.precision ?? 0)
        let scale = Int(element.scale ?? 0)
        var logical = element.logicalType
        if logical == nil, let converted = element.convertedType {
            logical = SchemaNode.logicalType(for: converted, precision: precision, scale: scale)
        }
        let kind: SchemaNode.Kind
        if let children = element.numChildren, element.type == nil || depth == 0 {
            guard children >= 0, children <= elements.count - position else {
                throw .corrupt("schema element \(element.name) claims \(children) children")
            }
            var nodes: [SchemaNode] = []
            nodes.reserveCapacity(Int(children))
            for _ in 0..<children { nodes.append(try node(from: elements, at: &position, depth: depth + 1)) }
            kind = .group(nodes)
        } else if let type = element.type {
            let length = Int(element.typeLength ?? 0)
            if type == .fixedLenByteArray, length <= 0 {
                throw .corrupt("FIXED_LEN_BYTE_ARRAY column \(element.name) has length \(length)")
            }
            kind = .primitive(type, typeLength: length)
        } else if depth == 0 {
            kind = .group([])
        } else {
            throw .corrupt("schema element \(element.name) has neither a type nor children")
        }
        var node = SchemaNode(
            name: element.name, repetition: element.repetition ?? .required, kind: kind, logicalType: logical,
            convertedType: element.convertedType, precision: precision, scale: scale, fieldID: element.fieldID)
        if element.convertedType == nil { node.convertedType = nil }
        return node
    }

    /// The depth-first element list for the footer.
    package var elements: [SchemaElement] {
        var result: [SchemaElement] = []
        func visit(_ node: SchemaNode, isRoot: Bool) {
            var element = SchemaElement(name: node.name)
            element.repetition = isRoot ? nil : node.repetition
            element.fieldID = node.fieldID
            element.logicalType = node.logicalType
            element.convertedType = node.convertedType
            if node.convertedType == .decimal {
                element.precision = Int32(node.precision)
                element.scale = Int32(node.scale)
            }
            switch node.kind {
            case .primitive(let type, let length):
                element.type = type
                if type == .fixedLenByteArray { element.typeLength = Int32(length) }
                result.append(element)
            case .group(let children):
                element.numChildren = Int32(children.count)
                result.append(element)
                for child in children { visit(child, isRoot: false) }
            }
        }
        visit(root, isRoot: true)
        return result
    }

    // MARK: Lookup

    /// The leaf at a path of field names.
    package func column(path: [String]) -> ColumnDescriptor? { columns.first { $0.path == path } }

    /// The leaves under the field with this field id (one for a primitive field, several for a group).
    package func columns(fieldID: Int32) -> [ColumnDescriptor] {
        func find(_ node: SchemaNode) -> SchemaNode? {
            if node.fieldID == fieldID { return node }
            for child in node.children { if let found = find(child) { return found } }
            return nil
        }
        for child in root.children { if let node = find(child) { return Array(columns[node.leaves]) } }
        return []
    }

    /// The leaves under a path prefix (a leaf's own path, or a group's).
    package func columns(under prefix: [String]) -> [ColumnDescriptor] {
        columns.filter { $0.path.starts(with: prefix) }
    }
}
