import Parquet
import Storage

/// A Parquet file's footer read from a `Storage` without reading the whole file: its size, the leading magic, and
/// the tail holding the footer, in four small requests (a file of at most 128 KiB is read whole).
package enum StoredFooter {
    /// The file's footer and schema, and its size as the storage reports it.
    package static func read(_ location: String, storage: any Storage) async throws(IcebergError) -> (reader: ParquetFileReader, size: Int64) {
        do {
            let size = try await storage.size(location)
            guard size >= 12 else { throw IcebergError.invalidFile(location, "has \(size) bytes: too short for Parquet") }
            if size <= 2 * Int64(ParquetFileReader.tailReadSize) {
                let bytes = try await storage.read(location)
                guard bytes.count == size else { throw IcebergError.invalidFile(location, "changed size while read") }
                do { return (try ParquetFileReader(source: MemorySource(bytes)), size) }
                catch { throw IcebergError.invalidFile(location, error.description) }
            }
            let head = try await storage.read(location, range: 0..<4)
            let trailer = try await storage.read(location, range: (size - 8)..<size)
            let footerLength = Int64(trailer[0]) | Int64(trailer[1]) << 8 | Int64(trailer[2]) << 16 | Int64(trailer[3]) << 24
            guard footerLength <= size - 12 else {
                throw IcebergError.invalidFile(location, "claims a \(footerLength)-byte footer in \(size) bytes")
            }
            let tailLength = max(footerLength + 8, Int64(ParquetFileReader.tailReadSize))
            let tail = try await storage.read(location, range: (size - tailLength)..<size)
            let source = PrefetchedSource(size: Int(size), head: head, tailOffset: Int(size - tailLength), tail: tail)
            do { return (try ParquetFileReader(source: source), size) } catch { throw IcebergError.invalidFile(location, error.description) }
        } catch let error as IcebergError {
            throw error
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .invalidFile(location, "\(error)")
        }
    }
}

/// The bytes of a file that opening its footer reads: its first bytes and its tail.
private struct PrefetchedSource: ByteRangeSource {
    let size: Int
    let head: [UInt8]
    let tailOffset: Int
    let tail: [UInt8]

    func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        if offset + count <= head.count { return Array(head[offset..<(offset + count)]) }
        guard offset >= tailOffset, offset - tailOffset + count <= tail.count else {
            throw .corrupt("bytes \(offset)..<\(offset + count) are outside the footer")
        }
        return Array(tail[(offset - tailOffset)..<(offset - tailOffset + count)])
    }
}
