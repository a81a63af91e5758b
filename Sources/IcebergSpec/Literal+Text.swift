import JSONCoding

extension Literal {
    /// The value in Iceberg's JSON single-value serialization (spec appendix D).
    package var json: JSON {
        switch self {
        case .boolean(let value): .bool(value)
        case .int(let value): .int(Int64(value))
        case .long(let value): .int(value)
        case .float(let value): .double(Double(value))
        case .double(let value): .double(value)
        case .date(let days): .string(IcebergJSON.date(daysSinceEpoch: Int64(days)))
        case .time(let micros): .string(IcebergJSON.time(micros, unit: .microseconds))
        case .timestamp(let micros): .string(IcebergJSON.timestamp(micros, unit: .microseconds, adjustedToUTC: false))
        case .timestamptz(let micros): .string(IcebergJSON.timestamp(micros, unit: .microseconds, adjustedToUTC: true))
        case .timestampNs(let nanos): .string(IcebergJSON.timestamp(nanos, unit: .nanoseconds, adjustedToUTC: false))
        case .timestamptzNs(let nanos): .string(IcebergJSON.timestamp(nanos, unit: .nanoseconds, adjustedToUTC: true))
        case .string(let text): .string(text)
        case .uuid(let bytes): .string(IcebergJSON.uuid(bytes) ?? IcebergJSON.hex(bytes))
        case .fixed(let bytes), .binary(let bytes): .string(IcebergJSON.hex(bytes))
        case .decimal(let unscaled, _, let scale):
            .string(IcebergJSON.decimal(bigEndianTwosComplement: Literal.minimalTwosComplement(unscaled), scale: scale))
        }
    }
}

extension PartitionSpec {
    /// The partition's path as Java writes it under the data directory (`ts_day=2024-01-01/id_bucket=5`): each
    /// field `name=value` with both form-URL-encoded, nulls as `null`, time transforms in their human forms
    /// (`yyyy`, `yyyy-MM`, `yyyy-MM-dd`, `yyyy-MM-dd-HH`), binary as base64.
    package func path(for values: [Literal?]) -> String {
        zip(fields, values).map { field, value in
            "\(Self.formEncode(field.name))=\(Self.formEncode(value.map { Self.humanString($0, transform: field.transform) } ?? "null"))"
        }.joined(separator: "/")
    }

    static func humanString(_ value: Literal, transform: Transform) -> String {
        switch (transform, value) {
        case (.year, .int(let years)): return pad(1970 + Int64(years), 4)
        case (.month, .int(let months)):
            let year = 1970 + floorDivide(Int64(months), 12)
            return "\(pad(year, 4))-\(pad(Int64(months) - (year - 1970) * 12 + 1, 2))"
        case (.hour, .int(let hours)):
            let days = floorDivide(Int64(hours), 24)
            return "\(IcebergJSON.date(daysSinceEpoch: days))-\(pad(Int64(hours) - days * 24, 2))"
        case (_, .binary(let bytes)), (_, .fixed(let bytes)): return base64(bytes)
        case (_, .boolean(let flag)): return flag ? "true" : "false"
        case (_, .int(let number)): return String(number)
        case (_, .long(let number)): return String(number)
        case (_, .float(let number)): return String(number)
        case (_, .double(let number)): return String(number)
        default:
            if case .string(let text) = value.json { return text }
            return value.json.rendered()
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `application/x-www-form-urlencoded` as Java's URLEncoder writes it: letters, digits and `.-*_` stay, a space
    /// becomes `+`, every other byte of the UTF-8 form is `%XX`.
    static func formEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"),
                UInt8(ascii: "_"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): output += "+"
            default:
                let hex = Array("0123456789ABCDEF")
                output += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return output
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var output = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3F)] : "=")
            }
            index += 3
        }
        return output
    }
}
