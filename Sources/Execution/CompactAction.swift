import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Planning
import Storage

/// Executes an optimizing plan: checks it still matches the table, rewrites each task's data files with their
/// deletes applied (sorted for full optimizing of a sorted table), re-expresses the deletes of files that are kept
/// as one position-delete file (v2) or deletion vector (v3) each, and commits everything as one `replace` snapshot
/// through `ReplaceCommit`. Tasks run in parallel, each holding one row group at a time (a sorted task holds its
/// input); a task the table's row-group merge settings allow copies its row groups as stored (`RowGroupMerge`).
/// Nothing is committed unless every task succeeds; files written by a failed run are deleted.
package enum CompactAction {
    package struct Options: Sendable {
        package var parallelism: Int
        package var dryRun: Bool
        package var nowMs: @Sendable () -> Int64
        /// The catalog's `table.`-prefixed defaults under the table's properties (the row-group merge settings).
        package var catalogProperties: [String: String]

        package init(
            parallelism: Int, dryRun: Bool, catalogProperties: [String: String] = [:],
            nowMs: @escaping @Sendable () -> Int64
        ) {
            self.parallelism = max(1, parallelism)
            self.dryRun = dryRun
            self.catalogProperties = catalogProperties
            self.nowMs = nowMs
        }
    }

    /// What happened to one table.
    package struct Result: Sendable {
        package enum Status: String, Sendable { case committed, nothingToDo = "nothing-to-do", dryRun = "dry-run" }
        package var status: Status
        package var snapshotId: Int64?
        package var dataFilesIn = 0
        package var bytesIn: Int64 = 0
        package var recordsIn: Int64 = 0
        package var dataFilesOut = 0
        package var bytesOut: Int64 = 0
        package var recordsOut: Int64 = 0
        package var deleteFilesRemoved = 0
        package var deleteFilesAdded = 0
        /// Delete files the plan named for removal that stay, since a data file they apply to is not rewritten.
        package var deleteFilesKept: [String] = []
        /// Data files whose row groups were copied as stored (`RowGroupMerge`) rather than rewritten.
        package var dataFilesMerged = 0
        package var commitAttempts = 0
        /// The rewrite of the tasks (from the first task's start to the last one's end, before the commit).
        package var rewrite: PhaseTiming?
    }

    /// What one task produced.
    struct TaskOutput: Sendable {
        var dataFiles: [DataFile] = []
        var deleteFiles: [DataFile] = []
        var recordsIn: Int64 = 0
        var mergedFiles = 0
    }

    /// What a run needs besides the checked plan: the table as loaded, its settings, and how to write.
    struct Context: Sendable {
        var table: LoadedTable
        var config: OptimizingConfig
        var checked: CheckedPlan
        var settings: DataRewriteSettings
        var storage: any Storage
        /// The fence of the table's location, for files named by anyone but the table.
        var boundary: TableBoundary

        /// Loads the table and checks `plan` against it; nil when the plan has nothing to do.
        static func load(_ plan: OptimizingPlan, identifier: TableIdentifier, catalog: any Catalog, options: Options)
            async throws(AmoroError) -> Context?
        {
            let table: LoadedTable
            do { table = try await catalog.loadTable(identifier) } catch { throw .iceberg(error) }
            let config: OptimizingConfig
            do {
                config = try OptimizingConfig(tableProperties: table.metadata.properties, catalogProperties: options.catalogProperties)
            } catch { throw .invalidProperty(identifier, error) }
            guard let checked = try await CheckedPlan.check(plan, table: table, config: config, storage: catalog.storage) else {
                return nil
            }
            let settings = try DataRewriteSettings(table: table, sortOrder: checked.sortOrder)
            let boundary = try await TableBoundary(tableLocation: table.metadata.location, storage: catalog.storage)
            return Context(table: table, config: config, checked: checked, settings: settings, storage: catalog.storage,
                boundary: boundary)
        }

        /// The deletes of the table's files, read through its name mapping (files without field ids).
        var rowDeletes: RowDeletes { RowDeletes(storage: storage, nameMapping: settings.nameMapping) }

        /// Runs one task: its outputs are in place when it returns, and removed again when it throws.
        func execute(_ task: CheckedPlan.Task, rowDeletes: RowDeletes) async throws -> TaskOutput {
            try await CompactAction.execute(task, settings: settings, metadata: table.metadata, config: config,
                targetSize: checked.targetSize, sortOrder: checked.sortOrder, rowDeletes: rowDeletes, storage: storage)
        }
    }

    package static func run(
        _ plan: OptimizingPlan, identifier: TableIdentifier, catalog: any Catalog, options: Options,
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws(AmoroError) -> Result {
        guard let context = try await Context.load(plan, identifier: identifier, catalog: catalog, options: options) else {
            return Result(status: .nothingToDo)
        }
        let checked = context.checked
        let metadata = context.table.metadata
        var result = Result(status: options.dryRun ? .dryRun : .committed)
        for task in checked.tasks {
            result.dataFilesIn += task.rewriteDataFiles.count
            result.bytesIn = result.bytesIn.saturatingAdd(task.inputBytes)
        }
        result.deleteFilesRemoved = checked.removedDeleteFiles.count
        result.deleteFilesKept = checked.keptDeleteFiles
        if options.dryRun { return result }

        let rowDeletes = context.rowDeletes
        let storage = catalog.storage
        let outputs: [TaskOutput]
        let done = WorkProgressCounter(WorkProgress(filesTotal: result.dataFilesIn, bytesTotal: result.bytesIn))
        progress(done.current)
        do {
            (outputs, result.rewrite) = try await PhaseTiming.measure { try await withThrowingTaskGroup(of: TaskOutput.self) { group in
                // Largest first, so the last tasks to start are short ones and workers finish close together.
                var pending = checked.tasks.sorted { $0.inputBytes > $1.inputBytes }[...]
                var collected: [TaskOutput] = []
                func start(_ task: CheckedPlan.Task) {
                    group.addTask {
                        let output = try await context.execute(task, rowDeletes: rowDeletes)
                        progress(done.add(files: task.rewriteDataFiles.count, bytes: task.inputBytes))
                        return output
                    }
                }
                for _ in 0..<min(options.parallelism, pending.count) { start(pending.removeFirst()) }
                do {
                    while let output = try await group.next() {
                        collected.append(output)
                        if let next = pending.first {
                            pending.removeFirst()
                            start(next)
                        }
                    }
                } catch {
                    // A task failed: cancel the others, and delete what every finished task wrote, since
                    // nothing will reference it.
                    group.cancelAll()
                    while !group.isEmpty {
                        if let finished = try? await group.next() { collected.append(finished) }
                    }
                    for output in collected { await remove(output, storage: storage) }
                    throw error
                }
                return collected
            } }
        } catch {
            throw AmoroError.from(error, invalidating: metadata.location)
        }
        CrashPoint.afterDataFiles.reach()
        try await commit(outputs, of: checked, plan: plan, identifier: identifier, catalog: catalog, nowMs: options.nowMs,
            into: &result)
        return result
    }

    /// Commits the tasks' outputs as one `replace` snapshot and completes `result` with what was written and
    /// committed. Unless the commit may have landed, a failed commit deletes the outputs when `ownsOutputs` (this
    /// run wrote them, so nothing else can reference them); the commit stage's outputs were written by others and
    /// may be committed already, so it decides for itself.
    static func commit(
        _ outputs: [TaskOutput], of checked: CheckedPlan, plan: OptimizingPlan, identifier: TableIdentifier,
        catalog: any Catalog, nowMs: @escaping @Sendable () -> Int64, ownsOutputs: Bool = true, into result: inout Result
    ) async throws(AmoroError) {
        let addedData = outputs.flatMap(\.dataFiles)
        let addedDeletes = outputs.flatMap(\.deleteFiles)
        result.dataFilesOut = addedData.count
        result.bytesOut = addedData.saturatingSum(\.fileSizeInBytes)
        result.recordsOut = addedData.saturatingSum(\.recordCount)
        result.recordsIn = outputs.saturatingSum(\.recordsIn)
        result.dataFilesMerged = outputs.reduce(0) { $0 + $1.mergedFiles }
        result.deleteFilesAdded = addedDeletes.count
        let commit = ReplaceCommit(
            identifier: identifier, plannedSnapshotId: checked.plannedSnapshot.snapshotId,
            dataSequenceNumber: checked.plannedSnapshot.sequenceNumber,
            removedDataFiles: Set(checked.tasks.flatMap { $0.rewriteDataFiles.map(\.entry.dataFile.filePath) }),
            removedDeleteFiles: checked.removedDeleteFiles, addedDataFiles: addedData, addedDeleteFiles: addedDeletes,
            summary: [
                OptimizingHistory.producerKey: OptimizingHistory.producerValue,
                OptimizingHistory.levelKey: (plan.level ?? .minor).rawValue,
                OptimizingHistory.planTimeKey: String(plan.plannedAtMs),
            ])
        do {
            let outcome = try await commit.run(catalog: catalog, nowMs: nowMs)
            result.snapshotId = outcome.snapshotId
            result.commitAttempts = outcome.attempts
        } catch {
            if ownsOutputs && !error.mayHaveCommitted { for output in outputs { await remove(output, storage: catalog.storage) } }
            throw error
        }
    }

    /// One task: rewrite its data files into new ones (or merge their row groups as stored, when the table asks
    /// and the task allows), re-express the deletes of the files it keeps.
    private static func execute(
        _ task: CheckedPlan.Task, settings: DataRewriteSettings, metadata: TableMetadata,
        config: OptimizingConfig, targetSize: Int64, sortOrder: IcebergSpec.SortOrder?, rowDeletes: RowDeletes,
        storage: any Storage
    ) async throws -> TaskOutput {
        var output = TaskOutput()
        let partition = task.partition, specId = task.specId, directory = task.directory
        let staging = try TaskStaging(tableDirectory: directory)
        defer { staging.finish() }
        if !task.rewriteDataFiles.isEmpty {
            // Deleted positions first (position deletes, deletion vectors and equality deletes alike), then one
            // streaming rewrite of the task's files into files of the target size.
            // Each file's deletes are resolved (equality deletes read its key columns) and its copy staged on
            // several files at once; the results keep the task's file order.
            let prepared = try await orderedMap(task.rewriteDataFiles, limit: 2 * ProcessInfo.processInfo.activeProcessorCount) {
                input in
                let file = input.entry.dataFile
                let deleted = try await rowDeletes.deletedPositions(of: file, deletes: input.deletes)
                let localPath = try await staging.localPath(of: file.filePath, storage: storage)
                return (try settings.input(input.entry, deleted: deleted, readingFrom: localPath), localPath)
            }
            let rewriteInputs = prepared.map(\.0)
            let localPaths = prepared.map(\.1)
            let files = task.rewriteDataFiles.map(\.entry.dataFile)
            output.recordsIn = files.saturatingSum(\.recordCount)
            let touchedByDeletes = task.rewriteDataFiles.contains { !$0.deletes.isEmpty }
            let writer = try RollingDataFileWriter(
                schema: settings.writeSchema, properties: settings.properties, targetFileSize: targetSize,
                directory: staging.writeDirectory(for: directory), specId: specId, partition: partition,
                sortOrderId: sortOrder?.orderId)
            let sorting = !(sortOrder?.fields.isEmpty ?? true)
            let merge = RowGroupMerge.allowed(
                config: config, metadata: metadata, task: task, files: files, touchedByDeletes: touchedByDeletes,
                sorting: sorting)
                ? try RowGroupMerge(files: files, paths: localPaths, settings: settings,
                    minimumAverageBytes: config.rowGroupMergeMinAverageBytes) : nil
            let written: [DataFile]
            if let merge {
                written = try merge.run(into: writer)
                output.mergedFiles = files.count
            } else {
                written = try DataFileRewrite.run(
                    rewriteInputs, into: writer, sortOrder: sortOrder, nameMapping: settings.nameMapping)
            }
            output.dataFiles = try await staging.publish(written, to: directory, storage: storage)
        }
        do {
            for input in task.rewritePositionFiles {
                let file = input.entry.dataFile
                let deleted = try await rowDeletes.deletedPositions(of: file, deletes: input.deletes)
                if deleted.isEmpty { continue }
                if metadata.formatVersion >= 3 {
                    output.deleteFiles += try await DeletionVector.write(
                        [.init(dataFilePath: file.filePath, positions: deleted, specId: specId, partition: partition)],
                        to: DataRewriteSettings.deleteFileLocation(for: file.filePath, directory: directory, extension: "puffin"),
                        storage: storage)
                } else {
                    // Amoro's own per-file position deletes are named <data file>-delete-<suffix>.
                    output.deleteFiles.append(try await PositionDeleteFile.write(
                        [file.filePath: deleted],
                        to: DataRewriteSettings.deleteFileLocation(for: file.filePath, directory: directory, extension: "parquet"),
                        storage: storage, specId: specId, partition: partition, options: settings.properties.parquetOptions))
                }
            }
        } catch {
            await remove(output, storage: storage)
            throw error
        }
        return output
    }

    /// `transform` of every element, at most `limit` at a time, in the elements' order; the first error (in
    /// order of completion) cancels the rest and is thrown.
    private static func orderedMap<Element: Sendable, Value: Sendable>(
        _ elements: [Element], limit: Int, _ transform: @escaping @Sendable (Element) async throws -> Value
    ) async throws -> [Value] {
        try await withThrowingTaskGroup(of: (Int, Value).self) { group in
            var values = [Value?](repeating: nil, count: elements.count)
            var next = 0
            while next < min(max(1, limit), elements.count) {
                let index = next
                group.addTask { (index, try await transform(elements[index])) }
                next += 1
            }
            while let (index, value) = try await group.next() {
                values[index] = value
                if next < elements.count {
                    let index = next
                    group.addTask {
                        try Task.checkCancellation()
                        return (index, try await transform(elements[index]))
                    }
                    next += 1
                }
            }
            return values.map { $0! }
        }
    }

    static func remove(_ output: TaskOutput, storage: any Storage) async {
        for file in output.dataFiles + output.deleteFiles { try? await storage.delete(file.filePath) }
    }
}
