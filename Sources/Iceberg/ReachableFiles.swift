import IcebergSpec
import Storage

/// The classes of table files that expiry and orphan cleaning count.
package enum TableFileClass: String, Sendable, CaseIterable {
    case manifestLists = "manifest_lists"
    case manifests
    case data
    case positionDeletes = "position_deletes"
    case equalityDeletes = "equality_deletes"
    case statistics
    case metadata
}

/// A file that table metadata reaches.
package struct ReachedFile: Hashable, Sendable {
    package var path: String
    package var fileClass: TableFileClass
    /// The size the metadata records (nil where it records none, such as metadata files).
    package var size: Int64?

    package init(path: String, fileClass: TableFileClass, size: Int64?) {
        self.path = path
        self.fileClass = fileClass
        self.size = size
    }

    /// The key files are compared by: the canonical location, so that `file:/x`, `file:///x` and `/x` (and
    /// `s3a://` and `s3://`) are one file.
    package static func key(_ path: String) -> String { Location(path)?.description ?? path }
}

/// What every snapshot of a table reaches (spec "Snapshots", "Manifests"): its manifest list, its manifests, the
/// data and delete files (deletion-vector Puffin files included) of their entries, and its statistics and
/// partition-statistics files.
///
/// The walk reads every manifest list and every distinct manifest once, however many snapshots share it, a
/// bounded number at a time, and decodes only paths, sizes, content and entry status. Any subset of snapshots can
/// then be asked for: expiry compares what expired snapshots reach with what retained ones still do, orphan
/// cleaning takes everything.
package struct ReachableFiles: Sendable {
    private let metadata: TableMetadata
    /// Per snapshot: its manifest list (nil for v1 inline manifests) and the indexes of its manifests.
    private var listsBySnapshot: [Int64: (list: ReachedFile?, manifests: [Int32])] = [:]
    private var manifests: [ReachedFile] = []
    private var manifestEntries: [[ManifestReader.ListedFile]] = []

    /// Walks every snapshot of `metadata`, reading up to `parallelism` files at once. A missing or unreadable
    /// manifest list or manifest is an error: without it nothing can be known to be unreachable.
    package static func walk(_ metadata: TableMetadata, storage: any Storage, parallelism: Int = 16)
        async throws(IcebergError) -> ReachableFiles
    {
        var walk = ReachableFiles(metadata: metadata)
        var indexByPath: [String: Int32] = [:]
        // Manifest lists are read a few batches at a time and reduced to manifest indexes at once: thousands of
        // snapshots listing thousands of shared manifests would otherwise hold millions of path strings.
        let batch = max(1, parallelism) * 4
        for start in stride(from: 0, to: metadata.snapshots.count, by: batch) {
            let snapshots = Array(metadata.snapshots[start..<min(start + batch, metadata.snapshots.count)])
            let lists = try await snapshots.concurrentMap(limit: parallelism) {
                (snapshot) async throws(IcebergError) -> (ReachedFile?, [ManifestReader.ListedManifest]) in
                guard let list = snapshot.manifestList else {
                    return (nil, (snapshot.manifests ?? []).map { .init(path: $0, length: -1, content: .data) })
                }
                let bytes = try await read(list, storage)
                let manifests = try ManifestReader.listedManifests(bytes, location: list)
                return (ReachedFile(path: list, fileClass: .manifestLists, size: Int64(bytes.count)), manifests)
            }
            for (snapshot, (list, listed)) in zip(snapshots, lists) {
                var indexes: [Int32] = []
                indexes.reserveCapacity(listed.count)
                for manifest in listed {
                    if let index = indexByPath[manifest.path] {
                        indexes.append(index)
                    } else {
                        indexByPath[manifest.path] = Int32(walk.manifests.count)
                        indexes.append(Int32(walk.manifests.count))
                        walk.manifests.append(ReachedFile(path: manifest.path, fileClass: .manifests,
                            size: manifest.length >= 0 ? manifest.length : nil))
                    }
                }
                walk.listsBySnapshot[snapshot.snapshotId] = (list, indexes)
            }
        }
        walk.manifestEntries = try await walk.manifests.concurrentMap(limit: parallelism) {
            (manifest) async throws(IcebergError) in
            try ManifestReader.listedFiles(try await read(manifest.path, storage), location: manifest.path)
        }
        return walk
    }

    private init(metadata: TableMetadata) { self.metadata = metadata }

    /// Every file the snapshots `ids` reach, by `ReachedFile.key`. Data and delete files count when an entry
    /// names them ADDED or EXISTING, as Iceberg's reachable-file cleanup counts them; with
    /// `includingDeletedEntries`, DELETED entries count too (orphan cleaning's conservative reading).
    package func files(reachedBy ids: Set<Int64>, includingDeletedEntries: Bool = false) -> [String: ReachedFile] {
        var files: [String: ReachedFile] = [:]
        var seen = [Bool](repeating: false, count: manifests.count)
        func add(_ file: ReachedFile) { files[ReachedFile.key(file.path)] = file }
        for id in ids {
            guard let (list, indexes) = listsBySnapshot[id] else { continue }
            if let list { add(list) }
            for index in indexes.lazy.map(Int.init) where !seen[index] {
                seen[index] = true
                add(manifests[index])
                for entry in manifestEntries[index] where entry.isLive || includingDeletedEntries {
                    add(ReachedFile(path: entry.path, fileClass: entry.content.fileClass, size: entry.size))
                }
            }
        }
        for statistics in metadata.statistics + metadata.partitionStatistics where ids.contains(statistics.snapshotId) {
            add(ReachedFile(path: statistics.path, fileClass: .statistics, size: statistics.fileSizeInBytes))
        }
        return files
    }

    /// The metadata files a table keeps: the current one, those in its metadata log, and the version hint of
    /// file-system tables.
    /// Every file the table reaches: of every snapshot (deleted entries too), and its metadata files, by key.
    package func everything(of table: LoadedTable) -> [String: ReachedFile] {
        var reachable = files(reachedBy: Set(table.metadata.snapshots.map(\.snapshotId)), includingDeletedEntries: true)
        reachable.merge(Self.metadataFiles(of: table)) { file, _ in file }
        return reachable
    }

    package static func metadataFiles(of table: LoadedTable) -> [String: ReachedFile] {
        var files: [String: ReachedFile] = [:]
        let paths = [table.metadataLocation, "\(table.metadata.metadataDirectory)/version-hint.text"]
            + table.metadata.metadataLog.map(\.metadataFile)
        for path in paths { files[ReachedFile.key(path)] = ReachedFile(path: path, fileClass: .metadata, size: nil) }
        return files
    }

    private static func read(_ location: String, _ storage: any Storage) async throws(IcebergError) -> [UInt8] {
        do { return try await storage.read(location) } catch { throw .storage(error) }
    }
}

extension DataFile.Content {
    /// The class a file of this content is counted in.
    package var fileClass: TableFileClass {
        switch self {
        case .data: .data
        case .positionDeletes: .positionDeletes
        case .equalityDeletes: .equalityDeletes
        }
    }
}
