/// Builds an `AvroReadPlan` from a writer and a reader schema, following the specification's resolution rules
/// (or Iceberg's field-id matching). Record plans are memoised by (writer, reader) name, so recursive schemas
/// resolve to a finite table.
struct AvroResolver {
    let writerNames: AvroNameTable
    let readerNames: AvroNameTable
    let matching: AvroFieldMatching
    var records: [AvroRecordPlan] = []
    private var recordIndex: [String: Int] = [:]
    var skipRecords: [[AvroSkipNode]] = []
    private var skipIndex: [String: Int] = [:]

    init(writerNames: AvroNameTable, readerNames: AvroNameTable, matching: AvroFieldMatching) {
        self.writerNames = writerNames
        self.readerNames = readerNames
        self.matching = matching
    }

    mutating func node(writer: AvroSchema, reader: AvroSchema, path: String) throws(AvroError) -> AvroReadNode {
        let writer = try writerNames.resolve(writer)
        let reader = try readerNames.resolve(reader)
        if case .union(let writerBranches) = writer.type {
            var nodes: [AvroReadNode] = []
            for branch in writerBranches {
                let branch = try writerNames.resolve(branch)
                if case .union(let readerBranches) = reader.type {
                    if let index = try bestBranch(for: branch, in: readerBranches) {
                        nodes.append(
                            .readerBranch(index, try node(writer: branch, reader: readerBranches[index], path: path)))
                    } else {
                        nodes.append(
                            .unreadable("\(where: path)writer branch \(branch.type.name) is not in the reader's union"))
                    }
                } else if try matches(branch, reader, promoting: true) {
                    nodes.append(try node(writer: branch, reader: reader, path: path))
                } else {
                    nodes.append(
                        .unreadable(
                            "\(where: path)writer branch \(branch.type.name) cannot be read as \(reader.type.name)"))
                }
            }
            if !nodes.isEmpty && nodes.allSatisfy({ if case .unreadable = $0 { true } else { false } }) {
                throw .incompatibleSchemas(
                    "\(where: path)no branch of the writer's union can be read as \(describe(reader))")
            }
            return .writerUnion(nodes)
        }
        if case .union(let readerBranches) = reader.type {
            guard let index = try bestBranch(for: writer, in: readerBranches) else {
                throw .incompatibleSchemas("\(where: path)\(describe(writer)) is not in the reader's union")
            }
            return .readerBranch(index, try node(writer: writer, reader: readerBranches[index], path: path))
        }
        switch (writer.type, reader.type) {
        case (.null, .null): return .null
        case (.boolean, .boolean): return .boolean
        case (.int, .int): return .int
        case (.int, .long): return .intAsLong
        case (.int, .float): return .intAsFloat
        case (.int, .double): return .intAsDouble
        case (.long, .long): return .long
        case (.long, .float): return .longAsFloat
        case (.long, .double): return .longAsDouble
        case (.float, .float): return .float
        case (.float, .double): return .floatAsDouble
        case (.double, .double): return .double
        case (.bytes, .bytes): return .bytes
        case (.bytes, .string): return .bytesAsString
        case (.string, .string): return .string
        case (.string, .bytes): return .stringAsBytes
        case (.fixed(let w), .fixed(let r)):
            guard w.size == r.size, namesMatch(w.name, r.name, aliases: r.aliases) else {
                throw .incompatibleSchemas(
                    "\(where: path)fixed \(w.name)(\(w.size)) cannot be read as fixed \(r.name)(\(r.size))")
            }
            return .fixed(w.size)
        case (.enumeration(let w), .enumeration(let r)):
            guard namesMatch(w.name, r.name, aliases: r.aliases) else {
                throw .incompatibleSchemas("\(where: path)enum \(w.name) cannot be read as enum \(r.name)")
            }
            let fallback = r.defaultSymbol.flatMap { r.symbols.firstIndex(of: $0) } ?? -1
            return .enumeration(w.symbols.map { r.symbols.firstIndex(of: $0) ?? fallback }, writerSymbols: w.symbols)
        case (.array(let w), .array(let r)):
            return .array(try node(writer: w, reader: r, path: path + "[]"), itemsAreEmpty: try encodesToNothing(w))
        case (.map(let w), .map(let r)):
            return .map(try node(writer: w, reader: r, path: path + "{}"))
        case (.record(let w), .record(let r)):
            guard namesMatch(w.name, r.name, aliases: r.aliases) else {
                throw .incompatibleSchemas("\(where: path)record \(w.name) cannot be read as record \(r.name)")
            }
            return .record(try recordPlan(writer: w, reader: r, path: path))
        default:
            throw .incompatibleSchemas("\(where: path)\(describe(writer)) cannot be read as \(describe(reader))")
        }
    }

