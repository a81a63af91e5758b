import Iceberg
import IcebergSpec
import Storage

/// What a batch of deletes did, by file class.
package struct FileDeletion: Sendable {
    /// Files deleted, with their sizes.
    package var deleted: [ReachedFile] = []
    /// Files whose delete failed, with why; they are left in place.
    package var failed: [(path: String, error: String)] = []
    /// Files named for deletion that `TableBoundary` refuses (outside the table location, or led out of it by a
    /// symbolic link), with why: never deleted.
    package var refused: [(path: String, reason: String)] = []

    /// Files and bytes deleted per class.
    package var byClass: [TableFileClass: (files: Int, bytes: Int64)] {
        var counts: [TableFileClass: (files: Int, bytes: Int64)] = [:]
        for file in deleted {
            var count = counts[file.fileClass] ?? (0, 0)
            count.files += 1
            count.bytes += file.size ?? 0
            counts[file.fileClass] = count
        }
        return counts
    }

    /// Deletes `files` through the storage's batch delete (S3's DeleteObjects takes 1000 keys a request), at most
    /// `parallelism` batches at once, refusing any file `TableBoundary` does not let through, and reporting `progress` after each
    /// batch; a batch that fails is retried file by file, so each failure is told apart. The `mid-deletes` crash
    /// point is reached once half of the files are gone.
    static func run(
        _ files: [ReachedFile], tableLocation: String, storage: any Storage, parallelism: Int,
        progress: (@Sendable (WorkProgress) -> Void)? = nil
    ) async -> FileDeletion {
        var result = FileDeletion()
        var inside: [ReachedFile] = []
        do {
            let boundary = try await TableBoundary(tableLocation: tableLocation, storage: storage)
            let refusals = await boundary.refusals(files.map(\.path))
            for file in files {
                if let why = refusals[file.path] {
                    result.refused.append((file.path, why))
                } else {
                    inside.append(file)
                }
            }
        } catch {
            result.refused = files.map { ($0.path, error.description) }
        }
        for file in inside { WriteJournal.current?.record(file.path) }
        let counter = WorkProgressCounter(WorkProgress(filesTotal: inside.count, bytesTotal: inside.saturatingSum { $0.size ?? 0 }))
        let batchSize = max(1, min(1000, (inside.count / 2 + parallelism - 1) / max(1, parallelism)))
        let half = inside.count / 2
        for (index, part) in [Array(inside[..<half]), Array(inside[half...])].enumerated() {
            if index == 1 { CrashPoint.midDeletes.reach() }
            let batches = stride(from: 0, to: part.count, by: batchSize).map { Array(part[$0..<min(part.count, $0 + batchSize)]) }
            let outcomes = try? await batches.concurrentMap(limit: parallelism) {
                (batch) async throws(IcebergError) -> [(ReachedFile, String?)] in
                let outcome = await delete(batch, storage: storage)
                let gone = outcome.filter { $0.1 == nil }
                progress?(counter.add(files: gone.count, bytes: gone.saturatingSum { $0.0.size ?? 0 }))
                return outcome
            }
            for (file, error) in (outcomes ?? []).joined() {
                if let error { result.failed.append((file.path, error)) } else { result.deleted.append(file) }
            }
        }
        return result
    }

    /// One batch: sizes looked up where the metadata records none, then one batch delete, or one delete per file
    /// when the batch fails.
    private static func delete(_ batch: [ReachedFile], storage: any Storage) async -> [(ReachedFile, String?)] {
        var files: [ReachedFile] = []
        for var file in batch {
            if file.size == nil { file.size = try? await storage.size(file.path) }
            files.append(file)
        }
        do throws(StorageError) {
            try await storage.delete(files.map(\.path))
            return files.map { ($0, nil) }
        } catch {
            var outcome: [(ReachedFile, String?)] = []
            for file in files {
                do throws(StorageError) {
                    try await storage.delete(file.path)
                    outcome.append((file, nil))
                } catch {
                    outcome.append((file, error.description))
                }
            }
            return outcome
        }
    }
}
