import IcebergSpec

/// A snapshot's manifests as `amoro scan` reports them: how many of each content kind and their bytes, how many are
/// below the manifest target size, and whether a scheduled `amoro rewrite-manifests --triggered` would rewrite some.
package struct ManifestTally: Sendable, Equatable {
    package var dataManifests: Int
    package var dataBytes: Int64
    package var deleteManifests: Int
    package var deleteBytes: Int64
    /// Manifests below `targetSizeBytes` (`commit.manifest.target-size-bytes`).
    package var smallManifests: Int
    package var targetSizeBytes: Int64
    package var rewriteDue: Bool

    package init(dataManifests: Int, dataBytes: Int64, deleteManifests: Int, deleteBytes: Int64, smallManifests: Int,
        targetSizeBytes: Int64, rewriteDue: Bool)
    {
        self.dataManifests = dataManifests
        self.dataBytes = dataBytes
        self.deleteManifests = deleteManifests
        self.deleteBytes = deleteBytes
        self.smallManifests = smallManifests
        self.targetSizeBytes = targetSizeBytes
        self.rewriteDue = rewriteDue
    }

    package init(manifests: [ManifestFile], targetSizeBytes: Int64, rewriteDue: Bool) {
        let data = manifests.filter { $0.content == .data }
        let deletes = manifests.filter { $0.content == .deletes }
        self.init(
            dataManifests: data.count, dataBytes: data.saturatingSum(\.length), deleteManifests: deletes.count,
            deleteBytes: deletes.saturatingSum(\.length), smallManifests: manifests.filter { $0.length < targetSizeBytes }.count,
            targetSizeBytes: targetSizeBytes, rewriteDue: rewriteDue)
    }
}
