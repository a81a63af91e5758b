/// A table's manifest-rewrite settings: Iceberg's manifest target size and amoro's trigger for the scheduled
/// `amoro rewrite-manifests` (`amoro.rewrite-manifests.*`; Apache Amoro leaves manifest rewriting to Spark).
///
/// - `commit.manifest.target-size-bytes` (Iceberg, default 8 MiB): the size rewritten manifests aim at; a manifest
///   below it is *small*.
/// - `amoro.rewrite-manifests.enabled`: whether `amoro schedule` runs the job. Default: on exactly where
///   `commit.manifest-merge.enabled=false`, since writers that do not merge manifests on commit (streaming appends,
///   PyIceberg's default) leave one or more per commit; writers that merge keep the count bounded themselves.
/// - `amoro.rewrite-manifests.trigger.small-manifests` (default 100, Iceberg's `commit.manifest.min-count-to-merge`):
///   a scheduled run rewrites a content kind and partition spec only when it has at least this many small manifests.
package struct ManifestRewriteConfig: Hashable, Sendable {
    package static let defaultTargetSizeBytes: Int64 = 8 << 20

    package var targetSizeBytes = ManifestRewriteConfig.defaultTargetSizeBytes
    package var enabled = false
    package var triggerSmallManifests = 100

    package init() {}

    package init(tableProperties: [String: String], catalogProperties: [String: String] = [:]) throws(PropertyError) {
        let reader = PropertyReader(OptimizingConfig.merge(table: tableProperties, catalog: catalogProperties))
        targetSizeBytes = try reader.long("commit.manifest.target-size-bytes", default: targetSizeBytes, range: 1...)
        let merging = try reader.bool("commit.manifest-merge.enabled", default: true)
        enabled = try reader.bool("amoro.rewrite-manifests.enabled", default: !merging)
        triggerSmallManifests = try reader.int(
            "amoro.rewrite-manifests.trigger.small-manifests", default: triggerSmallManifests, range: 2...)
    }
}
