import Iceberg
import IcebergSpec
import Planning

/// `amoro create-tags` for one table: Apache Amoro's automatic tags (`tag.auto-create.*`, decided by `AutoTags`),
/// committed as one metadata change that only adds refs, through the catalog's optimistic commit (a REST catalog
/// gets `set-snapshot-ref` updates with the new names asserted absent). A lost race reloads the table and decides
/// again, so a tag another run created meanwhile is found, never moved. Runs only with `tag.auto-create.enabled`.
package enum CreateTagsAction {
    package enum Status: String, Sendable {
        case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run", disabled
    }

    package struct Result: Sendable {
        package var status: Status
        package var tableUUID: String?
        package var config: AutoTagConfig?
        /// The check time the periods were derived from.
        package var checkMs: Int64
        /// Oldest period first.
        package var decisions: [AutoTags.Decision] = []
        package var commitAttempts = 0
    }

    package static func run(
        _ identifier: TableIdentifier, catalog: any Catalog, catalogProperties: [String: String] = [:], dryRun: Bool,
        catchUp: Int = 24, checkMs: Int64, nowMs: @escaping @Sendable () -> Int64
    ) async throws(AmoroError) -> Result {
        try await CommitRetry.attempts(identifier, catalog: catalog, nowMs: nowMs) { (attempt, base) throws(AmoroError) in
            var result = Result(status: .nothingToDo, tableUUID: base.metadata.tableUUID, checkMs: checkMs)
            let config: AutoTagConfig
            do throws(PropertyError) {
                config = try AutoTagConfig(tableProperties: base.metadata.properties, catalogProperties: catalogProperties)
            } catch { throw .invalidProperty(identifier, error) }
            result.config = config
            guard config.enabled else {
                result.status = .disabled
                return result
            }
            let rule = AutoTags(config: config, nowMs: checkMs, catchUp: catchUp)
            result.decisions = rule.decide(base.metadata)
            var refs: [String: SnapshotRef] = [:]
            for decision in result.decisions { if let ref = rule.ref(for: decision) { refs[decision.name] = ref } }
            guard !refs.isEmpty else { return result }
            if dryRun {
                result.status = .dryRun
                return result
            }
            let next = base.metadata.addingRefs(refs, previousMetadataLocation: base.metadataLocation, nowMs: nowMs())
            CrashPoint.beforeSwap.reach()
            do throws(IcebergError) { _ = try await catalog.commit(identifier, base: base, metadata: next) } catch { throw .iceberg(error) }
            CrashPoint.afterSwap.reach()
            result.status = .committed
            result.commitAttempts = attempt
            return result
        }
    }
}
