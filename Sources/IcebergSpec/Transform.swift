/// A partition or sort transform (spec "Partition Transforms").
package enum Transform: Hashable, Sendable {
    case identity
    case bucket(Int)
    case truncate(Int)
    case year, month, day, hour
    case void
    /// A transform this implementation does not know: kept by name so metadata survives, never applied.
    case unknown(String)

    package init(_ text: String) {
        let trimmed = text.trimmingSpaces()
        switch trimmed {
        case "identity": self = .identity
        case "year": self = .year
        case "month": self = .month
        case "day": self = .day
        case "hour": self = .hour
        case "void": self = .void
        default:
            if let inner = trimmed.between(prefix: "bucket[", suffix: "]"), let count = Int(inner), count > 0 {
                self = .bucket(count)
            } else if let inner = trimmed.between(prefix: "truncate[", suffix: "]"), let width = Int(inner), (1...Int(Int32.max)).contains(width) {
                // Java's widths are ints: a wider one is no transform Iceberg can write.
                self = .truncate(width)
            } else {
                self = .unknown(trimmed)
            }
        }
    }

    package var description: String {
        switch self {
        case .identity: "identity"
        case .bucket(let count): "bucket[\(count)]"
        case .truncate(let width): "truncate[\(width)]"
        case .year: "year"
        case .month: "month"
        case .day: "day"
        case .hour: "hour"
        case .void: "void"
        case .unknown(let name): name
        }
    }

    /// The type of the transform's result for a source of type `source`; nil when the transform cannot apply to it.
    package func resultType(for source: PrimitiveType) -> PrimitiveType? {
        switch self {
        case .identity:
            if case .geometry = source { return nil }
            if case .geography = source { return nil }
            if source == .variant { return nil }
            return source
        case .bucket:
            switch source {
            case .int, .long, .decimal, .date, .time, .timestamp, .timestamptz, .timestampNs, .timestamptzNs, .string,
                .uuid, .fixed, .binary:
                return .int
            default: return nil
            }
        case .truncate:
            switch source {
            case .int, .long, .decimal, .string, .binary: return source
            default: return nil
            }
        case .year, .month:
            switch source {
            case .date, .timestamp, .timestamptz, .timestampNs, .timestamptzNs: return .int
            default: return nil
            }
        case .day:
            switch source {
            case .date, .timestamp, .timestamptz, .timestampNs, .timestamptzNs: return .date
            default: return nil
            }
        case .hour:
            switch source {
            case .timestamp, .timestamptz, .timestampNs, .timestamptzNs: return .int
            default: return nil
            }
        case .void: return source
        case .unknown: return nil
        }
    }

    /// Applies the transform to a value; nil in gives nil out (and `void` always gives nil).
    /// Throws when the transform does not apply to the value's type or the transform is unknown.
    package func apply(_ value: Literal?) throws(IcebergSpecError) -> Literal? {
        guard let value else { return nil }
        switch self {
        case .identity: return value
        case .void: return nil
        case .unknown(let name): throw .unsupported("transform '\(name)'")
        case .bucket(let count):
            guard let hash = value.bucketHash else { throw .unsupported("bucket of \(value.typeName)") }
            return .int(Int32((Int(hash) & 0x7FFF_FFFF) % count))
        case .truncate(let width):
            return try Self.truncate(value, width: width)
        case .year, .month, .day, .hour:
            guard let micros = value.microsecondsForTimeTransforms(allowDates: self != .hour) else {
                throw .unsupported("\(description) of \(value.typeName)")
            }
            let days = floorDivide(micros, 86_400_000_000)
            switch self {
            case .day: return .date(Int32(clamping: days))
            case .hour: return .int(Int32(clamping: floorDivide(micros, 3_600_000_000)))
            default:
                let (year, month, _) = CivilCalendar.date(daysSinceEpoch: days)
                return .int(Int32(clamping: self == .year ? year - 1970 : (year - 1970) * 12 + month - 1))
            }
        }
    }

    private static func truncate(_ value: Literal, width: Int) throws(IcebergSpecError) -> Literal {
        let w = Int64(width)
        switch value {
        case .int(let v): return .int(Int32(truncatingIfNeeded: Int64(v) - (((Int64(v) % w) + w) % w)))
        // Java's arithmetic wraps: so does this, so that Long.MIN truncates as Java truncates it.
        case .long(let v): return .long(v &- (((v % w) &+ w) % w))
        case .decimal(let unscaled, let precision, let scale):
            let width = Int128(w)
            return .decimal(unscaled: unscaled &- (((unscaled % width) &+ width) % width), precision: precision, scale: scale)
        case .string(let text):
            return .string(String(String.UnicodeScalarView(text.unicodeScalars.prefix(width))))
        case .binary(let bytes): return .binary(Array(bytes.prefix(width)))
        default: throw .unsupported("truncate of \(value.typeName)")
        }
    }
}

func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01.
package enum CivilCalendar {
    /// (year, month 1...12, day 1...31) for a day count (Howard Hinnant's civil-from-days).
    package static func date(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 for a civil date (days-from-civil).
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
