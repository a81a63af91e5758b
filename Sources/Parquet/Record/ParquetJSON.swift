/// Renders assembled rows as JSON text for people (`amoro inspect --rows`): field names from the schema, strings
/// as strings, decimals as exact decimal strings, dates, times and timestamps in ISO 8601, UUIDs in their usual
/// form, other bytes as hex; maps with string keys as objects, other maps as arrays of `{"key", "value"}`.
package enum ParquetJSON {
    /// One row (a `.group` of the root's fields) as a JSON object on one line.
    package static func render(row: ParquetValue, schema: ParquetSchema) -> String {
        var text = ""
        group(schema.root.children, row, into: &text)
        return text
    }

    private static func group(_ fields: [SchemaNode], _ value: ParquetValue, into text: inout String) {
        guard case .group(let values) = value else {
            text += "null"
            return
        }
        text += "{"
        for (index, (node, fieldValue)) in zip(fields, values).enumerated() {
            if index > 0 { text += "," }
            string(node.name, into: &text)
            text += ":"
            field(node, fieldValue, into: &text)
        }
        text += "}"
    }

    private static func field(_ node: SchemaNode, _ value: ParquetValue, into text: inout String) {
        if node.repetition == .repeated, case .list(let items) = value {
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                single(node, item, into: &text)
            }
            text += "]"
        } else {
            single(node, value, into: &text)
        }
    }

    private static func single(_ node: SchemaNode, _ value: ParquetValue, into text: inout String) {
        switch (node.kind, value) {
        case (_, .null): text += "null"
        case (.primitive, _): primitive(node, value, into: &text)
        case (.group(let children), .group): group(children, value, into: &text)
        case (.group, .list(let items)):
            let element: (SchemaNode, Bool)
            switch NestedShape(node) {
            case .list(_, let inner?): element = (inner, false)
            case .list(let repeated, nil): element = (repeated, true)
            default: element = (node, true)
            }
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                if element.1 { single(element.0, item, into: &text) } else { field(element.0, item, into: &text) }
            }
            text += "]"
        case (.group, .map(let entries)):
            guard case .map(_, let keyNode, let valueNode) = NestedShape(node) else {
                text += "null"
                return
            }
            let stringKeys = keyNode.logicalType == .string || keyNode.logicalType == .enumeration
            text += stringKeys ? "{" : "["
            for (index, entry) in entries.enumerated() {
                if index > 0 { text += "," }
                if stringKeys {
                    field(keyNode, entry.key, into: &text)
                    text += ":"
                } else {
                    text += "{\"key\":"
                    field(keyNode, entry.key, into: &text)
                    text += ",\"value\":"
                }
                if let valueNode { field(valueNode, entry.value, into: &text) } else { text += "null" }
                if !stringKeys { text += "}" }
            }
            text += stringKeys ? "}" : "]"
        default:
            text += "null"
        }
    }

    private static func primitive(_ node: SchemaNode, _ value: ParquetValue, into text: inout String) {
        let logical = node.logicalType
        switch value {
        case .boolean(let x): text += x ? "true" : "false"
        case .int32(let x): integer(Int64(x), unsigned: UInt64(UInt32(bitPattern: x)), logical, into: &text)
        case .int64(let x): integer(x, unsigned: UInt64(bitPattern: x), logical, into: &text)
        case .int96(let x):
            let nanos = (Int64(x.julianDay) - 2_440_588) &* 86_400_000_000_000 &+ Int64(x.nanosecondsOfDay)
            string(timestamp(nanos, unit: .nanos, utc: false), into: &text)
        case .float(let x): number(Double(x), into: &text)
        case .double(let x): number(x, into: &text)
        case .bytes(let bytes):
            switch logical {
            case .string?, .enumeration?, .json?: string(String(decoding: bytes, as: UTF8.self), into: &text)
            case .decimal(_, let scale)?: string(decimal(bytes, scale: Int(scale)), into: &text)
            case .uuid? where bytes.count == 16:
                let hex = bytes.map { hexByte($0) }
                let groups = [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]]
                string(groups.map { $0.joined() }.joined(separator: "-"), into: &text)
            case .float16?: number(Double(StatisticsBuilder.halfToFloat(bytes[...])), into: &text)
            default: string(bytes.map(hexByte).joined(), into: &text)
            }
        default: text += "null"
        }
    }

    private static func integer(_ value: Int64, unsigned: UInt64, _ logical: LogicalType?, into text: inout String) {
        switch logical {
        case .integer(_, false)?: text += String(unsigned)
        case .decimal(_, let scale)?: string(decimal(String(value), scale: Int(scale)), into: &text)
        case .date?: string(date(Int64(value)), into: &text)
        case .time(_, let unit)?: string(time(value, unit: unit), into: &text)
        case .timestamp(let utc, let unit)?: string(timestamp(value, unit: unit, utc: utc), into: &text)
        default: text += String(value)
        }
    }

    private static func number(_ value: Double, into text: inout String) {
        if value.isNaN || value.isInfinite { string(value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity"), into: &text) }
        else { text += "\(value)" }
    }

    // MARK: Text forms

    /// A JSON string literal.
    private static func string(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                text += "\\u00" + hexByte(UInt8(scalar.value))
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// An unscaled integer (decimal digits with an optional sign) with `scale` digits after the point.
    package static func decimal(_ digits: String, scale: Int) -> String {
        guard scale > 0 else { return digits }
        let negative = digits.hasPrefix("-")
        var magnitude = negative ? String(digits.dropFirst()) : digits
        if magnitude.count <= scale { magnitude = String(repeating: "0", count: scale - magnitude.count + 1) + magnitude }
        let point = magnitude.index(magnitude.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + magnitude[..<point] + "." + magnitude[point...]
    }

    /// A big-endian two's complement decimal of any width.
    package static func decimal(_ bytes: [UInt8], scale: Int) -> String {
        guard !bytes.isEmpty else { return decimal("0", scale: scale) }
        let negative = bytes[0] >= 0x80
        var magnitude = bytes
        if negative {
            var carry = 1
            for index in magnitude.indices.reversed() {
                let sum = Int(~magnitude[index]) + carry
                magnitude[index] = UInt8(sum & 0xFF)
                carry = sum >> 8
            }
        }
        var digits: [Character] = []
        while magnitude.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in magnitude.indices {
                let current = remainder * 256 + Int(magnitude[index])
                magnitude[index] = UInt8(current / 10)
                remainder = current % 10
            }
            digits.append(Character(String(remainder)))
        }
        let unscaled = digits.isEmpty ? "0" : (negative ? "-" : "") + String(digits.reversed())
        return decimal(unscaled, scale: scale)
    }

    /// Days since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
    static func date(_ days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    private static func perSecond(_ unit: TimeUnit) -> Int64 {
        switch unit {
        case .millis: 1000
        case .micros: 1_000_000
        case .nanos: 1_000_000_000
        }
    }

    private static func fraction(_ value: Int64, _ unit: TimeUnit) -> String {
        let digits = unit == .millis ? 3 : unit == .micros ? 6 : 9
        return "." + pad(value, digits)
    }

    static func time(_ value: Int64, unit: TimeUnit) -> String {
        let scale = perSecond(unit)
        let seconds = value / scale
        return pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
            + fraction(value % scale, unit)
    }

    static func timestamp(_ value: Int64, unit: TimeUnit, utc: Bool) -> String {
        let scale = perSecond(unit)
        var seconds = value / scale
        var remainder = value % scale
        if remainder < 0 {
            remainder += scale
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        return date(days) + "T" + time(secondOfDay * scale + remainder, unit: unit) + (utc ? "Z" : "")
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
