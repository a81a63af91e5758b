import Avro
import Testing

@Suite struct AvroValueTests {
    @Test func accessorsLookThroughUnions() {
        let record = AvroValue.union(1, .record([.union(1, .int(5)), .long(6), .union(0, .null), .string("s")]))
        let fields = record.fields ?? []
        #expect(fields.count == 4)
        #expect(fields[0].int64 == 5)
        #expect(fields[1].int64 == 6)
        #expect(fields[2].int64 == nil)
        #expect(fields[2].isNull)
        #expect(fields[3].string == "s")
        #expect(fields[3].int64 == nil)
        #expect(AvroValue.float(1.5).doubleValue == 1.5)
        #expect(AvroValue.union(0, .boolean(true)).bool == true)
        #expect(AvroValue.fixed([1]).byteArray == [1])
        #expect(AvroValue.bytes([2]).byteArray == [2])
        #expect(AvroValue.array([.null]).elements == [.null])
        #expect(AvroValue.map([("k", .null)]).entries?.first?.key == "k")
    }

    @Test func equalityComparesFloatsByBitPattern() {
        #expect(AvroValue.double(.nan) == .double(.nan))
        #expect(AvroValue.float(0) != .float(-0.0))
        #expect(AvroValue.long(1) != .int(1))
        #expect(AvroValue.union(0, .null) != .union(1, .null))
        #expect(AvroValue.map([("a", .null)]) != .map([("b", .null)]))
    }
}
