import JSONCoding

/// A Paimon column type as schema files write it: SQL text for atomic types (`BIGINT NOT NULL`, `VARCHAR(10)`,
/// `DECIMAL(10, 2)`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`), a JSON object for `ARRAY`, `MAP`, `MULTISET` and `ROW`.
package struct PaimonDataType: Sendable, Equatable {
    package enum Root: String, Sendable {
        case boolean, tinyint, smallint, int, bigint, float, double, decimal, string, binary, date, time, timestamp
        case array, map, multiset, row, variant, other
    }

    package var root: Root
    /// The text as written (nested types: their JSON).
    package var text: String
    package var nullable: Bool
    package var precision: Int?
    package var scale: Int?

    package init(json: JSON) throws(PaimonError) {
        if let text = json.stringValue {
            self = try PaimonDataType(text: text)
            return
        }
        guard let kind = json["type"]?.stringValue else { throw .invalidFile("schema", "a field type is neither text nor a typed object") }
        let upper = kind.uppercased()
        let name = upper.split(separator: " ").first.map(String.init) ?? upper
        self.init(root: Root(rawValue: name.lowercased()) ?? .other, text: json.rendered(), nullable: !upper.hasSuffix("NOT NULL"))
    }

    private init(root: Root, text: String, nullable: Bool) {
        self.root = root
        self.text = text
        self.nullable = nullable
    }

    package init(text: String) throws(PaimonError) {
        self.text = text
        var upper = text.uppercased().trimmingCharactersInSpaces()
        nullable = true
        if upper.hasSuffix("NOT NULL") {
            nullable = false
            upper = String(upper.dropLast("NOT NULL".count)).trimmingCharactersInSpaces()
        }
        var name = upper
        var arguments: [Int] = []
        if let open = upper.firstIndex(of: "("), let close = upper.firstIndex(of: ")"), open < close {
            name = String(upper[..<open]).trimmingCharactersInSpaces()
            arguments = upper[upper.index(after: open)..<close].split(separator: ",").compactMap {
                Int(String($0).trimmingCharactersInSpaces())
            }
        } else if let space = upper.firstIndex(of: " ") {
            name = String(upper[..<space])
        }
        switch name {
        case "BOOLEAN": root = .boolean
        case "TINYINT": root = .tinyint
        case "SMALLINT": root = .smallint
        case "INT", "INTEGER": root = .int
        case "BIGINT": root = .bigint
        case "FLOAT": root = .float
        case "DOUBLE": root = .double
        case "DECIMAL", "NUMERIC", "DEC": root = .decimal
        case "CHAR", "VARCHAR", "STRING": root = .string
        case "BINARY", "VARBINARY", "BYTES": root = .binary
        case "DATE": root = .date
        case "TIME": root = .time
        case "TIMESTAMP", "TIMESTAMP_LTZ": root = .timestamp
        case "VARIANT": root = .variant
        default: root = .other
        }
        switch root {
        case .decimal:
            precision = arguments.first ?? 10
            scale = arguments.count > 1 ? arguments[1] : 0
        case .timestamp, .time: precision = arguments.first ?? (root == .time ? 0 : 6)
        default: precision = arguments.first
        }
    }
}

extension String {
    func trimmingCharactersInSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
