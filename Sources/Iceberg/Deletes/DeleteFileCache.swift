import IcebergSpec
import Storage
import Synchronization

/// Parsed delete files kept across the data files of one compaction: a position-delete file usually covers many data
/// files, and an equality-delete file applies to every older data file of its partition, so each is read once.
///
/// Memory is bounded by `maxBytes` (estimated sizes of the parsed content); the least recently used files are
/// dropped first, and a file larger than the bound is returned without being kept. Safe to share between tasks;
/// two tasks missing the same file at once may both read it.
package final class DeleteFileCache: Sendable {
    private enum Content: Sendable {
        case positions([String: RoaringPositionBitmap])
        case equality(EqualityDeleteSet)
    }

    private struct Entry: Sendable {
        var content: Content
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var totalBytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    /// Counters: files served from memory, files read, bytes held now.
    package struct Statistics: Sendable, Equatable {
        package var hits: Int
        package var misses: Int
        package var bytes: Int
        package var files: Int
    }

    package let maxBytes: Int
    private let state = Mutex(State())

    /// `maxBytes` defaults to 256 MiB.
    package init(maxBytes: Int = 256 << 20) {
        self.maxBytes = maxBytes
    }

    package var statistics: Statistics {
        state.withLock { Statistics(hits: $0.hits, misses: $0.misses, bytes: $0.totalBytes, files: $0.entries.count) }
    }

    /// The positions per data file path of a v2 position-delete file (not a DV), read once and kept.
    package func positions(of file: DataFile, storage: any Storage) async throws(IcebergError) -> [String: RoaringPositionBitmap] {
        if case .positions(let cached) = lookup(file.filePath) { return cached }
        guard file.fileFormat.uppercased() == "PARQUET" else {
            throw .invalidFile(file.filePath, "position deletes in \(file.fileFormat) are not supported (Parquet only)")
        }
        let positions = try await PositionDeleteFile.read(file.filePath, storage: storage)
        let bytes = positions.reduce(64) { $0 + $1.key.utf8.count + 48 + $1.value.estimatedBytes }
        store(file.filePath, .positions(positions), bytes: bytes)
        return positions
    }

    /// The key tuples of an equality-delete file, read once and kept.
    package func equalityDeletes(of file: DataFile, storage: any Storage) async throws(IcebergError) -> EqualityDeleteSet {
        if case .equality(let cached) = lookup(file.filePath) { return cached }
        let set = try await EqualityDeleteSet.read(file, storage: storage)
        store(file.filePath, .equality(set), bytes: set.estimatedBytes)
        return set
    }

    private func lookup(_ path: String) -> Content? {
        state.withLock { state in
            state.clock += 1
            guard var entry = state.entries[path] else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            entry.lastUse = state.clock
            state.entries[path] = entry
            return entry.content
        }
    }

    private func store(_ path: String, _ content: Content, bytes: Int) {
        guard bytes <= maxBytes else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.entries.removeValue(forKey: path) { state.totalBytes -= old.bytes }
            while state.totalBytes + bytes > maxBytes,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.entries.removeValue(forKey: oldest.key)
                state.totalBytes -= oldest.value.bytes
            }
            state.entries[path] = Entry(content: content, bytes: bytes, lastUse: state.clock)
            state.totalBytes += bytes
        }
    }
}
