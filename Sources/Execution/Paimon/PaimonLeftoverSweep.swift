import Iceberg
import Paimon
import Storage

/// Removes what an earlier run on a Paimon table left behind when it was killed (`LeftoverSweep` for Paimon): of
/// the locations its `WriteJournal` lists, those that exist, may be orphans at all (never schemas, snapshots, hints,
/// tags, consumers, branches or changelogs) and that no snapshot, tag or branch reaches. A compaction whose snapshot
/// landed before the crash keeps its files, since the snapshot reaches them. Runs under the table's lock.
package enum PaimonLeftoverSweep {
    /// The locations removed.
    package static func run(_ journaled: [String], table: PaimonTable, parallelism: Int) async throws(AmoroError) -> [String] {
        var existing: [ReachedFile] = []
        for location in Set(journaled) where PaimonOrphanClean.isCandidate(location, table: table) {
            if let size = try? await table.storage.size(location) {
                existing.append(ReachedFile(path: location, fileClass: PaimonOrphanClean.fileClass(location, table: table), size: size))
            }
        }
        guard !existing.isEmpty else { return [] }
        let reached: Set<String>
        do { reached = try await PaimonOrphanClean.reachable(table) } catch { throw .paimon(error) }
        let leftovers = existing.filter { !reached.contains(ReachedFile.key($0.path)) }.sorted { $0.path < $1.path }
        let deletion = await FileDeletion.run(leftovers, tableLocation: table.location, storage: table.storage, parallelism: parallelism)
        return deletion.deleted.map(\.path)
    }
}
