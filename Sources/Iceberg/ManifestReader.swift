import Avro
import IcebergSpec

/// Reads manifest lists and manifests written by any Iceberg implementation, format v1 to v3, projecting by
/// field id and applying sequence-number and snapshot-id inheritance.
package enum ManifestReader {
    /// The records of a manifest list. v1 lists have no sequence numbers or content: they read as 0 and data.
    package static func manifestList(_ bytes: [UInt8], location: String) throws(IcebergError) -> [ManifestFile] {
        var manifests: [ManifestFile] = []
        try forEachRecord(bytes, readerSchema: ManifestSchemas.manifestListReader, location: location) {
            (record) throws(IcebergError) in
            let fields = try Fields(record, location: location)
            let contentCode = try fields.optionalInt(3) ?? 0
            guard let content = ManifestFile.Content(rawValue: Int32(contentCode)) else {
                throw .invalidFile(location, "manifest content \(contentCode) is neither data (0) nor deletes (1)")
            }
            var manifest = ManifestFile(
                path: try fields.string(0), length: try fields.long(1), partitionSpecId: try fields.int(2),
                content: content, sequenceNumber: try fields.optionalLong(4) ?? 0,
                minSequenceNumber: try fields.optionalLong(5) ?? 0, addedSnapshotId: try fields.long(6))
            manifest.addedFilesCount = try fields.optionalInt(7)
            manifest.existingFilesCount = try fields.optionalInt(8)
            manifest.deletedFilesCount = try fields.optionalInt(9)
            manifest.addedRowsCount = try fields.optionalLong(10)
            manifest.existingRowsCount = try fields.optionalLong(11)
            manifest.deletedRowsCount = try fields.optionalLong(12)
            if let summaries = fields.optional(13) {
                manifest.partitions = try list(summaries, location: location).map { (value) throws(IcebergError) in
                    let summary = try Fields(value, location: location)
                    return FieldSummary(
                        containsNull: try summary.bool(0), containsNaN: try summary.optionalBool(1),
                        lowerBound: try summary.optionalBytes(2), upperBound: try summary.optionalBytes(3))
                }
            }
            manifest.keyMetadata = try fields.optionalBytes(14)
            manifest.firstRowId = try fields.optionalLong(15)
            manifests.append(manifest)
        }
        return manifests
    }

    /// Which data-file fields to read. Planning needs neither column sizes nor value counts, and bounds only to
    /// prune equality deletes; leaving them out skips their decoding altogether.
    package enum Projection: Sendable {
        /// Every field: what a rewrite needs to carry entries over unchanged.
        case all
        /// Paths, sizes, counts, partition and delete references; with `bounds`, also lower/upper bounds and null
        /// counts.
        case planning(bounds: Bool)

        func keeps(_ fieldId: Int) -> Bool {
            switch self {
            case .all: return true
            case .planning(let bounds):
                switch fieldId {
                case 108, 109, 137, 131, 132: return false  // column sizes, value counts, NaN counts, key metadata, splits
                case 110, 125, 128: return bounds
                default: return true
                }
            }
        }
    }

    /// The entries of one manifest, inheritance applied. `partitionType` is the manifest's spec's partition type.
    package static func entries(
        _ bytes: [UInt8], manifest: ManifestFile, partitionType: StructType, location: String, projection: Projection = .all
    ) throws(IcebergError) -> [ManifestEntry] {
        let (readerSchema, fieldIds) = try ManifestSchemas.manifestEntryReader(partitionType: partitionType,
            keep: projection.keeps)
        // Position of each data-file field in the projected record, by field id (-1 when not read).
        var position = [Int](repeating: -1, count: 146)
        for (index, id) in fieldIds.enumerated() where (0..<146).contains(id) { position[id] = index }
        var entries: [ManifestEntry] = []
        // v3 row lineage: data files written without a first_row_id take the manifest's, advanced by the record
        // counts of the earlier such files (spec "Row Lineage"; only when the field is read).
        var nextRowId = position[142] >= 0 ? manifest.firstRowId : nil
        let partitionTypes = try partitionType.fields.map { (field) throws(IcebergError) -> PrimitiveType in
            guard case .primitive(let type) = field.type else {
                throw .invalidFile(location, "partition field \(field.name) is not primitive")
            }
            return type
        }
        try forEachRecord(bytes, readerSchema: readerSchema, location: location) { (record) throws(IcebergError) in
            let entry = try Fields(record, location: location)
            let statusCode = try entry.int(0)
            guard let status = ManifestEntry.Status(rawValue: Int32(statusCode)) else {
                throw .invalidFile(location, "entry status \(statusCode) is not 0, 1 or 2")
            }
            let file = try Fields(entry.value(4), location: location, positions: position)
            let contentCode = try file.optionalInt(134) ?? 0
            guard let content = DataFile.Content(rawValue: Int32(contentCode)) else {
                throw .invalidFile(location, "file content \(contentCode) is not 0, 1 or 2")
            }
            let partitionRecord = try Fields(file.value(102), location: location)
            var partition: [Literal?] = []
            partition.reserveCapacity(partitionTypes.count)
            for (index, type) in partitionTypes.enumerated() {
                partition.append(try literal(partitionRecord.value(index).unwrapped, type: type, location: location))
            }
            var dataFile = DataFile(
                content: content, filePath: try file.string(100), fileFormat: try file.string(101),
                specId: manifest.partitionSpecId, partition: partition, recordCount: try file.long(103),
                fileSizeInBytes: try file.long(104))
            dataFile.blockSizeInBytes = try file.optionalLong(105)
            dataFile.columnSizes = try file.optionalCountMap(108)
            dataFile.valueCounts = try file.optionalCountMap(109)
            dataFile.nullValueCounts = try file.optionalCountMap(110)
            dataFile.nanValueCounts = try file.optionalCountMap(137)
            dataFile.lowerBounds = try file.optionalBytesMap(125)
            dataFile.upperBounds = try file.optionalBytesMap(128)
            dataFile.keyMetadata = try file.optionalBytes(131)
            dataFile.splitOffsets = try file.optionalList(132) { (value) throws(IcebergError) in try longValue(value, location) }
            dataFile.equalityIds = try file.optionalList(135) { (value) throws(IcebergError) in
                let id = try longValue(value, location)
                guard let narrow = Int32(exactly: id) else { throw .invalidFile(location, "equality field id \(id) is out of range") }
                return Int(narrow)
            }
            dataFile.sortOrderId = try file.optionalInt(140)
            dataFile.firstRowId = try file.optionalLong(142)
            if dataFile.firstRowId == nil, content == .data, let next = nextRowId {
                dataFile.firstRowId = next
                nextRowId = next.saturatingAdd(dataFile.recordCount)
            }
            dataFile.referencedDataFile = try file.optionalString(143)
            dataFile.contentOffset = try file.optionalLong(144)
            dataFile.contentSizeInBytes = try file.optionalLong(145)
            let read = ManifestEntry(
                status: status, snapshotId: try entry.optionalLong(1), sequenceNumber: try entry.optionalLong(2),
                fileSequenceNumber: try entry.optionalLong(3), dataFile: dataFile)
            entries.append(read.inheriting(from: manifest))
        }
        return entries
    }

    // MARK: - Decoding helpers

    /// Blocks of a manifest decoded side by side before their records are used.
    static let blocksDecodedTogether = 16

    static func forEachRecord(
        _ bytes: [UInt8], readerSchema: AvroSchema, location: String, _ body: (AvroValue) throws(IcebergError) -> Void
    ) throws(IcebergError) {
        do {
            var reader = try AvroFileReader(bytes: bytes, readerSchema: readerSchema, matching: .byFieldID)
            // A large manifest's blocks are decoded a batch at a time on every core.
            var batches = try reader.nextRecordBatches(limit: Self.blocksDecodedTogether)
            while !batches.isEmpty {
                for records in batches { for record in records { try body(record) } }
                batches = try reader.nextRecordBatches(limit: Self.blocksDecodedTogether)
            }
        } catch let error as IcebergError {
            throw error
        } catch {
            throw .invalidFile(location, "\(error)")
        }
    }

    /// A partition value from its Avro form.
    static func literal(_ value: AvroValue, type: PrimitiveType, location: String) throws(IcebergError) -> Literal? {
        switch (type, value) {
        case (_, .null): return nil
        case (.boolean, .boolean(let v)): return .boolean(v)
        case (.int, .int(let v)): return .int(v)
        case (.long, .long(let v)): return .long(v)
        case (.long, .int(let v)): return .long(Int64(v))
        case (.float, .float(let v)): return .float(v)
        case (.double, .double(let v)): return .double(v)
        case (.double, .float(let v)): return .double(Double(v))
        case (.date, .int(let v)): return .date(v)
        case (.time, .long(let v)): return .time(v)
        case (.timestamp, .long(let v)): return .timestamp(v)
        case (.timestamptz, .long(let v)): return .timestamptz(v)
        case (.timestampNs, .long(let v)): return .timestampNs(v)
        case (.timestamptzNs, .long(let v)): return .timestamptzNs(v)
        case (.string, .string(let v)): return .string(v)
        case (.uuid, .fixed(let v)), (.uuid, .bytes(let v)): return .uuid(v)
        case (.fixed, .fixed(let v)): return .fixed(v)
        case (.binary, .bytes(let v)): return .binary(v)
        case (.decimal, .fixed(let bytes)), (.decimal, .bytes(let bytes)):
            do { return try Literal(binary: bytes, type: type) } catch {
                throw .invalidFile(location, "partition value: \(error)")
            }
        case (.date, .long(let v)):  // day transform results written as long by some writers
            guard let days = Int32(exactly: v) else { throw .invalidFile(location, "date partition value \(v) out of range") }
            return .date(days)
        default:
            throw .invalidFile(location, "partition value \(value) does not match type \(type.name)")
        }
    }

    static func longValue(_ value: AvroValue, _ location: String) throws(IcebergError) -> Int64 {
        switch value.unwrapped {
        case .long(let v): return v
        case .int(let v): return Int64(v)
        default: throw .invalidFile(location, "expected a long, found \(value)")
        }
    }

    static func intValue(_ value: AvroValue, _ location: String) throws(IcebergError) -> Int32 {
        guard case .int(let v) = value.unwrapped else { throw .invalidFile(location, "expected an int, found \(value)") }
        return v
    }

    private static func list(_ value: AvroValue, location: String) throws(IcebergError) -> [AvroValue] {
        guard case .array(let values) = value.unwrapped else { throw .invalidFile(location, "expected a list, found \(value)") }
        return values
    }

    /// Typed access to a record's fields, by position in the reader schema or, with `positions`, by field id.
    struct Fields {
        let values: [AvroValue]
        let location: String
        /// Field id → position in `values` (-1: not read); nil when fields are addressed by position.
        let positions: [Int]?

        init(_ value: AvroValue, location: String, positions: [Int]? = nil) throws(IcebergError) {
            guard case .record(let values) = value.unwrapped else {
                throw .invalidFile(location, "expected a record, found \(value)")
            }
            self.values = values
            self.location = location
            self.positions = positions
        }

        private func slot(_ key: Int) -> Int {
            guard let positions else { return key }
            return key < positions.count ? positions[key] : -1
        }

        func value(_ key: Int) throws(IcebergError) -> AvroValue {
            let index = slot(key)
            guard index >= 0, index < values.count else { throw .invalidFile(location, "record has no field \(key)") }
            return values[index]
        }

        func optional(_ key: Int) -> AvroValue? {
            let index = slot(key)
            return index >= 0 && index < values.count && !values[index].isNull ? values[index].unwrapped : nil
        }

        func string(_ index: Int) throws(IcebergError) -> String {
            guard case .string(let text) = try value(index).unwrapped else {
                throw .invalidFile(location, "expected a string at field \(index)")
            }
            return text
        }

        func optionalString(_ index: Int) throws(IcebergError) -> String? {
            guard let value = optional(index) else { return nil }
            guard case .string(let text) = value else { throw .invalidFile(location, "expected a string at field \(index)") }
            return text
        }

        func long(_ index: Int) throws(IcebergError) -> Int64 { try longValue(try value(index), location) }
        func int(_ index: Int) throws(IcebergError) -> Int { Int(try intValue(try value(index), location)) }

        func optionalLong(_ index: Int) throws(IcebergError) -> Int64? {
            guard let value = optional(index) else { return nil }
            return try longValue(value, location)
        }

        func optionalInt(_ index: Int) throws(IcebergError) -> Int? {
            guard let value = optional(index) else { return nil }
            return Int(try intValue(value, location))
        }

        func bool(_ index: Int) throws(IcebergError) -> Bool {
            guard case .boolean(let flag) = try value(index).unwrapped else {
                throw .invalidFile(location, "expected a boolean at field \(index)")
            }
            return flag
        }

        func optionalBool(_ index: Int) throws(IcebergError) -> Bool? {
            guard let value = optional(index) else { return nil }
            guard case .boolean(let flag) = value else { throw .invalidFile(location, "expected a boolean at field \(index)") }
            return flag
        }

        func optionalBytes(_ index: Int) throws(IcebergError) -> [UInt8]? {
            guard let value = optional(index) else { return nil }
            switch value {
            case .bytes(let bytes), .fixed(let bytes): return bytes
            default: throw .invalidFile(location, "expected bytes at field \(index)")
            }
        }

        func optionalList<T>(_ index: Int, _ transform: (AvroValue) throws(IcebergError) -> T) throws(IcebergError) -> [T]? {
            guard let value = optional(index) else { return nil }
            guard case .array(let values) = value else { throw .invalidFile(location, "expected a list at field \(index)") }
            var result: [T] = []
            result.reserveCapacity(values.count)
            for element in values { result.append(try transform(element)) }
            return result
        }

        func optionalCountMap(_ index: Int) throws(IcebergError) -> [Int: Int64]? {
            try optionalMap(index) { (value) throws(IcebergError) in try longValue(value, location) }
        }

        func optionalBytesMap(_ index: Int) throws(IcebergError) -> [Int: [UInt8]]? {
            try optionalMap(index) { (value) throws(IcebergError) in
                switch value.unwrapped {
                case .bytes(let bytes), .fixed(let bytes): return bytes
                default: throw .invalidFile(location, "expected bytes in a bounds map")
                }
            }
        }

        /// Iceberg's int-keyed maps are arrays of key/value records.
        private func optionalMap<T>(_ index: Int, _ transform: (AvroValue) throws(IcebergError) -> T) throws(IcebergError)
            -> [Int: T]?
        {
            guard let entries = try optionalList(index, { $0 }) else { return nil }
            var map: [Int: T] = [:]
            map.reserveCapacity(entries.count)
            for entry in entries {
                let pair = try Fields(entry, location: location)
                map[Int(try intValue(try pair.value(0), location))] = try transform(try pair.value(1))
            }
            return map
        }
    }
}
