extension AvroJSON {
    /// Nesting deeper than this is rejected, so hostile schema text cannot exhaust the stack.
    package static let depthLimit = 256

    /// Parses one JSON document (RFC 8259). Errors are `AvroError.invalidSchema` with the byte offset.
    package init(parsing text: String) throws(AvroError) {
        var text = text
        self = try text.withUTF8 { bytes in
            Result { () throws(AvroError) in
                var parser = AvroJSONParser(bytes: UnsafeRawBufferPointer(bytes))
                let value = try parser.parseValue(depth: 0)
                parser.skipWhitespace()
                guard parser.offset == parser.bytes.count else { throw parser.error("trailing characters") }
                return value
            }
        }.get()
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
private struct AvroJSONParser {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func error(_ why: String) -> AvroError { .invalidSchema("JSON: \(why) at byte \(offset)") }

    mutating func skipWhitespace() {
        while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
    }

    mutating func expect(_ literal: StaticString) throws(AvroError) {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw error("unexpected end") }
        for index in 0..<count where bytes[offset + index] != literal.utf8Start[index] {
            throw error("unexpected character")
        }
        offset += count
    }

    mutating func parseValue(depth: Int) throws(AvroError) -> AvroJSON {
        guard depth < AvroJSON.depthLimit else { throw error("nesting deeper than \(AvroJSON.depthLimit)") }
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end") }
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            offset += 1
            var members: [AvroJSONMember] = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try parseString()
                skipWhitespace()
                try expect(":")
                members.append(AvroJSONMember(key, try parseValue(depth: depth + 1)))
                skipWhitespace()
                guard offset < bytes.count else { throw error("unexpected end") }
                offset += 1
                if bytes[offset - 1] == UInt8(ascii: "}") { return .object(members) }
                guard bytes[offset - 1] == UInt8(ascii: ",") else { throw error("expected , or }") }
            }
        case UInt8(ascii: "["):
            offset += 1
            var elements: [AvroJSON] = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return .array(elements)
            }
            while true {
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard offset < bytes.count else { throw error("unexpected end") }
                offset += 1
                if bytes[offset - 1] == UInt8(ascii: "]") { return .array(elements) }
                guard bytes[offset - 1] == UInt8(ascii: ",") else { throw error("expected , or ]") }
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            return try parseNumber()
        }
    }

    mutating func parseNumber() throws(AvroError) -> AvroJSON {
        let start = offset
        var isInteger = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let digitsStart = offset
        while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) { offset += 1 }
        guard offset > digitsStart else { throw error("unexpected character") }
        if bytes[digitsStart] == 0x30 && offset - digitsStart > 1 { throw error("leading zero") }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            let fraction = offset
            while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) { offset += 1 }
            guard offset > fraction else { throw error("digits expected after .") }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            let exponent = offset
            while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) { offset += 1 }
            guard offset > exponent else { throw error("digits expected in exponent") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { throw error("number out of range") }
        return .double(value)
    }

    mutating func parseHex4() throws(AvroError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("unexpected end in \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw error("bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// A string starting at the opening quote.
    mutating func parseString() throws(AvroError) -> String {
        offset += 1
        var scalars: [UInt8] = []
        var runStart = offset
        while true {
            guard offset < bytes.count else { throw error("unterminated string") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<offset]))
                offset += 1
                guard let string = String(validating: scalars, as: UTF8.self) else { throw error("invalid UTF-8") }
                return string
            }
            guard byte >= 0x20 else { throw error("control character in string") }
            guard byte == UInt8(ascii: "\\") else {
                offset += 1
                continue
            }
            scalars.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<offset]))
            offset += 1
            guard offset < bytes.count else { throw error("unterminated escape") }
            let escape = bytes[offset]
            offset += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800..<0xDC00).contains(code) {
                    try expect("\\u")
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("unpaired surrogate") }
                scalars.append(contentsOf: String(Character(scalar)).utf8)
            default: throw error("bad escape")
            }
            runStart = offset
        }
    }
}
