import Parquet

/// Renders amoro's rows the way `ParquetPeerScripts.common` renders pyarrow's tables, so both can be compared as
/// text.
enum ParquetCanonical {
    static func render(rows: [ParquetValue], schema: ParquetSchema) -> String {
        var text = ""
        for row in rows {
            guard case .group(let fields) = row else { continue }
            text += "{" + zip(schema.root.children, fields).map { field($0, $1) }.joined(separator: ",") + "}\n"
        }
        return text
    }

    static func field(_ node: SchemaNode, _ value: ParquetValue) -> String {
        if node.repetition == .repeated, case .list(let items) = value {
            return "[" + items.map { single(node, $0) }.joined(separator: ",") + "]"
        }
        return single(node, value)
    }

    static func single(_ node: SchemaNode, _ value: ParquetValue) -> String {
        if case .null = value { return "null" }
        switch node.kind {
        case .primitive(let type, _): return primitive(type, node.logicalType, value)
        case .group(let children):
            switch value {
            case .list(let items):
                // A LIST-annotated group: render with its element node.
                let repeated = children[0]
                var element: SchemaNode? = nil
                if case .group(let inner) = repeated.kind, inner.count == 1, repeated.name != "array",
                    repeated.name != node.name + "_tuple"
                {
                    element = inner[0]
                }
                return "["
                    + items.map { item in element.map { field($0, item) } ?? single(repeated, item) }.joined(separator: ",")
                    + "]"
            case .map(let entries):
                let inner = children[0].children
                // A MAP without a value field is the list of its keys to Arrow (parquet-testing's map_no_value).
                if inner.count == 1 { return "[" + entries.map { field(inner[0], $0.key) }.joined(separator: ",") + "]" }
                return "<"
                    + entries.map { field(inner[0], $0.key) + ":" + (inner.count > 1 ? field(inner[1], $0.value) : "null") }
                    .joined(separator: ",") + ">"
            case .group(let values):
                return "{" + zip(children, values).map { field($0, $1) }.joined(separator: ",") + "}"
            default:
                return "?"
            }
        }
    }

    static func primitive(_ type: PhysicalType, _ logical: LogicalType?, _ value: ParquetValue) -> String {
        switch value {
        case .boolean(let x): return x ? "true" : "false"
        case .int32(let x):
            if case .integer(_, false)? = logical { return String(UInt32(bitPattern: x)) }
            if case .decimal? = logical { return "n:\(x)" }
            return String(x)
        case .int64(let x):
            if case .integer(_, false)? = logical { return String(UInt64(bitPattern: x)) }
            if case .decimal? = logical { return "n:\(x)" }
            return String(x)
        case .int96(let x):
            // Nanoseconds since the epoch, wrapping past Int64 as Arrow's conversion does (Spark writes such dates).
            let days = Int64(x.julianDay) &- 2_440_588
            return String(days &* 86_400_000_000_000 &+ Int64(truncatingIfNeeded: x.nanosecondsOfDay))
        case .float(let x): return x.isNaN ? "nan" : "f:" + hex(UInt64(x.bitPattern), digits: 8)
        case .double(let x): return x.isNaN ? "nan" : "d:" + hex(x.bitPattern, digits: 16)
        case .bytes(let bytes):
            switch logical {
            case .string?, .enumeration?, .json?: return "s:" + hex(bytes)
            case .decimal?: return "n:" + decimalString(bytes)
            case .float16?:
                let x = StatisticsBuilder.halfToFloat(bytes[...])
                return x.isNaN ? "nan" : "f:" + hex(UInt64(x.bitPattern), digits: 8)
            default: return "b:" + hex(bytes)
            }
        default: return "?"
        }
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { hex(UInt64($0), digits: 2) }.joined()
    }

    /// A big-endian two's complement integer of any length, in decimal.
    static func decimalString(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "0" }
        let negative = bytes[0] >= 0x80
        var magnitude = bytes
        if negative {
            // Two's complement negation: invert, add one.
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
        if digits.isEmpty { return "0" }
        return (negative ? "-" : "") + String(digits.reversed())
    }
}
