/// One element of the small XML documents S3 answers with (no attributes kept, namespaces ignored).
///
/// S3's responses are flat records (`ListBucketResult`, `Error`, `DeleteResult`, …); this reader keeps element
/// names, text and children in order, decodes the five predefined entities and numeric references, and skips the
/// declaration, comments and processing instructions. Anything else malformed is a `nil` document.
package struct XMLElement: Equatable, Sendable {
    package var name: String
    package var text: String
    package var children: [XMLElement]

    package init(name: String, text: String = "", children: [XMLElement] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child named `name`.
    package func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`, in document order.
    package func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    package func text(of name: String) -> String? { child(name)?.text }

    /// Parses a document; `nil` when it is not well-formed enough to trust.
    package static func parse(_ bytes: [UInt8]) -> XMLElement? {
        var parser = XMLReader(bytes: bytes)
        return parser.document()
    }
}

/// A cursor over the bytes of one document, building `XMLElement`s recursively (depth-limited).
private struct XMLReader {
    let bytes: [UInt8]
    var index = 0
    static let maximumDepth = 32

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() -> XMLElement? {
        skipMisc()
        guard let root = element(depth: 0) else { return nil }
        skipMisc()
        return index == bytes.count ? root : nil
    }

    /// Skips whitespace, `<?…?>` declarations and `<!--…-->` comments between elements.
    mutating func skipMisc() {
        while true {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            if starts(with: "<?") {
                guard skip(past: "?>") else { return }
            } else if starts(with: "<!--") {
                guard skip(past: "-->") else { return }
            } else {
                return
            }
        }
    }

    mutating func element(depth: Int) -> XMLElement? {
        guard depth < Self.maximumDepth, index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
        index += 1
        let nameStart = index
        while index < bytes.count, !" \t\r\n/>".utf8.contains(bytes[index]) { index += 1 }
        guard index > nameStart else { return nil }
        let qualified = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        var element = XMLElement(name: qualified.split(separator: ":").last.map(String.init) ?? qualified)
        // Attributes are skipped (quoted values may hold '>').
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            }
            index += 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index - 1] == UInt8(ascii: "/") {
            index += 1
            return element
        }
        index += 1
        var text: [UInt8] = []
        while index < bytes.count {
            if starts(with: "</") {
                index += 2
                let closeStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                guard index < bytes.count, String(decoding: bytes[closeStart..<index], as: UTF8.self) == qualified
                else { return nil }
                index += 1
                guard let decoded = Self.decodeEntities(text) else { return nil }
                element.text = decoded
                return element
            } else if starts(with: "<!--") {
                guard skip(past: "-->") else { return nil }
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                guard skip(past: "]]>") else { return nil }
                text.append(contentsOf: Self.escapeForReparse(bytes[start..<(index - 3)]))
            } else if bytes[index] == UInt8(ascii: "<") {
                guard let child = self.element(depth: depth + 1) else { return nil }
                element.children.append(child)
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        return nil
    }

    func starts(with literal: String) -> Bool {
        let pattern = Array(literal.utf8)
        guard index + pattern.count <= bytes.count else { return false }
        return bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    /// Moves past the next occurrence of `literal`; false when there is none.
    mutating func skip(past literal: String) -> Bool {
        while index < bytes.count {
            if starts(with: literal) {
                index += literal.utf8.count
                return true
            }
            index += 1
        }
        return false
    }

    /// CDATA is literal text: its '&' must survive the entity decoding that follows.
    static func escapeForReparse(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        raw.flatMap { $0 == UInt8(ascii: "&") ? Array("&amp;".utf8) : [$0] }
    }

    static func decodeEntities(_ raw: [UInt8]) -> String? {
        let text = String(decoding: raw, as: UTF8.self)
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { return nil }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: UInt32?
                if entity.hasPrefix("#x") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst())
                } else {
                    scalar = nil
                }
                guard let scalar, let character = Unicode.Scalar(scalar) else { return nil }
                result.unicodeScalars.append(character)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}

extension String {
    /// The text with XML's special characters escaped, for request bodies.
    package var xmlEscaped: String {
        var result = ""
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
