import IcebergSpec
import Testing

/// Values at the ends of their types, as crafted files and metadata carry them: rendered or computed, never a trap.
@Suite struct ExtremeValueTests {
    @Test(arguments: [IcebergJSON.TimeUnit.milliseconds, .microseconds, .nanoseconds])
    func timestampsAndTimesRenderAtInt64sEnds(unit: IcebergJSON.TimeUnit) {
        for value in [Int64.min, .min + 1, -1, 0, .max - 1, .max] {
            let text = IcebergJSON.timestamp(value, unit: unit, adjustedToUTC: true)
            #expect(text.hasSuffix("+00:00"), "\(value): \(text)")
            #expect(!IcebergJSON.time(value, unit: unit).isEmpty)
        }
        #expect(IcebergJSON.timestamp(-1, unit: unit, adjustedToUTC: false).hasPrefix("1969-12-31T23:59:59.999"))
    }

    @Test func int96TimestampsRenderForEveryDayAndNanosecond() {
        #expect(IcebergJSON.timestamp(julianDay: 2_440_588, nanosecondsOfDay: 1_500_000_000) == "1970-01-01T00:00:01.500000000+00:00")
        #expect(IcebergJSON.timestamp(julianDay: 2_440_589, nanosecondsOfDay: 0) == "1970-01-02T00:00:00.000000000+00:00")
        for (day, nanos) in [(UInt32.max, UInt64.max), (0, 0), (0, UInt64.max), (UInt32.max, 0)] {
            #expect(!IcebergJSON.timestamp(julianDay: day, nanosecondsOfDay: nanos).isEmpty)
        }
    }

    @Test func decimalsWithScalesNoTypeReachesRenderInScientificForm() {
        #expect(IcebergJSON.decimal(unscaled: 12345, scale: 2) == "123.45")
        #expect(IcebergJSON.decimal(unscaled: -5, scale: 1_000_000_000_000) == "-5E-1000000000000")
        #expect(IcebergJSON.decimal(bigEndianTwosComplement: [0x01], scale: Int.max) == "1E-\(Int.max)")
    }

    @Test func saturatingArithmeticHoldsAtTheEnds() {
        #expect(Int64.max.saturatingAdd(1) == .max)
        #expect(Int64.min.saturatingAdd(-1) == .min)
        #expect(Int64(5).saturatingSubtract(.min) == .max)
        #expect(Int64.min.saturatingSubtract(1) == .min)
        #expect(Int64(1 << 62).saturatingMultiply(4) == .max)
        #expect(Int64(-(1 << 62)).saturatingMultiply(4) == .min)
        #expect(Int64(6).saturatingSubtract(2) == 4)
    }
}

/// Truncation at the ends of its types wraps as Java's does; widths Java cannot hold are not transforms.
@Suite struct TruncateExtremeTests {
    @Test func truncateWrapsLikeJava() throws {
        // Java: Long.MIN_VALUE - (((Long.MIN_VALUE % 10) + 10) % 10) wraps to 9223372036854775806.
        #expect(try Transform.truncate(10).apply(.long(.min)) == .long(9_223_372_036_854_775_806))
        #expect(try Transform.truncate(Int(Int32.max)).apply(.long(.max)) != nil)
        #expect(try Transform.truncate(10).apply(.int(.min)) == .int(2_147_483_646))
        #expect(Transform("truncate[9223372036854775807]") == .unknown("truncate[9223372036854775807]"))
        #expect(Transform("truncate[2147483647]") == .truncate(Int(Int32.max)))
    }
}
