import IcebergSpec

/// The part of Java's `DateTimeFormatter.ofPattern` that Amoro's settings use (`data-expire.datetime-string-pattern`,
/// `tag.auto-create.tag-format`): numeric fields `y`/`u` (year; `yy` two digits), `M`, `d`, `H`, `m`, `s` and `S`
/// (fraction of a second), text in single quotes (`''` is a quote) and any other character that is not a letter.
/// Anything else (month names, zones, 12-hour clocks, optional sections) is refused by name, so a pattern never
/// means something else here than in Java. Times are in UTC: amoro never takes the machine's time zone.
package struct DateTimePattern: Hashable, Sendable {
    package enum Field: Character, Hashable, Sendable {
        case year = "y", month = "M", day = "d", hour = "H", minute = "m", second = "s", fraction = "S"

        /// Significance, most significant first.
        var rank: Int {
            switch self {
            case .year: 0
            case .month: 1
            case .day: 2
            case .hour: 3
            case .minute: 4
            case .second: 5
            case .fraction: 6
            }
        }
    }

    package enum Element: Hashable, Sendable {
        case field(Field, width: Int)
        case literal(String)
    }

    package let text: String
    package let elements: [Element]

    /// A pattern that cannot be used.
    package struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        package let description: String
    }

    package init(_ text: String) throws(Invalid) {
        self.text = text
        var elements: [Element] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                var literal = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "'" {
                        if index + 1 < characters.count && characters[index + 1] == "'" {
                            literal.append("'")
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    literal.append(characters[index])
                    index += 1
                }
                guard closed else { throw Invalid(description: "pattern \(text.debugDescription) has an unclosed quote") }
                elements.append(.literal(literal.isEmpty ? "'" : literal))
                continue
            }
            if character.isLetter {
                var width = 1
                while index + width < characters.count && characters[index + width] == character { width += 1 }
                let letter: Character = character == "u" ? "y" : character
                guard let field = Field(rawValue: letter), character.isASCII else {
                    throw Invalid(description: "pattern \(text.debugDescription) uses \(String(repeating: character, count: width)), "
                        + "which amoro does not support (only y, u, M, d, H, m, s, S and quoted text)")
                }
                if field == .month && width > 2 {
                    throw Invalid(description: "pattern \(text.debugDescription) uses month names (\(String(repeating: "M", count: width))), which amoro does not support")
                }
                if [.day, .hour, .minute, .second].contains(field) && width > 2 {
                    throw Invalid(description: "pattern \(text.debugDescription): \(String(repeating: character, count: width)) is too many letters")
                }
                if field == .fraction && width > 9 {
                    throw Invalid(description: "pattern \(text.debugDescription): fractions have at most 9 digits")
                }
                elements.append(.field(field, width: width))
                index += width
                continue
            }
            if "[]{}#".contains(character) {
                throw Invalid(description: "pattern \(text.debugDescription) uses \(character), which amoro does not support")
            }
            elements.append(.literal(String(character)))
            index += 1
        }
        guard !elements.isEmpty else { throw Invalid(description: "the pattern is empty") }
        self.elements = elements
    }

    /// The pattern applied to a UTC time (milliseconds since the epoch), as Java formats a `LocalDateTime`.
    package func format(epochMs: Int64) -> String {
        let days = Self.floorDiv(epochMs, 86_400_000)
        let msOfDay = epochMs - days * 86_400_000
        let date = CivilCalendar.date(daysSinceEpoch: days)
        var output = ""
        for element in elements {
            switch element {
            case .literal(let text): output += text
            case .field(let field, let width):
                let value: Int64
                switch field {
                case .year: value = width == 2 ? ((date.year % 100) + 100) % 100 : date.year
                case .month: value = date.month
                case .day: value = date.day
                case .hour: value = msOfDay / 3_600_000
                case .minute: value = msOfDay / 60_000 % 60
                case .second: value = msOfDay / 1000 % 60
                case .fraction:
                    // Milliseconds as nine digits, cut to the width (Java truncates the fraction).
                    let nanos = String(msOfDay % 1000 * 1_000_000)
                    output += String((String(repeating: "0", count: 9 - nanos.count) + nanos).prefix(width))
                    continue
                }
                output += Self.padded(value, width: width)
            }
        }
        return output
    }

    /// The UTC time (milliseconds since the epoch) the whole of `text` names; nil when it does not follow the
    /// pattern exactly or names no valid time. Fields left out are the start of their range (month 1, day 1, 00:00).
    package func parse(_ text: String) -> Int64? {
        let characters = Array(text)
        var index = 0
        var year: Int64?
        var month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, fractionMs: Int64 = 0
        for (position, element) in elements.enumerated() {
            switch element {
            case .literal(let literal):
                let expected = Array(literal)
                guard index + expected.count <= characters.count, Array(characters[index..<index + expected.count]) == expected else {
                    return nil
                }
                index += expected.count
            case .field(let field, let width):
                // Fixed width when the pattern says so (or a digit field follows directly), else 1–2 digits (up to 9
                // for years, as Java's adjacent-value parsing reads them).
                let nextIsNumber: Bool = {
                    if position + 1 < elements.count, case .field = elements[position + 1] { return true }
                    return false
                }()
                let fixed = width >= 2 || nextIsNumber || field == .fraction
                let maxDigits = fixed ? width : (field == .year ? 9 : 2)
                var digits = ""
                while index < characters.count, digits.count < maxDigits, let digit = characters[index].wholeNumberValue,
                    characters[index].isASCII
                {
                    digits.append(String(digit))
                    index += 1
                }
                if field == .year && width >= 4 && !nextIsNumber {
                    // Java reads longer years when nothing numeric follows.
                    while index < characters.count, digits.count < 9, let digit = characters[index].wholeNumberValue,
                        characters[index].isASCII
                    {
                        digits.append(String(digit))
                        index += 1
                    }
                }
                guard !digits.isEmpty, !fixed || digits.count >= width, let value = Int64(digits) else { return nil }
                switch field {
                case .year: year = width == 2 ? 2000 + value : value
                case .month: month = value
                case .day: day = value
                case .hour: hour = value
                case .minute: minute = value
                case .second: second = value
                case .fraction:
                    var scaled = value
                    for _ in 0..<max(0, 3 - width) { scaled *= 10 }
                    for _ in 0..<max(0, width - 3) { scaled /= 10 }
                    fractionMs = scaled
                }
            }
        }
        guard index == characters.count, let year, (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second), day >= 1
        else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let check = CivilCalendar.date(daysSinceEpoch: days)
        guard check.year == year, check.month == month, check.day == day else { return nil }  // no 31 April
        return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + fractionMs
    }

    /// Whether texts in this pattern sort as the times they name (fixed-width fields, most significant first, a
    /// year among them): only then do a string column's bounds bound its times.
    package var sortsAsTime: Bool {
        var previousRank = -1
        var hasYear = false
        for case .field(let field, let width) in elements {
            if field == .year { hasYear = true }
            guard field.rank > previousRank, field == .year ? width == 4 : (width >= 2 || field == .fraction) else { return false }
            previousRank = field.rank
        }
        return hasYear
    }

    private static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value.magnitude)
        let body = digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        return value < 0 ? "-" + body : body
    }

    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
