/// Iceberg's JSON single-value serialization (spec appendix D), used for rows printed by `amoro inspect --rows`:
/// decimals as strings, dates `YYYY-MM-DD`, times and timestamps ISO-8601 with microseconds (nanoseconds for the
/// `_ns` types), `+00:00` when adjusted to UTC, binary and fixed as hexadecimal, UUIDs in their string form.
package enum IcebergJSON {
    /// Units of a time or timestamp value.
    package enum TimeUnit: Sendable {
        case milliseconds, microseconds, nanoseconds

        var perSecond: Int64 {
            switch self {
            case .milliseconds: 1_000
            case .microseconds: 1_000_000
            case .nanoseconds: 1_000_000_000
            }
        }
    }

    /// `YYYY-MM-DD` for a count of days since 1970-01-01 (proleptic Gregorian, any sign).
    package static func date(daysSinceEpoch days: Int64) -> String {
        let (year, month, day) = CivilCalendar.date(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `HH:MM:SS.ffffff` (or 9 fraction digits for nanoseconds) for a time of day.
    package static func time(_ value: Int64, unit: TimeUnit) -> String {
        let (seconds, fraction) = split(value, unit: unit)
        return clock(seconds) + "." + fractionDigits(fraction, unit: unit)
    }

    /// ISO-8601 timestamp; `+00:00` is appended when the value is adjusted to UTC.
    package static func timestamp(_ value: Int64, unit: TimeUnit, adjustedToUTC: Bool) -> String {
        let (seconds, fraction) = split(value, unit: unit)
        let days = floorDivide(seconds, 86_400)
        let text = date(daysSinceEpoch: days) + "T" + clock(seconds - days * 86_400) + "." + fractionDigits(fraction, unit: unit)
        return adjustedToUTC ? text + "+00:00" : text
    }

    /// An INT96 timestamp (Julian day and nanoseconds of that day, as Impala and Spark write them) as an ISO-8601
    /// instant, for every pair of values: the day is never multiplied out into nanoseconds, which would overflow.
    package static func timestamp(julianDay: UInt32, nanosecondsOfDay: UInt64) -> String {
        let extraSeconds = Int64(nanosecondsOfDay / 1_000_000_000), fraction = Int64(nanosecondsOfDay % 1_000_000_000)
        let extraDays = extraSeconds / 86_400
        let days = Int64(julianDay) - 2_440_588 + extraDays  // Julian day 2440588 is 1970-01-01; every term is small
        return date(daysSinceEpoch: days) + "T" + clock(extraSeconds - extraDays * 86_400) + "."
            + fractionDigits(fraction, unit: .nanoseconds) + "+00:00"
    }

    /// Whole seconds (rounded down) and the non-negative fraction of a count of `unit`s, for every Int64: the
    /// remainder is taken directly, since seconds × units-per-second can pass Int64's range near its ends.
    private static func split(_ value: Int64, unit: TimeUnit) -> (seconds: Int64, fraction: Int64) {
        let perSecond = unit.perSecond
        let remainder = value % perSecond
        return (floorDivide(value, perSecond), remainder < 0 ? remainder + perSecond : remainder)
    }

    /// The largest scale written out in plain digits: Arrow's decimal256 holds 76 digits.
    static let maxPlainScale = 76

    /// The decimal string of a two's-complement big-endian unscaled integer of any length, with `scale` digits after
    /// the point (Parquet and Avro store decimals this way).
    package static func decimal(bigEndianTwosComplement bytes: some Collection<UInt8>, scale: Int) -> String {
        var magnitude = Array(bytes)
        let negative = (magnitude.first ?? 0) & 0x80 != 0
        if negative {
            // Two's complement negate: invert, add one.
            for index in magnitude.indices { magnitude[index] = ~magnitude[index] }
            var index = magnitude.count - 1
            while index >= 0 {
                let (sum, overflow) = magnitude[index].addingReportingOverflow(1)
                magnitude[index] = sum
                if !overflow { break }
                index -= 1
            }
        }
        var digits = decimalDigits(ofBigEndian: magnitude)
        return placePoint(in: &digits, negative: negative, scale: scale)
    }

    /// The decimal string of an unscaled 64-bit integer with `scale`.
    package static func decimal(unscaled: Int64, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        return placePoint(in: &digits, negative: unscaled < 0, scale: scale)
    }

    /// Upper-case hexadecimal, as the spec's examples write binary values.
    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a hexadecimal string (either case); nil when it is not one.
    package static func bytes(hex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count / 2)
        for index in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    /// The 8-4-4-4-12 lower-case form of a 16-byte UUID.
    package static func uuid(_ bytes: some Collection<UInt8>) -> String? {
        guard bytes.count == 16 else { return nil }
        let text = hex(bytes).lowercased()
        let characters = Array(text)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }

    // MARK: - Calendar arithmetic

    private static func clock(_ secondsOfDay: Int64) -> String {
        "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2))"
    }

    /// Microsecond precision for milli- and microsecond values, nanosecond precision for nanoseconds.
    private static func fractionDigits(_ fraction: Int64, unit: TimeUnit) -> String {
        switch unit {
        case .milliseconds: pad(fraction * 1000, 6)
        case .microseconds: pad(fraction, 6)
        case .nanoseconds: pad(fraction, 9)
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    private static func decimalDigits(ofBigEndian bytes: [UInt8]) -> String {
        // Repeated division by 10^9 of the big-endian magnitude.
        var number = Array(bytes.drop { $0 == 0 })
        if number.isEmpty { return "0" }
        var chunks: [UInt32] = []
        while !number.isEmpty {
            var remainder: UInt64 = 0
            var quotient: [UInt8] = []
            quotient.reserveCapacity(number.count)
            for byte in number {
                let current = remainder << 8 | UInt64(byte)
                let digit = current / 1_000_000_000
                remainder = current % 1_000_000_000
                if !quotient.isEmpty || digit != 0 { quotient.append(UInt8(digit)) }
            }
            chunks.append(UInt32(remainder))
            number = quotient
        }
        var text = String(chunks.last!)
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    private static func placePoint(in digits: inout String, negative: Bool, scale: Int) -> String {
        if scale > maxPlainScale {
            // A scale no decimal type reaches (a crafted file): scientific notation instead of a huge allocation.
            digits += "E-\(scale)"
        } else if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        } else if scale < 0 {
            digits += "E+\(-scale)"
        }
        return negative && digits.contains(where: { $0 != "0" && $0 != "." }) ? "-" + digits : digits
    }
}
