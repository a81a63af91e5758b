/// One node of the flattened schema in the footer (Thrift `SchemaElement`), listed depth first.
package struct SchemaElement: Sendable, Hashable {
    package var type: PhysicalType?
    package var typeLength: Int32?
    package var repetition: Repetition?
    package var name: String
    package var numChildren: Int32?
    package var convertedType: ConvertedType?
    package var scale: Int32?
    package var precision: Int32?
    package var fieldID: Int32?
    package var logicalType: LogicalType?

    package init(
        name: String, type: PhysicalType? = nil, typeLength: Int32? = nil, repetition: Repetition? = nil,
        numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
        fieldID: Int32? = nil, logicalType: LogicalType? = nil
    ) {
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }

    package init(from reader: inout ThriftCompactReader) throws(ParquetError) {
        var element = SchemaElement(name: "")
        var hasName = false
        try reader.readStruct { reader, field throws(ParquetError) in
            switch field.id {
            case 1: element.type = try reader.enumeration(field)
            case 2: element.typeLength = try reader.i32(field)
            case 3: element.repetition = try reader.enumeration(field)
            case 4:
                element.name = try reader.string(field)
                hasName = true
            case 5: element.numChildren = try reader.i32(field)
            case 6:
                // An unknown converted type is dropped rather than refusing the file.
                element.convertedType = ConvertedType(rawValue: try reader.i32(field))
            case 7: element.scale = try reader.i32(field)
            case 8: element.precision = try reader.i32(field)
            case 9: element.fieldID = try reader.i32(field)
            case 10:
                guard field.type == .struct else { return false }
                element.logicalType = try LogicalType.read(from: &reader)
            default: return false
            }
            return true
        }
        guard hasName else { throw .missing("name", in: "SchemaElement") }
        self = element
    }

    package func write(to writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let type { writer.i32(1, type.rawValue) }
        if let typeLength { writer.i32(2, typeLength) }
        if let repetition { writer.i32(3, repetition.rawValue) }
        writer.string(4, name)
        if let numChildren { writer.i32(5, numChildren) }
        if let convertedType { writer.i32(6, convertedType.rawValue) }
        if let scale { writer.i32(7, scale) }
        if let precision { writer.i32(8, precision) }
        if let fieldID { writer.i32(9, fieldID) }
        if let logicalType {
            writer.fieldHeader(10, .struct)
            logicalType.write(to: &writer)
        }
        writer.endStruct()
    }
}
