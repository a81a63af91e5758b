import Avro

/// One entry of a manifest list (`ManifestFileMeta`): a manifest and what it adds and deletes.
package struct PaimonManifestFile: Sendable, Equatable {
    package var fileName: String
    package var fileSize: Int64
    package var numAddedFiles: Int64
    package var numDeletedFiles: Int64
    package var schemaId: Int64
    /// Bounds of the partitions the manifest holds (a reader prunes manifests by them).
    package var partitionStats: PaimonSimpleStats = .empty
    package var minBucket: Int? = nil
    package var maxBucket: Int? = nil
    package var minLevel: Int? = nil
    package var maxLevel: Int? = nil
    package var minRowId: Int64? = nil
    package var maxRowId: Int64? = nil
    package var totalBuckets: Int? = nil
    package var extraFiles: [String]? = nil

    package init(fileName: String, fileSize: Int64, numAddedFiles: Int64, numDeletedFiles: Int64, schemaId: Int64,
        partitionStats: PaimonSimpleStats = .empty, minBucket: Int? = nil, maxBucket: Int? = nil, minLevel: Int? = nil,
        maxLevel: Int? = nil, minRowId: Int64? = nil, maxRowId: Int64? = nil, totalBuckets: Int? = nil, extraFiles: [String]? = nil)
    {
        self.fileName = fileName
        self.fileSize = fileSize
        self.numAddedFiles = numAddedFiles
        self.numDeletedFiles = numDeletedFiles
        self.schemaId = schemaId
        self.partitionStats = partitionStats
        self.minBucket = minBucket
        self.maxBucket = maxBucket
        self.minLevel = minLevel
        self.maxLevel = maxLevel
        self.minRowId = minRowId
        self.maxRowId = maxRowId
        self.totalBuckets = totalBuckets
        self.extraFiles = extraFiles
    }
}

/// Minimum and maximum values (serialized binary rows) and null counts of some columns (`SimpleStats`).
package struct PaimonSimpleStats: Sendable, Equatable {
    package var minValues: [UInt8]
    package var maxValues: [UInt8]
    package var nullCounts: [Int64?]?

    package init(minValues: [UInt8], maxValues: [UInt8], nullCounts: [Int64?]?) {
        self.minValues = minValues
        self.maxValues = maxValues
        self.nullCounts = nullCounts
    }

    /// Statistics of no column.
    package static let empty = PaimonSimpleStats(minValues: BinaryRowWriter.empty, maxValues: BinaryRowWriter.empty, nullCounts: [])
}

/// A data or changelog file (`DataFileMeta`), as a manifest entry records it.
package struct PaimonDataFile: Sendable, Equatable {
    package var fileName: String
    package var fileSize: Int64
    package var rowCount: Int64
    package var minKey: [UInt8]
    package var maxKey: [UInt8]
    package var minSequenceNumber: Int64
    package var maxSequenceNumber: Int64
    package var schemaId: Int64
    package var level: Int
    /// Files kept beside this one (file indexes), by name in the same directory.
    package var extraFiles: [String]
    package var creationTimeMs: Int64?
    package var deleteRowCount: Int64?
    /// 0 for files a write produced, 1 for files a compaction produced; nil when not recorded.
    package var fileSource: Int?
    /// Where the file lives when not under the table (`data-file.external-paths`).
    package var externalPath: String?
    package var keyStats: PaimonSimpleStats = .empty
    package var valueStats: PaimonSimpleStats = .empty
    /// The columns `valueStats` covers; nil for every column of the file's schema.
    package var valueStatsCols: [String]? = nil
    package var embeddedIndex: [UInt8]? = nil
    package var firstRowId: Int64? = nil
    package var writeCols: [String]? = nil

    package init(fileName: String, fileSize: Int64, rowCount: Int64, minKey: [UInt8], maxKey: [UInt8], minSequenceNumber: Int64,
        maxSequenceNumber: Int64, schemaId: Int64, level: Int, extraFiles: [String], creationTimeMs: Int64?,
        deleteRowCount: Int64?, fileSource: Int?, externalPath: String?)
    {
        self.fileName = fileName
        self.fileSize = fileSize
        self.rowCount = rowCount
        self.minKey = minKey
        self.maxKey = maxKey
        self.minSequenceNumber = minSequenceNumber
        self.maxSequenceNumber = maxSequenceNumber
        self.schemaId = schemaId
        self.level = level
        self.extraFiles = extraFiles
        self.creationTimeMs = creationTimeMs
        self.deleteRowCount = deleteRowCount
        self.fileSource = fileSource
        self.externalPath = externalPath
    }
}

