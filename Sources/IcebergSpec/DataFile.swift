/// A data or delete file as a manifest entry describes it (spec "Data File Fields"), with its metrics.
package struct DataFile: Hashable, Sendable {
    /// What a file holds (field 134).
    package enum Content: Int32, Sendable, Hashable {
        case data = 0
        /// v2 position-delete files and v3 deletion vectors.
        case positionDeletes = 1
        case equalityDeletes = 2
    }

    package var content: Content
    package var filePath: String
    /// Upper-case as Java writes it (`PARQUET`, `AVRO`, `ORC`, `PUFFIN`); compared ignoring case.
    package var fileFormat: String
    /// The partition spec the file was written with (from its manifest).
    package var specId: Int
    /// One value per field of that spec, nil for null.
    package var partition: [Literal?]
    package var recordCount: Int64
    package var fileSizeInBytes: Int64
    /// v1's deprecated block size, carried through when read.
    package var blockSizeInBytes: Int64?
    package var columnSizes: [Int: Int64]?
    package var valueCounts: [Int: Int64]?
    package var nullValueCounts: [Int: Int64]?
    package var nanValueCounts: [Int: Int64]?
    /// Bounds in the binary single-value form, keyed by field id.
    package var lowerBounds: [Int: [UInt8]]?
    package var upperBounds: [Int: [UInt8]]?
    package var keyMetadata: [UInt8]?
    package var splitOffsets: [Int64]?
    package var equalityIds: [Int]?
    package var sortOrderId: Int?
    package var firstRowId: Int64?
    package var referencedDataFile: String?
    package var contentOffset: Int64?
    package var contentSizeInBytes: Int64?

    package init(
        content: Content, filePath: String, fileFormat: String, specId: Int, partition: [Literal?], recordCount: Int64,
        fileSizeInBytes: Int64
    ) {
        self.content = content
        self.filePath = filePath
        self.fileFormat = fileFormat
        self.specId = specId
        self.partition = partition
        self.recordCount = recordCount
        self.fileSizeInBytes = fileSizeInBytes
    }

    /// A v3 deletion vector: position deletes stored as a Puffin blob for one data file.
    package var isDeletionVector: Bool {
        content == .positionDeletes && fileFormat.uppercased() == "PUFFIN"
    }

    /// The reserved field id of a position-delete file's `file_path` column.
    package static let deleteFilePathFieldId = 2_147_483_546

    /// The one data file a position-delete file applies to, where it says so: `referenced_data_file`, else equal
    /// lower and upper bounds of its `file_path` column (older writers set only those; Java reads them the same
    /// way). Nil for other files and for position deletes that may name several data files.
    package var singleTargetDataFile: String? {
        guard content == .positionDeletes else { return nil }
        if let referencedDataFile { return referencedDataFile }
        guard let lower = lowerBounds?[Self.deleteFilePathFieldId], lower == upperBounds?[Self.deleteFilePathFieldId] else {
            return nil
        }
        return String(validating: lower, as: UTF8.self)
    }
}

/// One entry of a manifest: a file, its status, and the sequence numbers and snapshot it belongs to, with the
/// spec's inheritance already applied when read through `ManifestEntry.inheriting(from:)`.
package struct ManifestEntry: Hashable, Sendable {
    package enum Status: Int32, Sendable, Hashable {
        case existing = 0
        case added = 1
        case deleted = 2
    }

    package var status: Status
    package var snapshotId: Int64?
    /// The data sequence number: decides which deletes apply.
    package var sequenceNumber: Int64?
    package var fileSequenceNumber: Int64?
    package var dataFile: DataFile

    package init(status: Status, snapshotId: Int64?, sequenceNumber: Int64?, fileSequenceNumber: Int64?, dataFile: DataFile) {
        self.status = status
        self.snapshotId = snapshotId
        self.sequenceNumber = sequenceNumber
        self.fileSequenceNumber = fileSequenceNumber
        self.dataFile = dataFile
    }

    /// Fills null snapshot ids and sequence numbers from the manifest that holds the entry (spec "Sequence Number
    /// Inheritance"): only ADDED entries may inherit sequence numbers; v1 manifests have sequence number 0.
    package func inheriting(from manifest: ManifestFile) -> ManifestEntry {
        var entry = self
        if entry.snapshotId == nil { entry.snapshotId = manifest.addedSnapshotId }
        if entry.sequenceNumber == nil && (status == .added || manifest.sequenceNumber == 0) {
            entry.sequenceNumber = manifest.sequenceNumber
        }
        if entry.fileSequenceNumber == nil && (status == .added || manifest.sequenceNumber == 0) {
            entry.fileSequenceNumber = manifest.sequenceNumber
        }
        return entry
    }

    /// Whether scans see the file (DELETED entries are informational).
    package var isLive: Bool { status != .deleted }
}

/// One record of a manifest list: a manifest and its summary (spec "Manifest Lists").
package struct ManifestFile: Hashable, Sendable {
    package enum Content: Int32, Sendable, Hashable {
        case data = 0
        case deletes = 1
    }

    package var path: String
    package var length: Int64
    package var partitionSpecId: Int
    package var content: Content
    /// The sequence number of the snapshot that added the manifest (0 in v1).
    package var sequenceNumber: Int64
    package var minSequenceNumber: Int64
    package var addedSnapshotId: Int64
    package var addedFilesCount: Int?
    package var existingFilesCount: Int?
    package var deletedFilesCount: Int?
    package var addedRowsCount: Int64?
    package var existingRowsCount: Int64?
    package var deletedRowsCount: Int64?
    package var partitions: [FieldSummary]?
    package var keyMetadata: [UInt8]?
    package var firstRowId: Int64?

    package init(
        path: String, length: Int64, partitionSpecId: Int, content: Content, sequenceNumber: Int64,
        minSequenceNumber: Int64, addedSnapshotId: Int64
    ) {
        self.path = path
        self.length = length
        self.partitionSpecId = partitionSpecId
        self.content = content
        self.sequenceNumber = sequenceNumber
        self.minSequenceNumber = minSequenceNumber
        self.addedSnapshotId = addedSnapshotId
    }

    /// Whether the manifest may hold live files (counts missing, as v1 allows, mean "maybe").
    package var mayHaveLiveFiles: Bool {
        (addedFilesCount ?? 1) > 0 || (existingFilesCount ?? 1) > 0
    }
}

/// Per-partition-field summary of a manifest: nulls, NaNs, and bounds of the partition values.
package struct FieldSummary: Hashable, Sendable {
    package var containsNull: Bool
    package var containsNaN: Bool?
    package var lowerBound: [UInt8]?
    package var upperBound: [UInt8]?

    package init(containsNull: Bool, containsNaN: Bool? = nil, lowerBound: [UInt8]? = nil, upperBound: [UInt8]? = nil) {
        self.containsNull = containsNull
        self.containsNaN = containsNaN
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
}
