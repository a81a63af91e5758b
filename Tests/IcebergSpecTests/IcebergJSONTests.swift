import Testing

import IcebergSpec

@Suite struct IcebergJSONTests {
    @Test func datesFollowTheProlepticGregorianCalendar() {
        #expect(IcebergJSON.date(daysSinceEpoch: 0) == "1970-01-01")
        #expect(IcebergJSON.date(daysSinceEpoch: 17_486) == "2017-11-16")  // the spec's example
        #expect(IcebergJSON.date(daysSinceEpoch: -1) == "1969-12-31")
        #expect(IcebergJSON.date(daysSinceEpoch: 11_016) == "2000-02-29")
        #expect(IcebergJSON.date(daysSinceEpoch: -719_528) == "0000-01-01")
    }

    @Test func timesAndTimestampsKeepTheirPrecision() {
        #expect(IcebergJSON.time(81_068_123_456, unit: .microseconds) == "22:31:08.123456")
        #expect(IcebergJSON.time(81_068_123, unit: .milliseconds) == "22:31:08.123000")
        #expect(IcebergJSON.time(81_068_123_456_789, unit: .nanoseconds) == "22:31:08.123456789")
        let micros: Int64 = 1_510_871_468_123_456
        #expect(IcebergJSON.timestamp(micros, unit: .microseconds, adjustedToUTC: false) == "2017-11-16T22:31:08.123456")
        #expect(
            IcebergJSON.timestamp(micros, unit: .microseconds, adjustedToUTC: true)
                == "2017-11-16T22:31:08.123456+00:00")
        #expect(
            IcebergJSON.timestamp(micros * 1000 + 789, unit: .nanoseconds, adjustedToUTC: false)
                == "2017-11-16T22:31:08.123456789")
        #expect(IcebergJSON.timestamp(-1, unit: .microseconds, adjustedToUTC: false) == "1969-12-31T23:59:59.999999")
        #expect(IcebergJSON.timestamp(-1_500, unit: .milliseconds, adjustedToUTC: true) == "1969-12-31T23:59:58.500000+00:00")
    }

    @Test func decimalsAreExactStrings() {
        #expect(IcebergJSON.decimal(unscaled: 1420, scale: 2) == "14.20")
        #expect(IcebergJSON.decimal(unscaled: -5, scale: 3) == "-0.005")
        #expect(IcebergJSON.decimal(unscaled: 0, scale: 2) == "0.00")
        #expect(IcebergJSON.decimal(unscaled: 7, scale: 0) == "7")
        #expect(IcebergJSON.decimal(bigEndianTwosComplement: [0x05, 0x8C], scale: 2) == "14.20")
        #expect(IcebergJSON.decimal(bigEndianTwosComplement: [0xFF, 0xFB], scale: 3) == "-0.005")
        // 2^127 - 1 (the largest 16-byte decimal) keeps every digit.
        let max128: [UInt8] = [0x7F] + Array(repeating: 0xFF, count: 15)
        #expect(IcebergJSON.decimal(bigEndianTwosComplement: max128, scale: 0) == "170141183460469231731687303715884105727")
        let min128: [UInt8] = [0x80] + Array(repeating: 0x00, count: 15)
        #expect(IcebergJSON.decimal(bigEndianTwosComplement: min128, scale: 38) == "-1.70141183460469231731687303715884105728")
    }

    @Test func binaryAndUUIDs() {
        #expect(IcebergJSON.hex([0x00, 0x00, 0xFF, 0x00, 0x00]) == "0000FF0000")
        let uuid: [UInt8] = [0xF7, 0x9C, 0x3E, 0x09, 0x67, 0x7C, 0x4B, 0xBD, 0xA4, 0x79, 0x3F, 0x34, 0x9C, 0xB7, 0x85, 0xE7]
        #expect(IcebergJSON.uuid(uuid) == "f79c3e09-677c-4bbd-a479-3f349cb785e7")
        #expect(IcebergJSON.uuid([1, 2]) == nil)
    }
}
