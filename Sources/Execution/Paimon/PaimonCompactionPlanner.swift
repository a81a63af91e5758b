import IcebergSpec
import Paimon

/// Plans compaction of a Paimon append table at its latest snapshot by Paimon's own rules, per partition and
/// bucket, each task holding files of one schema:
///
/// - unaware-bucket tables (`bucket = -1`, `AppendCompactCoordinator`): the files below the compaction file size
///   (70% of `target-file-size`), smallest first, are packed into bins; a bin is a task once it holds two or more
///   files of at least twice the target size (each file counted with `source.split.open-file-cost`, 4 MiB), and the
///   last bin when it holds at least `compaction.min.file-num` (5) files;
/// - fixed-bucket tables (`BucketedAppendCompactManager`): the bucket's files in sequence-number order, as a
///   window of consecutive files that together stay below `target-file-size`; a window becomes a task once it holds
///   `compaction.min.file-num` files or reaches `compaction.max.file-num` (50). Where Paimon compacts the first
///   window after every write, amoro (run from cron) lets the window grow to the largest one that still fits.
///
/// `--level full` takes, per bucket, every file below the compaction file size when there are at least three
/// (Paimon's full compaction of an append bucket, `FULL_COMPACT_MIN_FILE`). Other merge engines, deletion vectors of
/// append tables, row tracking and formats other than Parquet are refused with a one-line error rather than
/// approximated.
///
/// Primary-key tables with the `deduplicate` merge engine (fixed buckets, no changelog producer, no sequence field,
/// no ignored deletes) get Paimon's full compaction per bucket: every file merged into the top level, when the
/// bucket's sorted runs reach `num-sorted-run.compaction-trigger` (5), or for `--level full` whenever the bucket is
/// not already one file at the top level. Universal compaction's partial picks (size amplification, size ratio)
/// are not made: amoro always merges the whole bucket. Other merge engines are refused. With deletion vectors, the
/// rows they delete take no part in the merge, and `--level full` also rewrites a lone top-level file that has one.
package enum PaimonCompactionPlanner {
    package struct Limits: Sendable {
        package var budgetBytes: Int64
        package var maxTasks: Int?

        package init(budgetBytes: Int64, maxTasks: Int?) {
            self.budgetBytes = budgetBytes
            self.maxTasks = maxTasks
        }
    }

    /// Paimon's `source.split.open-file-cost` default: what opening a file costs when packing bins.
    static let openFileCost: Int64 = 4 << 20
    /// Paimon's `FULL_COMPACT_MIN_FILE`.
    static let fullCompactMinFiles = 3

    package static func plan(_ table: PaimonTable, catalog: String, name: String, level: String, limits: Limits, nowMs: Int64)
        async throws(PaimonError) -> PaimonCompactionPlan
    {
        let schema = try await table.latestSchema()
        let options = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
        try refuseUnsupported(schema, options)
        var plan = PaimonCompactionPlan(catalog: catalog, table: name, location: table.location, snapshotId: 0, planTimeMs: nowMs,
            level: level, targetFileSize: options.targetFileSize, tasks: [])
        guard let latestId = try await table.snapshotFiles().last?.id else { return plan }
        plan.snapshotId = latestId
        let latest = try await table.snapshot(latestId)
        let files = PaimonSnapshotFiles(table: table)
        let index = try await files.indexFiles(latest).filter { $0.indexType == PaimonDeletionVectors.indexType }
        if !options.hasPrimaryKey, !index.isEmpty { throw .unsupported("compacting a Paimon append table with deletion vectors") }
        let vectored = Set(index.flatMap { $0.deletionVectors.map(\.dataFile) })
        var buckets: [BucketKey: [PaimonManifestEntry]] = [:]
        var order: [BucketKey] = []
        // Primary-key buckets holding a file amoro does not rewrite are left alone: their merge needs every file.
        var ineligible = Set<BucketKey>()
        let top = topLevel(schema, options)
        for entry in try await files.liveFiles(latest) where entry.bucket >= 0 {
            guard eligible(entry, primaryKey: options.hasPrimaryKey) else {
                if options.hasPrimaryKey { ineligible.insert(BucketKey(partition: entry.partition, bucket: entry.bucket)) }
                continue
            }
            let key = BucketKey(partition: entry.partition, bucket: entry.bucket)
            if buckets[key] == nil { order.append(key) }
            buckets[key, default: []].append(entry)
        }
        var groups: [(key: BucketKey, reason: String, files: [PaimonManifestEntry])] = []
        for key in order where !ineligible.contains(key) {
            let entries = buckets[key]!
            var picked: [(String, [PaimonManifestEntry])]
            if options.hasPrimaryKey {
                picked = primaryKey(entries, options, top: top, full: level == "full")
                // Full compaction also rewrites a bucket's one top-level file when a deletion vector deletes rows of it.
                if level == "full", picked.isEmpty, entries.count == 1, vectored.contains(entries[0].file.fileName) {
                    picked = [("full compaction: the deletion vector of the top-level file applied", entries)]
                }
            } else if level == "full" {
                picked = full(entries, options)
            } else if options.bucket == -1 {
                picked = unaware(entries, options)
            } else {
                picked = bucketed(entries, options)
            }
            groups += picked.map { (key: key, reason: $0.0, files: $0.1) }
        }
        // Most files first, until the budget is spent or the task limit reached.
        groups.sort { $0.files.count > $1.files.count }
        var spent: Int64 = 0
        for group in groups {
            if let maxTasks = limits.maxTasks, plan.tasks.count >= maxTasks { break }
            let bytes = group.files.reduce(Int64(0)) { $0.saturatingAdd($1.file.fileSize) }
            if !plan.tasks.isEmpty, spent.saturatingAdd(bytes) > limits.budgetBytes { break }
            spent = spent.saturatingAdd(bytes)
            let partition = try PartitionPath.render(group.key.partition, types: schema.partitionTypes, options: options)
            plan.tasks.append(PaimonCompactionPlan.Task(
                id: plan.tasks.count, partition: partition, partitionRow: PaimonCompactionPlan.hex(group.key.partition),
                bucket: group.key.bucket, reason: group.reason,
                files: group.files.map { .init(fileName: $0.file.fileName, size: $0.file.fileSize, rowCount: $0.file.rowCount) }))
        }
        return plan
    }

    struct BucketKey: Hashable {
        var partition: [UInt8]
        var bucket: Int
    }

    /// What amoro does not compact yet, refused with one line.
    static func refuseUnsupported(_ schema: PaimonSchema, _ options: PaimonOptions) throws(PaimonError) {
        if options.hasPrimaryKey {
            guard options.mergeEngine == "deduplicate" else {
                throw .unsupported("compacting Paimon primary-key tables with merge-engine \(options.mergeEngine)")
            }
            guard options.changelogProducer == "none" else {
                throw .unsupported("compacting a Paimon table with changelog-producer \(options.changelogProducer)")
            }
            guard options.bucket > 0 else { throw .unsupported("compacting a Paimon primary-key table with bucket \(options.bucket)") }
            for key in ["sequence.field", "ignore-delete", "deduplicate.ignore-delete", "first-row.ignore-delete"]
            where schema.options[key] != nil && schema.options[key]?.lowercased() != "false" {
                throw .unsupported("compacting a Paimon primary-key table with \(key)")
            }
        }
        if options.deletionVectorsEnabled && !options.hasPrimaryKey {
            throw .unsupported("compacting a Paimon append table with deletion-vectors.enabled")
        }
        for key in ["row-tracking.enabled", "data-evolution.enabled"] where schema.options[key]?.lowercased() == "true" {
            throw .unsupported("compacting a Paimon table with \(key)")
        }
        if options.fileFormat.lowercased() != "parquet" { throw .unsupported("compacting Paimon \(options.fileFormat) data files") }
        if let mode = schema.options["bucket-append-ordered"], mode.lowercased() == "false", options.bucket != -1 {
            throw .unsupported("compacting a fixed-bucket table with bucket-append-ordered=false")
        }
    }

    /// Files a rewrite may replace: Parquet data files under the table without file indexes or column subsets, in
    /// a real bucket; for append tables at level 0 without deleted rows.
    static func eligible(_ entry: PaimonManifestEntry, primaryKey: Bool) -> Bool {
        entry.bucket >= 0 && entry.file.externalPath == nil && entry.file.extraFiles.isEmpty
            && entry.file.embeddedIndex == nil && entry.file.writeCols == nil && entry.file.firstRowId == nil
            && entry.file.fileName.lowercased().hasSuffix(".parquet")
            && (primaryKey || (entry.file.level == 0 && (entry.file.deleteRowCount ?? 0) == 0))
    }

    /// Paimon's `num-levels` (default: the run-count trigger plus one); outputs of a full compaction go to the last.
    static func topLevel(_ schema: PaimonSchema, _ options: PaimonOptions) -> Int {
        (schema.options["num-levels"].flatMap { Int($0) } ?? options.numSortedRunCompactionTrigger + 1) - 1
    }

    /// A primary-key bucket: every file merged to the top level when its sorted runs (each level-0 file, each other
    /// non-empty level) reach `num-sorted-run.compaction-trigger`, or, for `full`, whenever it is not one file at
    /// the top level already. Files of several schemas are left alone.
    static func primaryKey(_ entries: [PaimonManifestEntry], _ options: PaimonOptions, top: Int, full: Bool)
        -> [(String, [PaimonManifestEntry])]
    {
        guard Set(entries.map(\.file.schemaId)).count == 1 else { return [] }
        let runs = entries.filter { $0.file.level == 0 }.count + Set(entries.map(\.file.level).filter { $0 > 0 }).count
        let ordered = entries.sorted { ($0.file.level, $0.file.minSequenceNumber) > ($1.file.level, $1.file.minSequenceNumber) }
        if full {
            guard entries.count > 1 || entries.first?.file.level != top else { return [] }
            return [("full compaction: \(runs) sorted runs to level \(top)", ordered)]
        }
        guard runs >= options.numSortedRunCompactionTrigger else { return [] }
        return [("\(runs) sorted runs, num-sorted-run.compaction-trigger \(options.numSortedRunCompactionTrigger)", ordered)]
    }

    static func unaware(_ entries: [PaimonManifestEntry], _ options: PaimonOptions) -> [(String, [PaimonManifestEntry])] {
        var tasks: [(String, [PaimonManifestEntry])] = []
        for schemaFiles in bySchema(entries) {
            let small = schemaFiles.filter { $0.file.fileSize < options.compactionFileSize }.sorted {
                ($0.file.fileSize, $0.file.minSequenceNumber) < ($1.file.fileSize, $1.file.minSequenceNumber)
            }
            var bin: [PaimonManifestEntry] = []
            var total: Int64 = 0
            for entry in small {
                bin.append(entry)
                total = total.saturatingAdd(entry.file.fileSize.saturatingAdd(openFileCost))
                if bin.count > 1, total >= options.targetFileSize.saturatingMultiply(2) {
                    tasks.append(("bin reached twice target-file-size", bin))
                    bin = []
                    total = 0
                }
            }
            if bin.count >= options.compactionMinFileNum {
                tasks.append(("\(bin.count) small files, compaction.min.file-num \(options.compactionMinFileNum)", bin))
            }
        }
        return tasks
    }

    static func bucketed(_ entries: [PaimonManifestEntry], _ options: PaimonOptions) -> [(String, [PaimonManifestEntry])] {
        let ordered = entries.sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
        var tasks: [(String, [PaimonManifestEntry])] = []
        var window: [PaimonManifestEntry] = []
        var total: Int64 = 0
        func close() {
            if window.count >= max(2, options.compactionMinFileNum) {
                tasks.append(("\(window.count) consecutive files below target-file-size, compaction.min.file-num \(options.compactionMinFileNum)", window))
            }
            window = []
            total = 0
        }
        for entry in ordered {
            if let last = window.last, last.file.schemaId != entry.file.schemaId { close() }
            if total.saturatingAdd(entry.file.fileSize) >= options.targetFileSize { close() }
            if entry.file.fileSize >= options.targetFileSize { continue }
            window.append(entry)
            total = total.saturatingAdd(entry.file.fileSize)
            if window.count >= options.compactionMaxFileNum {
                tasks.append(("compaction.max.file-num \(options.compactionMaxFileNum) reached", window))
                window = []
                total = 0
            }
        }
        close()
        return tasks
    }

    static func full(_ entries: [PaimonManifestEntry], _ options: PaimonOptions) -> [(String, [PaimonManifestEntry])] {
        var runs: [[PaimonManifestEntry]] = []
        if options.bucket == -1 {
            runs = bySchema(entries).map { files in
                files.filter { $0.file.fileSize < options.compactionFileSize }.sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
            }
        } else {
            // A fixed bucket keeps its sequence order: runs of consecutive small files of one schema.
            var run: [PaimonManifestEntry] = []
            for entry in entries.sorted(by: { $0.file.minSequenceNumber < $1.file.minSequenceNumber }) {
                if entry.file.fileSize >= options.compactionFileSize || run.last.map({ $0.file.schemaId != entry.file.schemaId }) == true {
                    runs.append(run)
                    run = []
                }
                if entry.file.fileSize < options.compactionFileSize { run.append(entry) }
            }
            runs.append(run)
        }
        return runs.filter { $0.count >= fullCompactMinFiles }.map { ("full compaction: \($0.count) files below the compaction file size", $0) }
    }

    /// The files of each schema id, in ascending schema order.
    static func bySchema(_ entries: [PaimonManifestEntry]) -> [[PaimonManifestEntry]] {
        Dictionary(grouping: entries, by: \.file.schemaId).sorted { $0.key < $1.key }.map(\.value)
    }
}
