import Foundation
import Iceberg
import IcebergSpec
import Parquet
import Planning
import Storage

/// The commit stage of a compaction: a plan and the task results its executions reported, committed as the one
/// validated `replace` snapshot `amoro compact` makes.
///
/// Results are claims. The plan is checked against the table as `compact` checks it; then, per task, the results
/// are tried in the order given until one holds: a succeeded result for this plan and task, naming exactly the
/// task's input files, whose outputs lie in the task's directory, exist with the sizes it states, are named by no
/// other result taken, and are what the task had to produce. Data files are re-derived from their own Parquet
/// footers (schema, row counts, metrics: the footer, never the document, states them) and must hold as many rows as
/// the inputs less their deleted rows; delete files are rewritten in memory from the deletes the table says apply,
/// and must equal the stored bytes. A task without such a result makes the run incomplete: nothing is committed,
/// unless the table allows partial commits (`self-optimizing.allow-partial-commit`), when the plan is narrowed to
/// the tasks that hold and checked again. After the commit, the outputs of every other result that holds (retried
/// or duplicated executions) are deleted when no snapshot reaches them; when the commit fails, so are the taken
/// ones (an earlier run may have committed them: those stay). Outputs of results that do not hold are never
/// deleted: they may be anything.
package enum TaskResultsCommit {
    /// A result not taken, and why.
    package struct Refusal: Sendable, Equatable {
        package var taskId: Int
        package var attemptId: String
        package var reason: String
    }

    package struct Outcome: Sendable {
        package var result: CompactAction.Result
        /// Tasks committed, and tasks no result held for (nothing is committed when any is missing, unless the table
        /// allows partial commits).
        package var tasksCommitted: [Int] = []
        package var tasksMissing: [Int] = []
        package var refused: [Refusal] = []
        /// Results that held but were not taken (another execution of the same task was), and their files deleted.
        package var attemptsDiscarded = 0
        package var filesRemoved: [String] = []
        /// Whether tasks were missing and nothing was committed.
        package var incomplete: Bool { result.snapshotId == nil && !tasksMissing.isEmpty }
    }

    package static func run(
        _ plan: OptimizingPlan, results: [TaskResult], identifier: TableIdentifier, catalog: any Catalog,
        options: CompactAction.Options
    ) async throws(AmoroError) -> Outcome {
        guard let context = try await CompactAction.Context.load(plan, identifier: identifier, catalog: catalog, options: options)
        else { return Outcome(result: CompactAction.Result(status: .nothingToDo)) }
        let identity = TaskResult.PlanIdentity(plan)
        var outcome = Outcome(result: CompactAction.Result(status: .committed))
        let rowDeletes = context.rowDeletes
        let expectedSchema: ParquetSchema
        do { expectedSchema = try IcebergParquetSchema.parquetSchema(for: context.settings.writeSchema) }
        catch { throw .iceberg(.invalidFile(context.table.metadataLocation, "\(error)")) }
        let check = ResultCheck(context: context, rowDeletes: rowDeletes, expectedSchema: expectedSchema)

        var taken: [Int: CompactAction.TaskOutput] = [:]
        var claimed = Set<String>()
        var discarded: [CompactAction.TaskOutput] = []
        for task in context.checked.tasks {
            for result in results where result.taskId == task.id {
                let refuse = { (reason: String) in
                    outcome.refused.append(Refusal(taskId: task.id, attemptId: result.attemptId, reason: reason))
                }
                guard result.plan == identity else { refuse("it is a result of another plan"); continue }
                guard result.status == .succeeded else { refuse("the execution failed: \(result.error ?? "no reason given")"); continue }
                let paths = result.outputs.map { ReachedFile.key($0.filePath) }
                guard Set(paths).count == paths.count else { refuse("it names an output twice"); continue }
                do {
                    let output = try await check.output(of: result, task: task)
                    if taken[task.id] == nil {
                        if let shared = paths.first(where: claimed.contains) { refuse("\(shared) is another result's output"); continue }
                        claimed.formUnion(paths)
                        taken[task.id] = output
                    } else if paths.allSatisfy({ !claimed.contains($0) }) {
                        discarded.append(output)
                    }
                } catch {
                    refuse("\(error)")
                }
            }
        }
        outcome.tasksMissing = context.checked.tasks.map(\.id).filter { taken[$0] == nil }
        outcome.tasksCommitted = context.checked.tasks.map(\.id).filter { taken[$0] != nil }
        outcome.attemptsDiscarded = discarded.count
        if taken.isEmpty || (!outcome.tasksMissing.isEmpty && !context.config.allowPartialCommit) {
            outcome.tasksCommitted = []
            outcome.result.status = .nothingToDo
            return outcome
        }

        // A partial commit: the plan narrowed to the tasks that hold, checked again (which delete files may go
        // depends on which data files are rewritten).
        var committedPlan = plan
        var checked = context.checked
        if !outcome.tasksMissing.isEmpty {
            committedPlan.tasks = plan.tasks.filter { taken[$0.id] != nil }
            guard let narrowed = try await CheckedPlan.check(committedPlan, table: context.table, config: context.config,
                storage: catalog.storage)
            else { throw .invalidPlan(identifier, "no task left to commit") }
            checked = narrowed
        }
        var result = CompactAction.Result(status: .committed)
        for task in checked.tasks {
            result.dataFilesIn += task.rewriteDataFiles.count
            result.bytesIn = result.bytesIn.saturatingAdd(task.inputBytes)
        }
        result.deleteFilesRemoved = checked.removedDeleteFiles.count
        result.deleteFilesKept = checked.keptDeleteFiles
        let outputs = checked.tasks.compactMap { taken[$0.id] }
        do {
            try await CompactAction.commit(outputs, of: checked, plan: committedPlan, identifier: identifier, catalog: catalog,
                nowMs: options.nowMs, ownsOutputs: false, into: &result)
        } catch {
            // The results may have been committed by an earlier run (the plan is stale then): only files no snapshot
            // reaches go.
            if !error.mayHaveCommitted {
                _ = await removeUnreached(outputs + discarded, identifier: identifier, catalog: catalog, options: options)
            }
            throw error
        }
        outcome.result = result
        outcome.filesRemoved = await removeUnreached(discarded, identifier: identifier, catalog: catalog, options: options)
        return outcome
    }

    /// Deletes the files of `outputs` that no snapshot of the table, as loaded now, reaches; returns them.
    private static func removeUnreached(
        _ outputs: [CompactAction.TaskOutput], identifier: TableIdentifier, catalog: any Catalog, options: CompactAction.Options
    ) async -> [String] {
        var seen = Set<String>()
        let files = outputs.flatMap { $0.dataFiles + $0.deleteFiles }.filter { seen.insert($0.filePath).inserted }
        guard !files.isEmpty, let table = try? await catalog.loadTable(identifier),
            let walk = try? await ReachableFiles.walk(table.metadata, storage: catalog.storage, parallelism: options.parallelism)
        else { return [] }
        let reached = walk.everything(of: table)
        let unreached = files.filter { reached[ReachedFile.key($0.filePath)] == nil }
            .map { ReachedFile(path: $0.filePath, fileClass: .data, size: $0.fileSizeInBytes) }
        let deletion = await FileDeletion.run(unreached, tableLocation: table.metadata.location, storage: catalog.storage,
            parallelism: options.parallelism)
        return deletion.deleted.map(\.path).sorted()
    }
}

