import Iceberg
import IcebergSpec
import Planning

/// Runs a table scan and feeds Amoro's evaluation: the health of a table at its current snapshot (or a ref's).
/// Read-only: nothing is written.
package enum HealthScan {
    package static func run(
        table: LoadedTable, catalog: any Catalog, catalogProperties: [String: String], ref: String? = nil, nowMs: Int64,
        forceFull: Bool = false, collectFiles: Bool = false, triggerSlackMs: Int64 = 0
    ) async throws(AmoroError) -> TableHealth {
        let metadata = table.metadata
        let config: OptimizingConfig
        do {
            config = try OptimizingConfig(tableProperties: metadata.properties, catalogProperties: catalogProperties)
        } catch { throw .invalidProperty(table.identifier, error) }
        let scan: TableScan?
        do { scan = try TableScan(table: table, storage: catalog.storage, ref: ref) } catch { throw .iceberg(error) }
        var health = TableHealth(
            header: .init(
                catalog: catalog.name, table: table.identifier.description, tableUUID: metadata.tableUUID,
                formatVersion: metadata.formatVersion, location: metadata.location, snapshot: scan?.snapshot,
                scannedAtMs: nowMs),
            config: config, history: OptimizingHistory(snapshots: metadata.snapshots, properties: metadata.properties), specs: metadata.partitionSpecs,
            forceFull: forceFull, collectFiles: collectFiles, triggerSlackMs: triggerSlackMs)
        guard let scan else { return health }
        let manifestConfig: ManifestRewriteConfig
        do {
            manifestConfig = try ManifestRewriteConfig(tableProperties: metadata.properties, catalogProperties: catalogProperties)
        } catch { throw .invalidProperty(table.identifier, error) }
        do {
            let manifests = try await scan.manifests()
            let due = ManifestRewritePlan(manifests: manifests, targetSizeBytes: manifestConfig.targetSizeBytes,
                minimumSmallManifests: manifestConfig.triggerSmallManifests)
            health.manifests = ManifestTally(manifests: manifests, targetSizeBytes: manifestConfig.targetSizeBytes,
                rewriteDue: !due.groups.isEmpty)
            let deletes = try await scan.deleteIndex(manifests: manifests)
            try await scan.forEachFile(manifests: manifests, deletes: deletes) { task in
                health.add(task.file, sequenceNumber: task.sequenceNumber,
                    deletes: task.deletes.map { ($0.file, $0.sequenceNumber) })
            }
        } catch { throw .iceberg(error) }
        return health
    }
}
