import Execution
import IcebergSpec
import JSONCoding
import Paimon

/// The `amoro.scan` document (version 1) of a Paimon table (`format: paimon`): its options with Paimon's
/// defaults, latest snapshot, snapshots kept, tags, consumers and branches, totals, and one entry per partition
/// and bucket with files, bytes, records, small files, levels and sorted runs, deleted rows, deletion vectors and
/// the compaction Paimon's triggers would run. Iceberg tables get `ScanDocument` (`format: iceberg`).
package struct PaimonScanDocument: Document {
    package static let kind = "amoro.scan"
    package static let version = 1
    package static let format = "paimon"

    package var health: PaimonHealth

    package init(_ health: PaimonHealth) { self.health = health }

    package var json: JSON {
        let h = health
        let o = h.options
        let t = h.totals
        func snapshot(_ info: PaimonHealth.SnapshotInfo?) -> JSON {
            guard let info else { return .null }
            return .object([
                ("id", .int(info.id)), ("commit_kind", .string(info.commitKind)), ("time_ms", .int(info.timeMillis)),
                ("age_ms", .int(max(0, h.scannedAtMs.saturatingSubtract(info.timeMillis)))),
                ("total_record_count", info.totalRecordCount.map(JSON.int) ?? .null),
            ])
        }
        let options: JSON = .object([
            ("bucket", .int(Int64(o.bucket))), ("merge_engine", .string(o.mergeEngine)), ("file_format", .string(o.fileFormat)),
            ("target_file_size", .int(o.targetFileSize)),
            ("num_sorted_run_compaction_trigger", .int(Int64(o.numSortedRunCompactionTrigger))),
            ("num_sorted_run_stop_trigger", .int(Int64(o.numSortedRunStopTrigger))),
            ("compaction_min_file_num", .int(Int64(o.compactionMinFileNum))),
            ("full_compaction_delta_commits", o.fullCompactionDeltaCommits.map { JSON.int(Int64($0)) } ?? JSON.null),
            ("deletion_vectors_enabled", .bool(o.deletionVectorsEnabled)), ("changelog_producer", .string(o.changelogProducer)),
            ("snapshot_num_retained_min", .int(Int64(o.snapshotNumRetainedMin))),
            ("snapshot_num_retained_max", .int(Int64(o.snapshotNumRetainedMax))),
            ("snapshot_time_retained_ms", .int(o.snapshotTimeRetainedMs)),
        ])
        let totals: JSON = .object([
            ("partitions", .int(Int64(t.partitions))), ("buckets", .int(Int64(h.buckets.count))), ("data_files", .int(Int64(t.files))),
            ("data_bytes", .int(t.bytes)), ("records", .int(t.records)), ("small_files", .int(Int64(t.smallFiles))),
            ("delete_rows", .int(t.deleteRows)), ("deletion_vectors", .int(Int64(t.deletionVectorFiles))),
            ("changelog_files", .int(Int64(h.changelogFiles))), ("changelog_bytes", .int(h.changelogBytes)),
            ("pending_buckets", .int(Int64(t.pendingBuckets))),
        ])
        var buckets: [JSON] = []
        for b in h.buckets {
            let levels: [(String, JSON)] = b.levels.keys.sorted().map { level in (String(level), JSON.int(Int64(b.levels[level] ?? 0))) }
            var pending = JSON.null
            if let due = b.pending { pending = .object([("kind", .string(due.kind)), ("reason", .string(due.reason))]) }
            buckets.append(.object([
                ("partition", .string(b.partition)), ("bucket", .int(Int64(b.bucket))), ("data_files", .int(Int64(b.files))),
                ("data_bytes", .int(b.bytes)), ("records", .int(b.records)), ("small_files", .int(Int64(b.smallFiles))),
                ("levels", .object(levels)), ("sorted_runs", .int(Int64(b.sortedRuns))), ("delete_rows", .int(b.deleteRows)),
                ("deletion_vectors", .int(Int64(b.deletionVectorFiles))), ("deletion_vector_rows", .int(b.deletionVectorRows)),
                ("pending", pending),
            ]))
        }
        var members: [(String, JSON)] = [
            ("kind", .string(Self.kind)), ("version", .int(Int64(Self.version))), ("format", .string(Self.format)),
            ("catalog", .string(h.catalog)), ("table", .string(h.table)), ("location", .string(h.location)),
        ]
        members.append(("scanned_at_ms", .int(h.scannedAtMs)))
        members.append(("schema_id", .int(h.schemaId)))
        members.append(("primary_keys", .array(h.primaryKeys.map { JSON.string($0) })))
        members.append(("partition_keys", .array(h.partitionKeys.map { JSON.string($0) })))
        members.append(("options", options))
        members.append(("snapshot", snapshot(h.snapshot)))
        members.append(("snapshots", .object([("count", .int(Int64(h.snapshotCount))), ("earliest", snapshot(h.earliestSnapshot))])))
        members.append(("tags", .int(Int64(h.tags))))
        members.append(("consumers", .int(Int64(h.consumers))))
        members.append(("branches", .int(Int64(h.branches))))
        members.append(("totals", totals))
        members.append(("buckets", .array(buckets)))
        return .object(members)
    }

    package init(json: JSON) throws(DocumentError) {
        let fields = try DocumentFields.document(json, kind: Self.kind, version: Self.version)
        guard try fields.string("format") == Self.format else { throw fields.error("format", "is not \"paimon\"") }
        let o = try fields.object("options")
        var raw: [String: String] = [
            "bucket": String(try o.int("bucket", -2...Int64(Int32.max))), "merge-engine": try o.string("merge_engine"),
            "file.format": try o.string("file_format"), "target-file-size": String(try o.int("target_file_size")),
            "num-sorted-run.compaction-trigger": String(try o.small("num_sorted_run_compaction_trigger")),
            "num-sorted-run.stop-trigger": String(try o.small("num_sorted_run_stop_trigger")),
            "compaction.min.file-num": String(try o.small("compaction_min_file_num")),
            "deletion-vectors.enabled": String(try o.bool("deletion_vectors_enabled")),
            "changelog-producer": try o.string("changelog_producer"),
            "snapshot.num-retained.min": String(try o.int("snapshot_num_retained_min", 1...Int64(Int32.max))),
            "snapshot.num-retained.max": String(try o.int("snapshot_num_retained_max", 1...Int64(Int32.max))),
            "snapshot.time-retained": String(try o.int("snapshot_time_retained_ms")),
        ]
        if let commits = try o.optionalInt("full_compaction_delta_commits") { raw["full-compaction.delta-commits"] = String(commits) }
        let primaryKeys = try fields.strings("primary_keys")
        let options: PaimonOptions
        do { options = try PaimonOptions(raw, hasPrimaryKey: !primaryKeys.isEmpty) } catch {
            throw fields.error("options", "\(error)")
        }
        func snapshot(_ f: DocumentFields?) throws(DocumentError) -> PaimonHealth.SnapshotInfo? {
            guard let f else { return nil }
            return PaimonHealth.SnapshotInfo(id: try f.int("id"), commitKind: try f.string("commit_kind"),
                timeMillis: try f.int("time_ms"), totalRecordCount: try f.optionalInt("total_record_count"))
        }
        let snapshots = try fields.object("snapshots")
        let totals = try fields.object("totals")
        let buckets = try fields.objects("buckets") { (b) throws(DocumentError) -> PaimonHealth.Bucket in
            var levels: [Int: Int] = [:]
            let levelFields = try b.object("levels")
            for key in levelFields.keys {
                guard let level = Int(key), level >= 0 else { throw levelFields.error(key, "is not a level number") }
                levels[level] = try levelFields.small(key)
            }
            let pending = try b.optionalObject("pending")
            return PaimonHealth.Bucket(
                partition: try b.string("partition"), bucket: Int(try b.int("bucket", -2...Int64(Int32.max))),
                files: try b.small("data_files"), bytes: try b.int("data_bytes"), records: try b.int("records"),
                smallFiles: try b.small("small_files"), levels: levels, sortedRuns: try b.small("sorted_runs"),
                deleteRows: try b.int("delete_rows"), deletionVectorFiles: try b.small("deletion_vectors"),
                deletionVectorRows: try b.int("deletion_vector_rows"),
                pending: try pending.map { (p) throws(DocumentError) in (try p.string("kind"), try p.string("reason")) })
        }
        health = PaimonHealth(
            catalog: try fields.string("catalog"), table: try fields.string("table"), location: try fields.string("location"),
            scannedAtMs: try fields.int("scanned_at_ms"), schemaId: try fields.int("schema_id"), primaryKeys: primaryKeys,
            partitionKeys: try fields.strings("partition_keys"), options: options, snapshot: try snapshot(try fields.optionalObject("snapshot")),
            snapshotCount: try snapshots.small("count"), earliestSnapshot: try snapshot(try snapshots.optionalObject("earliest")),
            tags: try fields.small("tags"), consumers: try fields.small("consumers"), branches: try fields.small("branches"),
            changelogFiles: try totals.small("changelog_files"), changelogBytes: try totals.int("changelog_bytes"), buckets: buckets)
    }

    /// The table, its snapshots and totals, then one line per partition and bucket.
    package func rendered() -> String {
        let h = health
        let t = h.totals
        let lines = [
            "\(h.table)  paimon  snapshot \(h.snapshot.map { String($0.id) } ?? "-")  \(h.snapshotCount) snapshots, \(h.tags) tags, \(h.consumers) consumers",
            "\(t.files) data files, \(ByteCount.format(t.bytes)), \(t.records) records in \(h.buckets.count) buckets of \(t.partitions) partitions; \(t.smallFiles) small files, \(t.deletionVectorFiles) deletion vectors, \(h.changelogFiles) changelog files; compaction pending in \(t.pendingBuckets) buckets",
        ]
        var table = TextTable(["partition", "bucket", "files", "bytes", "small", "runs", "pending"])
        for b in h.buckets {
            table.add([
                b.partition.isEmpty ? "(unpartitioned)" : b.partition, String(b.bucket), String(b.files), ByteCount.format(b.bytes),
                String(b.smallFiles), String(b.sortedRuns), b.pending?.reason ?? "-",
            ])
        }
        return (lines + [table.rendered(), ""]).joined(separator: "\n")
    }

    package static func == (lhs: PaimonScanDocument, rhs: PaimonScanDocument) -> Bool { lhs.health == rhs.health }
}