/// The checks of one task result against its task; each throws the reason the result does not hold.
private struct ResultCheck {
    let context: CompactAction.Context
    let rowDeletes: RowDeletes
    let expectedSchema: ParquetSchema

    struct Refused: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The task's outputs as the table will record them: data files re-derived from their footers, delete files
    /// as amoro writes them for the deletes that apply.
    func output(of result: TaskResult, task: CheckedPlan.Task) async throws -> CompactAction.TaskOutput {
        let keys = { (paths: [String]) in Set(paths.map(ReachedFile.key)) }
        guard keys(result.rewrittenFiles) == keys(task.rewriteDataFiles.map(\.entry.dataFile.filePath)),
            keys(result.reexpressedFiles) == keys(task.rewritePositionFiles.map(\.entry.dataFile.filePath))
        else { throw Refused("its input files are not the task's") }
        let directory = ReachedFile.key(task.directory)
        for file in result.outputs {
            let parent = ReachedFile.key(String(file.filePath[..<(file.filePath.lastIndex(of: "/") ?? file.filePath.startIndex)]))
            guard parent == directory else { throw Refused("\(file.filePath) is not in the task's directory \(task.directory)") }
        }
        if let refusal = await context.boundary.refusals(result.outputs.map(\.filePath)).first {
            throw Refused("\(refusal.key): \(refusal.value)")
        }
        var output = CompactAction.TaskOutput()
        output.mergedFiles = result.mergedFiles
        output.dataFiles = try await dataFiles(result.dataFiles, task: task)
        output.deleteFiles = try await deleteFiles(result.deleteFiles, task: task)
        output.recordsIn = task.rewriteDataFiles.saturatingSum(\.entry.dataFile.recordCount)
        // Every row of the inputs that no delete removes, once.
        var expected: Int64 = 0
        for input in task.rewriteDataFiles {
            let deleted = try await rowDeletes.deletedPositions(of: input.entry.dataFile, deletes: input.deletes)
            expected = expected.saturatingAdd(input.entry.dataFile.recordCount.saturatingSubtract(deleted.cardinality))
        }
        let written = output.dataFiles.saturatingSum(\.recordCount)
        guard written == expected else {
            throw Refused("its data files hold \(written) rows; the task's inputs hold \(expected) live rows")
        }
        return output
    }

