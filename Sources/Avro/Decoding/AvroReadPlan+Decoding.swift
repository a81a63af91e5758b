import ByteCoding

extension AvroReadPlan {
    func read(_ node: AvroReadNode, _ cursor: inout ByteReader, depth: Int, _ budget: inout Int) throws(AvroError)
        -> AvroValue
    {
        switch node {
        case .null: return .null
        case .boolean: return .boolean(try cursor.avroBoolean())
        case .int: return .int(try cursor.avroInt())
        case .long: return .long(try cursor.avroLong())
        case .float: return .float(try cursor.avroFloat())
        case .double: return .double(try cursor.avroDouble())
        case .bytes: return .bytes(Array(try cursor.avroBytes()))
        case .string: return .string(try cursor.avroString())
        case .fixed(let size): return .fixed(Array(try cursor.avroFixed(size)))
        case .intAsLong: return .long(Int64(try cursor.avroInt()))
        case .intAsFloat: return .float(Float(try cursor.avroInt()))
        case .intAsDouble: return .double(Double(try cursor.avroInt()))
        case .longAsFloat: return .float(Float(try cursor.avroLong()))
        case .longAsDouble: return .double(Double(try cursor.avroLong()))
        case .floatAsDouble: return .double(Double(try cursor.avroFloat()))
        case .bytesAsString: return .string(try cursor.avroString())
        case .stringAsBytes: return .bytes(Array(try cursor.avroBytes()))
        case .enumeration(let mapping, let symbols):
            let start = cursor.offset
            let index = try cursor.avroLong()
            guard index >= 0, index < mapping.count else {
                throw .corrupt("enum index \(index) at byte \(start) is out of range 0..<\(mapping.count)")
            }
            let readerIndex = mapping[Int(index)]
            guard readerIndex >= 0 else {
                throw .incompatibleSchemas("enum symbol \(symbols[Int(index)]) is not in the reader's enum")
            }
            return .enumeration(readerIndex)
        case .array(let item, let itemsAreEmpty):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            var values: [AvroValue] = []
            while true {
                let (count, byteSize) = try cursor.avroBlockCount(itemsAreEmpty: itemsAreEmpty, budget: &budget)
                if count == 0 { break }
                let itemsStart = cursor.offset
                values.reserveCapacity(values.count + count)
                for _ in 0..<count { values.append(try read(item, &cursor, depth: depth + 1, &budget)) }
                try cursor.avroCheckBlockSize(byteSize, itemsStart: itemsStart)
            }
            return .array(values)
        case .map(let valueNode):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            var entries: [(key: String, value: AvroValue)] = []
            while true {
                let (count, byteSize) = try cursor.avroBlockCount(itemsAreEmpty: false, budget: &budget)
                if count == 0 { break }
                let itemsStart = cursor.offset
                entries.reserveCapacity(entries.count + count)
                for _ in 0..<count {
                    let key = try cursor.avroString()
                    entries.append((key, try read(valueNode, &cursor, depth: depth + 1, &budget)))
                }
                try cursor.avroCheckBlockSize(byteSize, itemsStart: itemsStart)
            }
            return .map(entries)
        case .record(let index):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            return try readRecord(records[index], &cursor, depth: depth + 1, &budget)
        case .writerUnion(let branches):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            let start = cursor.offset
            let index = try cursor.avroLong()
            guard index >= 0, index < branches.count else {
                throw .corrupt("union branch \(index) at byte \(start) is out of range 0..<\(branches.count)")
            }
            return try read(branches[Int(index)], &cursor, depth: depth + 1, &budget)
        case .readerBranch(let branch, let inner):
            return .union(branch, try read(inner, &cursor, depth: depth + 1, &budget))
        case .unreadable(let why):
            throw .incompatibleSchemas(why)
        }
    }

    private func readRecord(_ plan: AvroRecordPlan, _ cursor: inout ByteReader, depth: Int, _ budget: inout Int)
        throws(AvroError)
        -> AvroValue
    {
        if plan.appendsInOrder {
            var values: [AvroValue] = []
            values.reserveCapacity(plan.fieldCount)
            for step in plan.steps {
                switch step {
                case .read(let node, _): values.append(try read(node, &cursor, depth: depth, &budget))
                case .skip(let node): try skip(node, &cursor, depth: depth)
                }
            }
            for (_, value) in plan.defaults { values.append(value) }
            return .record(values)
        }
        var values = [AvroValue](repeating: .null, count: plan.fieldCount)
        for step in plan.steps {
            switch step {
            case .read(let node, let position): values[position] = try read(node, &cursor, depth: depth, &budget)
            case .skip(let node): try skip(node, &cursor, depth: depth)
            }
        }
        for (position, value) in plan.defaults { values[position] = value }
        return .record(values)
    }

    func skip(_ node: AvroSkipNode, _ cursor: inout ByteReader, depth: Int) throws(AvroError) {
        switch node {
        case .nothing: return
        case .varint: _ = try cursor.avroLong()
        case .fixed(let size): _ = try cursor.avroFixed(size)
        case .lengthPrefixed: _ = try cursor.avroBytes()
        case .array(let item), .map(let item):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            let isMap = if case .map = node { true } else { false }
            while true {
                let start = cursor.offset
                let count = try cursor.avroLong()
                if count == 0 { break }
                if count < 0 {
                    // A negative count is followed by the block's byte size: skip it whole.
                    let size = try cursor.avroLong()
                    guard size >= 0, size <= cursor.remaining else {
                        throw .corrupt("collection block size \(size) at byte \(start) is past the end")
                    }
                    _ = try cursor.avroFixed(Int(size))
                    continue
                }
                // Items that take no bytes (and map keys never do) need no walking.
                if !isMap, case .nothing = item { continue }
                guard count <= cursor.remaining else {
                    throw .corrupt("block of \(count) items at byte \(start) is larger than the bytes left")
                }
                for _ in 0..<count {
                    if isMap { _ = try cursor.avroBytes() }
                    try skip(item, &cursor, depth: depth + 1)
                }
            }
        case .union(let branches):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            let start = cursor.offset
            let index = try cursor.avroLong()
            guard index >= 0, index < branches.count else {
                throw .corrupt("union branch \(index) at byte \(start) is out of range 0..<\(branches.count)")
            }
            try skip(branches[Int(index)], &cursor, depth: depth + 1)
        case .record(let index):
            guard depth < Self.depthLimit else { throw Self.tooDeep }
            for field in skipRecords[index] { try skip(field, &cursor, depth: depth + 1) }
        }
    }

    private static var tooDeep: AvroError { .corrupt("values nest deeper than \(depthLimit) levels") }
}
