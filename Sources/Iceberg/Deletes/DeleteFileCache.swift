import IcebergSpec
import Storage
import Synchronization

/// Parsed delete files kept across the data files of one compaction: a position-delete file usually covers many data
/// files, and an equality-delete file applies to every older data file of its partition, so each is read once.
///
/// Memory is bounded by `maxBytes` (estimated sizes of the parsed content); the least recently used files are
/// dropped first, and a file larger than the bound is returned without being kept. Safe to share between tasks:
/// tasks asking for a file that is being read wait for that read instead of starting their own.
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

    private typealias Load = Task<(content: Content, bytes: Int), any Error>

    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var loading: [String: Load] = [:]
        var totalBytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    /// Counters: requests served from memory (or from a read already under way), files read, bytes and files held.
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
        guard file.fileFormat.uppercased() == "PARQUET" else {
            throw .invalidFile(file.filePath, "position deletes in \(file.fileFormat) are not supported (Parquet only)")
        }
        let location = file.filePath
        let content = try await content(location) { () async throws(IcebergError) in
            let positions = try await PositionDeleteFile.read(location, storage: storage)
            return (.positions(positions), positions.reduce(64) { $0 + $1.key.utf8.count + 48 + $1.value.estimatedBytes })
        }
        guard case .positions(let positions) = content else {
            throw .invalidFile(location, "is used both as a position-delete and an equality-delete file")
        }
        return positions
    }

    /// The key tuples of an equality-delete file, read once and kept.
    package func equalityDeletes(of file: DataFile, storage: any Storage) async throws(IcebergError) -> EqualityDeleteSet {
        let content = try await content(file.filePath) { () async throws(IcebergError) in
            let set = try await EqualityDeleteSet.read(file, storage: storage)
            return (.equality(set), set.estimatedBytes)
        }
        guard case .equality(let set) = content else {
            throw .invalidFile(file.filePath, "is used both as a position-delete and an equality-delete file")
        }
        return set
    }

    /// The cached content of `path`, the result of a read under way, or the result of a new `load`.
    private func content(
        _ path: String, load: @escaping @Sendable () async throws(IcebergError) -> (content: Content, bytes: Int)
    ) async throws(IcebergError) -> Content {
        enum Step {
            case cached(Content)
            case wait(Load, started: Bool)
        }
        let step = state.withLock { state -> Step in
            state.clock += 1
            if var entry = state.entries[path] {
                state.hits += 1
                entry.lastUse = state.clock
                state.entries[path] = entry
                return .cached(entry.content)
            }
            if let running = state.loading[path] {
                state.hits += 1
                return .wait(running, started: false)
            }
            state.misses += 1
            let task = Load { try await load() }
            state.loading[path] = task
            return .wait(task, started: true)
        }
        let task: Load
        let started: Bool
        switch step {
        case .cached(let content): return content
        case .wait(let running, let isNew): (task, started) = (running, isNew)
        }
        let result = await task.result
        if started { finish(path, result) }
        switch result {
        case .success(let loaded): return loaded.content
        case .failure(let error as IcebergError): throw error
        case .failure(let error): throw .invalidFile(path, "\(error)")
        }
    }

    /// Ends a read: keeps its content when it fits, evicting the least recently used files.
    private func finish(_ path: String, _ result: Result<(content: Content, bytes: Int), any Error>) {
        state.withLock { state in
            state.loading.removeValue(forKey: path)
            guard case .success(let loaded) = result, loaded.bytes <= maxBytes else { return }
            state.clock += 1
            while state.totalBytes + loaded.bytes > maxBytes,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.entries.removeValue(forKey: oldest.key)
                state.totalBytes -= oldest.value.bytes
            }
            state.entries[path] = Entry(content: loaded.content, bytes: loaded.bytes, lastUse: state.clock)
            state.totalBytes += loaded.bytes
        }
    }
}
