import Documents
import IcebergSpec
import JSONCoding
import Parquet

/// What `amoro inspect` shows of a Parquet file: footer, schema, row groups and column chunks, or its rows.
enum ParquetInspection {
    /// The `amoro.inspect` document: footer, schema, row groups and column chunks (with `pages`, every page).
    static func document(path: String, size: Int, pages: Bool) throws -> InspectDocument {
        let reader = try ParquetFileReader(path: path)
        let metadata = reader.metadata
        let schema = reader.schema.columns.map { column in
            InspectDocument.Parquet.Column(
                path: column.dottedPath, physicalType: name(column.physicalType),
                typeLength: column.physicalType == .fixedLenByteArray ? Int(column.typeLength) : nil,
                logicalType: column.logicalType?.annotation, repetition: name(column.repetition), fieldId: column.fieldID.map { Int($0) },
                maxDefinitionLevel: Int(column.maxDefinitionLevel), maxRepetitionLevel: Int(column.maxRepetitionLevel))
        }
        var rowGroups: [InspectDocument.Parquet.RowGroup] = []
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            var columns: [InspectDocument.Parquet.Chunk] = []
            for (columnIndex, chunk) in group.columns.enumerated() {
                guard let meta = chunk.metaData else { continue }
                let column = reader.schema.columns[columnIndex]
                let pageList = try pages ? reader.pages(rowGroup: groupIndex, column: columnIndex).map { page in
                    InspectDocument.Parquet.Page(
                        offset: Int64(page.offset), type: name(page.type), encoding: page.encoding.map(name), values: Int64(page.valueCount),
                        compressedBytes: Int64(page.compressedSize), uncompressedBytes: Int64(page.uncompressedSize))
                } : nil
                columns.append(InspectDocument.Parquet.Chunk(
                    path: meta.pathInSchema.joined(separator: "."), codec: name(meta.codec), encodings: meta.encodings.map(name),
                    values: meta.numValues, compressedBytes: meta.totalCompressedSize, uncompressedBytes: meta.totalUncompressedSize,
                    dataPageOffset: meta.dataPageOffset, dictionaryPageOffset: meta.dictionaryPageOffset,
                    statistics: meta.statistics.map { statistics($0, column: column) }, pages: pageList))
            }
            rowGroups.append(InspectDocument.Parquet.RowGroup(
                index: groupIndex, rows: group.numRows, totalBytes: group.totalByteSize, compressedBytes: group.totalCompressedSize,
                columns: columns))
        }
        return InspectDocument(file: path, sizeBytes: Int64(size), layout: .parquet(InspectDocument.Parquet(
            formatVersion: Int64(metadata.version), createdBy: metadata.createdBy, rows: metadata.numRows,
            footerBytes: Int64(reader.footerLength),
            keyValueMetadata: reader.keyValueMetadata.sorted { $0.key < $1.key }.map { InspectDocument.Entry(key: $0.key, value: $0.value) },
            schema: schema, schemaText: reader.schema.description, rowGroups: rowGroups)))
    }

    /// Calls `emit` with each row (only `columns`, top-level names, when given) as a JSON object, holding one row
    /// group's rows at a time.
    static func rows(path: String, columns: [String]?, limit: Int?, _ emit: (JSON) -> Void) throws {
        let reader = try ParquetFileReader(path: path)
        var selected: [Int]?
        if let columns {
            let children = reader.schema.root.children
            selected = try columns.flatMap { name -> Range<Int> in
                guard let node = children.first(where: { $0.name == name }) else {
                    throw ParquetError.invalidArgument("\(path) has no top-level column \(name)")
                }
                return node.leaves
            }
        }
        try reader.readRows(columns: selected, limit: limit) { schema, rows in
            for row in rows { emit(json(row, fields: schema.root.children)) }
        }
    }

    private static func json(_ row: ParquetValue, fields: [SchemaNode]) -> JSON {
        guard case .group(let values) = row else { return .null }
        return .object(zip(fields, values).map { ($0.name, field($0, $1)) })
    }

    /// A field's value; a repeated field (legacy unannotated repetition) is a list of its values.
    private static func field(_ node: SchemaNode, _ value: ParquetValue) -> JSON {
        if node.repetition == .repeated, case .list(let items) = value { return .array(items.map { single(node, $0) }) }
        return single(node, value)
    }

    private static func single(_ node: SchemaNode, _ value: ParquetValue) -> JSON {
        switch (node.kind, value) {
        case (_, .null): return .null
        case (.primitive, _): return primitive(value, logicalType: node.logicalType)
        case (.group(let children), .group): return json(value, fields: children)
        case (.group, .list(let items)):
            guard case .list(let repeated, let element) = NestedShape(node) else { return .null }
            return .array(items.map { item in element.map { field($0, item) } ?? single(repeated, item) })
        case (.group, .map(let entries)):
            // Iceberg's JSON form of a map: parallel arrays of keys and values.
            guard case .map(_, let key, let valueNode) = NestedShape(node) else { return .null }
            return .object([
                ("keys", .array(entries.map { field(key, $0.key) })),
                ("values", .array(entries.map { entry in valueNode.map { field($0, entry.value) } ?? .null })),
            ])
        default: return .null
        }
    }

    /// A primitive value in Iceberg's JSON single-value form.
    static func primitive(_ value: ParquetValue, logicalType: LogicalType?) -> JSON {
        func unit(_ unit: TimeUnit) -> IcebergJSON.TimeUnit {
            switch unit {
            case .millis: .milliseconds
            case .micros: .microseconds
            case .nanos: .nanoseconds
            }
        }
        func integer(_ number: Int64, unsigned: UInt64) -> JSON {
            switch logicalType {
            case .integer(_, false)?: return .uint(unsigned)
            case .decimal(_, let scale)?: return .string(IcebergJSON.decimal(unscaled: number, scale: Int(scale)))
            case .date?: return .string(IcebergJSON.date(daysSinceEpoch: number))
            case .time(_, let u)?: return .string(IcebergJSON.time(number, unit: unit(u)))
            case .timestamp(let utc, let u)?: return .string(IcebergJSON.timestamp(number, unit: unit(u), adjustedToUTC: utc))
            default: return .int(number)
            }
        }
        switch value {
        case .null: return .null
        case .boolean(let flag): return .bool(flag)
        case .int32(let number): return integer(Int64(number), unsigned: UInt64(UInt32(bitPattern: number)))
        case .int64(let number): return integer(number, unsigned: UInt64(bitPattern: number))
        case .int96(let value):
            return .string(IcebergJSON.timestamp(julianDay: value.julianDay, nanosecondsOfDay: value.nanosecondsOfDay))
        case .float(let number): return .double(Double(number))
        case .double(let number): return .double(number)
        case .bytes(let bytes):
            switch logicalType {
            case .string?, .enumeration?, .json?: return .string(String(decoding: bytes, as: UTF8.self))
            case .decimal(_, let scale)?: return .string(IcebergJSON.decimal(bigEndianTwosComplement: bytes, scale: Int(scale)))
            case .uuid?: return .string(IcebergJSON.uuid(bytes) ?? IcebergJSON.hex(bytes))
            case .float16? where bytes.count == 2: return .double(Double(halfFloat(bytes)))
            default: return .string(IcebergJSON.hex(bytes))
            }
        case .group, .list, .map: return .null
        }
    }

    /// Min, max and counts, with min/max decoded by the column's type.
    private static func statistics(_ statistics: Statistics, column: ColumnDescriptor) -> InspectDocument.Parquet.Statistics {
        func decode(_ bytes: [UInt8]?) -> JSON {
            guard let bytes else { return .null }
            return primitive(plainValue(bytes, column: column), logicalType: column.logicalType)
        }
        // The deprecated min/max are signed-order; use them only where that order is right.
        let legacyUsable = column.logicalType == nil || column.physicalType != .byteArray
        return InspectDocument.Parquet.Statistics(
            nullCount: statistics.nullCount, distinctCount: statistics.distinctCount,
            min: decode(statistics.minValue ?? (legacyUsable ? statistics.min : nil)),
            max: decode(statistics.maxValue ?? (legacyUsable ? statistics.max : nil)), nanCount: statistics.nanCount)
    }

    /// A statistics value (PLAIN without a length prefix) as a value of the column's physical type.
    private static func plainValue(_ bytes: [UInt8], column: ColumnDescriptor) -> ParquetValue {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch column.physicalType {
        case .boolean: return bytes.first.map { .boolean($0 != 0) } ?? .null
        case .int32: return load(Int32.self).map(ParquetValue.int32) ?? .bytes(bytes)
        case .int64: return load(Int64.self).map(ParquetValue.int64) ?? .bytes(bytes)
        case .float: return load(UInt32.self).map { .float(Float(bitPattern: $0)) } ?? .bytes(bytes)
        case .double: return load(UInt64.self).map { .double(Double(bitPattern: $0)) } ?? .bytes(bytes)
        case .int96, .byteArray, .fixedLenByteArray: return .bytes(bytes)
        }
    }

    private static func halfFloat(_ bytes: [UInt8]) -> Float {
        let bits = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
        return Float(Float16(bitPattern: bits))
    }

    // MARK: - Names

    static func name(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }

    static func name(_ encoding: Encoding) -> String {
        switch encoding {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }

    static func name(_ codec: CompressionKind) -> String {
        switch codec {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    static func name(_ repetition: Repetition) -> String {
        switch repetition {
        case .required: "REQUIRED"
        case .optional: "OPTIONAL"
        case .repeated: "REPEATED"
        }
    }

    static func name(_ type: PageType) -> String {
        switch type {
        case .dataPage: "DATA_PAGE"
        case .indexPage: "INDEX_PAGE"
        case .dictionaryPage: "DICTIONARY_PAGE"
        case .dataPageV2: "DATA_PAGE_V2"
        }
    }
}
