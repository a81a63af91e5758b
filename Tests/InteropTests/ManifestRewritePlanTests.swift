import Execution
import IcebergSpec
import Planning
import Testing

/// `ManifestRewritePlan` and `ManifestRewriteConfig` on manifest lists described in memory: which groups are
/// rewritten, when a rewrite would not lower the count, the trigger, and the clustering by partition. (Execution
/// has no test target of its own; these need no peer.)
@Suite struct ManifestRewritePlanTests {
    static func manifest(_ path: String, bytes: Int64, content: ManifestFile.Content = .data, spec: Int = 0, live: Int = 1,
        deleted: Int = 0) -> ManifestFile
    {
        var manifest = ManifestFile(path: path, length: bytes, partitionSpecId: spec, content: content, sequenceNumber: 1,
            minSequenceNumber: 1, addedSnapshotId: 1)
        manifest.addedFilesCount = live
        manifest.existingFilesCount = 0
        manifest.deletedFilesCount = deleted
        return manifest
    }

    @Test func smallManifestsAreGroupedByContentAndSpecAndLargeOnesKept() {
        let manifests = (0..<5).map { Self.manifest("d\($0)", bytes: 4_000) } + [Self.manifest("big", bytes: 9_000_000)]
            + (0..<3).map { Self.manifest("x\($0)", bytes: 4_000, content: .deletes) }
            + (0..<2).map { Self.manifest("s\($0)", bytes: 4_000, spec: 1) }
        let plan = ManifestRewritePlan(manifests: manifests, targetSizeBytes: 8 << 20, minimumSmallManifests: 2)
        #expect(plan.groups.map { "\($0.content) \($0.specId)" } == ["data 0", "data 1", "deletes 0"])
        #expect(plan.groups[0].replaced.map(\.path) == ["d0", "d1", "d2", "d3", "d4"])
    }

    @Test func aRewriteThatWouldNotLowerTheCountIsSkipped() {
        // Three manifests of 6 MB hold 18 MB: three manifests of the 8 MB target again.
        let full = (0..<3).map { Self.manifest("f\($0)", bytes: 6 << 20) }
        #expect(ManifestRewritePlan(manifests: full, targetSizeBytes: 8 << 20, minimumSmallManifests: 2).groups.isEmpty)
        // With their deleted entries dropped they fit two.
        let shrinking = (0..<3).map { Self.manifest("f\($0)", bytes: 6 << 20, live: 1, deleted: 1) }
        #expect(ManifestRewritePlan(manifests: shrinking, targetSizeBytes: 8 << 20, minimumSmallManifests: 2).groups.count == 1)
        // A single small manifest is left alone, but one without live files goes.
        #expect(ManifestRewritePlan(manifests: [Self.manifest("one", bytes: 10)], targetSizeBytes: 100, minimumSmallManifests: 2)
            .groups.isEmpty)
        let empty = [Self.manifest("big", bytes: 500), Self.manifest("empty", bytes: 500, live: 0, deleted: 3)]
        #expect(ManifestRewritePlan(manifests: empty, targetSizeBytes: 100, minimumSmallManifests: 2).groups.first?.replaced.map(\.path)
            == ["empty"])
    }

    @Test func theTriggerCountsSmallManifests() {
        let manifests = (0..<99).map { Self.manifest("m\($0)", bytes: 1_000) }
        #expect(ManifestRewritePlan(manifests: manifests, targetSizeBytes: 8 << 20, minimumSmallManifests: 100).groups.isEmpty)
        #expect(ManifestRewritePlan(manifests: manifests + [Self.manifest("m99", bytes: 1_000)], targetSizeBytes: 8 << 20,
            minimumSmallManifests: 100).groups.count == 1)
        #expect(ManifestRewritePlan.outputCount(liveBytes: 0, targetSizeBytes: 10) == 0)
        #expect(ManifestRewritePlan.outputCount(liveBytes: 10, targetSizeBytes: 10) == 1)
        #expect(ManifestRewritePlan.outputCount(liveBytes: 11, targetSizeBytes: 10) == 2)
        #expect(ManifestRewritePlan.outputCount(liveBytes: .max, targetSizeBytes: 1) == Int.max)
    }

    @Test func entriesAreClusteredByPartitionIntoEvenRuns() {
        func entry(_ region: String?, _ day: Int32, _ path: String) -> ManifestEntry {
            ManifestEntry(status: .existing, snapshotId: 1, sequenceNumber: 1, fileSequenceNumber: 1,
                dataFile: DataFile(content: .data, filePath: path, fileFormat: "PARQUET", specId: 0,
                    partition: [region.map(Literal.string), .date(day)], recordCount: 1, fileSizeInBytes: 1))
        }
        let entries = [entry("us", 2, "a"), entry(nil, 5, "b"), entry("eu", 9, "c"), entry("eu", 1, "d"), entry("us", 1, "e"),
            entry("ap", 3, "f"), entry("eu", 1, "g")]
        let runs = ManifestRewritePlan.cluster(entries, into: 3)
        #expect(runs.map { $0.map(\.dataFile.filePath) } == [["b", "f"], ["d", "g"], ["c", "e", "a"]])
        #expect(ManifestRewritePlan.cluster(entries, into: 20).count == 7)
        #expect(ManifestRewritePlan.cluster([], into: 2).isEmpty)
    }

    @Test func theConfigFollowsTheProperties() throws {
        let defaults = try ManifestRewriteConfig(tableProperties: [:])
        #expect(!defaults.enabled && defaults.targetSizeBytes == 8 << 20 && defaults.triggerSmallManifests == 100)
        #expect(try ManifestRewriteConfig(tableProperties: ["commit.manifest-merge.enabled": "false"]).enabled)
        #expect(try !ManifestRewriteConfig(tableProperties: ["commit.manifest-merge.enabled": "false",
            "amoro.rewrite-manifests.enabled": "false"]).enabled)
        #expect(try ManifestRewriteConfig(tableProperties: ["amoro.rewrite-manifests.enabled": "true"]).enabled)
        #expect(try ManifestRewriteConfig(tableProperties: ["commit.manifest.target-size-bytes": "1024"]).targetSizeBytes == 1024)
        #expect(throws: PropertyError.self) { try ManifestRewriteConfig(tableProperties: ["commit.manifest.target-size-bytes": "0"]) }
        #expect(throws: PropertyError.self) {
            try ManifestRewriteConfig(tableProperties: ["amoro.rewrite-manifests.trigger.small-manifests": "1"])
        }
    }
}
