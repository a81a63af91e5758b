import Execution
import JSONCoding
import Paimon
import Parquet
import Testing

/// `PaimonPartialUpdateMerge` on hand-built value rows, each expectation worked out by hand from Paimon's
/// `PartialUpdateMergeFunction` (1.1 to 2.0) and the `FieldAggregator`s' `agg` / `aggReversed` / `retract`.
///
/// The table: `id` (primary key), group 1 = sequence field `s1` guarding `a` and `b` (sum), group 2 = sequence
/// fields `t1, t2` guarding `c` and `d` (first_value), and `e` outside groups.
struct PaimonPartialUpdateMergeTests {
    static let groups = [
        "fields.s1.sequence-group": "a,b", "fields.b.aggregate-function": "sum",
        "fields.t1,t2.sequence-group": "c,d", "fields.d.aggregate-function": "first_value",
    ]

    static func schema(_ options: [String: String]) throws -> PaimonSchema {
        let text = """
            {"version": 3, "id": 0, "fields": [{"id": 0, "name": "id", "type": "BIGINT NOT NULL"}, {"id": 1, "name": "s1", "type": "INT"},
            {"id": 2, "name": "a", "type": "STRING"}, {"id": 3, "name": "b", "type": "BIGINT"}, {"id": 4, "name": "t1", "type": "INT"},
            {"id": 5, "name": "t2", "type": "BIGINT"}, {"id": 6, "name": "c", "type": "STRING"}, {"id": 7, "name": "d", "type": "STRING"},
            {"id": 8, "name": "e", "type": "STRING"}], "highestFieldId": 8, "partitionKeys": [], "primaryKeys": ["id"], "options": {}}
            """
        var schema = try PaimonSchema(json: try JSON.parse(Array(text.utf8)), location: "schema-0")
        schema.options = options.merging(["bucket": "1", "merge-engine": "partial-update"]) { a, _ in a }
        return schema
    }

    static func merge(_ options: [String: String] = groups, ignoreDelete: Bool = false) throws -> PaimonPartialUpdateMerge {
        PaimonPartialUpdateMerge(rules: try PaimonPartialUpdateRules(try schema(options), ignoreDelete: ignoreDelete), ignoreDelete: ignoreDelete,
            location: "test")
    }

    /// A value row: id, s1, a, b, t1, t2, c, d, e.
    static func row(_ s1: Int32?, _ a: String?, _ b: Int64?, _ t1: Int32?, _ t2: Int64?, _ c: String?, _ d: String?, _ e: String?)
        -> [ParquetValue]
    {
        [.int64(1), s1.map { .int32($0) } ?? .null, a.map { .string($0) } ?? .null, b.map { .int64($0) } ?? .null,
            t1.map { .int32($0) } ?? .null, t2.map { .int64($0) } ?? .null, c.map { .string($0) } ?? .null,
            d.map { .string($0) } ?? .null, e.map { .string($0) } ?? .null]
    }

    static let insert: Int32 = 0
    static let updateBefore: Int32 = 1
    static let delete: Int32 = 3

    /// Inserts out of group order: an older group sequence leaves the group alone but folds into its sum reversed;
    /// a null group sequence leaves the group alone; a newer one overwrites its fields, nulls included; the second
    /// sequence field decides when the first ties; fields outside groups take non-null values.
    @Test func insertsUpdateEachGroupByItsSequence() throws {
        var merge = try Self.merge()
        try merge.add(Self.row(2, "a2", 10, 1, 5, "c1", "d1", "e1"), kind: Self.insert, sequence: 1)
        try merge.add(Self.row(1, "a1", 5, nil, nil, "cX", "dX", nil), kind: Self.insert, sequence: 2)
        try merge.add(Self.row(3, nil, 7, 1, 6, "c2", "d2", "e3"), kind: Self.insert, sequence: 3)
        let result = merge.result
        #expect(result.fields == Self.row(3, nil, 22, 1, 6, "c2", "d1", "e3"))
        #expect(result.kind == Self.insert && result.sequence == 3)
    }

