import Iceberg
import Storage

/// What a batch of deletes did, by file class.
package struct FileDeletion: Sendable {
    /// Files deleted, with their sizes.
    package var deleted: [ReachedFile] = []
    /// Files whose delete failed, with why; they are left in place.
    package var failed: [(path: String, error: String)] = []
    /// Files named for deletion that lie outside the table location: never deleted.
    package var outsideLocation: [String] = []

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

    /// Deletes `files`, at most `parallelism` at once, refusing any outside `tableLocation`. The `mid-deletes`
    /// crash point is reached once half of them are gone.
    static func run(_ files: [ReachedFile], tableLocation: String, storage: any Storage, parallelism: Int) async -> FileDeletion {
        var result = FileDeletion()
        let root = Location(tableLocation)
        var inside: [ReachedFile] = []
        for file in files {
            if let root, let location = Location(file.path), root.contains(location), location != root {
                inside.append(file)
            } else {
                result.outsideLocation.append(file.path)
            }
        }
        let half = inside.count / 2
        for (index, batch) in [Array(inside[..<half]), Array(inside[half...])].enumerated() {
            if index == 1 { CrashPoint.midDeletes.reach() }
            let outcomes = try? await batch.concurrentMap(limit: parallelism) { (file) async throws(IcebergError) -> (ReachedFile, String?) in
                var file = file
                if file.size == nil { file.size = try? await storage.size(file.path) }
                do throws(StorageError) { try await storage.delete(file.path) } catch { return (file, error.description) }
                return (file, nil)
            }
            for (file, error) in outcomes ?? [] {
                if let error { result.failed.append((file.path, error)) } else { result.deleted.append(file) }
            }
        }
        return result
    }
}
