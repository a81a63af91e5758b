import Iceberg
import IcebergSpec
import Storage

/// Removes what an earlier run on a table left behind when it was killed: of the locations its `WriteJournal`
/// lists, those that exist, lie inside the table location and that the table does not reach (no snapshot, with
/// deleted entries too; no metadata file of the log; no statistics file). A commit that landed before the crash
/// keeps its files, since the table reaches them. Runs under the table's lock, before the new run's work.
package enum LeftoverSweep {
    /// The locations removed.
    package static func run(_ journaled: [String], table: LoadedTable, storage: any Storage, parallelism: Int)
        async throws(AmoroError) -> [String]
    {
        var existing: [ReachedFile] = []
        for location in journaled {
            if let size = try? await storage.size(location) {
                existing.append(ReachedFile(path: location, fileClass: .data, size: size))
            }
        }
        guard !existing.isEmpty else { return [] }
        let walk: ReachableFiles
        do { walk = try await ReachableFiles.walk(table.metadata, storage: storage, parallelism: parallelism) }
        catch { throw .iceberg(error) }
        let reachable = walk.everything(of: table)
        let leftovers = existing.filter { reachable[ReachedFile.key($0.path)] == nil }
        let deletion = await FileDeletion.run(leftovers, tableLocation: table.metadata.location, storage: storage,
            parallelism: parallelism)
        return deletion.deleted.map(\.path)
    }
}
