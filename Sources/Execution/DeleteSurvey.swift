import Iceberg
import IcebergSpec
import Storage

/// One snapshot seen from its delete files: every live data file with the deletes that apply to it (the spec's
/// sequence-number, partition and deletion-vector rules, as `DeleteIndex` applies them), and every live delete
/// file, by path, with the data files it applies to.
///
/// Delete files are keyed by path because that is what a commit removes: a Puffin file holding the deletion vectors
/// of several data files is one path with one entry per vector, and it is dangling only when all of them are.
package struct DeleteSurvey: Sendable {
    package let snapshot: Snapshot
    /// Live data files with the deletes that apply to each, in manifest order.
    package let dataFiles: [TableScan.FileTask]
    /// Live delete entries by file path (several for a Puffin file of deletion vectors).
    package let deletesByPath: [String: [DeleteIndex.Delete]]
    /// The live data files each delete file applies to, by delete file path (absent: applies to nothing).
    package let targetsByPath: [String: Set<String>]

    /// The survey of the table's current snapshot; nil for a table without snapshots.
    package static func current(_ table: LoadedTable, storage: any Storage) async throws(IcebergError) -> DeleteSurvey? {
        guard let scan = try TableScan(table: table, storage: storage) else { return nil }
        let manifests = try await scan.manifests()
        let deletes = try await scan.liveDeleteEntries(manifests: manifests)
        let index = scan.deleteIndex(entries: deletes)
        var dataFiles: [TableScan.FileTask] = []
        try await scan.forEachFile(manifests: manifests, deletes: index, projection: .all) { dataFiles.append($0) }
        return DeleteSurvey(snapshot: scan.snapshot, dataFiles: dataFiles, deletes: deletes)
    }

    /// A survey of `dataFiles` (with their deletes resolved) and the snapshot's live delete entries.
    package init(snapshot: Snapshot, dataFiles: [TableScan.FileTask], deletes: [ManifestEntry]) {
        self.snapshot = snapshot
        self.dataFiles = dataFiles
        var byPath: [String: [DeleteIndex.Delete]] = [:]
        for entry in deletes where entry.isLive && entry.dataFile.content != .data {
            byPath[entry.dataFile.filePath, default: []].append(
                DeleteIndex.Delete(file: entry.dataFile, sequenceNumber: entry.sequenceNumber ?? 0))
        }
        deletesByPath = byPath
        var targets: [String: Set<String>] = [:]
        for task in dataFiles {
            for delete in task.deletes { targets[delete.file.filePath, default: []].insert(task.file.filePath) }
        }
        targetsByPath = targets
    }

    /// How documents name a delete file's kind: `position-deletes`, `deletion-vectors` or `equality-deletes`.
    package static func kind(of file: DataFile) -> String {
        file.content == .equalityDeletes ? "equality-deletes" : file.isDeletionVector ? "deletion-vectors" : "position-deletes"
    }

    /// Delete file paths that apply to no live data file, sorted.
    package var danglingPaths: [String] {
        deletesByPath.keys.filter { targetsByPath[$0] == nil }.sorted()
    }

    /// Whether every position-delete file (deletion vectors aside) names a single data file: the table's writers
    /// keep deletes per data file, and a rewrite keeps that layout. False when there are none.
    package var isFileScoped: Bool {
        let positionFiles = deletesByPath.values.joined().map(\.file).filter { $0.content == .positionDeletes && !$0.isDeletionVector }
        return !positionFiles.isEmpty && positionFiles.allSatisfy { $0.singleTargetDataFile != nil }
    }

    /// A `ReplaceCommit.validation` running `validateRemoval` against the table an attempt loaded.
    package static func revalidation(
        removedDeletes: Set<String>, removedData: Set<String>, covered: Set<String>, vectorTargets: Set<String>,
        table identifier: TableIdentifier
    ) -> @Sendable (LoadedTable, any Storage) async throws(AmoroError) -> Void {
        { table, storage throws(AmoroError) in
            let survey: DeleteSurvey?
            do throws(IcebergError) { survey = try await current(table, storage: storage) } catch { throw .iceberg(error) }
            guard let survey else { throw .conflict(identifier, "a concurrent commit left the table without a snapshot") }
            try survey.validateRemoval(of: removedDeletes, removedData: removedData, covered: covered,
                vectorTargets: vectorTargets, table: identifier)
        }
    }

    /// Checks, against this (newer) survey, that a commit planned on an older one is still safe: each removed file
    /// is still live, every live data file a removed delete file applies to is one of `covered` (whose deletes the
    /// commit re-expresses or applies), and no deletion vector the commit does not remove exists for a data file in
    /// `vectorTargets` (the spec allows one per data file). Otherwise a concurrent commit changed what the removed
    /// files mean: `.conflict`.
    package func validateRemoval(
        of removedDeletes: Set<String>, removedData: Set<String>, covered: Set<String>, vectorTargets: Set<String>,
        table: TableIdentifier
    ) throws(AmoroError) {
        for path in removedDeletes.sorted() {
            guard deletesByPath[path] != nil else {
                throw .conflict(table, "delete file \(path) was removed or rewritten by a concurrent commit")
            }
            if let uncovered = targetsByPath[path]?.subtracting(covered).sorted().first {
                throw .conflict(table, "delete file \(path) now applies to \(uncovered), which a concurrent commit added")
            }
        }
        for (path, deletes) in deletesByPath where !removedDeletes.contains(path) {
            if let target = deletes.compactMap(\.file.referencedDataFile).first(where: vectorTargets.contains),
                deletes.contains(where: \.file.isDeletionVector)
            {
                throw .conflict(table, "a concurrent commit added deletion vector \(path) for \(target)")
            }
        }
        let live = Set(dataFiles.map(\.file.filePath))
        if let gone = removedData.subtracting(live).sorted().first {
            throw .conflict(table, "data file \(gone) was removed or rewritten by a concurrent commit")
        }
    }
}