    private mutating func recordPlan(writer: AvroRecordSchema, reader: AvroRecordSchema, path: String) throws(AvroError)
        -> Int
    {
        let key = writer.name.fullName + "\u{0}" + reader.name.fullName
        if let index = recordIndex[key] { return index }
        let index = records.count
        recordIndex[key] = index
        records.append(AvroRecordPlan())

        // Which reader field each writer field feeds.
        var target = [Int?](repeating: nil, count: writer.fields.count)
        for (readerPosition, readerField) in reader.fields.enumerated() {
            var match: Int?
            if matching == .byFieldID, let id = readerField.fieldID {
                match = writer.fields.firstIndex { $0.fieldID == id }
            } else {
                match =
                    writer.fields.firstIndex { $0.name == readerField.name }
                    ?? writer.fields.firstIndex { readerField.aliases.contains($0.name) }
            }
            if let match {
                guard target[match] == nil else {
                    throw .incompatibleSchemas(
                        "\(where: path)two reader fields match writer field \(writer.fields[match].name)")
                }
                target[match] = readerPosition
            }
        }
        var plan = AvroRecordPlan()
        plan.fieldCount = reader.fields.count
        var nextPosition = 0
        for (writerPosition, writerField) in writer.fields.enumerated() {
            if let position = target[writerPosition] {
                let fieldPath = path.isEmpty ? reader.fields[position].name : path + "." + reader.fields[position].name
                plan.steps.append(
                    .read(
                        try node(writer: writerField.type, reader: reader.fields[position].type, path: fieldPath),
                        position: position))
                if position != nextPosition { plan.appendsInOrder = false }
                nextPosition += 1
            } else {
                plan.steps.append(.skip(try skipNode(writerField.type)))
            }
        }
        let matched = Set(target.compactMap { $0 })
        for (position, field) in reader.fields.enumerated() where !matched.contains(position) {
            let fieldPath = path.isEmpty ? field.name : path + "." + field.name
            let value: AvroValue
            if let json = field.defaultValue {
                do throws(AvroError) {
                    value = try AvroValue(default: json, schema: field.type, names: readerNames)
                } catch {
                    throw .invalidSchema("\(where: fieldPath)bad default: \(error)")
                }
            } else if matching == .byFieldID, let nullBranch = try nullBranch(of: field.type) {
                value = .union(nullBranch, .null)
            } else {
                throw .incompatibleSchemas("reader field \(fieldPath) is not in the writer's schema and has no default")
            }
            if position != nextPosition { plan.appendsInOrder = false }
            nextPosition += 1
            plan.defaults.append((position, value))
        }
        records[index] = plan
        return index
    }

    private func nullBranch(of schema: AvroSchema) throws(AvroError) -> Int? {
        guard case .union(let branches) = try readerNames.resolve(schema).type else { return nil }
        return branches.firstIndex { $0.type == .null }
    }

