import JSONCoding

extension TableMetadata {
    static let knownKeys: Set<String> = [
        "format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms", "last-column-id",
        "schema", "schemas", "current-schema-id", "partition-spec", "partition-specs", "default-spec-id",
        "last-partition-id", "sort-orders", "default-sort-order-id", "properties", "current-snapshot-id",
        "snapshots", "snapshot-log", "metadata-log", "refs", "statistics", "partition-statistics", "next-row-id",
        "encryption-keys",
    ]

    /// Parses a metadata file's text.
    package init(jsonText: some Collection<UInt8>) throws(IcebergSpecError) {
        let json: JSON
        do { json = try JSON.parse(jsonText) } catch { throw .invalidJSON(error) }
        try self.init(json: json)
    }

    package init(json: JSON) throws(IcebergSpecError) {
        let reader = try FieldReader(json, context: "")
        let version = try reader.int("format-version")
        guard Self.supportedFormatVersions.contains(version) else {
            throw .unsupported("format-version \(version) (this build reads 1 to 3)")
        }
        formatVersion = version
        tableUUID = try reader.optionalString("table-uuid")
        if version >= 2 && tableUUID == nil { throw .invalidField("table-uuid", "is missing") }
        var location = try reader.string("location")
        while location.count > 1 && location.hasSuffix("/") { location.removeLast() }
        self.location = location
        lastSequenceNumber = try reader.optionalInt64("last-sequence-number") ?? 0
        if version >= 2 && !reader.has("last-sequence-number") {
            throw .invalidField("last-sequence-number", "is missing")
        }
        lastUpdatedMs = try reader.int64("last-updated-ms")
        lastColumnId = try reader.int("last-column-id")

        // Schemas: v2+ list, or v1's single `schema`.
        if let list = try reader.optionalArray("schemas") {
            schemas = try list.enumerated().map { index, value throws(IcebergSpecError) in
                try Schema(json: value, context: "schemas[\(index)]")
            }
            currentSchemaId = try reader.optionalInt("current-schema-id") ?? schemas.first?.schemaId ?? 0
        } else if let single = reader.value("schema"), version == 1 {
            let schema = try Schema(json: single, context: "schema")
            schemas = [schema]
            currentSchemaId = schema.schemaId
        } else {
            throw .invalidField("schemas", "is missing")
        }
        let schemaId = currentSchemaId
        guard schemas.contains(where: { $0.schemaId == schemaId }) else {
            throw .invalidField("current-schema-id", "names schema \(currentSchemaId), which is not in 'schemas'")
        }

        // Partition specs: v2+ list, or v1's `partition-spec` field list.
        if let list = try reader.optionalArray("partition-specs") {
            partitionSpecs = try list.enumerated().map { index, value throws(IcebergSpecError) in
                try PartitionSpec(json: value, context: "partition-specs[\(index)]")
            }
            defaultSpecId = try reader.optionalInt("default-spec-id") ?? partitionSpecs.first?.specId ?? 0
        } else if let fields = try reader.optionalArray("partition-spec"), version == 1 {
            partitionSpecs = [try PartitionSpec(v1Fields: fields, context: "partition-spec")]
            defaultSpecId = 0
        } else {
            throw .invalidField("partition-specs", "is missing")
        }
        let specId = defaultSpecId
        guard partitionSpecs.contains(where: { $0.specId == specId }) else {
            throw .invalidField("default-spec-id", "names spec \(defaultSpecId), which is not in 'partition-specs'")
        }
        let highestPartitionFieldId = partitionSpecs.flatMap(\.fields).map(\.fieldId).max() ?? 999
        lastPartitionId = try reader.optionalInt("last-partition-id") ?? max(999, highestPartitionFieldId)

        if let list = try reader.optionalArray("sort-orders") {
            sortOrders = try list.enumerated().map { index, value throws(IcebergSpecError) in
                try SortOrder(json: value, context: "sort-orders[\(index)]")
            }
        } else if version >= 2 {
            throw .invalidField("sort-orders", "is missing")
        } else {
            sortOrders = [.unsorted]
        }
        defaultSortOrderId = try reader.optionalInt("default-sort-order-id") ?? sortOrders.first?.orderId ?? 0

        properties = try reader.stringMap("properties")
        let current = try reader.optionalInt64("current-snapshot-id")
        currentSnapshotId = current == -1 ? nil : current
        let snapshots = try (try reader.optionalArray("snapshots") ?? []).enumerated().map {
            index, value throws(IcebergSpecError) in try Snapshot(json: value, context: "snapshots[\(index)]")
        }
        self.snapshots = snapshots
        if let current, current != -1, !snapshots.contains(where: { $0.snapshotId == current }) {
            throw .invalidField("current-snapshot-id", "names snapshot \(current), which is not in 'snapshots'")
        }
        snapshotLog = try (try reader.optionalArray("snapshot-log") ?? []).enumerated().map {
            index, value throws(IcebergSpecError) in
            let entry = try FieldReader(value, context: "snapshot-log[\(index)]")
            return SnapshotLogEntry(timestampMs: try entry.int64("timestamp-ms"), snapshotId: try entry.int64("snapshot-id"))
        }
        metadataLog = try (try reader.optionalArray("metadata-log") ?? []).enumerated().map {
            index, value throws(IcebergSpecError) in
            let entry = try FieldReader(value, context: "metadata-log[\(index)]")
            return MetadataLogEntry(timestampMs: try entry.int64("timestamp-ms"), metadataFile: try entry.string("metadata-file"))
        }

        // Refs; a table with a current snapshot always has `main`, even when the map is missing (v1).
        var refs: [String: SnapshotRef] = [:]
        if let map = reader.value("refs") {
            guard let members = map.objectValue else { throw .invalidField("refs", "must be an object") }
            for (name, value) in members { refs[name] = try SnapshotRef(json: value, context: "refs.\(name)") }
        }
        if let main = refs["main"] {
            guard main.kind == .branch else { throw .invalidField("refs.main", "must be a branch") }
            if let currentSnapshotId, currentSnapshotId != main.snapshotId {
                throw .invalidField("refs.main", "points at \(main.snapshotId) but current-snapshot-id is \(currentSnapshotId)")
            }
            currentSnapshotId = main.snapshotId
        } else if let currentSnapshotId {
            refs["main"] = SnapshotRef(snapshotId: currentSnapshotId, kind: .branch)
        }
        for (name, ref) in refs where !snapshots.contains(where: { $0.snapshotId == ref.snapshotId }) {
            throw .invalidField("refs.\(name)", "points at snapshot \(ref.snapshotId), which is not in 'snapshots'")
        }
        self.refs = refs

        statistics = try Self.statisticsFiles(reader, "statistics")
        partitionStatistics = try Self.statisticsFiles(reader, "partition-statistics")
        nextRowId = try reader.optionalInt64("next-row-id")
        if version >= 3 && nextRowId == nil { throw .invalidField("next-row-id", "is missing") }
        encryptionKeys = reader.value("encryption-keys")
        extra = reader.unknownMembers(known: Self.knownKeys)
    }

