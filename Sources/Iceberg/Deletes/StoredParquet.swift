import Parquet
import Storage

/// Opening delete and data files kept in a `Storage` as Parquet readers, and finding their columns by field id.
enum StoredParquet {
    /// Reads the whole file (delete files are small; data files are read for their key columns only once).
    static func open(_ location: String, storage: any Storage) async throws(IcebergError) -> ParquetFileReader {
        let bytes: [UInt8]
        do { bytes = try await storage.read(location) } catch { throw .storage(error) }
        do { return try ParquetFileReader(source: MemorySource(bytes)) } catch { throw .invalidFile(location, error.description) }
    }

    /// The leaf column of each field id; a file without field ids is matched by top-level column `names` instead.
    static func columns(
        _ reader: ParquetFileReader, fieldIds: [Int32], names: [String], location: String
    ) throws(IcebergError) -> [Int] {
        var result: [Int] = []
        for (id, name) in zip(fieldIds, names) {
            let found = reader.schema.columns(fieldID: id)
            if found.count == 1 {
                result.append(found[0].index)
            } else if found.isEmpty, let column = reader.schema.column(path: [name]), column.fieldID == nil {
                result.append(column.index)
            } else {
                throw .invalidFile(location, "has no single column for field \(id) (\(name))")
            }
        }
        return result
    }
}