/// One entry of a manifest (`ManifestEntry`).
package struct PaimonManifestEntry: Sendable, Equatable {
    package enum Kind: Int, Sendable { case add = 0, delete = 1 }

    package var kind: Kind
    /// The partition as a serialized binary row.
    package var partition: [UInt8]
    package var bucket: Int
    package var totalBuckets: Int
    package var file: PaimonDataFile

    package init(kind: Kind, partition: [UInt8], bucket: Int, totalBuckets: Int, file: PaimonDataFile) {
        self.kind = kind
        self.partition = partition
        self.bucket = bucket
        self.totalBuckets = totalBuckets
        self.file = file
    }

    /// What identifies a file across entries (`FileEntry.Identifier`): an ADD and a later DELETE with the same
    /// identifier cancel.
    package struct Identifier: Hashable, Sendable {
        var partition: [UInt8]
        var bucket: Int
        var level: Int
        var fileName: String
        var extraFiles: [String]
        var embeddedIndex: [UInt8]?
        var externalPath: String?
    }

    package var identifier: Identifier {
        Identifier(partition: partition, bucket: bucket, level: file.level, fileName: file.fileName,
            extraFiles: file.extraFiles, embeddedIndex: file.embeddedIndex, externalPath: file.externalPath)
    }
}

/// One entry of an index manifest (`IndexManifestEntry`): a deletion-vector or hash index file of a bucket.
package struct PaimonIndexEntry: Sendable, Equatable {
    package var kind: PaimonManifestEntry.Kind
    package var partition: [UInt8]
    package var bucket: Int
    /// `DELETION_VECTORS` or `HASH` (others kept as written).
    package var indexType: String
    package var fileName: String
    package var fileSize: Int64
    package var rowCount: Int64
    package var externalPath: String?
    /// Deletion vectors: the data files they cover, where each vector lies in the index file (the offset of its
    /// length prefix, and its length: magic and bitmap), and the rows deleted in each (when recorded).
    package var deletionVectors: [(dataFile: String, offset: Int64, length: Int64, cardinality: Int64?)]

    package static func == (lhs: PaimonIndexEntry, rhs: PaimonIndexEntry) -> Bool {
        lhs.kind == rhs.kind && lhs.partition == rhs.partition && lhs.bucket == rhs.bucket && lhs.indexType == rhs.indexType
            && lhs.fileName == rhs.fileName && lhs.fileSize == rhs.fileSize && lhs.rowCount == rhs.rowCount
            && lhs.externalPath == rhs.externalPath
            && lhs.deletionVectors.map(\.dataFile) == rhs.deletionVectors.map(\.dataFile)
            && lhs.deletionVectors.map(\.offset) == rhs.deletionVectors.map(\.offset)
            && lhs.deletionVectors.map(\.length) == rhs.deletionVectors.map(\.length)
            && lhs.deletionVectors.map(\.cardinality) == rhs.deletionVectors.map(\.cardinality)
    }
}

