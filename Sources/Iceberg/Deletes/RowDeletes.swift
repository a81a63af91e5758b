import IcebergSpec
import Parquet
import Storage

/// The deleted row positions of data files, from the deletes `DeleteIndex` found for them (which already applied
/// the sequence-number, partition and DV-replaces-position-deletes rules):
///
/// - deletion vectors are read from their Puffin blob;
/// - position-delete files contribute the positions listed for the data file's exact path;
/// - equality-delete files are grouped by their equality field ids, and the data file's key columns (found by field
///   id, so files written with an older schema work; a column missing from the file is null; a file without field
///   ids through the table's name mapping) are read once per group and tested against every file of the group.
///
/// Parsed position- and equality-delete files are kept in `cache` across data files.
package struct RowDeletes: Sendable {
    package let storage: any Storage
    package let cache: DeleteFileCache
    /// The table's name mapping: how data files written without field ids find their equality-delete keys.
    package let nameMapping: NameMapping?

    package init(storage: any Storage, cache: DeleteFileCache = DeleteFileCache(), nameMapping: NameMapping? = nil) {
        self.storage = storage
        self.cache = cache
        self.nameMapping = nameMapping
    }

    /// The positions of `dataFile`'s rows deleted by `deletes` (as `DeleteIndex.deletes(for:sequenceNumber:)`
    /// returns them). `data` is the data file already opened (only its equality-key columns are read); when nil
    /// and equality deletes apply, the file is read from storage.
    package func deletedPositions(
        of dataFile: DataFile, deletes: [DeleteIndex.Delete], data: ParquetFileReader? = nil
    ) async throws(IcebergError) -> RoaringPositionBitmap {
        try await deletedPositions(of: dataFile, deleteFiles: deletes.map(\.file), data: data)
    }

    /// The positions of `dataFile`'s rows deleted by `deleteFiles`, which must be the deletes that apply to it.
    package func deletedPositions(
        of dataFile: DataFile, deleteFiles: [DataFile], data: ParquetFileReader? = nil
    ) async throws(IcebergError) -> RoaringPositionBitmap {
        var result = RoaringPositionBitmap()
        var equality: [[Int]: [EqualityDeleteSet]] = [:]
        for file in deleteFiles {
            switch file.content {
            case .positionDeletes where file.isDeletionVector:
                guard file.referencedDataFile == dataFile.filePath else {
                    throw .invalidFile(file.filePath, "deletion vector for \(file.referencedDataFile ?? "no file") applied to \(dataFile.filePath)")
                }
                result.formUnion(try await DeletionVector.read(file, storage: storage))
            case .positionDeletes:
                if let positions = try await cache.positions(of: file, storage: storage)[dataFile.filePath] {
                    result.formUnion(positions)
                }
            case .equalityDeletes:
                let set = try await cache.equalityDeletes(of: file, storage: storage)
                equality[set.fieldIds, default: []].append(set)
            case .data:
                throw .invalidFile(file.filePath, "is a data file, not a delete file")
            }
        }
        guard !equality.isEmpty else { return result }
        let reader: ParquetFileReader
        if let data {
            reader = data
        } else {
            guard dataFile.fileFormat.uppercased() == "PARQUET" else {
                throw .invalidFile(dataFile.filePath, "equality deletes on \(dataFile.fileFormat) data files are not supported")
            }
            reader = try await StoredParquet.open(dataFile.filePath, storage: storage)
        }
        for fieldIds in equality.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            result.formUnion(try EqualityDeleteSet.matchingRows(
                equality[fieldIds]!, in: reader, nameMapping: nameMapping, location: dataFile.filePath))
        }
        return result
    }
}