    private static func statisticsFiles(_ reader: FieldReader, _ key: String) throws(IcebergSpecError) -> [StatisticsFile] {
        try (try reader.optionalArray(key) ?? []).enumerated().map { index, value throws(IcebergSpecError) in
            let entry = try FieldReader(value, context: "\(key)[\(index)]")
            var file = StatisticsFile(
                snapshotId: try entry.int64("snapshot-id"), path: try entry.string("statistics-path"),
                fileSizeInBytes: try entry.int64("file-size-in-bytes"))
            file.extra = entry.unknownMembers(known: ["snapshot-id", "statistics-path", "file-size-in-bytes"])
            return file
        }
    }

    /// The metadata as JSON in Java's field order, with the fields each format version requires.
    package var json: JSON {
        var members: [(String, JSON)] = [("format-version", .int(Int64(formatVersion)))]
        if let tableUUID { members.append(("table-uuid", .string(tableUUID))) }
        members.append(("location", .string(location)))
        if formatVersion >= 2 { members.append(("last-sequence-number", .int(lastSequenceNumber))) }
        members.append(("last-updated-ms", .int(lastUpdatedMs)))
        members.append(("last-column-id", .int(Int64(lastColumnId))))
        if formatVersion == 1, let currentSchema { members.append(("schema", currentSchema.json)) }
        members.append(("current-schema-id", .int(Int64(currentSchemaId))))
        members.append(("schemas", .array(schemas.map(\.json))))
        if formatVersion == 1, let defaultSpec { members.append(("partition-spec", defaultSpec.fieldsJSON)) }
        members.append(("default-spec-id", .int(Int64(defaultSpecId))))
        members.append(("partition-specs", .array(partitionSpecs.map(\.json))))
        members.append(("last-partition-id", .int(Int64(lastPartitionId))))
        members.append(("default-sort-order-id", .int(Int64(defaultSortOrderId))))
        members.append(("sort-orders", .array(sortOrders.map(\.json))))
        members.append(("properties", .stringMap(properties)))
        if let currentSnapshotId {
            members.append(("current-snapshot-id", .int(currentSnapshotId)))
        } else {
            members.append(("current-snapshot-id", formatVersion >= 3 ? .null : .int(-1)))
        }
        if formatVersion >= 3, let nextRowId { members.append(("next-row-id", .int(nextRowId))) }
        if let encryptionKeys { members.append(("encryption-keys", encryptionKeys)) }
        members.append(("refs", .object(refs.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })))
        members.append(("snapshots", .array(snapshots.map(\.json))))
        members.append(("statistics", .array(statistics.map(\.json))))
        members.append(("partition-statistics", .array(partitionStatistics.map(\.json))))
        members.append(("snapshot-log", .array(snapshotLog.map {
            .object([("timestamp-ms", .int($0.timestampMs)), ("snapshot-id", .int($0.snapshotId))])
        })))
        members.append(("metadata-log", .array(metadataLog.map {
            .object([("timestamp-ms", .int($0.timestampMs)), ("metadata-file", .string($0.metadataFile))])
        })))
        return JSON.object(members).appending(extra)
    }
}

extension StatisticsFile {
    /// The entry as the metadata's `statistics` and `partition-statistics` lists hold it.
    package var json: JSON {
        JSON.object([
            ("snapshot-id", .int(snapshotId)), ("statistics-path", .string(path)), ("file-size-in-bytes", .int(fileSizeInBytes)),
        ]).appending(extra)
    }
}