/// Decodes Paimon's Avro manifest files by field name, as the writer's schema in each file names them, so every
/// serializer version (pypaimon's, Paimon Java 0.9–1.x with or without the later optional fields) reads alike.
package enum PaimonManifestDecoder {
    package static func manifestList(_ bytes: [UInt8], location: String) throws(PaimonError) -> [PaimonManifestFile] {
        try records(bytes, location: location) { (record) throws(PaimonError) in
            PaimonManifestFile(
                fileName: try record.plainName("_FILE_NAME"), fileSize: try record.long("_FILE_SIZE"),
                numAddedFiles: try record.long("_NUM_ADDED_FILES"), numDeletedFiles: try record.long("_NUM_DELETED_FILES"),
                schemaId: try record.long("_SCHEMA_ID"), partitionStats: try record.stats("_PARTITION_STATS"),
                minBucket: record.optionalLong("_MIN_BUCKET").map { Int(truncatingIfNeeded: $0) },
                maxBucket: record.optionalLong("_MAX_BUCKET").map { Int(truncatingIfNeeded: $0) },
                minLevel: record.optionalLong("_MIN_LEVEL").map { Int(truncatingIfNeeded: $0) },
                maxLevel: record.optionalLong("_MAX_LEVEL").map { Int(truncatingIfNeeded: $0) },
                minRowId: record.optionalLong("_MIN_ROW_ID"), maxRowId: record.optionalLong("_MAX_ROW_ID"),
                totalBuckets: record.optionalLong("_TOTAL_BUCKETS").map { Int(truncatingIfNeeded: $0) },
                extraFiles: record.optionalStrings("_EXTRA_FILES"))
        }
    }

    package static func manifest(_ bytes: [UInt8], location: String) throws(PaimonError) -> [PaimonManifestEntry] {
        try records(bytes, location: location) { (record) throws(PaimonError) in
            let file = try record.record("_FILE")
            var entry = PaimonManifestEntry(
                kind: try record.kind(), partition: try record.bytes("_PARTITION"),
                bucket: Int(try record.long("_BUCKET")), totalBuckets: Int(record.optionalLong("_TOTAL_BUCKETS") ?? -1),
                file: PaimonDataFile(
                    fileName: try file.plainName("_FILE_NAME"), fileSize: try file.long("_FILE_SIZE"),
                    rowCount: try file.long("_ROW_COUNT"), minKey: try file.bytes("_MIN_KEY"), maxKey: try file.bytes("_MAX_KEY"),
                    minSequenceNumber: try file.long("_MIN_SEQUENCE_NUMBER"),
                    maxSequenceNumber: try file.long("_MAX_SEQUENCE_NUMBER"), schemaId: try file.long("_SCHEMA_ID"),
                    level: Int(try file.long("_LEVEL")), extraFiles: try file.plainNames("_EXTRA_FILES"),
                    creationTimeMs: file.optionalLong("_CREATION_TIME"), deleteRowCount: file.optionalLong("_DELETE_ROW_COUNT"),
                    fileSource: file.optionalLong("_FILE_SOURCE").map { Int($0) }, externalPath: file.optionalString("_EXTERNAL_PATH")))
            entry.file.keyStats = try file.stats("_KEY_STATS")
            entry.file.valueStats = try file.stats("_VALUE_STATS")
            entry.file.valueStatsCols = file.optionalStrings("_VALUE_STATS_COLS")
            entry.file.embeddedIndex = file.value("_EMBEDDED_FILE_INDEX")?.byteArray
            entry.file.firstRowId = file.optionalLong("_FIRST_ROW_ID")
            entry.file.writeCols = file.optionalStrings("_WRITE_COLS")
            return entry
        }
    }

    package static func indexManifest(_ bytes: [UInt8], location: String) throws(PaimonError) -> [PaimonIndexEntry] {
        try records(bytes, location: location) { (record) throws(PaimonError) in
            var vectors: [(dataFile: String, offset: Int64, length: Int64, cardinality: Int64?)] = []
            if let ranges = record.value("_DELETIONS_VECTORS_RANGES")?.elements,
                let items = record.schema("_DELETIONS_VECTORS_RANGES").flatMap(Self.arrayItems)
            {
                for range in ranges {
                    let meta = AvroRecord(value: range, schema: items, location: location)
                    vectors.append((try meta.string("f0"), try meta.long("f1"), try meta.long("f2"), meta.optionalLong("_CARDINALITY")))
                }
            }
            return PaimonIndexEntry(
                kind: try record.kind(), partition: try record.bytes("_PARTITION"), bucket: Int(try record.long("_BUCKET")),
                indexType: try record.string("_INDEX_TYPE"), fileName: try record.plainName("_FILE_NAME"),
                fileSize: try record.long("_FILE_SIZE"), rowCount: try record.long("_ROW_COUNT"),
                externalPath: record.optionalString("_EXTERNAL_PATH"), deletionVectors: vectors)
        }
    }

    /// The record schema of the items of an (optional) array schema; Paimon Java 0.9 writes the items as a nullable
    /// union of the record.
    private static func arrayItems(_ schema: AvroSchema) -> AvroSchema? {
        switch schema.type {
        case .array(let items):
            if case .union(let branches) = items.type {
                return branches.first { if case .record = $0.type { true } else { false } }
            }
            return items
        case .union(let branches): return branches.lazy.compactMap(arrayItems).first
        default: return nil
        }
    }

    private static func records<T>(_ bytes: [UInt8], location: String, _ make: (AvroRecord) throws(PaimonError) -> T)
        throws(PaimonError) -> [T]
    {
        var result: [T] = []
        do {
            var reader = try AvroFileReader(bytes: bytes)
            let schema = reader.header.schema
            while let block = try reader.nextBlock() {
                for value in try reader.records(in: block) {
                    result.append(try make(AvroRecord(value: value, schema: schema, location: location)))
                }
            }
        } catch let error as PaimonError {
            throw error
        } catch {
            throw .invalidFile(location, "\(error)")
        }
        return result
    }
}

