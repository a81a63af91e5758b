import IcebergSpec
import JSONCoding
import Testing

@Suite struct TransformTests {
    /// The spec's bucket hash test vectors (appendix B).
    @Test func bucketHashesMatchTheSpecVectors() throws {
        let uuid: [UInt8] = [0xF7, 0x9C, 0x3E, 0x09, 0x67, 0x7C, 0x4B, 0xBD, 0xA4, 0x79, 0x3F, 0x34, 0x9C, 0xB7, 0x85, 0xE7]
        let vectors: [(Literal, Int32)] = [
            (.int(34), 2_017_239_379),
            (.long(34), 2_017_239_379),
            (.decimal(unscaled: 1420, precision: 9, scale: 2), -500_754_589),
            (.date(17_486), -653_330_422),
            (.time(81_068_000_000), -662_762_989),
            (.timestamp(1_510_871_468_000_000), -2_047_944_441),
            (.timestamptz(1_510_871_468_000_000), -2_047_944_441),
            (.timestampNs(1_510_871_468_000_000_000), -2_047_944_441),
            (.timestamp(1_510_871_468_000_001), -1_207_196_810),
            (.timestamptzNs(1_510_871_468_000_001_001), -1_207_196_810),
            (.string("iceberg"), 1_210_000_089),
            (.string("34"), -427_558_391),
            (.uuid(uuid), 1_488_055_340),
            (.fixed([0, 1, 2, 3]), -188_683_207),
            (.binary([0, 1, 2, 3]), -188_683_207),
        ]
        for (value, hash) in vectors {
            // bucket[N] = (hash & Int.max) % N: with N = 2^31 - 1... use a large N to see the hash itself.
            let bucket = try Transform.bucket(Int(Int32.max)).apply(value)
            #expect(bucket == .int(Int32((Int(hash) & 0x7FFF_FFFF) % Int(Int32.max))), "\(value)")
        }
        #expect(Murmur3.hash32(long: 34) == 2_017_239_379)
    }

    @Test func bucketCountsAreApplied() throws {
        #expect(try Transform.bucket(16).apply(.int(34)) == .int(Int32(2_017_239_379 % 16)))
        #expect(try Transform.bucket(100).apply(.string("iceberg")) == .int(Int32(1_210_000_089 % 100)))
        #expect(throws: IcebergSpecError.self) { try Transform.bucket(4).apply(.double(1)) }
    }

    @Test func truncateRoundsTowardsNegativeInfinity() throws {
        #expect(try Transform.truncate(10).apply(.int(1)) == .int(0))
        #expect(try Transform.truncate(10).apply(.int(-1)) == .int(-10))
        #expect(try Transform.truncate(10).apply(.long(1_234)) == .long(1_230))
        #expect(
            try Transform.truncate(50).apply(.decimal(unscaled: 1065, precision: 9, scale: 2))
                == .decimal(unscaled: 1050, precision: 9, scale: 2))
        #expect(try Transform.truncate(3).apply(.string("iceberg")) == .string("ice"))
        #expect(try Transform.truncate(2).apply(.string("😀é🧊")) == .string("😀é"))
        #expect(try Transform.truncate(2).apply(.binary([1, 2, 3])) == .binary([1, 2]))
    }

    @Test func timeTransformsUseFloorSemantics() throws {
        // 1969-12-31: day -1, month -1, year -1.
        #expect(try Transform.day.apply(.date(-1)) == .date(-1))
        #expect(try Transform.month.apply(.date(-1)) == .int(-1))
        #expect(try Transform.year.apply(.date(-1)) == .int(-1))
        #expect(try Transform.hour.apply(.timestamp(-1)) == .int(-1))
        // 2017-11-16T22:31:08.
        let micros: Int64 = 1_510_871_468_000_000
        #expect(try Transform.year.apply(.timestamp(micros)) == .int(47))
        #expect(try Transform.month.apply(.timestamptz(micros)) == .int(47 * 12 + 10))
        #expect(try Transform.day.apply(.timestamp(micros)) == .date(17_486))
        #expect(try Transform.hour.apply(.timestampNs(micros * 1000)) == .int(Int32(micros / 3_600_000_000)))
        #expect(throws: IcebergSpecError.self) { try Transform.hour.apply(.date(3)) }
    }

    @Test func nullsAndVoid() throws {
        #expect(try Transform.bucket(3).apply(nil) == nil)
        #expect(try Transform.void.apply(.int(5)) == nil)
        #expect(throws: IcebergSpecError.self) { try Transform.unknown("zorder").apply(.int(1)) }
    }

    @Test(arguments: ["identity", "bucket[16]", "truncate[4]", "year", "month", "day", "hour", "void", "zorder"])
    func transformNamesRoundTrip(name: String) {
        #expect(Transform(name).description == name)
    }

    @Test func calendarConversionsAreInverse() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (year, month, day) = CivilCalendar.date(daysSinceEpoch: days)
            #expect(CivilCalendar.days(year: year, month: month, day: day) == days)
        }
    }
}

@Suite struct PartitionPathTests {
    @Test func pathsFollowJavasFormatting() {
        let spec = PartitionSpec(specId: 0, fields: [
            PartitionField(sourceId: 1, fieldId: 1000, name: "ts_year", transform: .year),
            PartitionField(sourceId: 1, fieldId: 1001, name: "ts_month", transform: .month),
            PartitionField(sourceId: 1, fieldId: 1002, name: "ts_day", transform: .day),
            PartitionField(sourceId: 1, fieldId: 1003, name: "ts_hour", transform: .hour),
            PartitionField(sourceId: 2, fieldId: 1004, name: "name", transform: .identity),
            PartitionField(sourceId: 3, fieldId: 1005, name: "blob", transform: .identity),
            PartitionField(sourceId: 4, fieldId: 1006, name: "id_bucket", transform: .bucket(4)),
            PartitionField(sourceId: 5, fieldId: 1007, name: "price", transform: .identity),
        ])
        let path = spec.path(for: [
            .int(54), .int(-1), .date(19_723), .int(-1), .string("a b/c:é"), .binary([0xFF, 0x00, 0x41]), nil,
            .decimal(unscaled: -1420, precision: 9, scale: 2),
        ])
        #expect(path == "ts_year=2024/ts_month=1969-12/ts_day=2024-01-01/ts_hour=1969-12-31-23/name=a+b%2Fc%3A%C3%A9/blob=%2FwBB/id_bucket=null/price=-14.20")
    }

    @Test func literalsRenderAsIcebergJSON() {
        #expect(Literal.timestamptz(0).json == .string("1970-01-01T00:00:00.000000+00:00"))
        #expect(Literal.decimal(unscaled: 5, precision: 9, scale: 3).json == .string("0.005"))
        #expect(Literal.uuid(Array(repeating: 0xAB, count: 16)).json == .string("abababab-abab-abab-abab-abababababab"))
        #expect(Literal.binary([1, 0xFE]).json == .string("01FE"))
    }
}
