import IcebergSpec
import JSONCoding

/// The health of one table at one snapshot: Amoro's evaluation of every partition, accumulated while a scan
/// streams the table's live data files, and rendered as an `amoro.scan` document.
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
    private let specs: [Int: PartitionSpec]
    private var partitions: [PartitionKey: PartitionState] = [:]

    private let forceFull: Bool
    private let collectFiles: Bool

    /// `forceFull` and `collectFiles` build the evaluation a plan is made from (see `PartitionEvaluator`).
    package init(
        header: Header, config: OptimizingConfig, history: OptimizingHistory, specs: [PartitionSpec], forceFull: Bool = false,
        collectFiles: Bool = false
    ) {
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
                    lastFullMs: history.lastFullMs, forceFull: forceFull, collectFiles: collectFiles))
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

    // MARK: - Document

    package static let kind = "amoro.scan"
    package static let version = 1

    /// The `amoro.scan` document; `partitionFilter` keeps partitions whose path contains it, `level` keeps
    /// partitions pending at that level (totals always cover the whole table).
    package func document(partitionFilter: String? = nil, level: OptimizingLevel? = nil) -> JSON {
        let reports = partitionReports
        let selected = reports.filter { report in
            (partitionFilter.map { report.path.contains($0) } ?? true)
                && (level.map { report.evaluator.pending?.level == $0 } ?? true)
        }
        let snapshot = header.snapshot
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))),
            ("catalog", .string(header.catalog)), ("table", .string(header.table)),
            ("table_uuid", header.tableUUID.map(JSON.string) ?? .null),
            ("format_version", .int(Int64(header.formatVersion))), ("location", .string(header.location)),
        ]
        members.append(("snapshot_id", snapshot.map { .int($0.snapshotId) } ?? .null))
        members.append(("snapshot_timestamp_ms", snapshot.map { .int($0.timestampMs) } ?? .null))
        members.append(("sequence_number", snapshot.map { .int($0.sequenceNumber) } ?? .null))
        members.append(("scanned_at_ms", .int(header.scannedAtMs)))
        members.append(("settings", settingsJSON))
        let last: [(String, JSON)] = OptimizingLevel.allCases.map { ($0.rawValue, history.last($0).map(JSON.int) ?? .null) }
        members.append(("last_optimizing_ms", .object(last)))
        members.append(("health", Self.healthJSON(healthScore)))
        let pendingPartitions = reports.filter { $0.evaluator.pending != nil }.count
        members.append(("pending", .object([
            ("level", pendingLevel.map { .string($0.rawValue) } ?? .null), ("partitions", .int(Int64(pendingPartitions))),
        ])))
        members.append(("totals", Self.totalsJSON(reports)))
        members.append(("partitions", .array(selected.map(Self.partitionJSON))))
        return .object(members)
    }

    private static func totalsJSON(_ reports: [PartitionReport]) -> JSON {
        var data = PartitionEvaluator.Tally()
        var deletes: [PartitionEvaluator.Delete.Kind: PartitionEvaluator.Tally] = [:]
        for report in reports {
            let evaluator = report.evaluator
            for tally in [evaluator.fragments, evaluator.undersizedSegments, evaluator.segments] { data = sum(data, tally) }
            for kind in [PartitionEvaluator.Delete.Kind.position, .equality, .deletionVector] {
                deletes[kind] = sum(deletes[kind] ?? .init(), evaluator.deleteTally(kind))
            }
        }
        let position = deletes[.position] ?? .init()
        let equality = deletes[.equality] ?? .init()
        let vectors = deletes[.deletionVector] ?? .init()
        return .object([
            ("partitions", .int(Int64(reports.count))), ("data_files", .int(Int64(data.files))),
            ("data_bytes", .int(data.bytes)), ("records", .int(data.records)),
            ("position_delete_files", .int(Int64(position.files))), ("position_delete_records", .int(position.records)),
            ("equality_delete_files", .int(Int64(equality.files))), ("equality_delete_records", .int(equality.records)),
            ("deletion_vectors", .int(Int64(vectors.files))), ("deletion_vector_records", .int(vectors.records)),
        ])
    }

    private static func healthJSON(_ components: HealthScore.Components) -> JSON {
        .object([
            ("score", .int(Int64(components.total))), ("small_files", .int(Int64(components.smallFiles))),
            ("equality_deletes", .int(Int64(components.equalityDeletes))),
            ("position_deletes", .int(Int64(components.positionDeletes))),
        ])
    }

    private var settingsJSON: JSON {
        .object([
            ("enabled", .bool(config.enabled)), ("target_size", .int(config.targetSize)),
            ("fragment_size", .int(config.fragmentSize)), ("min_target_size", .int(config.minTargetSize)),
            ("max_task_size_bytes", .int(config.maxTaskSizeBytes)),
            ("minor_trigger_file_count", .int(Int64(config.minorTriggerFileCount))),
            ("minor_trigger_interval_ms", .int(config.minorTriggerIntervalMs)),
            ("major_trigger_duplicate_ratio", .double(config.majorTriggerDuplicateRatio)),
            ("full_trigger_interval_ms", .int(config.fullTriggerIntervalMs)),
            ("full_rewrite_all_files", .bool(config.fullRewriteAllFiles)),
            ("filter", config.filter.map(JSON.string) ?? .null),
            ("row_group_merge", .bool(config.rowGroupMergeEnabled)),
            ("row_group_merge_min_avg_bytes", .int(config.rowGroupMergeMinAverageBytes)),
        ])
    }

    private static func partitionJSON(_ report: PartitionReport) -> JSON {
        let e = report.evaluator
        func tally(_ t: PartitionEvaluator.Tally) -> JSON {
            .object([("files", .int(Int64(t.files))), ("bytes", .int(t.bytes)), ("records", .int(t.records))])
        }
        let pending: JSON = e.pending.map { pending in
            .object([("level", .string(pending.level.rawValue)), ("reasons", .array(pending.reasons.map(JSON.string)))])
        } ?? .null
        let health: JSON = e.healthComponents.map(healthJSON) ?? .null
        return .object([
            ("spec_id", .int(Int64(report.specId))), ("partition", .string(report.path)),
            ("values", .object(report.values.map { ($0.0, $0.1?.json ?? .null) })),
            ("data_files", .object([
                ("fragment", tally(e.fragments)), ("undersized_segment", tally(e.undersizedSegments)),
                ("segment", tally(e.segments)),
            ])),
            ("deletes", .object([
                ("position", tally(e.deleteTally(.position))), ("equality", tally(e.deleteTally(.equality))),
                ("deletion_vector", tally(e.deleteTally(.deletionVector))),
            ])),
            ("max_segment_position_delete_ratio", .double(e.maxSegmentDeleteRatio)),
            ("pending", pending), ("cost", .int(e.cost)), ("health", health),
        ])
    }

    private static func sum(_ a: PartitionEvaluator.Tally, _ b: PartitionEvaluator.Tally) -> PartitionEvaluator.Tally {
        var result = a
        result.files += b.files
        result.bytes = result.bytes.saturatingAdd(b.bytes)
        result.records = result.records.saturatingAdd(b.records)
        return result
    }
}