/// A decoded Avro record read by field name against its writer schema.
struct AvroRecord {
    let fields: [AvroValue]
    let names: [String: (index: Int, schema: AvroSchema)]
    let location: String

    init(value: AvroValue, schema: AvroSchema, location: String) {
        var names: [String: (Int, AvroSchema)] = [:]
        if case .record(let record) = schema.type {
            for (index, field) in record.fields.enumerated() { names[field.name] = (index, field.type) }
        }
        self.fields = value.fields ?? []
        self.names = names
        self.location = location
    }

    func value(_ name: String) -> AvroValue? {
        guard let (index, _) = names[name], index < fields.count else { return nil }
        return fields[index]
    }

    func schema(_ name: String) -> AvroSchema? { names[name]?.schema }

    func long(_ name: String) throws(PaimonError) -> Int64 {
        guard let value = value(name)?.int64 else { throw .invalidFile(location, "\(name) is missing or not a number") }
        return value
    }

    func optionalLong(_ name: String) -> Int64? { value(name)?.int64 }
    func optionalString(_ name: String) -> String? { value(name)?.string }

    func string(_ name: String) throws(PaimonError) -> String {
        guard let value = value(name)?.string else { throw .invalidFile(location, "\(name) is missing or not a string") }
        return value
    }

    /// A file name that must stay inside its directory.
    func plainName(_ name: String) throws(PaimonError) -> String {
        let text = try string(name)
        guard PaimonSnapshot.isPlainName(text) else { throw .invalidFile(location, "\(name) '\(text)' is not a plain file name") }
        return text
    }

    func plainNames(_ name: String) throws(PaimonError) -> [String] {
        var names: [String] = []
        for element in value(name)?.elements ?? [] {
            guard let text = element.string, PaimonSnapshot.isPlainName(text) else {
                throw .invalidFile(location, "\(name) holds an entry that is not a plain file name")
            }
            names.append(text)
        }
        return names
    }

    func bytes(_ name: String) throws(PaimonError) -> [UInt8] {
        guard let value = value(name)?.byteArray else { throw .invalidFile(location, "\(name) is missing or not bytes") }
        return value
    }

    func kind() throws(PaimonError) -> PaimonManifestEntry.Kind {
        let raw = try long("_KIND")
        guard let kind = PaimonManifestEntry.Kind(rawValue: Int(raw)) else { throw .invalidFile(location, "_KIND \(raw) is neither ADD nor DELETE") }
        return kind
    }

    /// A nullable array of strings; nil when null or absent.
    func optionalStrings(_ name: String) -> [String]? {
        guard let elements = value(name)?.elements else { return nil }
        return elements.compactMap(\.string)
    }

    /// A `SimpleStats` record; statistics absent from an older writer read as empty.
    func stats(_ name: String) throws(PaimonError) -> PaimonSimpleStats {
        guard value(name) != nil else { return .empty }
        let stats = try record(name)
        let counts = stats.value("_NULL_COUNTS")?.elements.map { $0.map { $0.isNull ? nil : $0.int64 } }
        return PaimonSimpleStats(minValues: try stats.bytes("_MIN_VALUES"), maxValues: try stats.bytes("_MAX_VALUES"), nullCounts: counts)
    }

    func record(_ name: String) throws(PaimonError) -> AvroRecord {
        guard let value = value(name), var schema = schema(name) else { throw .invalidFile(location, "\(name) is missing") }
        if case .union(let branches) = schema.type, let record = branches.first(where: { if case .record = $0.type { true } else { false } }) {
            schema = record
        }
        guard case .record = schema.type else { throw .invalidFile(location, "\(name) is not a record") }
        return AvroRecord(value: value, schema: schema, location: location)
    }
}
