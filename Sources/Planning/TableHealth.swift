import IcebergSpec
import JSONCoding

/// The health of one table at one snapshot: Amoro's evaluation of every partition, accumulated while a scan
/// streams the table's live data files (the `amoro.scan` document is made from it in `Documents`).
package struct TableHealth: Sendable {
    /// What the document says about the table itself.
    package struct Header: Sendable {
        package var catalog: String
        package var table: String
        package var tableUUID: String?
        package var formatVersion: Int
        package var location: String
        package var snapshot: Snapshot?
        package var scannedAtMs: Int64

        package init(catalog: String, table: String, tableUUID: String?, formatVersion: Int, location: String,
            snapshot: Snapshot?, scannedAtMs: Int64)
        {
            self.catalog = catalog
            self.table = table
            self.tableUUID = tableUUID
            self.formatVersion = formatVersion
            self.location = location
            self.snapshot = snapshot
            self.scannedAtMs = scannedAtMs
        }
    }

    private struct PartitionState: Sendable {
        var specId: Int
        var values: [Literal?]
        var evaluator: PartitionEvaluator
    }

    package let header: Header
    package let config: OptimizingConfig
    package let history: OptimizingHistory
    /// The snapshot's manifests (nil without a snapshot).
    package var manifests: ManifestTally?
    private let specs: [Int: PartitionSpec]
    private var partitions: [PartitionKey: PartitionState] = [:]

    private let forceFull: Bool
    private let collectFiles: Bool
    private let triggerSlackMs: Int64

    /// `forceFull`, `collectFiles` and `triggerSlackMs` build the evaluation a plan is made from (see
    /// `PartitionEvaluator`).
    package init(
        header: Header, config: OptimizingConfig, history: OptimizingHistory, specs: [PartitionSpec], forceFull: Bool = false,
        collectFiles: Bool = false, triggerSlackMs: Int64 = 0
    ) {
        self.triggerSlackMs = triggerSlackMs
        self.header = header
        self.config = config
        self.history = history
        self.forceFull = forceFull
        self.collectFiles = collectFiles
        self.specs = Dictionary(specs.map { ($0.specId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds a live data file, with its data sequence number and the deletes (with theirs) that apply to it.
    package mutating func add(_ file: DataFile, sequenceNumber: Int64, deletes: [(file: DataFile, sequenceNumber: Int64)]) {
        let key = PartitionKey(specId: file.specId, values: file.partition)
        let evaluatorDeletes = deletes.map { delete, sequenceNumber in
            PartitionEvaluator.Delete(
                path: delete.filePath,
                kind: delete.content == .equalityDeletes ? .equality : (delete.isDeletionVector ? .deletionVector : .position),
                recordCount: delete.recordCount,
                sizeInBytes: delete.isDeletionVector ? (delete.contentSizeInBytes ?? delete.fileSizeInBytes) : delete.fileSizeInBytes,
                sequenceNumber: sequenceNumber)
        }
        if partitions[key] == nil {
            partitions[key] = PartitionState(
                specId: file.specId, values: file.partition,
                evaluator: PartitionEvaluator(config: config, planTimeMs: header.scannedAtMs, lastMinorMs: history.lastMinorMs,
                    lastFullMs: history.lastFullMs, forceFull: forceFull, collectFiles: collectFiles,
                    triggerSlackMs: triggerSlackMs))
        }
        partitions[key]!.evaluator.add(path: file.filePath, sizeInBytes: file.fileSizeInBytes, recordCount: file.recordCount,
            deletes: evaluatorDeletes, sequenceNumber: sequenceNumber)
    }

    /// One partition's evaluation.
    package struct PartitionReport: Sendable {
        package var specId: Int
        package var path: String
        package var values: [(String, Literal?)]
        package var evaluator: PartitionEvaluator
    }

    /// Partitions, most costly first (the order planning takes them in), then by path.
    package var partitionReports: [PartitionReport] {
        partitions.values.map { state in
            let spec = specs[state.specId]
            let names = spec?.fields.map(\.name) ?? state.values.indices.map { "field_\($0)" }
            return PartitionReport(
                specId: state.specId, path: spec?.path(for: state.values) ?? "",
                values: Array(zip(names, state.values)), evaluator: state.evaluator)
        }.sorted { ($0.evaluator.cost, $1.path) > ($1.evaluator.cost, $0.path) }
    }

    package var healthScore: HealthScore.Components {
        HealthScore.table(partitions.values.compactMap(\.evaluator.healthComponents))
    }

    /// The highest level any partition needs.
    package var pendingLevel: OptimizingLevel? {
        partitions.values.compactMap { $0.evaluator.pending?.level }.max()
    }
}
