import IcebergSpec

/// What `amoro rewrite-manifests` replaces, decided per content kind (data, deletes) and partition spec from the
/// manifest list alone, then how each group's live entries are cut into new manifests.
///
/// A manifest below the target size is *small*; one whose counts say it holds no live file is *empty*. A group's
/// small and empty manifests are the candidates; their live entries would fill `ceil(estimated bytes / target)`
/// manifests, the estimate being the candidates' bytes scaled by their share of live entries. The group is
/// rewritten only when that is fewer manifests than it has candidates (so a second run finds nothing to do), and,
/// when a trigger is given, only when it has at least that many small manifests. Manifests at the target size are
/// kept as they are, like every manifest of a group left alone.
package struct ManifestRewritePlan: Sendable {
    /// One content kind and spec, and the manifests of it that are replaced.
    package struct Group: Sendable {
        package var content: ManifestFile.Content
        package var specId: Int
        package var replaced: [ManifestFile]
    }

    package var groups: [Group]

    package init(manifests: [ManifestFile], targetSizeBytes: Int64, minimumSmallManifests: Int) {
        var byKey: [ManifestGroupKey: [ManifestFile]] = [:]
        for manifest in manifests { byKey[ManifestGroupKey(content: manifest.content, specId: manifest.partitionSpecId), default: []].append(manifest) }
        groups = []
        for key in byKey.keys.sorted() {
            let all = byKey[key]!
            let small = all.filter { $0.length < targetSizeBytes }
            let candidates = all.filter { $0.length < targetSizeBytes || !$0.mayHaveLiveFiles }
            guard small.count >= minimumSmallManifests || candidates.contains(where: { !$0.mayHaveLiveFiles }) else { continue }
            let estimated = candidates.reduce(Int64(0)) { $0.saturatingAdd(Self.liveBytes($1)) }
            guard Self.outputCount(liveBytes: estimated, targetSizeBytes: targetSizeBytes) < candidates.count else { continue }
            groups.append(Group(content: key.content, specId: key.specId, replaced: candidates))
        }
    }

    /// How many manifests of the target size `liveBytes` of entries fill (none for none).
    package static func outputCount(liveBytes: Int64, targetSizeBytes: Int64) -> Int {
        guard liveBytes > 0 else { return 0 }
        return Int(clamping: liveBytes / targetSizeBytes + (liveBytes % targetSizeBytes == 0 ? 0 : 1))
    }

    /// A manifest's bytes scaled by its share of live entries (all of them when its counts are unknown, as in v1
    /// manifest lists that leave them out).
    private static func liveBytes(_ manifest: ManifestFile) -> Int64 {
        guard let added = manifest.addedFilesCount, let existing = manifest.existingFilesCount,
            let deleted = manifest.deletedFilesCount
        else { return manifest.length }
        let live = Int64(added).saturatingAdd(Int64(existing))
        let total = live.saturatingAdd(Int64(deleted))
        guard total > 0 else { return 0 }
        return Int64((Double(manifest.length) * Double(live) / Double(total)).rounded(.up))
    }

    /// `entries` (live, of one spec) ordered by partition, then data sequence number and path, and cut into `count`
    /// runs of nearly equal length: each new manifest covers a contiguous range of partitions.
    package static func cluster(_ entries: [ManifestEntry], into count: Int) -> [[ManifestEntry]] {
        guard count > 0, !entries.isEmpty else { return [] }
        let sorted = entries.sorted { lhs, rhs in
            let order = comparePartitions(lhs.dataFile.partition, rhs.dataFile.partition)
            if order != 0 { return order < 0 }
            if lhs.sequenceNumber != rhs.sequenceNumber { return (lhs.sequenceNumber ?? 0) < (rhs.sequenceNumber ?? 0) }
            return lhs.dataFile.filePath < rhs.dataFile.filePath
        }
        let runs = min(count, sorted.count)
        return (0..<runs).map { index in
            Array(sorted[(index * sorted.count / runs)..<((index + 1) * sorted.count / runs)])
        }
    }

    /// Partition tuples of one spec, field by field: nulls first, then Iceberg's order of the values (their binary
    /// forms where the types differ, which a valid manifest never has).
    static func comparePartitions(_ lhs: [Literal?], _ rhs: [Literal?]) -> Int {
        for (left, right) in zip(lhs, rhs) {
            switch (left, right) {
            case (nil, nil): continue
            case (nil, _): return -1
            case (_, nil): return 1
            case (let left?, let right?):
                let order = Literal.compare(left, right)
                    ?? (left.binary.lexicographicallyPrecedes(right.binary) ? -1 : (left.binary == right.binary ? 0 : 1))
                if order != 0 { return order }
            }
        }
        return lhs.count - rhs.count
    }
}

/// What manifests are grouped by when written or regrouped: content kind and partition spec.
package struct ManifestGroupKey: Hashable, Comparable, Sendable {
    package let content: ManifestFile.Content
    package let specId: Int

    package init(content: ManifestFile.Content, specId: Int) {
        self.content = content
        self.specId = specId
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { (lhs.content.rawValue, lhs.specId) < (rhs.content.rawValue, rhs.specId) }
}
