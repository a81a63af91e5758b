extension ParquetSchema: CustomStringConvertible {
    /// The schema in the usual Parquet message syntax, with annotations and field ids:
    /// `optional binary name (STRING) = 3;`.
    package var description: String {
        var text = "message \(root.name) {\n"
        for child in root.children { Self.describe(child, indent: "  ", into: &text) }
        return text + "}\n"
    }

    private static func describe(_ node: SchemaNode, indent: String, into text: inout String) {
        let repetition: String
        switch node.repetition {
        case .required: repetition = "required"
        case .optional: repetition = "optional"
        case .repeated: repetition = "repeated"
        }
        var line = indent + repetition + " "
        switch node.kind {
        case .primitive(let type, let length):
            line += typeName(type) + (type == .fixedLenByteArray ? "(\(length))" : "") + " " + node.name
        case .group:
            line += "group " + node.name
        }
        if let annotation = node.logicalType?.annotation { line += " (\(annotation))" }
        if let id = node.fieldID { line += " = \(id)" }
        switch node.kind {
        case .primitive:
            text += line + ";\n"
        case .group(let children):
            text += line + " {\n"
            for child in children { describe(child, indent: indent + "  ", into: &text) }
            text += indent + "}\n"
        }
    }

    private static func typeName(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .int96: "int96"
        case .float: "float"
        case .double: "double"
        case .byteArray: "binary"
        case .fixedLenByteArray: "fixed_len_byte_array"
        }
    }
}

extension LogicalType {
    /// The annotation as the Parquet message syntax prints it: `TIMESTAMP(MICROS,true)`, `DECIMAL(9,2)`.
    package var annotation: String {
        func unit(_ unit: TimeUnit) -> String {
            switch unit {
            case .millis: "MILLIS"
            case .micros: "MICROS"
            case .nanos: "NANOS"
            }
        }
        switch self {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case .enumeration: return "ENUM"
        case .decimal(let precision, let scale): return "DECIMAL(\(precision),\(scale))"
        case .date: return "DATE"
        case .time(let utc, let u): return "TIME(\(unit(u)),\(utc))"
        case .timestamp(let utc, let u): return "TIMESTAMP(\(unit(u)),\(utc))"
        case .integer(let width, let signed): return "INTEGER(\(width),\(signed))"
        case .null: return "UNKNOWN"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case .variant: return "VARIANT"
        case .geometry: return "GEOMETRY"
        case .geography: return "GEOGRAPHY"
        }
    }
}