    /// A group with a null among its two sequence fields orders before the row's (nulls first), and first_value's
    /// reversed fold (`agg(input, accumulator)` once it has a value) takes the older record's value, null included.
    @Test func olderGroupSequenceFoldsReversed() throws {
        var merge = try Self.merge()
        try merge.add(Self.row(nil, nil, nil, 2, 0, "c-new", "new", nil), kind: Self.insert, sequence: 1)
        try merge.add(Self.row(nil, nil, nil, 1, 0, "c-old", "old", nil), kind: Self.insert, sequence: 2)
        #expect(merge.result.fields == Self.row(nil, nil, nil, 2, 0, "c-new", "old", nil))
        try merge.add(Self.row(nil, nil, nil, 2, nil, "c3", nil, nil), kind: Self.insert, sequence: 3)
        #expect(merge.result.fields == Self.row(nil, nil, nil, 2, 0, "c-new", nil, nil))
    }

    /// A newer retraction of a group moves its sequence, nulls its plain fields and retracts its sum; an older one
    /// only retracts the sum; fields outside groups and groups it has no sequence for stay. The result keeps the
    /// last record's sequence number and, after an insert, is an insert.
    @Test func retractionsRetractTheirGroups() throws {
        var merge = try Self.merge()
        try merge.add(Self.row(1, "a1", 10, 1, 1, "c1", "d1", "e1"), kind: Self.insert, sequence: 1)
        try merge.add(Self.row(2, "a1", 10, nil, nil, nil, nil, "e1"), kind: Self.updateBefore, sequence: 2)
        #expect(merge.result.fields == Self.row(2, nil, 0, 1, 1, "c1", "d1", "e1"))
        try merge.add(Self.row(3, "a3", 4, nil, nil, nil, nil, nil), kind: Self.insert, sequence: 3)
        #expect(merge.result.fields == Self.row(3, "a3", 4, 1, 1, "c1", "d1", "e1"))
        try merge.add(Self.row(1, "zz", 4, nil, nil, nil, nil, nil), kind: Self.delete, sequence: 4)
        let result = merge.result
        #expect(result.fields == Self.row(3, "a3", 0, 1, 1, "c1", "d1", "e1"))
        #expect(result.kind == Self.insert && result.sequence == 4)
    }

    /// Retractions alone: the first fills the row with its values, and the result is a -D.
    @Test func retractionsAloneMergeIntoADelete() throws {
        var merge = try Self.merge()
        try merge.add(Self.row(5, "a", 3, nil, nil, "c", "d", "e"), kind: Self.delete, sequence: 7)
        try merge.add(Self.row(6, "b", 2, nil, nil, nil, nil, nil), kind: Self.delete, sequence: 8)
        let result = merge.result
        #expect(result.fields == Self.row(6, nil, -2, nil, nil, "c", "d", "e"))
        #expect(result.kind == Self.delete && result.sequence == 8)
    }

