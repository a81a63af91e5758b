import ByteCoding

/// How reader fields find their writer fields when a writer schema is read with a different reader schema.
package enum AvroFieldMatching: Sendable, Hashable {
    /// Avro's rules: by name (or a reader alias); named types must have matching names.
    case byName
    /// Iceberg's rules: fields carrying a `field-id` attribute match the writer field with the same id whatever
    /// their names; fields without one match by name. Type names are not compared, and a reader field missing
    /// from the writer reads as null when its type is an optional union, even without a default.
    case byFieldID
}

/// A resolved reader tree: the writer schema (from a file) read as a reader schema, built once and then used for
/// every record. Writer fields the reader does not ask for are skipped without building values.
package struct AvroReadPlan: Sendable {
    package let writerSchema: AvroSchema
    /// The shape of the decoded values: the reader schema, or the writer schema when none was given.
    package let readerSchema: AvroSchema
    /// Named types of `readerSchema`, for following references while rendering values.
    package let readerNames: AvroNameTable
    let root: AvroReadNode
    let records: [AvroRecordPlan]
    let skipRecords: [[AvroSkipNode]]

    /// Nesting deeper than this while decoding (records, arrays, maps, unions) is treated as corrupt data, so a
    /// recursive schema cannot be made to exhaust the stack.
    package static let depthLimit = 256

    package init(writer: AvroSchema, reader: AvroSchema? = nil, matching: AvroFieldMatching = .byName)
        throws(AvroError)
    {
        let reader = reader ?? writer
        var resolver = AvroResolver(
            writerNames: AvroNameTable(writer), readerNames: AvroNameTable(reader), matching: matching)
        root = try resolver.node(writer: writer, reader: reader, path: "")
        records = resolver.records
        skipRecords = resolver.skipRecords
        writerSchema = writer
        readerSchema = reader
        readerNames = resolver.readerNames
    }

    /// Decodes one value at the cursor.
    @inline(__always)
    package func decode(_ cursor: inout ByteReader) throws(AvroError) -> AvroValue {
        var budget = Self.emptyItemLimit
        return try read(root, &cursor, depth: 0, &budget)
    }

    /// Decodes one value at the cursor, drawing array items that encode to no bytes (nulls) from `emptyItemBudget`,
    /// which a caller shares across the values of one block.
    @inline(__always)
    package func decode(_ cursor: inout ByteReader, emptyItemBudget: inout Int) throws(AvroError) -> AvroValue {
        try read(root, &cursor, depth: 0, &emptyItemBudget)
    }

    /// How many array items that encode to no bytes (`null`, empty records) one value or block may hold.
    package static let emptyItemLimit = 1 << 20
}
