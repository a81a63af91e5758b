import IcebergSpec
import Paimon

/// Paimon's universal compaction of one primary-key bucket (`UniversalCompaction`, `ForceUpLevel0Compaction`,
/// `CompactStrategy.pickFullCompaction`): the bucket's sorted runs, newest first (each level-0 file one run, ordered
/// by maximum sequence number descending, then minimum sequence number, then file name; then each non-empty level
/// 1...top one run), and which prefix of them a compaction takes into which level.
///
/// Picks are tried in Paimon's order: size amplification (every run but the oldest, against the oldest, above
/// `compaction.max-size-amplification-percent`: everything to the top), size ratio (runs added while the next is
/// not bigger than the candidates by more than `compaction.size-ratio` percent), and the run count (more runs than
/// `num-sorted-run.compaction-trigger`: at least the surplus). A prefix goes to the level just above the first run it
/// leaves out, never to level 0 (it then grows to the next non-zero level), and to the top when it is every run.
package enum PaimonUniversalCompaction {
    package struct Run: Equatable {
        package var level: Int
        package var files: [PaimonManifestEntry]
        package var size: Int64 { files.reduce(Int64(0)) { $0.saturatingAdd($1.file.fileSize) } }
    }

    package struct Pick: Equatable {
        /// How many runs from the newest the compaction takes.
        package var runCount: Int
        package var outputLevel: Int
        package var reason: String
    }

    package struct Settings: Equatable {
        package var maxSizeAmplificationPercent: Int
        package var sizeRatio: Int
        package var runTrigger: Int
        /// `num-levels` - 1: where full compactions go and where retractions may be dropped.
        package var topLevel: Int

        /// The settings of a table's options; values Paimon would not accept either are refused.
        package init(_ options: PaimonOptions) throws(PaimonError) {
            guard options.maxSizeAmplificationPercent >= 0, options.sizeRatio >= 0 else {
                throw .invalidFile("options", "compaction.max-size-amplification-percent and compaction.size-ratio must not be negative")
            }
            guard options.numSortedRunCompactionTrigger >= 1 else {
                throw .invalidFile("options", "num-sorted-run.compaction-trigger must be at least 1")
            }
            guard options.numLevels >= 2, options.numLevels <= 1000 else {
                throw .invalidFile("options", "num-levels=\(options.numLevels) is outside 2...1000")
            }
            maxSizeAmplificationPercent = options.maxSizeAmplificationPercent
            sizeRatio = options.sizeRatio
            runTrigger = options.numSortedRunCompactionTrigger
            topLevel = options.numLevels - 1
        }
    }

    /// The sorted runs of a bucket's files, newest first.
    package static func runs(_ entries: [PaimonManifestEntry]) -> [Run] {
        let level0 = entries.filter { $0.file.level == 0 }.sorted { a, b in
            if a.file.maxSequenceNumber != b.file.maxSequenceNumber { return a.file.maxSequenceNumber > b.file.maxSequenceNumber }
            if a.file.minSequenceNumber != b.file.minSequenceNumber { return a.file.minSequenceNumber < b.file.minSequenceNumber }
            return a.file.fileName < b.file.fileName
        }
        let levels = Dictionary(grouping: entries.filter { $0.file.level > 0 }, by: \.file.level).sorted { $0.key < $1.key }
        return level0.map { Run(level: 0, files: [$0]) } + levels.map { Run(level: $0.key, files: $0.value) }
    }

    /// Universal compaction's pick (`minor`); with `forceUpLevel0` (`major`, or `compaction.force-up-level-0`), when
    /// it picks nothing, every level-0 run is still taken out of level 0. Picks that would only rename a file in
    /// place (one file already at the output level) are none, as in Paimon's compact manager.
    package static func pick(_ runs: [Run], _ settings: Settings, forceUpLevel0: Bool) -> Pick? {
        var picked = universal(runs, settings)
        if picked == nil, forceUpLevel0 {
            let level0 = runs.prefix { $0.level == 0 }.count
            if level0 > 0 {
                picked = sizeRatio(runs, settings, candidates: level0, force: true,
                    reason: "\(level0) level-0 files forced up a level")
            }
        }
        guard let picked, !renamesInPlace(runs, picked) else { return nil }
        return picked
    }

    /// Paimon's full compaction: every run to the top, unless the bucket is one run at the top already.
    package static func full(_ runs: [Run], _ settings: Settings) -> Pick? {
        guard !runs.isEmpty, !(runs.count == 1 && runs[0].level == settings.topLevel) else { return nil }
        return Pick(runCount: runs.count, outputLevel: settings.topLevel,
            reason: "full compaction: \(runs.count) sorted runs to level \(settings.topLevel)")
    }

    /// The level Paimon writes a prefix of `runCount` runs to, and the run count after it grows past level 0
    /// (`UniversalCompaction.createUnit`).
    package static func unit(_ runs: [Run], runCount: Int, topLevel: Int) -> (runCount: Int, outputLevel: Int) {
        var count = runCount
        var level = count >= runs.count ? topLevel : max(0, runs[count].level - 1)
        if level == 0 {
            while count < runs.count {
                let next = runs[count]
                count += 1
                if next.level != 0 {
                    level = next.level
                    break
                }
            }
        }
        if count >= runs.count { level = topLevel }
        return (count, level)
    }

    static func universal(_ runs: [Run], _ settings: Settings) -> Pick? {
        guard runs.count >= settings.runTrigger, runs.count > 1 else { return nil }
        // Size amplification: everything newer than the oldest run, against the oldest run.
        let newer = runs.dropLast().reduce(Int64(0)) { $0.saturatingAdd($1.size) }
        let oldest = runs[runs.count - 1].size
        if newer.saturatingMultiply(100) > Int64(settings.maxSizeAmplificationPercent).saturatingMultiply(oldest) {
            return Pick(runCount: runs.count, outputLevel: settings.topLevel,
                reason: "size amplification above \(settings.maxSizeAmplificationPercent)%: \(runs.count) sorted runs to level \(settings.topLevel)")
        }
        if let picked = sizeRatio(runs, settings, candidates: 1, force: false, reason: "size ratio \(settings.sizeRatio)%") {
            return picked
        }
        if runs.count > settings.runTrigger {
            return sizeRatio(runs, settings, candidates: runs.count - settings.runTrigger + 1, force: false,
                reason: "\(runs.count) sorted runs, num-sorted-run.compaction-trigger \(settings.runTrigger)")
        }
        return nil
    }

    /// `pickForSizeRatio`: from `candidates` runs, the next run joins while it is not bigger than the candidates by
    /// more than the size ratio; once a compaction is due, runs of levels 0 and 1 join regardless.
    static func sizeRatio(_ runs: [Run], _ settings: Settings, candidates: Int, force: Bool, reason: String) -> Pick? {
        var count = candidates
        var size = runs.prefix(candidates).reduce(Int64(0)) { $0.saturatingAdd($1.size) }
        var triggered = force || candidates > 1
        while count < runs.count {
            let next = runs[count]
            if Double(size) * (100.0 + Double(settings.sizeRatio)) / 100.0 < Double(next.size), !triggered || next.level > 1 { break }
            size = size.saturatingAdd(next.size)
            count += 1
            triggered = true
        }
        guard triggered else { return nil }
        let unit = unit(runs, runCount: count, topLevel: settings.topLevel)
        return Pick(runCount: unit.runCount, outputLevel: unit.outputLevel,
            reason: "\(reason): \(unit.runCount) of \(runs.count) sorted runs to level \(unit.outputLevel)")
    }

    static func renamesInPlace(_ runs: [Run], _ pick: Pick) -> Bool {
        let files = runs.prefix(pick.runCount).flatMap(\.files)
        return files.count == 1 && files[0].file.level == pick.outputLevel
    }
}