    private func dataFiles(_ claimed: [DataFile], task: CheckedPlan.Task) async throws -> [DataFile] {
        var files: [DataFile] = []
        for file in claimed {
            guard file.content == .data else { throw Refused("\(file.filePath) is listed as a data file but is not one") }
            let (reader, size) = try await StoredFooter.read(file.filePath, storage: context.storage)
            guard reader.schema.columns == expectedSchema.columns else {
                throw Refused("\(file.filePath) does not have the table's columns")
            }
            let derived = DataFileMetrics.dataFile(
                path: file.filePath, size: size, footer: reader.metadata, parquetSchema: reader.schema,
                schema: context.settings.writeSchema, config: context.settings.properties.metrics,
                nanCounts: DataFileMetrics.nanCounts(footer: reader.metadata, parquetSchema: reader.schema),
                specId: task.specId, partition: task.partition, sortOrderId: context.checked.sortOrder?.orderId)
            guard derived.fileSizeInBytes == file.fileSizeInBytes, derived.recordCount == file.recordCount,
                derived.columnSizes == file.columnSizes, derived.valueCounts == file.valueCounts,
                derived.nullValueCounts == file.nullValueCounts, derived.lowerBounds == file.lowerBounds,
                derived.upperBounds == file.upperBounds
            else { throw Refused("\(file.filePath): its size, row count or metrics are not what its footer says") }
            files.append(derived)
        }
        return files
    }

    private func deleteFiles(_ claimed: [DataFile], task: CheckedPlan.Task) async throws -> [DataFile] {
        let inputs = Dictionary(task.rewritePositionFiles.map { (ReachedFile.key($0.entry.dataFile.filePath), $0) }) { first, _ in first }
        var covered = Set<String>()
        var files: [DataFile] = []
        for file in claimed {
            guard let referenced = file.referencedDataFile, let input = inputs[ReachedFile.key(referenced)] else {
                throw Refused("\(file.filePath) does not re-express a file of the task")
            }
            guard covered.insert(ReachedFile.key(referenced)).inserted else { throw Refused("\(referenced) is re-expressed twice") }
            let dataFile = input.entry.dataFile
            let positions = try await rowDeletes.deletedPositions(of: dataFile, deletes: input.deletes)
            let stored = try await context.storage.read(file.filePath)
            let made: (bytes: [UInt8], file: DataFile)
            if context.settings.formatVersion >= 3 {
                let vectors = try DeletionVector.file(
                    [.init(dataFilePath: dataFile.filePath, positions: positions, specId: task.specId, partition: task.partition)],
                    location: file.filePath)
                guard let vector = vectors.dataFiles.first else { throw Refused("\(file.filePath): no deletion vector to write") }
                made = (vectors.bytes, vector)
            } else {
                let positionFile = try PositionDeleteFile.file(
                    [dataFile.filePath: positions], location: file.filePath, specId: task.specId, partition: task.partition,
                    options: context.settings.properties.parquetOptions)
                made = (positionFile.bytes, positionFile.dataFile)
            }
            guard stored == made.bytes else {
                throw Refused("\(file.filePath) is not the delete file of \(dataFile.filePath)'s deletes")
            }
            files.append(made.file)
        }
        for (key, input) in inputs where !covered.contains(key) {
            let positions = try await rowDeletes.deletedPositions(of: input.entry.dataFile, deletes: input.deletes)
            guard positions.isEmpty else { throw Refused("the deletes of \(input.entry.dataFile.filePath) are not re-expressed") }
        }
        return files
    }
}
