import JSONCoding

/// The `amoro.inspect` document (version 1): the layout of one Parquet or Avro file (`AmoroCLI/Inspect/` reads the
/// file and builds it).
package struct InspectDocument: Document {
    package static let kind = "amoro.inspect"
    package static let version = 1

    /// A key and value of the file's metadata.
    package struct Entry: Sendable, Equatable {
        package var key: String
        package var value: String

        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// What a Parquet file's footer says.
    package struct Parquet: Sendable, Equatable {
        package struct Column: Sendable, Equatable {
            package var path: String
            package var physicalType: String
            /// Only for FIXED_LEN_BYTE_ARRAY.
            package var typeLength: Int?
            package var logicalType: String?
            package var repetition: String
            package var fieldId: Int?
            package var maxDefinitionLevel: Int
            package var maxRepetitionLevel: Int

            package init(path: String, physicalType: String, typeLength: Int?, logicalType: String?, repetition: String,
                fieldId: Int?, maxDefinitionLevel: Int, maxRepetitionLevel: Int)
            {
                self.path = path
                self.physicalType = physicalType
                self.typeLength = typeLength
                self.logicalType = logicalType
                self.repetition = repetition
                self.fieldId = fieldId
                self.maxDefinitionLevel = maxDefinitionLevel
                self.maxRepetitionLevel = maxRepetitionLevel
            }
        }

        /// A chunk's statistics, min and max in Iceberg's JSON single-value form.
        package struct Statistics: Sendable, Equatable {
            package var nullCount: Int64?
            package var distinctCount: Int64?
            package var min: JSON
            package var max: JSON
            package var nanCount: Int64?

            package init(nullCount: Int64?, distinctCount: Int64?, min: JSON, max: JSON, nanCount: Int64?) {
                self.nullCount = nullCount
                self.distinctCount = distinctCount
                self.min = min
                self.max = max
                self.nanCount = nanCount
            }
        }

        package struct Page: Sendable, Equatable {
            package var offset: Int64
            package var type: String
            package var encoding: String?
            package var values: Int64
            package var compressedBytes: Int64
            package var uncompressedBytes: Int64

            package init(offset: Int64, type: String, encoding: String?, values: Int64, compressedBytes: Int64,
                uncompressedBytes: Int64)
            {
                self.offset = offset
                self.type = type
                self.encoding = encoding
                self.values = values
                self.compressedBytes = compressedBytes
                self.uncompressedBytes = uncompressedBytes
            }
        }

        package struct Chunk: Sendable, Equatable {
            package var path: String
            package var codec: String
            package var encodings: [String]
            package var values: Int64
            package var compressedBytes: Int64
            package var uncompressedBytes: Int64
            package var dataPageOffset: Int64
            package var dictionaryPageOffset: Int64?
            package var statistics: Statistics?
            /// With `--pages` only.
            package var pages: [Page]?

            package init(path: String, codec: String, encodings: [String], values: Int64, compressedBytes: Int64,
                uncompressedBytes: Int64, dataPageOffset: Int64, dictionaryPageOffset: Int64?, statistics: Statistics?,
                pages: [Page]?)
            {
                self.path = path
                self.codec = codec
                self.encodings = encodings
                self.values = values
                self.compressedBytes = compressedBytes
                self.uncompressedBytes = uncompressedBytes
                self.dataPageOffset = dataPageOffset
                self.dictionaryPageOffset = dictionaryPageOffset
                self.statistics = statistics
                self.pages = pages
            }
        }

        package struct RowGroup: Sendable, Equatable {
            package var index: Int
            package var rows: Int64
            package var totalBytes: Int64
            package var compressedBytes: Int64?
            package var columns: [Chunk]

            package init(index: Int, rows: Int64, totalBytes: Int64, compressedBytes: Int64?, columns: [Chunk]) {
                self.index = index
                self.rows = rows
                self.totalBytes = totalBytes
                self.compressedBytes = compressedBytes
                self.columns = columns
            }
        }

        package var formatVersion: Int64
        package var createdBy: String?
        package var rows: Int64
        package var footerBytes: Int64
        package var keyValueMetadata: [Entry]
        package var schema: [Column]
        package var schemaText: String
        package var rowGroups: [RowGroup]

        package init(formatVersion: Int64, createdBy: String?, rows: Int64, footerBytes: Int64, keyValueMetadata: [Entry],
            schema: [Column], schemaText: String, rowGroups: [RowGroup])
        {
            self.formatVersion = formatVersion
            self.createdBy = createdBy
            self.rows = rows
            self.footerBytes = footerBytes
            self.keyValueMetadata = keyValueMetadata
            self.schema = schema
            self.schemaText = schemaText
            self.rowGroups = rowGroups
        }
    }

    /// What an Avro object container file's header and blocks say.
    package struct Avro: Sendable, Equatable {
        package struct Block: Sendable, Equatable {
            package var index: Int
            package var offset: Int64
            package var records: Int64
            package var compressedBytes: Int64
            package var uncompressedBytes: Int64

            package init(index: Int, offset: Int64, records: Int64, compressedBytes: Int64, uncompressedBytes: Int64) {
                self.index = index
                self.offset = offset
                self.records = records
                self.compressedBytes = compressedBytes
                self.uncompressedBytes = uncompressedBytes
            }
        }

        package var codec: String
        package var syncMarker: String
        package var headerBytes: Int64
        package var records: Int64
        /// The writer's schema as JSON (as text when it is not JSON).
        package var schema: JSON
        /// Metadata other than `avro.*`, binary values as hex.
        package var metadata: [Entry]
        package var blocks: [Block]

        package init(codec: String, syncMarker: String, headerBytes: Int64, records: Int64, schema: JSON, metadata: [Entry],
            blocks: [Block])
        {
            self.codec = codec
            self.syncMarker = syncMarker
            self.headerBytes = headerBytes
            self.records = records
            self.schema = schema
            self.metadata = metadata
            self.blocks = blocks
        }
    }

    package enum Layout: Sendable, Equatable {
        case parquet(Parquet)
        case avro(Avro)
    }

    package var file: String
    package var sizeBytes: Int64
    package var layout: Layout

    package init(file: String, sizeBytes: Int64, layout: Layout) {
        self.file = file
        self.sizeBytes = sizeBytes
        self.layout = layout
    }

    package var json: JSON {
        var members: [(String, JSON)] = [("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("file", .string(file))]
        func entries(_ entries: [Entry]) -> JSON { .object(entries.map { ($0.key, .string($0.value)) }) }
        switch layout {
        case .parquet(let parquet):
            members += [
                ("format", .string("parquet")), ("size_bytes", .int(sizeBytes)), ("format_version", .int(parquet.formatVersion)),
                ("created_by", parquet.createdBy.map(JSON.string) ?? .null), ("rows", .int(parquet.rows)),
                ("footer_bytes", .int(parquet.footerBytes)), ("key_value_metadata", entries(parquet.keyValueMetadata)),
                ("schema", .array(parquet.schema.map(Self.json))), ("schema_text", .string(parquet.schemaText)),
                ("row_groups", .array(parquet.rowGroups.map { group in
                    .object([
                        ("index", .int(Int64(group.index))), ("rows", .int(group.rows)), ("total_bytes", .int(group.totalBytes)),
                        ("compressed_bytes", group.compressedBytes.map(JSON.int) ?? .null),
                        ("columns", .array(group.columns.map(Self.json))),
                    ])
                })),
            ]
        case .avro(let avro):
            members += [
                ("format", .string("avro")), ("size_bytes", .int(sizeBytes)), ("codec", .string(avro.codec)),
                ("sync_marker", .string(avro.syncMarker)), ("header_bytes", .int(avro.headerBytes)), ("records", .int(avro.records)),
                ("schema", avro.schema), ("metadata", entries(avro.metadata)),
                ("blocks", .array(avro.blocks.map { block in
                    .object([
                        ("index", .int(Int64(block.index))), ("offset", .int(block.offset)), ("records", .int(block.records)),
                        ("compressed_bytes", .int(block.compressedBytes)), ("uncompressed_bytes", .int(block.uncompressedBytes)),
                    ])
                })),
            ]
        }
        return .object(members)
    }

    private static func json(_ column: Parquet.Column) -> JSON {
        var members: [(String, JSON)] = [("path", .string(column.path)), ("physical_type", .string(column.physicalType))]
        if let length = column.typeLength { members.append(("type_length", .int(Int64(length)))) }
        members += [
            ("logical_type", column.logicalType.map(JSON.string) ?? .null), ("repetition", .string(column.repetition)),
            ("field_id", column.fieldId.map { .int(Int64($0)) } ?? .null),
            ("max_definition_level", .int(Int64(column.maxDefinitionLevel))),
            ("max_repetition_level", .int(Int64(column.maxRepetitionLevel))),
        ]
        return .object(members)
    }

    private static func json(_ chunk: Parquet.Chunk) -> JSON {
        var members: [(String, JSON)] = [
            ("path", .string(chunk.path)), ("codec", .string(chunk.codec)), ("encodings", .array(chunk.encodings.map(JSON.string))),
            ("values", .int(chunk.values)), ("compressed_bytes", .int(chunk.compressedBytes)),
            ("uncompressed_bytes", .int(chunk.uncompressedBytes)), ("data_page_offset", .int(chunk.dataPageOffset)),
            ("dictionary_page_offset", chunk.dictionaryPageOffset.map(JSON.int) ?? .null),
            ("statistics", chunk.statistics.map { statistics in
                .object([
                    ("null_count", statistics.nullCount.map(JSON.int) ?? .null),
                    ("distinct_count", statistics.distinctCount.map(JSON.int) ?? .null), ("min", statistics.min),
                    ("max", statistics.max), ("nan_count", statistics.nanCount.map(JSON.int) ?? .null),
                ])
            } ?? .null),
        ]
        if let pages = chunk.pages {
            members.append(("pages", .array(pages.map { page in
                .object([
                    ("offset", .int(page.offset)), ("type", .string(page.type)), ("encoding", page.encoding.map(JSON.string) ?? .null),
                    ("values", .int(page.values)), ("compressed_bytes", .int(page.compressedBytes)),
                    ("uncompressed_bytes", .int(page.uncompressedBytes)),
                ])
            })))
        }
        return .object(members)
    }

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        let format = try fields.string("format")
        guard format == "parquet" || format == "avro" else { throw fields.error("format", "is \"\(format)\", not parquet or avro") }
        func entries(_ key: String) throws(DocumentError) -> [Entry] {
            guard let members = try fields.value(key).objectValue else { throw fields.error(key, "must be an object") }
            return try members.map { (name, value) throws(DocumentError) in
                guard let text = value.stringValue else { throw fields.error("\(key).\(name)", "must be a string") }
                return Entry(key: name, value: text)
            }
        }
        let layout: Layout
        if format == "parquet" {
            let schema = try fields.objects("schema") { (column) throws(DocumentError) in
                Parquet.Column(
                    path: try column.string("path"), physicalType: try column.string("physical_type"),
                    typeLength: try column.optionalInt("type_length", 0...Int64(Int32.max)).map { Int($0) },
                    logicalType: try column.optionalString("logical_type"), repetition: try column.string("repetition"),
                    fieldId: try column.optionalInt("field_id", Int64(Int32.min)...Int64(Int32.max)).map { Int($0) },
                    maxDefinitionLevel: try column.small("max_definition_level"),
                    maxRepetitionLevel: try column.small("max_repetition_level"))
            }
            let rowGroups = try fields.objects("row_groups") {
                (group) throws(DocumentError) in
                Parquet.RowGroup(
                    index: try group.small("index"), rows: try group.int("rows"), totalBytes: try group.int("total_bytes"),
                    compressedBytes: try group.optionalInt("compressed_bytes"),
                    columns: try group.objects("columns") { (chunk) throws(DocumentError) in
                        let statistics = try chunk.optionalObject("statistics").map { (s) throws(DocumentError) in
                            Parquet.Statistics(
                                nullCount: try s.optionalInt("null_count"), distinctCount: try s.optionalInt("distinct_count"),
                                min: try s.value("min"), max: try s.value("max"), nanCount: try s.optionalInt("nan_count"))
                        }
                        let pages = try chunk.has("pages")
                            ? chunk.objects("pages") { (page) throws(DocumentError) in
                                Parquet.Page(
                                    offset: try page.int("offset"), type: try page.string("type"),
                                    encoding: try page.optionalString("encoding"), values: try page.int("values"),
                                    compressedBytes: try page.int("compressed_bytes"),
                                    uncompressedBytes: try page.int("uncompressed_bytes"))
                            } : nil
                        return Parquet.Chunk(
                            path: try chunk.string("path"), codec: try chunk.string("codec"), encodings: try chunk.strings("encodings"),
                            values: try chunk.int("values"), compressedBytes: try chunk.int("compressed_bytes"),
                            uncompressedBytes: try chunk.int("uncompressed_bytes"), dataPageOffset: try chunk.int("data_page_offset"),
                            dictionaryPageOffset: try chunk.optionalInt("dictionary_page_offset"), statistics: statistics, pages: pages)
                    })
            }
            layout = .parquet(Parquet(
                formatVersion: try fields.int("format_version", Int64(Int32.min)...Int64(Int32.max)),
                createdBy: try fields.optionalString("created_by"), rows: try fields.int("rows"),
                footerBytes: try fields.int("footer_bytes"), keyValueMetadata: try entries("key_value_metadata"), schema: schema,
                schemaText: try fields.string("schema_text"), rowGroups: rowGroups))
        } else {
            layout = .avro(Avro(
                codec: try fields.string("codec"), syncMarker: try fields.string("sync_marker"),
                headerBytes: try fields.int("header_bytes"), records: try fields.int("records"), schema: try fields.value("schema"),
                metadata: try entries("metadata"),
                blocks: try fields.objects("blocks") {
                    (block) throws(DocumentError) in
                    Avro.Block(
                        index: try block.small("index"), offset: try block.int("offset"), records: try block.int("records"),
                        compressedBytes: try block.int("compressed_bytes"), uncompressedBytes: try block.int("uncompressed_bytes"))
                }))
        }
        self.init(file: try fields.string("file"), sizeBytes: try fields.int("size_bytes"), layout: layout)
    }

    /// The file, then (Parquet) its metadata, schema and one table of column chunks per row group, or (Avro) its
    /// metadata, schema and a table of blocks.
    package func rendered() -> String {
        func text(_ value: JSON) -> String {
            switch value {
            case .string(let s): s
            case .null: "-"
            default: value.rendered()
            }
        }
        func optional(_ number: Int64?) -> String { number.map { String($0) } ?? "-" }
        var lines: [String] = []
        switch layout {
        case .parquet(let parquet):
            lines.append("\(file)  parquet  \(ByteCount.format(sizeBytes))")
            lines.append("created by \(parquet.createdBy ?? "-"); \(parquet.rows) rows in \(parquet.rowGroups.count) row groups")
            for entry in parquet.keyValueMetadata { lines.append("  \(entry.key) = \(entry.value.prefix(120))") }
            lines.append(parquet.schemaText)
            for group in parquet.rowGroups {
                lines.append("row group \(group.index): \(group.rows) rows, \(ByteCount.format(group.totalBytes))")
                var table = TextTable(["column", "codec", "encodings", "compressed", "uncompressed", "nulls", "min", "max"])
                for chunk in group.columns {
                    let statistics = chunk.statistics
                    table.add([
                        chunk.path, chunk.codec, chunk.encodings.joined(separator: ","), ByteCount.format(chunk.compressedBytes),
                        ByteCount.format(chunk.uncompressedBytes), optional(statistics?.nullCount),
                        String(text(statistics?.min ?? .null).prefix(32)), String(text(statistics?.max ?? .null).prefix(32)),
                    ])
                }
                lines.append(table.rendered())
            }
        case .avro(let avro):
            lines.append("\(file)  avro  \(ByteCount.format(sizeBytes))")
            lines.append("codec \(avro.codec); \(avro.records) records in \(avro.blocks.count) blocks; sync \(avro.syncMarker)")
            for entry in avro.metadata { lines.append("  \(entry.key) = \(entry.value.prefix(120))") }
            lines.append(avro.schema.rendered(pretty: true))
            var table = TextTable(["block", "offset", "records", "compressed", "uncompressed"])
            for block in avro.blocks {
                table.add([String(block.index), String(block.offset), String(block.records), ByteCount.format(block.compressedBytes),
                    ByteCount.format(block.uncompressedBytes)])
            }
            lines.append(table.rendered())
        }
        return (lines + [""]).joined(separator: "\n")
    }
}
