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
/// Primary-key tables (fixed or dynamic buckets, no changelog producer, a merge engine `PaimonMergeEngine` takes) get Paimon's
/// universal compaction per bucket (`PaimonUniversalCompaction`): `minor` takes
/// the prefix of sorted runs universal compaction picks into the level it picks, `major` also forces every level-0
/// file up a level when nothing else is due (Paimon's `ForceUpLevel0Compaction`), `full` merges every run into the
/// top level. `auto` is `full` when `full-compaction.delta-commits` delta commits (APPEND or OVERWRITE snapshots) were
/// made since the newest snapshot Paimon counts as fully compacted (a COMPACT snapshot whose commit identifier is a
/// multiple of it, or `Long.MAX_VALUE`), else `minor`. `first-row` buckets, and buckets of tables with deletion
/// vectors, are merged into the top level only. With deletion vectors, the rows they delete take no part in the merge,
/// and `--level full` also rewrites a lone top-level file that has one.
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
        let settings = try PaimonUniversalCompaction.Settings(options)
        var plan = PaimonCompactionPlan(catalog: catalog, table: name, location: table.location, snapshotId: 0, planTimeMs: nowMs,
            level: level, targetFileSize: options.targetFileSize, tasks: [])
        guard let latestId = try await table.snapshotFiles().last?.id else { return plan }
        plan.snapshotId = latestId
        let effective = level == "auto" ? try await autoLevel(table, head: latestId, options) : level
        let latest = try await table.snapshot(latestId)
        let files = PaimonSnapshotFiles(table: table)
        let index = try await files.indexFiles(latest).filter { $0.indexType == PaimonDeletionVectors.indexType }
        if !options.hasPrimaryKey, !index.isEmpty { throw .unsupported("compacting a Paimon append table with deletion vectors") }
        let vectored = Set(index.flatMap { $0.deletionVectors.map(\.dataFile) })
        var buckets: [BucketKey: [PaimonManifestEntry]] = [:]
        var order: [BucketKey] = []
        // Primary-key buckets holding a file amoro does not rewrite are left alone: their merge needs every file.
        var ineligible: [BucketKey: (files: Int, reason: String)] = [:]
        var ineligibleOrder: [BucketKey] = []
        for entry in try await files.liveFiles(latest) {
            let key = BucketKey(partition: entry.partition, bucket: entry.bucket)
            if let reason = ineligibility(entry, primaryKey: options.hasPrimaryKey) {
                if ineligible[key] == nil { ineligibleOrder.append(key) }
                ineligible[key, default: (0, reason)].files += 1
                continue
            }
            if buckets[key] == nil { order.append(key) }
            buckets[key, default: []].append(entry)
        }
        for key in ineligibleOrder {
            let (count, reason) = ineligible[key]!
            let heldBack = options.hasPrimaryKey && key.bucket >= 0 ? "; the bucket is left alone, its merge needs every run" : ""
            plan.skipped.append(PaimonCompactionPlan.Skipped(
                partition: try PartitionPath.render(key.partition, types: schema.partitionTypes, options: options), bucket: key.bucket,
                files: count, reason: reason + heldBack))
        }
        var groups: [(key: BucketKey, reason: String, files: [PaimonManifestEntry], outputLevel: Int?)] = []
        for key in order where !options.hasPrimaryKey || ineligible[key] == nil {
            let entries = buckets[key]!
            var picked: [Picked]
            if options.hasPrimaryKey {
                picked = primaryKey(entries, settings, level: effective, forceUpLevel0: options.forceUpLevel0,
                    topLevelOnly: options.mergeEngine == "first-row" || options.deletionVectorsEnabled || !vectored.isEmpty)
                // Full compaction also rewrites a bucket's one top-level file when a deletion vector deletes rows of it.
                if effective == "full", picked.isEmpty, entries.count == 1, vectored.contains(entries[0].file.fileName) {
                    picked = [Picked(reason: "full compaction: the deletion vector of the top-level file applied", files: entries,
                        outputLevel: settings.topLevel)]
                }
            } else if effective == "full" {
                picked = full(entries, options)
            } else if options.bucket == -1 {
                picked = unaware(entries, options)
            } else {
                picked = bucketed(entries, options)
            }
            groups += picked.map { (key: key, reason: $0.reason, files: $0.files, outputLevel: $0.outputLevel) }
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
                files: group.files.map { .init(fileName: $0.file.fileName, size: $0.file.fileSize, rowCount: $0.file.rowCount) },
                outputLevel: group.outputLevel))
        }
        return plan
    }

    struct BucketKey: Hashable {
        var partition: [UInt8]
        var bucket: Int
    }

    /// What amoro does not compact yet, refused with one line.
    package static func refuseUnsupported(_ schema: PaimonSchema, _ options: PaimonOptions) throws(PaimonError) {
        if options.hasPrimaryKey {
            // The merge engine and its options (PaimonMergeEngine refuses what amoro does not merge as Paimon does).
            _ = try PaimonMergeEngine(schema, options)
            guard options.changelogProducer == "none" else {
                throw .unsupported("compacting a Paimon table with changelog-producer \(options.changelogProducer)")
            }
            // Fixed buckets, or dynamic ones (-1): a key stays in the bucket its hash index gave it, so a bucket's runs
            // merge the same way; the index is carried over unchanged. Postponed buckets (-2) wait for Paimon's rescale.
            guard options.bucket > 0 || options.bucket == -1 else {
                throw .unsupported("compacting a Paimon primary-key table with bucket \(options.bucket)")
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
        // Paimon's writers, compaction's included, index each file they write by the table's current
        // `file-index.<type>.columns` (`DataFileIndexWriter`); amoro writes no file indexes.
        if let key = schema.options.keys.sorted().first(where: { key in
            key.hasPrefix("file-index.") && key.hasSuffix(".columns") && schema.options[key]?.contains { !$0.isWhitespace } == true
        }) {
            throw .unsupported("compacting a Paimon table whose writers build file indexes (\(key))")
        }
    }

    /// Files a rewrite may replace: Parquet data files under the table without column subsets, in a real bucket;
    /// for append tables at level 0 without deleted rows. A file's index (embedded in its entry, or the extra file
    /// `<name>.index`) is no obstacle: a table that reaches the rewrite builds no indexes any more
    /// (`refuseUnsupported`), and Paimon's compaction then writes the outputs without them, the old index files
    /// leaving with their data files when those expire.
    static func eligible(_ entry: PaimonManifestEntry, primaryKey: Bool) -> Bool {
        ineligibility(entry, primaryKey: primaryKey) == nil
    }

    /// Why amoro does not rewrite a live file (nil: it does), as a plan's `skipped` says it.
    static func ineligibility(_ entry: PaimonManifestEntry, primaryKey: Bool) -> String? {
        let file = entry.file
        if entry.bucket < 0 { return "files of bucket \(entry.bucket), which Paimon assigns to buckets itself" }
        if file.externalPath != nil { return "a file with an external path (data-file.external-paths)" }
        if !file.extraFiles.allSatisfy({ $0 == "\(file.fileName).index" }) { return "a file with extra files besides its index" }
        if file.writeCols != nil { return "a file of some columns only (data evolution, write-cols)" }
        if file.firstRowId != nil { return "a file with row ids (row tracking)" }
        if !file.fileName.lowercased().hasSuffix(".parquet") { return "a file not in Parquet (\(file.fileName))" }
        if !primaryKey && file.level != 0 { return "an append file at level \(file.level)" }
        if !primaryKey && (file.deleteRowCount ?? 0) != 0 { return "an append file with deleted rows" }
        return nil
    }

    /// The files a compaction of a bucket takes, why, and (primary-key buckets) the level they are merged into.
    struct Picked {
        var reason: String
        var files: [PaimonManifestEntry]
        var outputLevel: Int? = nil
    }

    /// `auto` for Paimon: `full` once `full-compaction.delta-commits` delta commits were made since the newest
    /// snapshot Paimon's `FullCompactedStartingScanner` counts as fully compacted, else `minor`. Without the option,
    /// `minor`. Snapshots already expired end the count.
    static func autoLevel(_ table: PaimonTable, head: Int64, _ options: PaimonOptions) async throws(PaimonError) -> String {
        guard let deltaCommits = options.fullCompactionDeltaCommits else { return "minor" }
        guard deltaCommits >= 1 else { throw .invalidFile("options", "full-compaction.delta-commits=\(deltaCommits) must be at least 1") }
        let ids = try await table.snapshotFiles().map(\.id).filter { $0 <= head }
        var commits = 0
        for id in ids.reversed() {
            let snapshot = try await table.snapshot(id)
            if snapshot.commitKind == .compact, isFullCompacted(snapshot.commitIdentifier, deltaCommits: deltaCommits) { break }
            if snapshot.commitKind == .append || snapshot.commitKind == .overwrite { commits += 1 }
            if commits >= deltaCommits { return "full" }
        }
        return "minor"
    }

    /// Paimon's `isFullCompactedIdentifier`.
    package static func isFullCompacted(_ identifier: Int64, deltaCommits: Int) -> Bool {
        identifier == Int64.max || (deltaCommits >= 1 && identifier % Int64(deltaCommits) == 0)
    }

    /// A primary-key bucket: the runs universal compaction picks (`minor`; `major` also forces level-0 files up),
    /// or every run into the top level (`full`; and with `topLevelOnly`, whatever is picked). A pick whose files span
    /// several schemas, and a bucket with files above the top level (`num-levels` lowered since), are left alone.
    static func primaryKey(_ entries: [PaimonManifestEntry], _ settings: PaimonUniversalCompaction.Settings, level: String,
        forceUpLevel0: Bool, topLevelOnly: Bool) -> [Picked]
    {
        guard entries.allSatisfy({ $0.file.level <= settings.topLevel }) else { return [] }
        let runs = PaimonUniversalCompaction.runs(entries)
        var pick = level == "full" ? PaimonUniversalCompaction.full(runs, settings)
            : PaimonUniversalCompaction.pick(runs, settings, forceUpLevel0: forceUpLevel0 || level == "major")
        // Below the top level Paimon's first-row rewriter looks keys up in the deeper levels, and a deletion-vector
        // table's index file holds the vectors of the whole bucket; amoro merges every run.
        if topLevelOnly, let partial = pick, partial.outputLevel != settings.topLevel {
            pick = PaimonUniversalCompaction.full(runs, settings).map { full in
                var full = full
                full.reason = "\(partial.reason); merged into the top level only: every run"
                return full
            }
        }
        guard let pick else { return [] }
        let files = runs.prefix(pick.runCount).flatMap(\.files)
        guard Set(files.map(\.file.schemaId)).count == 1 else { return [] }
        return [Picked(reason: pick.reason, files: files, outputLevel: pick.outputLevel)]
    }

    static func unaware(_ entries: [PaimonManifestEntry], _ options: PaimonOptions) -> [Picked] {
        var tasks: [Picked] = []
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
                    tasks.append(Picked(reason: "bin reached twice target-file-size", files: bin))
                    bin = []
                    total = 0
                }
            }
            if bin.count >= options.compactionMinFileNum {
                tasks.append(Picked(reason: "\(bin.count) small files, compaction.min.file-num \(options.compactionMinFileNum)", files: bin))
            }
        }
        return tasks
    }

    static func bucketed(_ entries: [PaimonManifestEntry], _ options: PaimonOptions) -> [Picked] {
        let ordered = entries.sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
        var tasks: [Picked] = []
        var window: [PaimonManifestEntry] = []
        var total: Int64 = 0
        func close() {
            if window.count >= max(2, options.compactionMinFileNum) {
                tasks.append(Picked(
                    reason: "\(window.count) consecutive files below target-file-size, compaction.min.file-num \(options.compactionMinFileNum)",
                    files: window))
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
                tasks.append(Picked(reason: "compaction.max.file-num \(options.compactionMaxFileNum) reached", files: window))
                window = []
                total = 0
            }
        }
        close()
        return tasks
    }

    static func full(_ entries: [PaimonManifestEntry], _ options: PaimonOptions) -> [Picked] {
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
        return runs.filter { $0.count >= fullCompactMinFiles }.map {
            Picked(reason: "full compaction: \($0.count) files below the compaction file size", files: $0)
        }
    }

    /// The files of each schema id, in ascending schema order.
    static func bySchema(_ entries: [PaimonManifestEntry]) -> [[PaimonManifestEntry]] {
        Dictionary(grouping: entries, by: \.file.schemaId).sorted { $0.key < $1.key }.map(\.value)
    }
}