    /// first_value cannot retract: a retraction that reaches it is an error, unless the field ignores retractions.
    @Test func aRetractionReachingFirstValueFails() throws {
        var merge = try Self.merge()
        try merge.add(Self.row(nil, nil, nil, 1, 1, "c", "d", nil), kind: Self.insert, sequence: 1)
        #expect(throws: PaimonError.self) {
            try merge.add(Self.row(nil, nil, nil, 2, 1, "c", "d", nil), kind: Self.updateBefore, sequence: 2)
        }
        var ignoring = try Self.merge(Self.groups.merging(["fields.d.ignore-retract": "true"]) { a, _ in a })
        try ignoring.add(Self.row(nil, nil, nil, 1, 1, "c", "d", nil), kind: Self.insert, sequence: 1)
        try ignoring.add(Self.row(nil, nil, nil, 2, 1, "c", "d", nil), kind: Self.updateBefore, sequence: 2)
        #expect(ignoring.result.fields == Self.row(nil, nil, nil, 2, 1, nil, "d", nil))
    }

    /// ignore-delete skips retractions, but a leading one still fills the row (and sets no sequence number).
    @Test func ignoreDeleteSkipsRetractionsButALeadingOneFills() throws {
        var merge = try Self.merge(ignoreDelete: true)
        try merge.add(Self.row(5, "old-a", 1, nil, nil, "c0", nil, "e0"), kind: Self.delete, sequence: 1)
        try merge.add(Self.row(4, "a4", 2, 1, 1, "c1", "d1", nil), kind: Self.insert, sequence: 2)
        let result = merge.result
        #expect(result.fields == Self.row(5, "old-a", 3, 1, 1, "c1", "d1", "e0"))
        #expect(result.kind == Self.insert && result.sequence == 2)
    }

    /// partial-update.remove-record-on-sequence-group: a newer -D of the named group removes the row (a -D of its
    /// values); a later insert starts from those values. A -U of the group only retracts it.
    @Test func removeRecordOnSequenceGroup() throws {
        let options = Self.groups.merging(["partial-update.remove-record-on-sequence-group": "s1"]) { a, _ in a }
        var merge = try Self.merge(options)
        try merge.add(Self.row(1, "a1", 10, 1, 1, "c1", "d1", "e1"), kind: Self.insert, sequence: 1)
        try merge.add(Self.row(2, "a1", 10, nil, nil, nil, nil, nil), kind: Self.updateBefore, sequence: 2)
        #expect(merge.result.fields == Self.row(2, nil, 0, 1, 1, "c1", "d1", "e1") && merge.result.kind == Self.insert)
        try merge.add(Self.row(3, "a1", 10, nil, nil, nil, nil, nil), kind: Self.delete, sequence: 3)
        #expect(merge.result.fields == Self.row(3, "a1", 10, nil, nil, nil, nil, nil))
        #expect(merge.result.kind == Self.delete && merge.result.sequence == 3)
        try merge.add(Self.row(4, "a4", 5, nil, nil, nil, nil, "e4"), kind: Self.insert, sequence: 4)
        #expect(merge.result.fields == Self.row(4, "a4", 15, nil, nil, nil, nil, "e4") && merge.result.kind == Self.insert)
    }

    /// partial-update.remove-record-on-delete (no groups): -U is skipped, -D removes the row (a -D of its values),
    /// and a later insert overwrites that row's fields with its non-null values.
    @Test func removeRecordOnDelete() throws {
        var merge = try Self.merge(["partial-update.remove-record-on-delete": "true"])
        try merge.add(Self.row(1, "a1", 10, 1, 1, "c1", "d1", "e1"), kind: Self.insert, sequence: 1)
        try merge.add(Self.row(nil, nil, nil, nil, nil, nil, nil, nil), kind: Self.updateBefore, sequence: 2)
        #expect(merge.result.fields == Self.row(1, "a1", 10, 1, 1, "c1", "d1", "e1"))
        #expect(merge.result.kind == Self.insert && merge.result.sequence == 2)
        try merge.add(Self.row(7, "a7", nil, nil, nil, nil, nil, nil), kind: Self.delete, sequence: 3)
        #expect(merge.result.fields == Self.row(7, "a7", nil, nil, nil, nil, nil, nil) && merge.result.kind == Self.delete)
        try merge.add(Self.row(nil, nil, 4, nil, nil, "c4", nil, nil), kind: Self.insert, sequence: 4)
        #expect(merge.result.fields == Self.row(7, "a7", 4, nil, nil, "c4", nil, nil) && merge.result.kind == Self.insert)
    }

    /// A null in a NOT NULL field (`id`) is an error where Paimon checks it: a leading retraction filling the row, and
    /// an insert without groups.
    @Test func aNullInANotNullFieldFails() throws {
        var row = Self.row(1, "a", 1, nil, nil, nil, nil, nil)
        row[0] = .null
        var grouped = try Self.merge()
        #expect(throws: PaimonError.self) { try grouped.add(row, kind: Self.delete, sequence: 1) }
        var plain = try Self.merge(["partial-update.remove-record-on-delete": "true"])
        #expect(throws: PaimonError.self) { try plain.add(row, kind: Self.insert, sequence: 1) }
        var fine = try Self.merge(["partial-update.remove-record-on-delete": "true"])
        try fine.add(Self.row(nil, nil, nil, nil, nil, nil, nil, nil), kind: Self.insert, sequence: 1)
    }

    /// reset forgets the previous key entirely.
    @Test func resetStartsAFreshKey() throws {
        var merge = try Self.merge()
        try merge.add(Self.row(1, "a1", 10, 1, 1, "c1", "d1", "e1"), kind: Self.insert, sequence: 9)
        merge.reset()
        try merge.add(Self.row(nil, nil, 1, nil, nil, nil, "d", nil), kind: Self.insert, sequence: 10)
        #expect(merge.result.fields == Self.row(nil, nil, nil, nil, nil, nil, nil, nil))
        merge.reset()
        #expect(merge.result.kind == Self.delete && merge.result.sequence == 0)
    }

    /// What Paimon refuses when it creates such a table is refused as unsupported; the table above is taken.
    @Test(arguments: [
        ["fields.s1.sequence-group": "zz"],
        ["fields.zz.sequence-group": "a"],
        ["fields.s1.sequence-group": "a", "fields.t1.sequence-group": "a"],
        ["fields.s1.sequence-group": "a", "fields.a.sequence-group": "b"],
        ["fields.s1.sequence-group": "a,a"],
        ["fields.s1.sequence-group": "id"],
        ["fields.id.sequence-group": "a"],
        ["fields.b.aggregate-function": "sum"],
        ["fields.s1.sequence-group": "a", "fields.default-aggregate-function": "max"],
        ["fields.s1.sequence-group": "b", "fields.b.aggregate-function": "count"],
        ["fields.s1.sequence-group": "b", "fields.b.aggregate-function": "rbm64"],
        ["fields.s1.sequence-group": "a", "fields.a.aggregate-function": "sum"],
        ["fields.s1.sequence-group": "b", "fields.s1.aggregate-function": "max", "fields.b.aggregate-function": "sum"],
        ["fields.s1.sequence-group": "a", "sequence.snapshot-ordering": "true"],
        ["partial-update.remove-record-on-delete": "true", "ignore-delete": "true"],
        ["partial-update.remove-record-on-delete": "true", "fields.s1.sequence-group": "a"],
        ["partial-update.remove-record-on-sequence-group": "s1", "fields.s1.sequence-group": "a", "ignore-delete": "true"],
        ["partial-update.remove-record-on-sequence-group": "a", "fields.s1.sequence-group": "a"],
        ["partial-update.remove-record-on-sequence-group": "s1"],
    ])
    func invalidOptionsAreRefused(options: [String: String]) throws {
        let schema = try Self.schema(options)
        #expect(throws: PaimonError.self, "\(options)") {
            try PaimonCompactionPlanner.refuseUnsupported(schema, try PaimonOptions(schema.options, hasPrimaryKey: true))
        }
    }

    @Test func theGroupedTableIsTaken() throws {
        for options in [Self.groups, ["fields.b.aggregate-function": "last_non_null_value"],
            Self.groups.merging(["fields.default-aggregate-function": "last_value", "fields.e.aggregate-function": "last_non_null_value"]) { a, _ in a },
            ["partial-update.remove-record-on-delete": "true"]]
        {
            let schema = try Self.schema(options)
            try PaimonCompactionPlanner.refuseUnsupported(schema, try PaimonOptions(schema.options, hasPrimaryKey: true))
        }
    }
}
