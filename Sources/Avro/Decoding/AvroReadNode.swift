/// One step of a resolved reader tree: how to decode a writer's value into the reader's shape.
indirect enum AvroReadNode: Sendable {
    case null, boolean, int, long, float, double, bytes, string
    case fixed(Int)
    /// Schema promotions the specification allows.
    case intAsLong, intAsFloat, intAsDouble, longAsFloat, longAsDouble, floatAsDouble, bytesAsString, stringAsBytes
    /// Writer symbol position → reader symbol position (`-1`: the reader has no such symbol and no default).
    case enumeration([Int], writerSymbols: [String])
    /// Items, and whether they encode to no bytes at all (so their count is not limited by the bytes left).
    case array(AvroReadNode, itemsAreEmpty: Bool)
    case map(AvroReadNode)
    /// An index into `AvroReadPlan.records`.
    case record(Int)
    /// A writer union: one node per writer branch.
    case writerUnion([AvroReadNode])
    /// A value that the reader holds in branch `Int` of its union.
    case readerBranch(Int, AvroReadNode)
    /// A writer union branch the reader cannot accept; an error only when data takes it.
    case unreadable(String)
}

/// One step of skipping a writer value that the reader does not want: no value is built.
indirect enum AvroSkipNode: Sendable {
    /// Null, and every type that encodes to no bytes: fixed(0), records of such fields.
    case nothing
    /// A zigzag varint: int, long, enum position.
    case varint
    case fixed(Int)
    /// A length-prefixed run: bytes, string.
    case lengthPrefixed
    case array(AvroSkipNode)
    case map(AvroSkipNode)
    case union([AvroSkipNode])
    /// An index into `AvroReadPlan.skipRecords`.
    case record(Int)
}

/// What a resolved record reads: the writer's fields in writer order, each read into a reader position or skipped,
/// then defaults for reader fields the writer lacks.
struct AvroRecordPlan: Sendable {
    /// What happens to one writer field.
    enum Step: Sendable {
        case read(AvroReadNode, position: Int)
        case skip(AvroSkipNode)
    }

    var steps: [Step] = []
    var fieldCount = 0
    var defaults: [(position: Int, value: AvroValue)] = []
    /// Reads land at positions 0, 1, 2... and defaults follow in order, so values can be appended.
    var appendsInOrder = true
}
