import IcebergSpec

/// Apache Amoro's per-partition evaluation (`CommonPartitionEvaluator`): classifies each live data file of a
/// partition as a fragment, an undersized segment or a segment, decides what would be rewritten, counts the
/// deletes involved, and says whether minor, major or full optimizing is necessary and why.
///
/// Files are added one by one as a scan streams them; only counters and the partition's delete paths are kept.
package struct PartitionEvaluator: Sendable {
    /// A delete file as the evaluator sees it.
    package struct Delete: Sendable {
        package var path: String
        package var kind: Kind
        package var recordCount: Int64
        package var sizeInBytes: Int64
        /// The delete's data sequence number.
        package var sequenceNumber: Int64

        package enum Kind: String, Sendable { case position, equality, deletionVector = "deletion-vector" }

        package init(path: String, kind: Kind, recordCount: Int64, sizeInBytes: Int64, sequenceNumber: Int64 = 0) {
            self.path = path
            self.kind = kind
            self.recordCount = recordCount
            self.sizeInBytes = sizeInBytes
            self.sequenceNumber = sequenceNumber
        }
    }

    /// A data file as planning needs it, with what the evaluator decided for it.
    package struct Candidate: Sendable {
        package enum Role: String, Sendable {
            /// Rewritten into new data files (a fragment, or a segment that should be rewritten).
            case rewrite
            /// Kept; its deletes are re-expressed as one position-delete file of its own.
            case rewritePositions = "rewrite-positions"
            /// An undersized segment waiting for a partner to share a target-size file.
            case undersized
            /// Left alone; its deletes stay (read-only for tasks that share them).
            case kept
        }

        package var path: String
        package var sizeInBytes: Int64
        package var recordCount: Int64
        package var sequenceNumber: Int64
        package var deletes: [Delete]
        package var role: Role
    }

    /// Files and bytes of one class.
    package struct Tally: Sendable, Equatable {
        package var files = 0
        package var bytes: Int64 = 0
        package var records: Int64 = 0

        mutating func add(bytes: Int64, records: Int64) {
            files += 1
            self.bytes = self.bytes.saturatingAdd(bytes)
            self.records = self.records.saturatingAdd(records)
        }
    }

    package let config: OptimizingConfig
    /// Whether full optimizing applies to this partition (its interval has passed, or a full run was asked for).
    package let fullMode: Bool
    /// Every data file with its role, when built to plan (`collectFiles`); empty otherwise.
    package private(set) var candidates: [Candidate] = []
    private let collectFiles: Bool
    package let planTimeMs: Int64
    package let lastMinorMs: Int64?
    /// How early a trigger interval may be taken (half the period of a scheduled run; 0 otherwise).
    private let triggerSlackMs: Int64

    // Every live data file by class.
    package private(set) var fragments = Tally()
    package private(set) var undersizedSegments = Tally()
    package private(set) var segments = Tally()
    // What the evaluator added for rewriting.
    package private(set) var rewriteData = Tally()
    package private(set) var rewritePositionSegments = Tally()
    package private(set) var pendingUndersized = Tally()
    /// Segments rewritten because their position deletes pass the duplicate ratio.
    package private(set) var rewriteSegments = Tally()
    /// Segments with two or more position-delete files.
    package private(set) var combinePositionSegments = 0
    /// The highest position-delete ratio (deleted ÷ records) among segments.
    package private(set) var maxSegmentDeleteRatio = 0.0
    private var smallestUndersized: [Int64] = []

    // Deletes, distinct by path: those counted with added files, and all that apply in the partition.
    private var countedDeletes: [String: Delete] = [:]
    private var allDeletes: [String: Delete] = [:]
    // Health inputs over the files the evaluator added.
    private var health = Tally()
    private var healthEqualityRecords: Int64 = 0
    private var healthPositionRecords: Int64 = 0

    /// `forceFull` evaluates as if the full-optimizing interval had passed (`amoro plan --level full`);
    /// `collectFiles` keeps every file with its role for planning; `triggerSlackMs` counts a trigger interval as
    /// passed when it falls due within that many milliseconds of the plan time (a scheduled run,
    /// `amoro plan --scheduled-every`).
    package init(
        config: OptimizingConfig, planTimeMs: Int64, lastMinorMs: Int64?, lastFullMs: Int64?, forceFull: Bool = false,
        collectFiles: Bool = false, triggerSlackMs: Int64 = 0
    ) {
        self.config = config
        self.planTimeMs = planTimeMs
        self.lastMinorMs = lastMinorMs
        self.collectFiles = collectFiles
        self.triggerSlackMs = max(0, triggerSlackMs)
        fullMode = forceFull
            || Self.intervalPassed(config.fullTriggerIntervalMs, since: lastFullMs, at: planTimeMs, slack: self.triggerSlackMs)
    }

    /// Whether a trigger interval (negative: off) has passed since `last` (nil: never) at `now`, less `slack`. The
    /// times come from the table's snapshots and properties, so the arithmetic saturates.
    static func intervalPassed(_ interval: Int64, since last: Int64?, at now: Int64, slack: Int64) -> Bool {
        interval >= 0 && now.saturatingSubtract(last ?? 0) > interval.saturatingSubtract(slack)
    }

    /// Adds one live data file with the deletes that apply to it.
    package mutating func add(path: String, sizeInBytes: Int64, recordCount: Int64, deletes: [Delete], sequenceNumber: Int64 = 0) {
        for delete in deletes { allDeletes[delete.path] = delete }
        guard config.enabled else {
            record(path, sizeInBytes, recordCount, sequenceNumber, deletes, .kept)
            return
        }
        let positionRecords = deletes.filter { $0.kind != .equality }.saturatingSum(\.recordCount)
        let added: Bool
        var role = Candidate.Role.kept
        if sizeInBytes <= config.fragmentSize {
            fragments.add(bytes: sizeInBytes, records: recordCount)
            rewriteData.add(bytes: sizeInBytes, records: recordCount)
            role = .rewrite
            added = true
        } else if sizeInBytes <= config.minTargetSize {
            undersizedSegments.add(bytes: sizeInBytes, records: recordCount)
            if shouldRewrite(sizeInBytes: sizeInBytes, recordCount: recordCount, positionRecords: positionRecords, deletes: deletes) {
                rewriteData.add(bytes: sizeInBytes, records: recordCount)
                role = .rewrite
            } else {
                pendingUndersized.add(bytes: sizeInBytes, records: recordCount)
                smallestUndersized = Array((smallestUndersized + [sizeInBytes]).sorted().prefix(2))
                role = .undersized
            }
            added = true
        } else {
            segments.add(bytes: sizeInBytes, records: recordCount)
            if recordCount > 0 { maxSegmentDeleteRatio = max(maxSegmentDeleteRatio, Double(positionRecords) / Double(recordCount)) }
            let positionFiles = deletes.filter { $0.kind != .equality }.count
            if positionFiles >= 2 { combinePositionSegments += 1 }
            if shouldRewrite(sizeInBytes: sizeInBytes, recordCount: recordCount, positionRecords: positionRecords, deletes: deletes) {
                rewriteData.add(bytes: sizeInBytes, records: recordCount)
                if !fullMode { rewriteSegments.add(bytes: sizeInBytes, records: recordCount) }
                role = .rewrite
                added = true
            } else if Self.shouldRewritePositions(path: path, deletes: deletes) {
                rewritePositionSegments.add(bytes: sizeInBytes, records: recordCount)
                role = .rewritePositions
                added = true
            } else {
                added = false  // its deletes stay as they are (reserved)
            }
        }
        record(path, sizeInBytes, recordCount, sequenceNumber, deletes, role)
        guard added else { return }
        for delete in deletes { countedDeletes[delete.path] = delete }
        health.add(bytes: sizeInBytes, records: recordCount)
        healthEqualityRecords = deletes.filter { $0.kind == .equality }
            .reduce(healthEqualityRecords) { $0.saturatingAdd($1.recordCount) }
        healthPositionRecords = healthPositionRecords.saturatingAdd(positionRecords)
    }

    /// Amoro's `fileShouldRewrite` for a non-fragment file.
    private func shouldRewrite(sizeInBytes: Int64, recordCount: Int64, positionRecords: Int64, deletes: [Delete]) -> Bool {
        if fullMode {
            return config.fullRewriteAllFiles || !deletes.isEmpty || sizeInBytes <= config.minTargetSize
        }
        return Double(positionRecords) > Double(recordCount) * config.majorTriggerDuplicateRatio
    }

    private mutating func record(
        _ path: String, _ size: Int64, _ records: Int64, _ sequenceNumber: Int64, _ deletes: [Delete], _ role: Candidate.Role
    ) {
        guard collectFiles else { return }
        candidates.append(Candidate(path: path, sizeInBytes: size, recordCount: records, sequenceNumber: sequenceNumber,
            deletes: deletes, role: role))
    }

    /// Amoro's `segmentShouldRewritePos`: merge several position deletes, turn equality deletes into position
    /// deletes, or adopt one position-delete file that Amoro did not write. A deletion vector is already the
    /// compact per-file form and is left alone.
    package static func shouldRewritePositions(path: String, deletes: [Delete]) -> Bool {
        let positions = deletes.filter { $0.kind != .equality }
        if positions.count >= 2 { return true }
        if deletes.contains(where: { $0.kind == .equality }) { return true }
        if let only = positions.first, only.kind == .position, !Self.isAmoroPositionDelete(only.path, for: path) { return true }
        return false
    }

    /// Amoro names its per-file position deletes `<data file name without extension>-delete-<suffix>`.
    static func isAmoroPositionDelete(_ deletePath: String, for dataPath: String) -> Bool {
        let dataName = dataPath.split(separator: "/").last.map(String.init) ?? dataPath
        let stem = dataName.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        let deleteName = deletePath.split(separator: "/").last.map(String.init) ?? deletePath
        return !stem.isEmpty && deleteName.hasPrefix(stem + "-delete-")
    }

    // MARK: - Results

    /// Delete-file totals: those counted with rewritten files, and all in the partition.
    package func deleteTally(_ kind: Delete.Kind, countedOnly: Bool = false) -> Tally {
        var tally = Tally()
        for delete in (countedOnly ? countedDeletes : allDeletes).values where delete.kind == kind {
            tally.add(bytes: delete.sizeInBytes, records: delete.recordCount)
        }
        return tally
    }

    /// The level this partition needs, if any, with every trigger that holds, named as Amoro names them.
    package var pending: (level: OptimizingLevel, reasons: [String])? {
        guard config.enabled else { return nil }
        let equalityFiles = deleteTally(.equality, countedOnly: true).files
        if fullMode {
            var reasons: [String] = []
            if !countedDeletes.isEmpty { reasons.append("full: \(countedDeletes.count) delete files") }
            if fragments.files >= 2 { reasons.append("full: \(fragments.files) fragment files") }
            if undersizedSegments.files >= 2 { reasons.append("full: \(undersizedSegments.files) undersized segments") }
            if rewriteData.files > fragments.files { reasons.append("full: \(rewriteData.files - fragments.files) segments to rewrite") }
            if rewritePositionSegments.files > 0 { reasons.append("full: \(rewritePositionSegments.files) segments to re-delete") }
            // A lone clean file is never rewritten.
            if rewriteData.files + rewritePositionSegments.files <= 1 && countedDeletes.isEmpty { return nil }
            return reasons.isEmpty ? nil : (.full, reasons)
        }
        var major: [String] = []
        if rewriteSegments.files > 0 {
            major.append("major.trigger.duplicate-ratio: \(rewriteSegments.files) segments with position deletes over \(config.majorTriggerDuplicateRatio) of their records")
        }
        if pendingUndersized.bytes >= config.targetSize && smallestUndersized.count == 2
            && smallestUndersized[0] + smallestUndersized[1] <= config.targetSize
        {
            major.append("undersized segments: \(pendingUndersized.files) files, \(pendingUndersized.bytes) bytes reach target-size")
        }
        var minor: [String] = []
        let smallFiles = fragments.files + equalityFiles
        if smallFiles >= config.minorTriggerFileCount {
            minor.append("minor.trigger.file-count: \(fragments.files) fragments + \(equalityFiles) equality-delete files ≥ \(config.minorTriggerFileCount)")
        }
        if smallFiles > 1
            && Self.intervalPassed(config.minorTriggerIntervalMs, since: lastMinorMs, at: planTimeMs, slack: triggerSlackMs)
        {
            let since = lastMinorMs.map { "\(planTimeMs.saturatingSubtract($0)) ms since the last minor" } ?? "never optimized"
            let slack = triggerSlackMs > 0 ? " - \(triggerSlackMs) ms of schedule slack" : ""
            minor.append("minor.trigger.interval: \(smallFiles) small files and \(since) > \(config.minorTriggerIntervalMs) ms\(slack)")
        }
        if combinePositionSegments > 0 {
            minor.append("position deletes: \(combinePositionSegments) segments with 2 or more position-delete files")
        }
        if !major.isEmpty { return (.major, major + minor) }
        if !minor.isEmpty { return (.minor, minor) }
        return nil
    }

    /// Amoro's partition cost: what planning orders partitions by, highest first.
    package var cost: Int64 {
        let position = deleteTally(.position, countedOnly: true)
        let vectors = deleteTally(.deletionVector, countedOnly: true)
        let equality = deleteTally(.equality, countedOnly: true)
        let rewritten = rewriteData.bytes.saturatingAdd(pendingUndersized.bytes)
        let files = rewriteData.files + pendingUndersized.files + rewritePositionSegments.files + position.files
            + vectors.files + equality.files
        return [rewritten, rewritePositionSegments.bytes / 10, position.bytes, vectors.bytes, equality.bytes,
            Int64(files).saturatingMultiply(config.openFileCost)].reduce(rewritten) { $0.saturatingAdd($1) }
    }

    /// Amoro's health components for this partition (small files 0-40, equality deletes 0-40, position deletes
    /// 0-20), or nil when the evaluator added no file here.
    package var healthComponents: HealthScore.Components? {
        guard health.files > 0 else { return nil }
        return HealthScore.components(
            files: health.files, bytes: health.bytes, records: health.records, equalityDeleteRecords: healthEqualityRecords,
            positionDeleteRecords: healthPositionRecords, config: config)
    }
}

/// The optimizing levels, weakest first.
package enum OptimizingLevel: String, Sendable, Comparable, CaseIterable, Codable {
    case minor, major, full

    private var rank: Int {
        switch self {
        case .minor: 0
        case .major: 1
        case .full: 2
        }
    }

    package static func < (lhs: OptimizingLevel, rhs: OptimizingLevel) -> Bool { lhs.rank < rhs.rank }
}
