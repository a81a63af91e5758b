import Iceberg
import IcebergSpec
import Paimon
import Storage

/// The health of a Paimon table at its latest snapshot, per partition and bucket: data files and bytes, small
/// files, levels and sorted runs (primary-key tables), deleted rows and deletion vectors, changelog files, the
/// snapshots kept and their ages, and what compaction Paimon's own triggers would run. Read-only.
package struct PaimonHealth: Sendable, Equatable {
    package struct Bucket: Sendable, Equatable {
        /// The partition's directory (`dt=2024-05-01/hr=3`; empty when unpartitioned).
        package var partition: String
        package var bucket: Int
        package var files: Int
        package var bytes: Int64
        package var records: Int64
        /// Files below Paimon's compaction file size (70% of `target-file-size`).
        package var smallFiles: Int
        /// Files per level (primary-key tables; append tables keep everything at level 0).
        package var levels: [Int: Int]
        /// Level-0 files count one run each, every other non-empty level one run.
        package var sortedRuns: Int
        package var deleteRows: Int64
        /// Data files a deletion vector deletes rows of, and the rows deleted.
        package var deletionVectorFiles: Int
        package var deletionVectorRows: Int64
        /// The compaction Paimon would run here, and why; nil when none is due.
        package var pending: (kind: String, reason: String)?

        package init(partition: String, bucket: Int, files: Int, bytes: Int64, records: Int64, smallFiles: Int,
            levels: [Int: Int], sortedRuns: Int, deleteRows: Int64, deletionVectorFiles: Int, deletionVectorRows: Int64,
            pending: (kind: String, reason: String)?)
        {
            self.partition = partition
            self.bucket = bucket
            self.files = files
            self.bytes = bytes
            self.records = records
            self.smallFiles = smallFiles
            self.levels = levels
            self.sortedRuns = sortedRuns
            self.deleteRows = deleteRows
            self.deletionVectorFiles = deletionVectorFiles
            self.deletionVectorRows = deletionVectorRows
            self.pending = pending
        }

        package static func == (lhs: Bucket, rhs: Bucket) -> Bool {
            lhs.partition == rhs.partition && lhs.bucket == rhs.bucket && lhs.files == rhs.files && lhs.bytes == rhs.bytes
                && lhs.records == rhs.records && lhs.smallFiles == rhs.smallFiles && lhs.levels == rhs.levels
                && lhs.sortedRuns == rhs.sortedRuns && lhs.deleteRows == rhs.deleteRows
                && lhs.deletionVectorFiles == rhs.deletionVectorFiles && lhs.deletionVectorRows == rhs.deletionVectorRows
                && lhs.pending?.kind == rhs.pending?.kind && lhs.pending?.reason == rhs.pending?.reason
        }
    }

    package struct SnapshotInfo: Sendable, Equatable {
        package var id: Int64
        package var commitKind: String
        package var timeMillis: Int64
        package var totalRecordCount: Int64?

        package init(id: Int64, commitKind: String, timeMillis: Int64, totalRecordCount: Int64?) {
            self.id = id
            self.commitKind = commitKind
            self.timeMillis = timeMillis
            self.totalRecordCount = totalRecordCount
        }
    }

    package var catalog: String
    package var table: String
    package var location: String
    package var scannedAtMs: Int64
    package var schemaId: Int64
    package var primaryKeys: [String]
    package var partitionKeys: [String]
    package var options: PaimonOptions
    package var snapshot: SnapshotInfo?
    package var snapshotCount: Int
    package var earliestSnapshot: SnapshotInfo?
    package var tags: Int
    package var consumers: Int
    package var branches: Int
    /// Changelog files the retained snapshots reach (`changelog-producer` tables).
    package var changelogFiles: Int
    package var changelogBytes: Int64
    package var buckets: [Bucket]

    package init(catalog: String, table: String, location: String, scannedAtMs: Int64, schemaId: Int64, primaryKeys: [String],
        partitionKeys: [String], options: PaimonOptions, snapshot: SnapshotInfo?, snapshotCount: Int,
        earliestSnapshot: SnapshotInfo?, tags: Int, consumers: Int, branches: Int, changelogFiles: Int, changelogBytes: Int64,
        buckets: [Bucket])
    {
        self.catalog = catalog
        self.table = table
        self.location = location
        self.scannedAtMs = scannedAtMs
        self.schemaId = schemaId
        self.primaryKeys = primaryKeys
        self.partitionKeys = partitionKeys
        self.options = options
        self.snapshot = snapshot
        self.snapshotCount = snapshotCount
        self.earliestSnapshot = earliestSnapshot
        self.tags = tags
        self.consumers = consumers
        self.branches = branches
        self.changelogFiles = changelogFiles
        self.changelogBytes = changelogBytes
        self.buckets = buckets
    }

    package static func scan(_ table: PaimonTable, catalog: String, name: String, nowMs: Int64) async throws(AmoroError)
        -> PaimonHealth
    {
        do { return try await read(table, catalog: catalog, name: name, nowMs: nowMs) } catch { throw .paimon(error) }
    }

    private static func read(_ table: PaimonTable, catalog: String, name: String, nowMs: Int64) async throws(PaimonError)
        -> PaimonHealth
    {
        let schema = try await table.latestSchema()
        let options = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
        guard options.manifestFormat.lowercased() == "avro" else { throw .unsupported("manifest.format \(options.manifestFormat)") }
        let snapshotFiles = try await table.snapshotFiles()
        var health = PaimonHealth(
            catalog: catalog, table: name, location: table.location, scannedAtMs: nowMs, schemaId: schema.id,
            primaryKeys: schema.primaryKeys, partitionKeys: schema.partitionKeys, options: options, snapshot: nil,
            snapshotCount: snapshotFiles.count, earliestSnapshot: nil, tags: try await table.tags().count,
            consumers: try await table.consumers().count, branches: try await table.branches().count, changelogFiles: 0,
            changelogBytes: 0, buckets: [])
        guard let latestId = snapshotFiles.last?.id else { return health }
        let files = PaimonSnapshotFiles(table: table)
        let latest = try await table.snapshot(latestId)
        health.snapshot = SnapshotInfo(latest)
        health.earliestSnapshot = SnapshotInfo(try await table.snapshot(snapshotFiles[0].id))
        var changelogs = Set<String>()
        for (id, _) in snapshotFiles {
            var snapshot = latest
            if id != latestId { snapshot = try await table.snapshot(id) }
            guard let list = snapshot.changelogManifestList else { continue }
            for entry in try await files.entries(ofList: list) where entry.kind == .add {
                if changelogs.insert("\(entry.partition)/\(entry.bucket)/\(entry.file.fileName)").inserted {
                    health.changelogFiles += 1
                    health.changelogBytes = health.changelogBytes.saturatingAdd(entry.file.fileSize)
                }
            }
        }
        var byBucket: [String: Bucket] = [:]
        var bucketFiles: [String: [PaimonManifestEntry]] = [:]
        var order: [String] = []
        let compactionFileSize = options.targetFileSize / 10 * 7
        for entry in try await files.liveFiles(latest) {
            let path = try PartitionPath.render(entry.partition, types: schema.partitionTypes, options: options)
            let key = "\(path)\u{0}\(entry.bucket)"
            if byBucket[key] == nil {
                order.append(key)
                byBucket[key] = Bucket(partition: path, bucket: entry.bucket, files: 0, bytes: 0, records: 0, smallFiles: 0,
                    levels: [:], sortedRuns: 0, deleteRows: 0, deletionVectorFiles: 0, deletionVectorRows: 0, pending: nil)
            }
            let file = entry.file
            if options.hasPrimaryKey { bucketFiles[key, default: []].append(entry) }
            byBucket[key]!.files += 1
            byBucket[key]!.bytes = byBucket[key]!.bytes.saturatingAdd(file.fileSize)
            byBucket[key]!.records = byBucket[key]!.records.saturatingAdd(file.rowCount)
            byBucket[key]!.deleteRows = byBucket[key]!.deleteRows.saturatingAdd(file.deleteRowCount ?? 0)
            if file.fileSize < compactionFileSize { byBucket[key]!.smallFiles += 1 }
            byBucket[key]!.levels[file.level, default: 0] += 1
        }
        // Vectors that delete nothing (Java writes index files without vectors) are not counted.
        let vectorIndex = try await files.indexFiles(latest).filter { $0.indexType == PaimonDeletionVectors.indexType }
        let deleted = try await PaimonDeletionVectors.cardinalities(vectorIndex, table: table)
        for entry in vectorIndex {
            let path = try PartitionPath.render(entry.partition, types: schema.partitionTypes, options: options)
            let key = "\(path)\u{0}\(entry.bucket)"
            guard byBucket[key] != nil else { continue }
            for vector in entry.deletionVectors {
                guard let rows = deleted[vector.dataFile], rows > 0 else { continue }
                byBucket[key]!.deletionVectorFiles += 1
                byBucket[key]!.deletionVectorRows = byBucket[key]!.deletionVectorRows.saturatingAdd(rows)
            }
        }
        let settings = options.hasPrimaryKey ? try PaimonUniversalCompaction.Settings(options) : nil
        for key in order {
            var bucket = byBucket[key]!
            bucket.sortedRuns = (bucket.levels[0] ?? 0) + bucket.levels.filter { $0.key > 0 && $0.value > 0 }.count
            bucket.pending = pending(bucket, files: bucketFiles[key] ?? [], options: options, settings: settings)
            health.buckets.append(bucket)
        }
        health.buckets.sort { ($0.partition, $0.bucket) < ($1.partition, $1.bucket) }
        return health
    }

    /// Paimon's triggers: a primary-key bucket compacts when universal compaction picks runs in it (and stalls its
    /// writers beyond `num-sorted-run.stop-trigger` runs); an append bucket once `compaction.min.file-num` files are
    /// below the compaction file size.
    static func pending(_ bucket: Bucket, files: [PaimonManifestEntry], options: PaimonOptions, settings: PaimonUniversalCompaction.Settings?)
        -> (kind: String, reason: String)?
    {
        if let settings {
            // Paimon's writers wait for compaction once the runs exceed the stop trigger
            // (`MergeTreeCompactManager.shouldWaitForLatestCompaction`).
            if bucket.sortedRuns > options.numSortedRunStopTrigger {
                return ("minor", "\(bucket.sortedRuns) sorted runs exceed num-sorted-run.stop-trigger \(options.numSortedRunStopTrigger): writes stall")
            }
            let runs = PaimonUniversalCompaction.runs(files)
            return PaimonUniversalCompaction.pick(runs, settings, forceUpLevel0: options.forceUpLevel0).map { ("minor", $0.reason) }
        }
        if bucket.smallFiles >= options.compactionMinFileNum {
            return ("minor", "\(bucket.smallFiles) small files reach compaction.min.file-num \(options.compactionMinFileNum)")
        }
        return nil
    }

    /// Sums over every bucket.
    package var totals: (partitions: Int, files: Int, bytes: Int64, records: Int64, smallFiles: Int, deleteRows: Int64,
        deletionVectorFiles: Int, pendingBuckets: Int)
    {
        var bytes: Int64 = 0
        var records: Int64 = 0
        var deleteRows: Int64 = 0
        var files = 0
        var smallFiles = 0
        var deletionVectorFiles = 0
        var pendingBuckets = 0
        for bucket in buckets {
            bytes = bytes.saturatingAdd(bucket.bytes)
            records = records.saturatingAdd(bucket.records)
            deleteRows = deleteRows.saturatingAdd(bucket.deleteRows)
            files += bucket.files
            smallFiles += bucket.smallFiles
            deletionVectorFiles += bucket.deletionVectorFiles
            if bucket.pending != nil { pendingBuckets += 1 }
        }
        let partitions = Set(buckets.map { $0.partition }).count
        return (partitions, files, bytes, records, smallFiles, deleteRows, deletionVectorFiles, pendingBuckets)
    }
}

extension PaimonHealth.SnapshotInfo {
    init(_ snapshot: PaimonSnapshot) {
        self.init(id: snapshot.id, commitKind: snapshot.commitKindText, timeMillis: snapshot.timeMillis,
            totalRecordCount: snapshot.totalRecordCount)
    }
}
