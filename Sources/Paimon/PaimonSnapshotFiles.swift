import Synchronization

/// What Paimon snapshots reach, read through one cache of manifest lists and manifests so that the many snapshots
/// that share a manifest read it once: the live data files (base and delta merged), a manifest list's added
/// files (delta, changelog), the manifest files themselves and the live index files.
package final class PaimonSnapshotFiles: Sendable {
    package let table: PaimonTable
    private let lists = Mutex<[String: [PaimonManifestFile]]>([:])
    private let manifests = Mutex<[String: [PaimonManifestEntry]]>([:])
    private let indexes = Mutex<[String: [PaimonIndexEntry]]>([:])

    package init(table: PaimonTable) { self.table = table }

    package func manifestList(_ name: String) async throws(PaimonError) -> [PaimonManifestFile] {
        if let cached = lists.withLock({ $0[name] }) { return cached }
        let read = try await table.manifestList(name)
        lists.withLock { $0[name] = read }
        return read
    }

    /// `manifestList`, or nil when the file is gone: an interrupted expiry deleted it, or (for a long-lived
    /// changelog) Paimon deleted the base and delta lists it no longer needs. Other failures are thrown.
    package func manifestListIfPresent(_ name: String) async throws(PaimonError) -> [PaimonManifestFile]? {
        do { return try await manifestList(name) } catch let error where error.isNotFound { return nil }
    }

    /// `entries(ofList:)` with the files an interrupted expiry or Paimon's changelog handling already removed
    /// skipped: a missing list or manifest contributes nothing.
    package func presentEntries(ofList name: String) async throws(PaimonError) -> [PaimonManifestEntry] {
        var entries: [PaimonManifestEntry] = []
        for manifest in try await manifestListIfPresent(name) ?? [] {
            do { entries += try await self.manifest(manifest.fileName) } catch let error where error.isNotFound { continue }
        }
        return entries
    }

    package func manifest(_ name: String) async throws(PaimonError) -> [PaimonManifestEntry] {
        if let cached = manifests.withLock({ $0[name] }) { return cached }
        let read = try await table.manifest(name)
        manifests.withLock { $0[name] = read }
        return read
    }

    package func indexManifest(_ name: String) async throws(PaimonError) -> [PaimonIndexEntry] {
        if let cached = indexes.withLock({ $0[name] }) { return cached }
        let read = try await table.indexManifest(name)
        indexes.withLock { $0[name] = read }
        return read
    }

    /// Every entry of a manifest list's manifests, in order.
    package func entries(ofList name: String) async throws(PaimonError) -> [PaimonManifestEntry] {
        var entries: [PaimonManifestEntry] = []
        for manifest in try await manifestList(name) { entries += try await self.manifest(manifest.fileName) }
        return entries
    }

    /// The files live at `snapshot`: base and delta entries merged, a DELETE cancelling the ADD of the same file.
    package func liveFiles(_ snapshot: PaimonSnapshot) async throws(PaimonError) -> [PaimonManifestEntry] {
        Self.merge(try await entries(ofList: snapshot.baseManifestList) + entries(ofList: snapshot.deltaManifestList))
    }

    /// ADD entries minus the DELETE entries of the same file, in first-added order.
    package static func merge(_ entries: [PaimonManifestEntry]) -> [PaimonManifestEntry] {
        var live: [PaimonManifestEntry.Identifier: Int] = [:]
        var ordered: [PaimonManifestEntry?] = []
        for entry in entries {
            let key = entry.identifier
            switch entry.kind {
            case .add:
                live[key] = ordered.count
                ordered.append(entry)
            case .delete:
                if let index = live.removeValue(forKey: key) { ordered[index] = nil }
            }
        }
        return ordered.compactMap { $0 }
    }

    /// The live index files of `snapshot` (its index manifest lists them all).
    package func indexFiles(_ snapshot: PaimonSnapshot) async throws(PaimonError) -> [PaimonIndexEntry] {
        guard let name = snapshot.indexManifest else { return [] }
        var live: [String: PaimonIndexEntry] = [:]
        var order: [String] = []
        for entry in try await indexManifest(name) {
            switch entry.kind {
            case .add:
                if live[entry.fileName] == nil { order.append(entry.fileName) }
                live[entry.fileName] = entry
            case .delete: live[entry.fileName] = nil
            }
        }
        return order.compactMap { live[$0] }
    }

    /// The index files of `snapshot`, or nil when its index manifest is gone (see `manifestListIfPresent`).
    package func indexFilesIfPresent(_ snapshot: PaimonSnapshot) async throws(PaimonError) -> [PaimonIndexEntry]? {
        do { return try await indexFiles(snapshot) } catch let error where error.isNotFound { return nil }
    }

    /// What a long-lived changelog (or a snapshot about to become one) keeps for streaming readers, as Paimon's
    /// `ChangelogDeletion` leaves it: with a changelog manifest list, that list, its manifests and the changelog
    /// files it adds; without one (`changelog-producer: none`), the base and delta lists with their manifests and
    /// the files the delta adds from writers (file source APPEND, or none recorded). Lists already gone are skipped.
    package func changelogHeld(_ changelog: PaimonSnapshot) async throws(PaimonError) -> (manifests: Set<String>, files: [PaimonManifestEntry]) {
        var names = Set<String>()
        var files: [PaimonManifestEntry] = []
        let lists = changelog.changelogManifestList.map { [$0] } ?? [changelog.deltaManifestList, changelog.baseManifestList]
        for list in lists {
            guard let manifests = try await manifestListIfPresent(list) else { continue }
            names.insert(list)
            for manifest in manifests { names.insert(manifest.fileName) }
        }
        if let list = changelog.changelogManifestList {
            files = try await presentEntries(ofList: list).filter { $0.kind == .add }
        } else {
            files = try await presentEntries(ofList: changelog.deltaManifestList).filter {
                $0.kind == .add && ($0.file.fileSource ?? Self.appendSource) == Self.appendSource
            }
        }
        return (names, files)
    }

    /// Paimon's `FileSource.APPEND`: a file a writer wrote, not a compaction.
    package static let appendSource = 0

    /// The base and delta manifest lists, their manifests and the index manifest `snapshot` names (Paimon's
    /// `manifestSkippingSet` of one snapshot), by file name.
    package func manifestNames(_ snapshot: PaimonSnapshot) async throws(PaimonError) -> Set<String> {
        var names = Set<String>()
        for list in [snapshot.baseManifestList, snapshot.deltaManifestList] {
            names.insert(list)
            for manifest in try await manifestList(list) { names.insert(manifest.fileName) }
        }
        if let index = snapshot.indexManifest { names.insert(index) }
        return names
    }
}
