import Iceberg
import IcebergSpec

/// What `amoro rewrite-deletes` does to one snapshot, decided from its `DeleteSurvey` alone:
///
/// - Data files are grouped by the table's delete layout: per partition (one position-delete file per partition),
///   per data file where every position-delete file names a single data file, and per data file for v3 tables
///   (one deletion vector each).
/// - A group is rewritten when more than one delete file applies to it, when one of them holds entries for data
///   files it no longer applies to (gone, or newer than it), when a v3 group has deletes that are not deletion
///   vectors, or (`--apply`) when one of its data files passes the deleted-row ratio.
/// - Groups sharing a delete file are rewritten together (a global equality delete, a Puffin file of several
///   vectors), so every delete file of a rewritten group applies only to rewritten groups and can be removed: its
///   rows are re-expressed, as positions, in the group's new file (equality deletes included, converted against the
///   data files they hit), or applied by rewriting the data file. A group outside `--partition` keeps all of this
///   from happening to the groups it shares files with.
/// - Delete files that apply to nothing are dropped (`DanglingDeleteCleanup`).
package struct RewriteDeletesPlan: Sendable {
    package enum Layout: String, Sendable {
        case partition
        case dataFile = "data-file"
        case deletionVectors = "deletion-vectors"
    }

    /// What the plan needs besides the survey.
    package struct Inputs: Sendable {
        /// Per delete file path: entries naming data files it does not apply to (absent: none).
        package var deadEntries: [String: Int64] = [:]
        /// Per data file path: deleted rows (needed with `applyRatio`).
        package var deletedRows: [String: Int64] = [:]
        /// With `--apply`: data files with more deleted rows than this share of their rows are rewritten.
        package var applyRatio: Double?
        /// Only partitions whose path contains this text.
        package var partitionFilter: String?
        /// The partition path of a file (`region=eu`, empty when unpartitioned).
        package var partitionPath: @Sendable (DataFile) -> String = { _ in "" }

        package init() {}
    }

    package var layout: Layout
    /// Data files whose deletes move to a new position-delete file or deletion vector, in survey order.
    package var reexpressed: [TableScan.FileTask] = []
    /// Data files rewritten with their deletes applied (`--apply`), in survey order.
    package var applied: [TableScan.FileTask] = []
    /// Delete files removed, sorted by path.
    package var removals: [DanglingDeleteCleanup.Removal] = []

    /// Nothing to commit.
    package var isEmpty: Bool { removals.isEmpty && applied.isEmpty }

    package init(survey: DeleteSurvey, formatVersion: Int, inputs: Inputs) {
        layout = formatVersion >= 3 ? .deletionVectors : survey.isFileScoped ? .dataFile : .partition
        enum GroupKey: Hashable {
            case partition(PartitionKey)
            case dataFile(String)
        }
        let layout = self.layout
        func key(_ task: TableScan.FileTask) -> GroupKey {
            layout == .partition
                ? .partition(PartitionKey(specId: task.file.specId, values: task.file.partition)) : .dataFile(task.file.filePath)
        }
        // Groups of data files with deletes, and why each needs rewriting.
        var groups: [GroupKey: [TableScan.FileTask]] = [:]
        var order: [GroupKey] = []
        for task in survey.dataFiles where !task.deletes.isEmpty {
            let groupKey = key(task)
            if groups[groupKey] == nil { order.append(groupKey) }
            groups[groupKey, default: []].append(task)
        }
        func paths(_ group: GroupKey) -> Set<String> { Set(groups[group]!.flatMap { $0.deletes.map(\.file.filePath) }) }
        func ratioPasses(_ task: TableScan.FileTask) -> Bool {
            guard let ratio = inputs.applyRatio, task.file.recordCount > 0 else { return false }
            return Double(inputs.deletedRows[task.file.filePath] ?? 0) > Double(task.file.recordCount) * ratio
        }
        func reason(_ group: GroupKey) -> String? {
            let tasks = groups[group]!
            let subject = layout == .partition
                ? "partition \(Self.describe(inputs.partitionPath(tasks[0].file)))" : "data file \(tasks[0].file.filePath)"
            let files = paths(group)
            if files.count > 1 { return "\(files.count) delete files apply to \(subject): merged into one" }
            if let dead = files.sorted().first(where: { (inputs.deadEntries[$0] ?? 0) > 0 }) {
                return "\(dead) holds \(inputs.deadEntries[dead]!) entries for data files it no longer applies to"
            }
            if layout == .deletionVectors, tasks.contains(where: { $0.deletes.contains { !$0.file.isDeletionVector } }) {
                return "v3 table: the deletes of \(subject) become a deletion vector"
            }
            if let heavy = tasks.first(where: ratioPasses) {
                return "\(heavy.file.filePath) passes the deleted-row ratio: rewritten with its deletes applied"
            }
            return nil
        }
        var reasons: [String: String] = [:]
        for component in Self.components(order, linkedBy: paths) {
            guard let why = component.lazy.compactMap(reason).first else { continue }
            if let filter = inputs.partitionFilter,
                !component.allSatisfy({ inputs.partitionPath(groups[$0]![0].file).contains(filter) })
            {
                continue
            }
            for group in component {
                for task in groups[group]! {
                    if ratioPasses(task) { applied.append(task) } else { reexpressed.append(task) }
                }
                for path in paths(group) { reasons[path] = why }
            }
        }
        let rank = Dictionary(survey.dataFiles.enumerated().map { ($1.file.filePath, $0) }, uniquingKeysWith: min)
        reexpressed.sort { rank[$0.file.filePath]! < rank[$1.file.filePath]! }
        applied.sort { rank[$0.file.filePath]! < rank[$1.file.filePath]! }
        for (path, why) in reasons {
            let deletes = survey.deletesByPath[path] ?? []
            let converted = deletes[0].file.content == .equalityDeletes ? "converted to the positions it deletes; " : ""
            removals.append(.init(path: path, kind: DeleteSurvey.kind(of: deletes[0].file),
                records: deletes.saturatingSum(\.file.recordCount), bytes: deletes[0].file.fileSizeInBytes,
                action: "rewrite", reason: converted + why))
        }
        for dangling in DanglingDeleteCleanup.danglingRemovals(survey) {
            let file = survey.deletesByPath[dangling.path]![0].file
            if let filter = inputs.partitionFilter, !inputs.partitionPath(file).contains(filter) { continue }
            removals.append(dangling)
        }
        removals.sort { $0.path < $1.path }
    }

    /// `groups` split into sets linked, directly or not, by a shared delete file path; in first-seen order.
    private static func components<Group: Hashable>(_ groups: [Group], linkedBy paths: (Group) -> Set<String>) -> [[Group]] {
        var groupsByPath: [String: [Group]] = [:]
        for group in groups { for path in paths(group) { groupsByPath[path, default: []].append(group) } }
        var seen = Set<Group>()
        var components: [[Group]] = []
        for start in groups where !seen.contains(start) {
            var component: [Group] = []
            var pending = [start]
            seen.insert(start)
            while let group = pending.popLast() {
                component.append(group)
                for next in paths(group).flatMap({ groupsByPath[$0] ?? [] }) where !seen.contains(next) {
                    seen.insert(next)
                    pending.append(next)
                }
            }
            components.append(component)
        }
        return components
    }

    private static func describe(_ partitionPath: String) -> String {
        partitionPath.isEmpty ? "(unpartitioned)" : partitionPath
    }
}