    /// The reader union branch for a writer schema: the first of the same type, else the first it promotes to.
    private func bestBranch(for writer: AvroSchema, in branches: [AvroSchema]) throws(AvroError) -> Int? {
        for (index, branch) in branches.enumerated() where try matches(writer, branch, promoting: false) {
            return index
        }
        for (index, branch) in branches.enumerated() where try matches(writer, branch, promoting: true) {
            return index
        }
        return nil
    }

    /// Whether a (non-union) writer schema can be read as a (non-union) reader schema, looking one level deep.
    private func matches(_ writer: AvroSchema, _ reader: AvroSchema, promoting: Bool) throws(AvroError) -> Bool {
        let writer = try writerNames.resolve(writer)
        let reader = try readerNames.resolve(reader)
        switch (writer.type, reader.type) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float), (.double, .double),
            (.bytes, .bytes), (.string, .string), (.array, .array), (.map, .map):
            return true
        case (.int, .long), (.int, .float), (.int, .double), (.long, .float), (.long, .double), (.float, .double),
            (.bytes, .string), (.string, .bytes):
            return promoting
        case (.record(let w), .record(let r)):
            return namesMatch(w.name, r.name, aliases: r.aliases)
        case (.enumeration(let w), .enumeration(let r)):
            return namesMatch(w.name, r.name, aliases: r.aliases)
        case (.fixed(let w), .fixed(let r)):
            return w.size == r.size && namesMatch(w.name, r.name, aliases: r.aliases)
        default:
            return false
        }
    }

    /// Unqualified names are compared (as the specification says), and reader aliases may name the writer; when
    /// matching by field id, names of records, enums and fixed types do not matter (Iceberg ignores them).
    private func namesMatch(_ writer: AvroName, _ reader: AvroName, aliases: [String]) -> Bool {
        matching == .byFieldID || writer.name == reader.name
            || aliases.contains { $0 == writer.fullName || $0 == writer.name }
    }

    private func describe(_ schema: AvroSchema) -> String {
        if let name = schema.fullName { return "\(schema.type.name) \(name)" }
        return schema.type.name
    }

    /// Whether values of a writer schema take no bytes at all.
    private mutating func encodesToNothing(_ schema: AvroSchema) throws(AvroError) -> Bool {
        if case .nothing = try skipNode(schema) { return true }
        return false
    }

    /// The skipper for a writer schema.
    mutating func skipNode(_ schema: AvroSchema) throws(AvroError) -> AvroSkipNode {
        let schema = try writerNames.resolve(schema)
        switch schema.type {
        case .null: return .nothing
        case .boolean: return .fixed(1)
        case .int, .long, .enumeration: return .varint
        case .float: return .fixed(4)
        case .double: return .fixed(8)
        case .bytes, .string: return .lengthPrefixed
        case .fixed(let fixed): return fixed.size == 0 ? .nothing : .fixed(fixed.size)
        case .array(let items): return .array(try skipNode(items))
        case .map(let values): return .map(try skipNode(values))
        case .union(let branches):
            var nodes: [AvroSkipNode] = []
            for branch in branches { nodes.append(try skipNode(branch)) }
            return .union(nodes)
        case .reference: throw .invalidSchema("reference \(schema.type.name) resolves to another reference")
        case .record(let record):
            let key = record.name.fullName
            if let index = skipIndex[key] { return .record(index) }
            let index = skipRecords.count
            skipIndex[key] = index
            skipRecords.append([])
            var fields: [AvroSkipNode] = []
            for field in record.fields { fields.append(try skipNode(field.type)) }
            skipRecords[index] = fields
            // A record of fields that take no bytes takes none itself (a recursive record always has a union).
            if fields.allSatisfy({ if case .nothing = $0 { true } else { false } }) { return .nothing }
            return .record(index)
        }
    }
}

extension String.StringInterpolation {
    /// `"field a.b: "` before a message, or nothing at the top level.
    fileprivate mutating func appendInterpolation(where path: String) {
        if !path.isEmpty { appendLiteral("field \(path): ") }
    }
}
