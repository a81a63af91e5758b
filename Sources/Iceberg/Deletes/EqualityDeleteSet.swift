import IcebergSpec
import Parquet
import Storage

/// The key tuples of equality-delete files (spec "Equality Delete Files"): a data row is deleted when its values in
/// the `fieldIds` columns equal one tuple, compared by Iceberg value semantics (see `EqualityKeyColumns`: null
/// equals null, int/long and float/double across promotion, NaN equals NaN, -0.0 differs from 0.0 as in Java,
/// decimals by unscaled value, strings and binary by bytes).
package struct EqualityDeleteSet: Sendable {
    /// The equality field ids, ascending.
    package let fieldIds: [Int]
    private var keys = ByteKeySet()

    package init(fieldIds: [Int]) {
        self.fieldIds = fieldIds.sorted()
    }

    /// Number of distinct key tuples.
    package var count: Int { keys.count }

    /// Bytes held in memory (approximate), for cache budgets.
    package var estimatedBytes: Int { 64 + keys.estimatedBytes }

    /// Loads an equality-delete file (Parquet) projected to its `equality_ids` columns.
    package static func read(_ file: DataFile, storage: any Storage) async throws(IcebergError) -> EqualityDeleteSet {
        guard file.content == .equalityDeletes, let ids = file.equalityIds, !ids.isEmpty else {
            throw .invalidFile(file.filePath, "is not an equality-delete file with equality ids")
        }
        guard file.fileFormat.uppercased() == "PARQUET" else {
            throw .invalidFile(file.filePath, "equality deletes in \(file.fileFormat) are not supported (Parquet only)")
        }
        return try read(try await StoredParquet.open(file.filePath, storage: storage), fieldIds: ids, location: file.filePath)
    }

    /// The key tuples of an opened equality-delete file.
    package static func read(_ reader: ParquetFileReader, fieldIds: [Int], location: String) throws(IcebergError) -> EqualityDeleteSet {
        var set = EqualityDeleteSet(fieldIds: fieldIds)
        let columns = try EqualityKeyColumns(reader, fieldIds: set.fieldIds, allowMissing: false, location: location)
        set.keys.insert(columns.encoded())
        return set
    }

    /// Adds the tuples of another set over the same fields.
    package mutating func formUnion(_ other: EqualityDeleteSet) {
        precondition(other.fieldIds == fieldIds, "equality delete sets over different fields")
        keys.formUnion(other.keys)
    }

    /// The positions of the rows of a data file (opened) whose key columns match a tuple. Columns are found by
    /// field id, so files written with an older schema work; a key column missing from the file is null.
    package func matchingRows(in dataFile: ParquetFileReader, nameMapping: NameMapping? = nil, location: String)
        throws(IcebergError) -> RoaringPositionBitmap
    {
        try Self.matchingRows([self], in: dataFile, nameMapping: nameMapping, location: location)
    }

    /// The rows matching any of `sets`, which must share their field ids: the key columns are read once.
    static func matchingRows(
        _ sets: [EqualityDeleteSet], in dataFile: ParquetFileReader, nameMapping: NameMapping? = nil, location: String
    ) throws(IcebergError) -> RoaringPositionBitmap {
        var result = RoaringPositionBitmap()
        guard let first = sets.first, sets.contains(where: { $0.count > 0 }) else { return result }
        let columns = try EqualityKeyColumns(
            dataFile, fieldIds: first.fieldIds, allowMissing: true, nameMapping: nameMapping, location: location)
        let keys = columns.encoded()
        if sets.count == 1 {
            sets[0].keys.forEachMatch(in: keys) { result.insert(Int64($0)) }
        } else {
            var matched = [Bool](repeating: false, count: keys.count)
            for set in sets { set.keys.forEachMatch(in: keys) { matched[$0] = true } }
            for (row, isMatched) in matched.enumerated() where isMatched { result.insert(Int64(row)) }
        }
        return result
    }
}
