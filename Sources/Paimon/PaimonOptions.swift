/// A table's options with Paimon's defaults (`CoreOptions`), for what scanning and maintenance decide by. Values
/// are Paimon's text forms: durations (`1 h`, `30min`, `7d`, `500 ms`) and memory sizes (`128 mb`, `256MB`).
package struct PaimonOptions: Sendable, Equatable {
    /// `bucket`: -1 for dynamic (primary-key) or unaware (append) buckets, else the fixed count.
    package var bucket: Int
    package var hasPrimaryKey: Bool
    package var mergeEngine: String
    package var fileFormat: String
    /// `parquet.block.size`: the row group size in bytes Paimon's Parquet writer is configured with (parquet-java's
    /// block size, 128 MiB).
    package var parquetBlockSize: Int
    package var manifestFormat: String
    /// `target-file-size`: 128 MiB for primary-key tables, 256 MiB for append tables.
    package var targetFileSize: Int64
    package var numSortedRunCompactionTrigger: Int
    package var numSortedRunStopTrigger: Int
    package var compactionMinFileNum: Int
    /// `compaction.max.file-num` (formerly `compaction.early-max.file-num`): an append bucket's run of small files
    /// is compacted at this many files even below the target size (50).
    package var compactionMaxFileNum: Int
    package var fullCompactionDeltaCommits: Int?
    /// Universal compaction of primary-key buckets: `compaction.max-size-amplification-percent` (200),
    /// `compaction.size-ratio` (1), `compaction.force-up-level-0` (false) and `num-levels` (the run-count trigger
    /// plus one).
    package var maxSizeAmplificationPercent: Int
    package var sizeRatio: Int
    package var forceUpLevel0: Bool
    package var numLevels: Int
    package var deletionVectorsEnabled: Bool
    package var changelogProducer: String
    package var partitionDefaultName: String
    package var partitionLegacyName: Bool
    package var snapshotNumRetainedMin: Int
    package var snapshotNumRetainedMax: Int
    package var snapshotTimeRetainedMs: Int64
    package var snapshotExpireLimit: Int
    package var snapshotCleanEmptyDirectories: Bool
    /// `changelog.num-retained.min`, `changelog.num-retained.max`, `changelog.time-retained`: nil when unset, and
    /// then the snapshot's value applies (Paimon's `ExpireConfig`), whatever replaced it for the run.
    package var changelogNumRetainedMin: Int?
    package var changelogNumRetainedMax: Int?
    package var changelogTimeRetainedMs: Int64?
    /// `consumer.expiration-time`: consumer files not modified for longer are deleted before snapshots expire (as
    /// Paimon's writer does after each commit); nil keeps them all.
    package var consumerExpirationMs: Int64?
    /// `consumer.changelog-only`: consumers hold only changelogs, not snapshots (effective when decoupled).
    package var consumerChangelogOnly: Bool

    package init(_ options: [String: String], hasPrimaryKey: Bool) throws(PaimonError) {
        self.hasPrimaryKey = hasPrimaryKey
        func int(_ key: String, _ fallback: Int) throws(PaimonError) -> Int {
            guard let text = options[key] else { return fallback }
            guard let value = Int(text.trimmingCharactersInSpaces()) else { throw .invalidFile("options", "\(key)=\(text) is not an integer") }
            return value
        }
        func duration(_ key: String, _ fallback: Int64) throws(PaimonError) -> Int64 {
            guard let text = options[key] else { return fallback }
            guard let value = Self.durationMs(text) else { throw .invalidFile("options", "\(key)=\(text) is not a duration") }
            return value
        }
        func bool(_ key: String, _ fallback: Bool) -> Bool { options[key].map { $0.lowercased() == "true" } ?? fallback }
        bucket = try int("bucket", -1)
        mergeEngine = options["merge-engine"] ?? "deduplicate"
        fileFormat = options["file.format"] ?? "parquet"
        manifestFormat = options["manifest.format"] ?? "avro"
        parquetBlockSize = try int("parquet.block.size", 128 << 20)
        if parquetBlockSize < 1 { throw .invalidFile("options", "parquet.block.size must be at least 1") }
        if let text = options["target-file-size"] {
            guard let size = Self.bytes(text) else { throw .invalidFile("options", "target-file-size=\(text) is not a size") }
            targetFileSize = size
        } else {
            targetFileSize = hasPrimaryKey ? 128 << 20 : 256 << 20
        }
        numSortedRunCompactionTrigger = try int("num-sorted-run.compaction-trigger", 5)
        // `CoreOptions.numSortedRunStopTrigger`: never below the compaction trigger.
        func plus(_ value: Int, _ more: Int) -> Int { value.addingReportingOverflow(more).overflow ? .max : value + more }
        numSortedRunStopTrigger = max(numSortedRunCompactionTrigger, try int("num-sorted-run.stop-trigger", plus(numSortedRunCompactionTrigger, 3)))
        compactionMinFileNum = try int("compaction.min.file-num", 5)
        compactionMaxFileNum = try int("compaction.max.file-num", try int("compaction.early-max.file-num", 50))
        fullCompactionDeltaCommits = options["full-compaction.delta-commits"] == nil ? nil : try int("full-compaction.delta-commits", 0)
        maxSizeAmplificationPercent = try int("compaction.max-size-amplification-percent", 200)
        sizeRatio = try int("compaction.size-ratio", 1)
        forceUpLevel0 = bool("compaction.force-up-level-0", false)
        numLevels = try int("num-levels", plus(numSortedRunCompactionTrigger, 1))
        deletionVectorsEnabled = bool("deletion-vectors.enabled", false)
        changelogProducer = options["changelog-producer"] ?? "none"
        partitionDefaultName = options["partition.default-name"] ?? "__DEFAULT_PARTITION__"
        partitionLegacyName = bool("partition.legacy-name", true)
        snapshotNumRetainedMin = try int("snapshot.num-retained.min", 10)
        snapshotNumRetainedMax = try int("snapshot.num-retained.max", Int(Int32.max))
        snapshotTimeRetainedMs = try duration("snapshot.time-retained", 3_600_000)
        snapshotExpireLimit = try int("snapshot.expire.limit", 50)
        snapshotCleanEmptyDirectories = bool("snapshot.clean-empty-directories", false)
        changelogNumRetainedMin = options["changelog.num-retained.min"] == nil ? nil : try int("changelog.num-retained.min", 0)
        changelogNumRetainedMax = options["changelog.num-retained.max"] == nil ? nil : try int("changelog.num-retained.max", 0)
        changelogTimeRetainedMs = options["changelog.time-retained"] == nil ? nil : try duration("changelog.time-retained", 0)
        consumerExpirationMs = options["consumer.expiration-time"] == nil ? nil : try duration("consumer.expiration-time", 0)
        consumerChangelogOnly = bool("consumer.changelog-only", false)
        if snapshotNumRetainedMin < 1 { throw .invalidFile("options", "snapshot.num-retained.min must be at least 1") }
        if snapshotNumRetainedMax < snapshotNumRetainedMin {
            throw .invalidFile("options", "snapshot.num-retained.max must not be below snapshot.num-retained.min")
        }
        if snapshotExpireLimit < 1 { throw .invalidFile("options", "snapshot.expire.limit must be at least 1") }
        if let min = changelogNumRetainedMin, min < 1 { throw .invalidFile("options", "changelog.num-retained.min must be at least 1") }
        if (changelogNumRetainedMax ?? snapshotNumRetainedMax) < (changelogNumRetainedMin ?? snapshotNumRetainedMin) {
            throw .invalidFile("options", "changelog.num-retained.max must not be below changelog.num-retained.min")
        }
    }

    /// Files below this size join compactions (`CoreOptions.compactionFileSize`: 70% of `target-file-size`).
    package var compactionFileSize: Int64 { targetFileSize / 10 * 7 }

    /// Changelogs outlive their snapshots (decoupled) when any changelog retention exceeds the snapshot's
    /// (`CoreOptions.changelogLifecycleDecoupled`).
    package var changelogDecoupled: Bool {
        (changelogNumRetainedMax ?? snapshotNumRetainedMax) > snapshotNumRetainedMax
            || (changelogTimeRetainedMs ?? snapshotTimeRetainedMs) > snapshotTimeRetainedMs
            || (changelogNumRetainedMin ?? snapshotNumRetainedMin) > snapshotNumRetainedMin
    }

    /// Paimon's duration text (`TimeUtils.parseDuration`): a number and a unit (ms, s, min, h, d; long names too);
    /// a bare number is milliseconds. nil when malformed or out of range.
    package static func durationMs(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharactersInSpaces().lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let unit = String(trimmed.dropFirst(digits.count)).trimmingCharactersInSpaces()
        let factor: Int64
        switch unit {
        case "", "ms", "milli", "millis", "millisecond", "milliseconds": factor = 1
        case "s", "sec", "secs", "second", "seconds": factor = 1000
        case "m", "min", "mins", "minute", "minutes": factor = 60_000
        case "h", "hour", "hours": factor = 3_600_000
        case "d", "day", "days": factor = 86_400_000
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// Paimon's memory size text (`MemorySize.parse`): a number and a unit (b, k/kb, m/mb, g/gb, t/tb, any
    /// case); a bare number is bytes.
    package static func bytes(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharactersInSpaces().lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let unit = String(trimmed.dropFirst(digits.count)).trimmingCharactersInSpaces()
        let shift: Int64
        switch unit {
        case "", "b", "bytes": shift = 0
        case "k", "kb", "kibibytes": shift = 10
        case "m", "mb", "mebibytes": shift = 20
        case "g", "gb", "gibibytes": shift = 30
        case "t", "tb", "tebibytes": shift = 40
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: Int64(1) << shift)
        return overflow ? nil : product
    }
}
