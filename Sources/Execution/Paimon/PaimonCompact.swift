import Foundation
import Iceberg
import IcebergSpec
import Paimon
import Parquet
import Storage
import Synchronization

/// Executes a Paimon compaction plan: checks it against the table's head (every input a live file of the task's
/// partition and bucket, recorded with the plan's size, of one schema, at most once in the plan, consecutive in
/// sequence order in a fixed bucket, inside the table location), rewrites each task's files (`PaimonAppendRewrite`)
/// and commits one `COMPACT` snapshot replacing exactly the inputs (`PaimonCommit`). A writer's commit after the plan
/// is kept: the snapshot is made on the head, which still has its files. If an input is gone by then, nothing is
/// committed, the outputs are removed, and the error is a conflict (exit 75). Primary-key inputs' deletion vectors
/// are read at the check and applied in the merge; the commit's index manifest drops them (`PaimonDeletionVectors`).
package enum PaimonCompact {
    package struct Options: Sendable {
        package var parallelism: Int
        package var dryRun: Bool
        package var nowMs: @Sendable () -> Int64

        package init(parallelism: Int, dryRun: Bool, nowMs: @escaping @Sendable () -> Int64) {
            self.parallelism = parallelism
            self.dryRun = dryRun
            self.nowMs = nowMs
        }
    }

    package struct Result: Sendable, Equatable {
        package enum Status: String, Sendable { case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run" }
        package var status: Status
        package var snapshotId: Int64?
        package var tasks: Int
        package var filesIn: Int
        package var bytesIn: Int64
        package var rows: Int64
        package var filesOut: Int
        package var bytesOut: Int64
        /// Rows written: the rows read, less the older versions and retractions a primary-key merge drops.
        package var rowsOut: Int64 = 0
        /// Commit attempts lost to other writers before this one won.
        package var retries: Int

        package init(status: Status, snapshotId: Int64?, tasks: Int, filesIn: Int, bytesIn: Int64, rows: Int64, filesOut: Int,
            bytesOut: Int64, rowsOut: Int64 = 0, retries: Int)
        {
            self.rowsOut = rowsOut
            self.status = status
            self.snapshotId = snapshotId
            self.tasks = tasks
            self.filesIn = filesIn
            self.bytesIn = bytesIn
            self.rows = rows
            self.filesOut = filesOut
            self.bytesOut = bytesOut
            self.retries = retries
        }
    }

    package static func run(_ plan: PaimonCompactionPlan, table: PaimonTable, identifier: TableIdentifier, options: Options)
        async throws(AmoroError) -> Result
    {
        var result = Result(status: .nothingToDo, snapshotId: nil, tasks: 0, filesIn: 0, bytesIn: 0, rows: 0, filesOut: 0, bytesOut: 0,
            retries: 0)
        guard !plan.tasks.isEmpty else { return result }
        let checked = try await check(plan, table: table, identifier: identifier)
        result.tasks = checked.tasks.count
        result.filesIn = checked.tasks.reduce(0) { $0 + $1.inputs.count }
        result.bytesIn = checked.tasks.reduce(Int64(0)) { $0.saturatingAdd($1.inputs.reduce(Int64(0)) { $0.saturatingAdd($1.file.fileSize) }) }
        result.rows = checked.tasks.reduce(Int64(0)) { $0.saturatingAdd($1.inputs.reduce(Int64(0)) { $0.saturatingAdd($1.file.rowCount) }) }
        if options.dryRun {
            result.status = .dryRun
            return result
        }
        let written = WrittenFiles()
        let now = options.nowMs()
        var outputs: [PaimonAppendRewrite.Output] = []
        var committing = false
        do {
            outputs = try await withThrowingTaskGroup(of: (Int, [PaimonAppendRewrite.Output]).self) { group in
                var collected: [[PaimonAppendRewrite.Output]] = Array(repeating: [], count: checked.tasks.count)
                var next = 0
                func start() {
                    let index = next
                    let task = checked.tasks[index]
                    next += 1
                    group.addTask {
                        // The inputs' fields, merged by the table's current options (as Paimon's writer merges).
                        var schema = checked.schemas[task.inputs[0].file.schemaId]!
                        schema.options = checked.schemas[checked.schemas.keys.max()!]!.options
                        if let level = task.outputLevel {
                            return (index, try await PaimonPrimaryKeyRewrite.run(
                                task.inputs, directory: task.directory, schema: schema, storage: table.storage,
                                targetFileSize: plan.targetFileSize, compression: checked.compression, outputLevel: level,
                                dropDeletes: task.dropDeletes, nowMs: now, deleted: task.deleted, written: written.add))
                        }
                        return (index, try await PaimonAppendRewrite.run(
                            task.inputs, directory: task.directory, schema: schema, storage: table.storage,
                            targetFileSize: plan.targetFileSize, compression: checked.compression, nowMs: now, written: written.add))
                    }
                }
                while next < min(max(1, options.parallelism), checked.tasks.count) { start() }
                while let (index, outputs) = try await group.next() {
                    collected[index] = outputs
                    if next < checked.tasks.count { start() }
                }
                return collected.flatMap { $0 }
            }
            committing = true
            var indexManifest: ((PaimonSnapshot, (String) -> Void) async throws(PaimonError) -> String?)? = nil
            if let vectors = checked.deletionVectors {
                indexManifest = { (head: PaimonSnapshot, written: (String) -> Void) async throws(PaimonError) -> String? in
                    try await vectors.indexManifest(head: head, table: table, written: written)
                }
            }
            let committed = try await PaimonCommit.compact(
                table, deleted: checked.tasks.flatMap(\.inputs), added: outputs.map(\.entry),
                commitUser: "amoro-\(UUID().uuidString.lowercased())", commitIdentifier: checked.commitIdentifier, nowMs: options.nowMs,
                indexManifest: indexManifest)
            result.status = .committed
            result.snapshotId = committed.snapshotId
            result.retries = committed.retries
            result.filesOut = outputs.count
            result.bytesOut = outputs.reduce(Int64(0)) { $0.saturatingAdd($1.entry.file.fileSize) }
            result.rowsOut = outputs.reduce(Int64(0)) { $0.saturatingAdd($1.entry.file.rowCount) }
            return result
        } catch {
            // Nothing references the outputs: they go, unless the snapshot's write failed with its outcome unknown
            // (then they stay for clean-orphans, as a snapshot may name them).
            var unknown = false
            if committing, let paimon = error as? PaimonError, case .storage = paimon { unknown = true }
            if !unknown {
                for location in written.all { try? await table.storage.delete(location) }
            }
            switch error {
            case let error as PaimonError: throw .paimon(error)
            case let error as AmoroError: throw error
            case let error as StorageError: throw .paimon(.storage(error))
            default: throw .paimon(.invalidFile(table.location, "\(error)"))
            }
        }
    }

    /// A task checked against the head: the live entries of its inputs and the directory they share.
    struct CheckedTask: Equatable {
        var inputs: [PaimonManifestEntry]
        var directory: String
        /// Primary-key tasks: the level the merged files go to; nil for append tasks.
        var outputLevel: Int?
        /// The bucket's top level (`num-levels` - 1).
        var topLevel: Int
        /// Primary-key tasks: whether retractions are dropped (Paimon's `dropDelete`: the output level is above 0
        /// and at least the bucket's highest non-empty level).
        var dropDeletes = false
        /// The rows the inputs' deletion vectors delete, by input file name.
        var deleted: [String: RoaringPositionBitmap] = [:]
    }

    struct Checked {
        var tasks: [CheckedTask]
        var schemas: [Int64: PaimonSchema]
        var compression: CompressionKind
        var fullCompactionDeltaCommits: Int?
        /// Set for tables with deletion vectors: what the commit's index manifest drops.
        var deletionVectors: PaimonDeletionVectors.Compaction? = nil

        /// The snapshot's commit identifier: `Long.MAX_VALUE`, which Paimon's full-compacted scans count as a full
        /// compaction, unless a task merges below the top level; then the identifier next below it that
        /// `full-compaction.delta-commits` does not divide.
        var commitIdentifier: Int64 {
            guard tasks.contains(where: { task in task.outputLevel.map { $0 != task.topLevel } ?? false }) else { return Int64.max }
            let deltaCommits = Int64(max(1, fullCompactionDeltaCommits ?? 1))
            return (Int64.max - 1) % deltaCommits != 0 ? Int64.max - 1 : Int64.max - 2
        }
    }

    static func check(_ plan: PaimonCompactionPlan, table: PaimonTable, identifier: TableIdentifier) async throws(AmoroError) -> Checked {
        func invalid(_ why: String) -> AmoroError { .invalidPlan(identifier, why) }
        guard let planned = Location(plan.location), let actual = Location(table.location), planned == actual else {
            throw invalid("planned for \(plan.location), the table is at \(table.location)")
        }
        let schemas: [Int64: PaimonSchema]
        let options: PaimonOptions
        let settings: PaimonUniversalCompaction.Settings
        let entries: [PaimonManifestEntry]
        var index: [PaimonIndexEntry] = []
        do {
            schemas = try await table.schemas()
            let schema = schemas[schemas.keys.max()!]!
            options = try PaimonOptions(schema.options, hasPrimaryKey: !schema.primaryKeys.isEmpty)
            try PaimonCompactionPlanner.refuseUnsupported(schema, options)
            settings = try PaimonUniversalCompaction.Settings(options)
            guard let head = try await table.snapshotFiles().last?.id else { throw PaimonError.conflict("the table has no snapshot") }
            guard head >= plan.snapshotId else { throw PaimonError.conflict("the plan's snapshot \(plan.snapshotId) is newer than the head \(head)") }
            let files = PaimonSnapshotFiles(table: table)
            let snapshot = try await table.snapshot(head)
            index = try await files.indexFiles(snapshot)
            if !options.hasPrimaryKey, index.contains(where: { $0.indexType == PaimonDeletionVectors.indexType }) {
                throw PaimonError.unsupported("compacting a Paimon append table with deletion vectors")
            }
            entries = try await files.liveFiles(snapshot)
        } catch let error as PaimonError {
            throw .paimon(error)
        } catch {
            throw .paimon(.invalidFile(table.location, "\(error)"))
        }
        guard plan.targetFileSize >= 1 << 20, plan.targetFileSize <= 1 << 40 else {
            throw invalid("target_file_size \(plan.targetFileSize) is outside 1 MiB...1 TiB")
        }
        var byFile: [String: [PaimonManifestEntry]] = [:]
        var byBucket: [PaimonCompactionPlanner.BucketKey: [PaimonManifestEntry]] = [:]
        for entry in entries {
            byFile[entry.file.fileName, default: []].append(entry)
            byBucket[.init(partition: entry.partition, bucket: entry.bucket), default: []].append(entry)
        }
        let boundary = try await TableBoundary(tableLocation: table.location, storage: table.storage)
        var vectors: PaimonDeletionVectors.Compaction? = nil
        if options.deletionVectorsEnabled || index.contains(where: { $0.indexType == PaimonDeletionVectors.indexType }) {
            vectors = .init(compression: schemas[schemas.keys.max()!]!.options["manifest.compression"] ?? "zstd")
        }
        var seen = Set<String>()
        var tasks: [CheckedTask] = []
        let schema = schemas[schemas.keys.max()!]!
        for task in plan.tasks {
            guard let partition = PaimonCompactionPlan.bytes(hex: task.partitionRow) else {
                throw invalid("task \(task.id): partition_row is not hex")
            }
            guard task.files.count >= (options.hasPrimaryKey ? 1 : 2) else { throw invalid("task \(task.id) rewrites too few files") }
            var inputs: [PaimonManifestEntry] = []
            for file in task.files {
                guard PaimonSnapshot.isPlainName(file.fileName) else { throw invalid("task \(task.id): '\(file.fileName)' is not a file name") }
                guard seen.insert(file.fileName).inserted else { throw invalid("\(file.fileName) is planned twice") }
                guard let entry = byFile[file.fileName]?.first(where: { $0.partition == partition && $0.bucket == task.bucket }) else {
                    throw AmoroError.conflict(identifier, "\(file.fileName) is not a live file of task \(task.id)'s partition and bucket any more; plan again")
                }
                guard entry.file.fileSize == file.size else {
                    throw invalid("\(file.fileName) is \(entry.file.fileSize) bytes, the plan says \(file.size)")
                }
                guard PaimonCompactionPlanner.eligible(entry, primaryKey: options.hasPrimaryKey) else {
                    throw invalid("\(file.fileName) is not a data file amoro rewrites")
                }
                inputs.append(entry)
            }
            guard Set(inputs.map(\.file.schemaId)).count == 1, schemas[inputs[0].file.schemaId] != nil else {
                throw invalid("task \(task.id) mixes files of several schemas")
            }
            inputs.sort { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
            var outputLevel: Int?
            if options.hasPrimaryKey {
                let bucket = byBucket[.init(partition: partition, bucket: task.bucket)]!
                outputLevel = try checkRuns(task, inputs: inputs, bucket: bucket, settings: settings, invalid: invalid)
            } else if options.bucket != -1 {
                let bucket = byBucket[.init(partition: partition, bucket: task.bucket)]!.sorted { $0.file.minSequenceNumber < $1.file.minSequenceNumber }
                let names = bucket.map(\.file.fileName)
                guard let start = names.firstIndex(of: inputs[0].file.fileName),
                    Array(names[start..<min(names.count, start + inputs.count)]) == inputs.map(\.file.fileName)
                else { throw invalid("task \(task.id): a fixed bucket's files must be consecutive in sequence order") }
            }
            let directory: String
            do { directory = try table.bucketDirectory(partition: partition, bucket: task.bucket, schema: schema, options: options) } catch {
                throw .paimon(error)
            }
            try await boundary.checkWritable(directory: directory)
            for input in inputs {
                if let why = await boundary.refusal("\(directory)/\(input.file.fileName)") { throw .unsafeLocation(input.file.fileName, why) }
            }
            var checkedTask = CheckedTask(inputs: inputs, directory: directory, outputLevel: outputLevel, topLevel: settings.topLevel)
            if let outputLevel {
                let highest = byBucket[.init(partition: partition, bucket: task.bucket)]!.map(\.file.level).max() ?? 0
                checkedTask.dropDeletes = PaimonPrimaryKeyRewrite.dropsDeletes(outputLevel: outputLevel, highestLevel: highest)
            }
            if vectors != nil {
                do {
                    let names = Set(inputs.map(\.file.fileName))
                    let found = try PaimonDeletionVectors.locations(index, partition: partition, bucket: task.bucket, dataFiles: names)
                    checkedTask.deleted = try await PaimonDeletionVectors.read(found, index: index, table: table)
                    vectors!.rewritten[.init(partition: partition, bucket: task.bucket)] = names
                    vectors!.applied.merge(found) { a, _ in a }
                } catch { throw .paimon(error) }
            }
            tasks.append(checkedTask)
        }
        return Checked(tasks: tasks, schemas: schemas, compression: compression(schema.options["file.compression"]),
            fullCompactionDeltaCommits: options.fullCompactionDeltaCommits, deletionVectors: vectors)
    }

    /// A primary-key task is a prefix of its bucket's sorted runs, newest first, merged into the level Paimon's
    /// universal compaction gives that prefix (the top level only for every run). Level-0 files newer than every
    /// input, which a writer committed after the plan, may precede it: they stay newer than the output. Returns the
    /// output level.
    static func checkRuns(_ task: PaimonCompactionPlan.Task, inputs: [PaimonManifestEntry], bucket: [PaimonManifestEntry],
        settings: PaimonUniversalCompaction.Settings, invalid: (String) -> AmoroError) throws(AmoroError) -> Int
    {
        guard let level = task.outputLevel else { throw invalid("task \(task.id) of a primary-key table has no output_level") }
        if let above = bucket.first(where: { $0.file.level > settings.topLevel }) {
            throw invalid("task \(task.id): \(above.file.fileName) is at level \(above.file.level), above the top level \(settings.topLevel)")
        }
        let names = Set(inputs.map(\.file.fileName))
        let newest = inputs.map(\.file.maxSequenceNumber).max() ?? Int64.min
        var runs = PaimonUniversalCompaction.runs(bucket)
        while let first = runs.first, first.level == 0, !names.contains(first.files[0].file.fileName),
            first.files[0].file.minSequenceNumber > newest
        {
            runs.removeFirst()
        }
        var covered = 0
        var count = 0
        while covered < names.count, count < runs.count, runs[count].files.allSatisfy({ names.contains($0.file.fileName) }) {
            covered += runs[count].files.count
            count += 1
        }
        guard count > 0, covered == names.count else {
            throw invalid("task \(task.id) is not a prefix of its bucket's sorted runs (newest first)")
        }
        let unit = PaimonUniversalCompaction.unit(runs, runCount: count, topLevel: settings.topLevel)
        guard unit.runCount == count, unit.outputLevel == level else {
            throw invalid("task \(task.id) merges \(count) of \(runs.count) sorted runs into level \(level); Paimon merges them into level \(unit.outputLevel)")
        }
        return level
    }

    static func compression(_ name: String?) -> CompressionKind {
        switch name?.lowercased() {
        case "snappy": .snappy
        case "gzip": .gzip
        case "lz4": .lz4Raw
        case "none", "uncompressed": .uncompressed
        default: .zstd
        }
    }
}

/// The outputs written so far, from the tasks running side by side.
private final class WrittenFiles: Sendable {
    private let locations = Mutex<[String]>([])
    func add(_ location: String) { locations.withLock { $0.append(location) } }
    var all: [String] { locations.withLock { $0 } }
}
