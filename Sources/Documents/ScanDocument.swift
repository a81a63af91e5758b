import IcebergSpec
import JSONCoding
import Planning

/// The `amoro.scan` document (version 1) of an Iceberg table (`format: iceberg`): the health of one table and its
/// partitions as Amoro's evaluator sees it, read back by `amoro plan` from standard input. Paimon tables get
/// `PaimonScanDocument` (`format: paimon`).
package struct ScanDocument: Document {
    package static let kind = "amoro.scan"
    package static let version = 1

    /// The effective self-optimizing settings.
    package struct Settings: Sendable, Equatable {
        package var enabled: Bool
        package var targetSize: Int64
        package var fragmentSize: Int64
        package var minTargetSize: Int64
        package var maxTaskSizeBytes: Int64
        package var minorTriggerFileCount: Int
        package var minorTriggerIntervalMs: Int64
        package var majorTriggerDuplicateRatio: Double
        package var fullTriggerIntervalMs: Int64
        package var fullRewriteAllFiles: Bool
        package var filter: String?
        package var rowGroupMerge: Bool
        package var rowGroupMergeMinAvgBytes: Int64

        package init(enabled: Bool, targetSize: Int64, fragmentSize: Int64, minTargetSize: Int64, maxTaskSizeBytes: Int64,
            minorTriggerFileCount: Int, minorTriggerIntervalMs: Int64, majorTriggerDuplicateRatio: Double,
            fullTriggerIntervalMs: Int64, fullRewriteAllFiles: Bool, filter: String?, rowGroupMerge: Bool,
            rowGroupMergeMinAvgBytes: Int64)
        {
            self.enabled = enabled
            self.targetSize = targetSize
            self.fragmentSize = fragmentSize
            self.minTargetSize = minTargetSize
            self.maxTaskSizeBytes = maxTaskSizeBytes
            self.minorTriggerFileCount = minorTriggerFileCount
            self.minorTriggerIntervalMs = minorTriggerIntervalMs
            self.majorTriggerDuplicateRatio = majorTriggerDuplicateRatio
            self.fullTriggerIntervalMs = fullTriggerIntervalMs
            self.fullRewriteAllFiles = fullRewriteAllFiles
            self.filter = filter
            self.rowGroupMerge = rowGroupMerge
            self.rowGroupMergeMinAvgBytes = rowGroupMergeMinAvgBytes
        }
    }

    /// Amoro's 0–100 health score and its parts.
    package struct Health: Sendable, Equatable {
        package var score: Int
        package var smallFiles: Int
        package var equalityDeletes: Int
        package var positionDeletes: Int

        package init(score: Int, smallFiles: Int, equalityDeletes: Int, positionDeletes: Int) {
            self.score = score
            self.smallFiles = smallFiles
            self.equalityDeletes = equalityDeletes
            self.positionDeletes = positionDeletes
        }
    }

    package struct Totals: Sendable, Equatable {
        package var partitions: Int
        package var dataFiles: Int
        package var dataBytes: Int64
        package var records: Int64
        package var positionDeleteFiles: Int
        package var positionDeleteRecords: Int64
        package var equalityDeleteFiles: Int
        package var equalityDeleteRecords: Int64
        package var deletionVectors: Int
        package var deletionVectorRecords: Int64

        package init(partitions: Int, dataFiles: Int, dataBytes: Int64, records: Int64, positionDeleteFiles: Int,
            positionDeleteRecords: Int64, equalityDeleteFiles: Int, equalityDeleteRecords: Int64, deletionVectors: Int,
            deletionVectorRecords: Int64)
        {
            self.partitions = partitions
            self.dataFiles = dataFiles
            self.dataBytes = dataBytes
            self.records = records
            self.positionDeleteFiles = positionDeleteFiles
            self.positionDeleteRecords = positionDeleteRecords
            self.equalityDeleteFiles = equalityDeleteFiles
            self.equalityDeleteRecords = equalityDeleteRecords
            self.deletionVectors = deletionVectors
            self.deletionVectorRecords = deletionVectorRecords
        }
    }

    /// Files, bytes and records of one class.
    package struct Tally: Sendable, Equatable {
        package var files: Int
        package var bytes: Int64
        package var records: Int64

        package init(files: Int, bytes: Int64, records: Int64) {
            self.files = files
            self.bytes = bytes
            self.records = records
        }
    }

    package struct Partition: Sendable, Equatable {
        package var specId: Int
        package var partition: String
        package var values: [OptimizingPlan.PartitionValue]
        package var fragment: Tally
        package var undersizedSegment: Tally
        package var segment: Tally
        package var positionDeletes: Tally
        package var equalityDeletes: Tally
        package var deletionVectors: Tally
        package var maxSegmentPositionDeleteRatio: Double
        /// The level pending here and why; nil when nothing is.
        package var pending: (level: OptimizingLevel, reasons: [String])?
        package var cost: Int64
        /// nil for a partition without data files.
        package var health: Health?

        package init(specId: Int, partition: String, values: [OptimizingPlan.PartitionValue], fragment: Tally,
            undersizedSegment: Tally, segment: Tally, positionDeletes: Tally, equalityDeletes: Tally,
            deletionVectors: Tally, maxSegmentPositionDeleteRatio: Double, pending: (level: OptimizingLevel,
            reasons: [String])?, cost: Int64, health: Health?)
        {
            self.specId = specId
            self.partition = partition
            self.values = values
            self.fragment = fragment
            self.undersizedSegment = undersizedSegment
            self.segment = segment
            self.positionDeletes = positionDeletes
            self.equalityDeletes = equalityDeletes
            self.deletionVectors = deletionVectors
            self.maxSegmentPositionDeleteRatio = maxSegmentPositionDeleteRatio
            self.pending = pending
            self.cost = cost
            self.health = health
        }

        package static func == (a: Partition, b: Partition) -> Bool {
            a.specId == b.specId && a.partition == b.partition && a.values == b.values && a.fragment == b.fragment
                && a.undersizedSegment == b.undersizedSegment && a.segment == b.segment && a.positionDeletes == b.positionDeletes
                && a.equalityDeletes == b.equalityDeletes && a.deletionVectors == b.deletionVectors
                && a.maxSegmentPositionDeleteRatio == b.maxSegmentPositionDeleteRatio && a.pending?.level == b.pending?.level
                && a.pending?.reasons == b.pending?.reasons && a.cost == b.cost && a.health == b.health
        }
    }

    package var catalog: String
    package var table: String
    package var tableUUID: String?
    package var formatVersion: Int
    package var location: String
    package var snapshotId: Int64?
    package var snapshotTimestampMs: Int64?
    package var sequenceNumber: Int64?
    package var scannedAtMs: Int64
    package var settings: Settings
    /// The last optimizing of each level, from the table's snapshots.
    package var lastOptimizingMs: [OptimizingLevel: Int64]
    package var health: Health
    package var pendingLevel: OptimizingLevel?
    package var pendingPartitions: Int
    /// Over every partition, whatever the filters.
    package var totals: Totals
    /// The partitions the filters kept, most costly first.
    package var partitions: [Partition]
    /// The snapshot's manifests (nil without a snapshot).
    package var manifests: ManifestTally?

    /// The document of a scan; `partitionFilter` keeps partitions whose path contains it, `level` keeps partitions
    /// pending at that level (the totals always cover the whole table).
    package init(_ scan: TableHealth, partitionFilter: String? = nil, level: OptimizingLevel? = nil) {
        let header = scan.header
        let config = scan.config
        let reports = scan.partitionReports
        func tally(_ tally: PartitionEvaluator.Tally) -> Tally { Tally(files: tally.files, bytes: tally.bytes, records: tally.records) }
        func health(_ components: HealthScore.Components) -> Health {
            Health(score: components.total, smallFiles: components.smallFiles, equalityDeletes: components.equalityDeletes,
                positionDeletes: components.positionDeletes)
        }
        func sum(_ tallies: [Tally]) -> Tally {
            tallies.reduce(Tally(files: 0, bytes: 0, records: 0)) {
                Tally(files: $0.files + $1.files, bytes: $0.bytes.saturatingAdd($1.bytes), records: $0.records.saturatingAdd($1.records))
            }
        }
        let all = reports.map { report in
            let e = report.evaluator
            return Partition(
                specId: report.specId, partition: report.path,
                values: report.values.map { OptimizingPlan.PartitionValue(name: $0.0, value: $0.1?.json ?? .null) },
                fragment: tally(e.fragments), undersizedSegment: tally(e.undersizedSegments), segment: tally(e.segments),
                positionDeletes: tally(e.deleteTally(.position)), equalityDeletes: tally(e.deleteTally(.equality)),
                deletionVectors: tally(e.deleteTally(.deletionVector)), maxSegmentPositionDeleteRatio: e.maxSegmentDeleteRatio,
                pending: e.pending, cost: e.cost, health: e.healthComponents.map(health))
        }
        let data = sum(all.flatMap { [$0.fragment, $0.undersizedSegment, $0.segment] })
        let position = sum(all.map(\.positionDeletes))
        let equality = sum(all.map(\.equalityDeletes))
        let vectors = sum(all.map(\.deletionVectors))
        self.init(
            catalog: header.catalog, table: header.table, tableUUID: header.tableUUID, formatVersion: header.formatVersion,
            location: header.location, snapshotId: header.snapshot?.snapshotId, snapshotTimestampMs: header.snapshot?.timestampMs,
            sequenceNumber: header.snapshot?.sequenceNumber, scannedAtMs: header.scannedAtMs,
            settings: Settings(
                enabled: config.enabled, targetSize: config.targetSize, fragmentSize: config.fragmentSize,
                minTargetSize: config.minTargetSize, maxTaskSizeBytes: config.maxTaskSizeBytes,
                minorTriggerFileCount: config.minorTriggerFileCount, minorTriggerIntervalMs: config.minorTriggerIntervalMs,
                majorTriggerDuplicateRatio: config.majorTriggerDuplicateRatio, fullTriggerIntervalMs: config.fullTriggerIntervalMs,
                fullRewriteAllFiles: config.fullRewriteAllFiles, filter: config.filter, rowGroupMerge: config.rowGroupMergeEnabled,
                rowGroupMergeMinAvgBytes: config.rowGroupMergeMinAverageBytes),
            lastOptimizingMs: Dictionary(uniqueKeysWithValues: OptimizingLevel.allCases.compactMap { level in
                scan.history.last(level).map { (level, $0) }
            }),
            health: health(scan.healthScore), pendingLevel: scan.pendingLevel,
            pendingPartitions: all.filter { $0.pending != nil }.count,
            totals: Totals(
                partitions: all.count, dataFiles: data.files, dataBytes: data.bytes, records: data.records,
                positionDeleteFiles: position.files, positionDeleteRecords: position.records, equalityDeleteFiles: equality.files,
                equalityDeleteRecords: equality.records, deletionVectors: vectors.files, deletionVectorRecords: vectors.records),
            partitions: all.filter { partition in
                (partitionFilter.map { partition.partition.contains($0) } ?? true) && (level.map { partition.pending?.level == $0 } ?? true)
            },
            manifests: scan.manifests)
    }

    package init(
        catalog: String, table: String, tableUUID: String?, formatVersion: Int, location: String, snapshotId: Int64?,
        snapshotTimestampMs: Int64?, sequenceNumber: Int64?, scannedAtMs: Int64, settings: Settings,
        lastOptimizingMs: [OptimizingLevel: Int64], health: Health, pendingLevel: OptimizingLevel?, pendingPartitions: Int,
        totals: Totals, partitions: [Partition], manifests: ManifestTally? = nil
    ) {
        self.catalog = catalog
        self.table = table
        self.tableUUID = tableUUID
        self.formatVersion = formatVersion
        self.location = location
        self.snapshotId = snapshotId
        self.snapshotTimestampMs = snapshotTimestampMs
        self.sequenceNumber = sequenceNumber
        self.scannedAtMs = scannedAtMs
        self.settings = settings
        self.lastOptimizingMs = lastOptimizingMs
        self.health = health
        self.pendingLevel = pendingLevel
        self.pendingPartitions = pendingPartitions
        self.totals = totals
        self.partitions = partitions
        self.manifests = manifests
    }

    package var json: JSON {
        func tally(_ t: Tally) -> JSON { .object([("files", .int(Int64(t.files))), ("bytes", .int(t.bytes)), ("records", .int(t.records))]) }
        func health(_ h: Health) -> JSON {
            .object([
                ("score", .int(Int64(h.score))), ("small_files", .int(Int64(h.smallFiles))),
                ("equality_deletes", .int(Int64(h.equalityDeletes))), ("position_deletes", .int(Int64(h.positionDeletes))),
            ])
        }
        let s = settings
        let settingsJSON: JSON = .object([
            ("enabled", .bool(s.enabled)), ("target_size", .int(s.targetSize)), ("fragment_size", .int(s.fragmentSize)),
            ("min_target_size", .int(s.minTargetSize)), ("max_task_size_bytes", .int(s.maxTaskSizeBytes)),
            ("minor_trigger_file_count", .int(Int64(s.minorTriggerFileCount))),
            ("minor_trigger_interval_ms", .int(s.minorTriggerIntervalMs)),
            ("major_trigger_duplicate_ratio", .double(s.majorTriggerDuplicateRatio)),
            ("full_trigger_interval_ms", .int(s.fullTriggerIntervalMs)), ("full_rewrite_all_files", .bool(s.fullRewriteAllFiles)),
            ("filter", s.filter.map(JSON.string) ?? .null), ("row_group_merge", .bool(s.rowGroupMerge)),
            ("row_group_merge_min_avg_bytes", .int(s.rowGroupMergeMinAvgBytes)),
        ])
        let t = totals
        let totalsJSON: JSON = .object([
            ("partitions", .int(Int64(t.partitions))), ("data_files", .int(Int64(t.dataFiles))), ("data_bytes", .int(t.dataBytes)),
            ("records", .int(t.records)), ("position_delete_files", .int(Int64(t.positionDeleteFiles))),
            ("position_delete_records", .int(t.positionDeleteRecords)),
            ("equality_delete_files", .int(Int64(t.equalityDeleteFiles))), ("equality_delete_records", .int(t.equalityDeleteRecords)),
            ("deletion_vectors", .int(Int64(t.deletionVectors))), ("deletion_vector_records", .int(t.deletionVectorRecords)),
        ])
        func partitionJSON(_ p: Partition) -> JSON {
            let pending: JSON = p.pending.map { pending in
                .object([("level", .string(pending.level.rawValue)), ("reasons", .array(pending.reasons.map(JSON.string)))])
            } ?? .null
            return .object([
                ("spec_id", .int(Int64(p.specId))), ("partition", .string(p.partition)),
                ("values", .object(p.values.map { ($0.name, $0.value) })),
                ("data_files", .object([
                    ("fragment", tally(p.fragment)), ("undersized_segment", tally(p.undersizedSegment)), ("segment", tally(p.segment)),
                ])),
                ("deletes", .object([
                    ("position", tally(p.positionDeletes)), ("equality", tally(p.equalityDeletes)),
                    ("deletion_vector", tally(p.deletionVectors)),
                ])),
                ("max_segment_position_delete_ratio", .double(p.maxSegmentPositionDeleteRatio)),
                ("pending", pending), ("cost", .int(p.cost)), ("health", p.health.map(health) ?? .null),
            ])
        }
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("format", .string("iceberg")),
            ("catalog", .string(catalog)), ("table", .string(table)), ("table_uuid", tableUUID.map(JSON.string) ?? .null),
            ("format_version", .int(Int64(formatVersion))), ("location", .string(location)),
        ]
        members.append(("snapshot_id", snapshotId.map(JSON.int) ?? .null))
        members.append(("snapshot_timestamp_ms", snapshotTimestampMs.map(JSON.int) ?? .null))
        members.append(("sequence_number", sequenceNumber.map(JSON.int) ?? .null))
        members.append(("scanned_at_ms", .int(scannedAtMs)))
        members.append(("settings", settingsJSON))
        members.append(("last_optimizing_ms", .object(OptimizingLevel.allCases.map { ($0.rawValue, lastOptimizingMs[$0].map(JSON.int) ?? .null) })))
        members.append(("health", health(self.health)))
        members.append(("pending", .object([
            ("level", pendingLevel.map { .string($0.rawValue) } ?? .null), ("partitions", .int(Int64(pendingPartitions))),
        ])))
        members.append(("totals", totalsJSON))
        members.append(("manifests", manifests.map { m in
            .object([
                ("data", .object([("manifests", .int(Int64(m.dataManifests))), ("bytes", .int(m.dataBytes))])),
                ("deletes", .object([("manifests", .int(Int64(m.deleteManifests))), ("bytes", .int(m.deleteBytes))])),
                ("small", .int(Int64(m.smallManifests))), ("target_size_bytes", .int(m.targetSizeBytes)),
                ("rewrite_due", .bool(m.rewriteDue)),
            ])
        } ?? .null))
        members.append(("partitions", .array(partitions.map(partitionJSON))))
        return .object(members)
    }

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        // Documents written before the member existed are Iceberg's.
        if let format = try fields.optionalString("format"), format != "iceberg" {
            throw fields.error("format", "is \"\(format)\"; this is read as an Iceberg table's scan (amoro plan plans Iceberg tables only)")
        }
        func tally(_ fields: DocumentFields, _ key: String) throws(DocumentError) -> Tally {
            let t = try fields.object(key)
            return Tally(files: try t.small("files"), bytes: try t.int("bytes"), records: try t.int("records"))
        }
        func health(_ h: DocumentFields) throws(DocumentError) -> Health {
            Health(score: Int(try h.int("score", 0...100)), smallFiles: try h.small("small_files"),
                equalityDeletes: try h.small("equality_deletes"), positionDeletes: try h.small("position_deletes"))
        }
        let s = try fields.object("settings")
        let settings = Settings(
            enabled: try s.bool("enabled"), targetSize: try s.int("target_size"), fragmentSize: try s.int("fragment_size"),
            minTargetSize: try s.int("min_target_size"), maxTaskSizeBytes: try s.int("max_task_size_bytes"),
            minorTriggerFileCount: Int(try s.int("minor_trigger_file_count", Int64(Int32.min)...Int64(Int32.max))),
            minorTriggerIntervalMs: try s.int("minor_trigger_interval_ms", Int64.min...Int64.max),
            majorTriggerDuplicateRatio: try s.double("major_trigger_duplicate_ratio"),
            fullTriggerIntervalMs: try s.int("full_trigger_interval_ms", Int64.min...Int64.max),
            fullRewriteAllFiles: try s.bool("full_rewrite_all_files"), filter: try s.optionalString("filter"),
            rowGroupMerge: try s.bool("row_group_merge"), rowGroupMergeMinAvgBytes: try s.int("row_group_merge_min_avg_bytes"))
        let last = try fields.object("last_optimizing_ms")
        var lastOptimizingMs: [OptimizingLevel: Int64] = [:]
        for level in OptimizingLevel.allCases { lastOptimizingMs[level] = try last.optionalInt(level.rawValue, Int64.min...Int64.max) }
        let pending = try fields.object("pending")
        let t = try fields.object("totals")
        let partitions = try fields.objects("partitions") { (p) throws(DocumentError) -> Partition in
            guard let values = try p.value("values").objectValue else { throw p.error("values", "must be an object") }
            let files = try p.object("data_files")
            let deletes = try p.object("deletes")
            let pending = try p.optionalObject("pending")
            return Partition(
                specId: try p.small("spec_id"), partition: try p.string("partition"),
                values: values.map { OptimizingPlan.PartitionValue(name: $0.0, value: $0.1) },
                fragment: try tally(files, "fragment"), undersizedSegment: try tally(files, "undersized_segment"),
                segment: try tally(files, "segment"), positionDeletes: try tally(deletes, "position"),
                equalityDeletes: try tally(deletes, "equality"), deletionVectors: try tally(deletes, "deletion_vector"),
                maxSegmentPositionDeleteRatio: try p.double("max_segment_position_delete_ratio"),
                pending: try pending.map { (pending) throws(DocumentError) in
                    (try pending.value("level", as: OptimizingLevel.self), try pending.strings("reasons"))
                },
                cost: try p.int("cost"), health: try p.optionalObject("health").map(health))
        }
        self.init(
            catalog: try fields.string("catalog"), table: try fields.string("table"), tableUUID: try fields.optionalString("table_uuid"),
            formatVersion: Int(try fields.int("format_version", 1...3)), location: try fields.string("location"),
            snapshotId: try fields.optionalInt("snapshot_id", Int64.min...Int64.max),
            snapshotTimestampMs: try fields.optionalInt("snapshot_timestamp_ms", Int64.min...Int64.max),
            sequenceNumber: try fields.optionalInt("sequence_number"), scannedAtMs: try fields.int("scanned_at_ms"),
            settings: settings, lastOptimizingMs: lastOptimizingMs, health: try health(try fields.object("health")),
            pendingLevel: try pending.optionalValue("level", as: OptimizingLevel.self), pendingPartitions: try pending.small("partitions"),
            totals: Totals(
                partitions: try t.small("partitions"), dataFiles: try t.small("data_files"), dataBytes: try t.int("data_bytes"),
                records: try t.int("records"), positionDeleteFiles: try t.small("position_delete_files"),
                positionDeleteRecords: try t.int("position_delete_records"), equalityDeleteFiles: try t.small("equality_delete_files"),
                equalityDeleteRecords: try t.int("equality_delete_records"), deletionVectors: try t.small("deletion_vectors"),
                deletionVectorRecords: try t.int("deletion_vector_records")),
            partitions: partitions,
            manifests: try fields.optionalObject("manifests").map { (m) throws(DocumentError) in
                let data = try m.object("data")
                let deletes = try m.object("deletes")
                return ManifestTally(
                    dataManifests: try data.small("manifests"), dataBytes: try data.int("bytes"),
                    deleteManifests: try deletes.small("manifests"), deleteBytes: try deletes.int("bytes"),
                    smallManifests: try m.small("small"), targetSizeBytes: try m.int("target_size_bytes", 1...Int64.max),
                    rewriteDue: try m.bool("rewrite_due"))
            })
    }

    /// The table, its health and totals, then one line per partition.
    package func rendered() -> String {
        let t = totals
        var lines = [
            "\(table)  snapshot \(snapshotId.map { String($0) } ?? "-")  format v\(formatVersion)",
            "health \(health.score)/100 (small files \(health.smallFiles)/40, equality deletes \(health.equalityDeletes)/40, position deletes \(health.positionDeletes)/20)",
            "pending: \(pendingLevel?.rawValue ?? "nothing") in \(pendingPartitions) of \(t.partitions) partitions; \(t.dataFiles) data files, \(ByteCount.format(t.dataBytes)), \(t.positionDeleteFiles) position / \(t.equalityDeleteFiles) equality delete files, \(t.deletionVectors) deletion vectors",
        ]
        if let m = manifests {
            lines.append("manifests: \(m.dataManifests) data (\(ByteCount.format(m.dataBytes))), \(m.deleteManifests) delete (\(ByteCount.format(m.deleteBytes))), \(m.smallManifests) below \(ByteCount.format(m.targetSizeBytes))" + (m.rewriteDue ? "; rewrite due" : ""))
        }
        var table = TextTable(["partition", "fragments", "undersized", "segments", "pos del", "eq del", "pending", "why"])
        for p in partitions {
            table.add([
                p.partition.isEmpty ? "(unpartitioned)" : p.partition, String(p.fragment.files), String(p.undersizedSegment.files),
                String(p.segment.files), String(p.positionDeletes.files), String(p.equalityDeletes.files),
                p.pending?.level.rawValue ?? "-", p.pending?.reasons.first ?? "",
            ])
        }
        return (lines + [table.rendered(), ""]).joined(separator: "\n")
    }
}
