import Foundation
import Iceberg
import IcebergSpec
import Paimon
import Parquet
import Storage

/// Compaction of sorted runs of a primary-key bucket, as Paimon's merge-tree rewriter does it: a k-way merge of
/// the inputs (each file sorted by key, within a key by sequence number) by key, then sequence number, then input
/// order, each key's records reduced by the table's merge function (`PaimonMergeEngine`, from `schema`'s options).
/// With `dropDeletes` (the output is the bucket's highest non-empty level) a result that retracts (`-U`, `-D`) is
/// dropped; below it the retraction is kept, so it still hides the key's older rows on higher levels, and counted
/// in the entry's delete row count. The results are
/// written while the merge runs (`PaimonRunWriter`). Each input is read a row group at a time through a ranged
/// source (`TaskStaging`: in place on local disk, a private copy from an object store), so the merge holds about
/// one row group per input and the rows waiting to be encoded; `memory` watches that.
package enum PaimonPrimaryKeyRewrite {
    package static func run(
        _ inputs: [PaimonManifestEntry], directory: String, schema: PaimonSchema, storage: any Storage, targetFileSize: Int64,
        compression: CompressionKind, outputLevel: Int, dropDeletes: Bool, nowMs: Int64, deleted: [String: RoaringPositionBitmap] = [:],
        memory: PaimonMergeMemory = .init(), openFileLimit: Int = OpenFileLimit.current, written: @escaping (String) -> Void
    ) async throws -> [PaimonAppendRewrite.Output] {
        guard let first = inputs.first else { return [] }
        // Every input stays open during the merge: too many for the process's open-file limit is said before any
        // file is opened, not met as a failed open halfway.
        guard inputs.count + OpenFileLimit.reserve <= openFileLimit else {
            throw PaimonError.unsupported(
                "merging \(inputs.count) sorted runs at once with an open-file limit of \(openFileLimit) (raise the hard limit, ulimit -Hn)")
        }
        let engine = try PaimonMergeEngine(schema, try PaimonOptions(schema.options, hasPrimaryKey: true))
        if engine.kind == .firstRow && !dropDeletes {
            // Paimon's first-row rewriter looks each key up in the levels above and drops those they hold.
            throw PaimonError.unsupported("merging a first-row bucket below its highest level")
        }
        let keys = trimmedKeys(schema)
        let keyTypes = try keys.map { name in
            guard let field = schema.fields.first(where: { $0.name == name }) else { throw PaimonError.invalidFile("schema", "no key \(name)") }
            return field.type
        }
        let staging = try TaskStaging(tableDirectory: directory)
        defer { staging.finish() }
        var opened = PaimonRewriteInputs(directory: directory, storage: storage)
        var runs: [PaimonSortedRun] = []
        for (order, input) in inputs.enumerated() {
            let reader = try await opened.open(input, staging: staging)
            let location = opened.location(of: input)
            let layout = try PaimonKeyValueColumns(reader.schema, keys: keys, userSequence: engine.sequenceFields, file: location)
            // Rows a deletion vector deletes take no part in the merge.
            runs.append(PaimonSortedRun(reader: reader, location: location, order: order, layout: layout, memory: memory,
                deleted: deleted[input.file.fileName]))
        }
        guard let fileSchema = opened.schema else { return [] }
        let options = try opened.writerOptions(compression: compression, schema: schema)
        var writer = PaimonRunWriter(
            .init(directory: directory, staging: staging, storage: storage, parquetSchema: fileSchema, parquetOptions: options,
                schema: schema, keys: keys, keyTypes: keyTypes, template: first, outputLevel: outputLevel,
                targetFileSize: targetFileSize, nowMs: nowMs, memory: memory),
            written: written)
        let names = fileSchema.root.children.map(\.name)
        func index(_ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else { throw PaimonError.invalidFile(directory, "data files lack the column \(name)") }
            return index
        }
        var function = engine.function(sequenceIndex: try index("_SEQUENCE_NUMBER"), kindIndex: try index("_VALUE_KIND"),
            fieldIndexes: try schema.fields.map { try index($0.name) }, location: directory)
        do {
            try merge(&runs, function: &function, sequenceDescending: engine.sequenceDescending) { row in
                if dropDeletes && (row.kind == 1 || row.kind == 3) { return }
                try writer.append(row)
            }
            return try await writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Merges `runs` by key, then `sequence.field` (nulls first, descending when `sequenceDescending`), then sequence
    /// number, then input order, hands each key's records to `function` in that order and its result to `emit`.
    static func merge(
        _ runs: inout [PaimonSortedRun], function: inout any PaimonMergeFunction, sequenceDescending: Bool = false,
        emit: (PaimonMergedRow) throws -> Void
    ) throws {
        func record(_ run: PaimonSortedRun) throws -> PaimonRecord {
            let group = run.group!
            guard let sequence = group.sequence.int64(run.row) else {
                throw PaimonError.invalidFile(run.location, "a _SEQUENCE_NUMBER is not a long")
            }
            guard let kind = group.kind.int32(run.row), (0...3).contains(kind) else {
                throw PaimonError.invalidFile(run.location, "a _VALUE_KIND is not a row kind")
            }
            return PaimonRecord(group: group, row: run.row, kind: kind, sequence: sequence)
        }
        var failure: PaimonError?
        /// Key order of two rows (a failure is kept in `failure`).
        func compareKeys(_ left: PaimonRowGroup, _ a: Int, _ right: PaimonRowGroup, _ b: Int) -> Int {
            for index in left.keys.indices {
                guard let c = PaimonFlatColumn.compare(left.keys[index], a, right.keys[index], b) else {
                    failure = .unsupported("comparing keys of these types")
                    return 0
                }
                if c != 0 { return c }
            }
            return 0
        }
        /// The order of two records of one key: `sequence.field`, then sequence number.
        func compareVersions(_ left: PaimonRowGroup, _ a: Int, _ right: PaimonRowGroup, _ b: Int) -> Int {
            for index in left.userSequence.indices {
                let column = left.userSequence[index]
                let other = right.userSequence[index]
                guard let c = PaimonFlatColumn.compare(column, a, other, b) else {
                    failure = .unsupported("comparing sequence.field values of these types")
                    return 0
                }
                if c != 0 {
                    // Descending reverses the values' order; nulls stay first, as in Paimon's comparator.
                    let null = column.position(a) == nil || other.position(b) == nil
                    return sequenceDescending && !null ? -c : c
                }
            }
            let x = left.sequence.int64(a) ?? .min
            let y = right.sequence.int64(b) ?? .min
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            let c = compareKeys(runs[a].group!, runs[a].row, runs[b].group!, runs[b].row)
            if c != 0 { return c < 0 }
            let v = compareVersions(runs[a].group!, runs[a].row, runs[b].group!, runs[b].row)
            if v != 0 { return v < 0 }
            return runs[a].order < runs[b].order
        }
        // A binary min-heap of the runs that have a current row.
        var heap: [Int] = []
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[child], heap[parent]) else { return }
                heap.swapAt(child, parent)
                child = parent
            }
        }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var least = left
                if left + 1 < heap.count, precedes(heap[left + 1], heap[left]) { least = left + 1 }
                guard precedes(heap[least], heap[parent]) else { return }
                heap.swapAt(least, parent)
                parent = least
            }
        }
        for index in runs.indices where try runs[index].advance() {
            heap.append(index)
            siftUp(heap.count - 1)
        }
        var open: PaimonRecord?
        while let top = heap.first {
            let next = try record(runs[top])
            if let current = open {
                let same = compareKeys(next.group, next.row, current.group, current.row) == 0
                if let failure { throw failure }
                if !same {
                    if let result = try function.result() { try emit(result) }
                    function.reset()
                }
            }
            try function.add(next)
            open = next
            if try runs[top].advance() {
                // A sorted run's rows go up by key, and within a key by sequence.field and sequence number.
                let order = compareKeys(next.group, next.row, runs[top].group!, runs[top].row)
                if let failure { throw failure }
                if order > 0 || (order == 0 && compareVersions(next.group, next.row, runs[top].group!, runs[top].row) > 0) {
                    throw PaimonError.invalidFile(runs[top].location, "rows are not sorted by key and sequence number")
                }
                siftDown(0)
            } else {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
                if !heap.isEmpty { siftDown(0) }
            }
            if let failure { throw failure }
        }
        if open != nil, let result = try function.result() { try emit(result) }
    }

    /// Paimon's `dropDelete` rule: retractions go only when the output level is above 0 and at least the highest
    /// non-empty level of the bucket (nothing older of any key can lie above it).
    package static func dropsDeletes(outputLevel: Int, highestLevel: Int) -> Bool {
        outputLevel != 0 && outputLevel >= highestLevel
    }

    /// The primary keys without the partition keys (Paimon's trimmed primary keys), or all of them when nothing
    /// remains.
    static func trimmedKeys(_ schema: PaimonSchema) -> [String] {
        let trimmed = schema.primaryKeys.filter { !schema.partitionKeys.contains($0) }
        return trimmed.isEmpty ? schema.primaryKeys : trimmed
    }

    static func keyStats(_ metadata: FileMetaData, keys: [String], types: [PaimonDataType]) throws -> PaimonSimpleStats {
        var minimum: [PaimonValue?] = []
        var maximum: [PaimonValue?] = []
        var nulls: [Int64?] = []
        for (key, type) in zip(keys, types) {
            let bounds = PaimonAppendRewrite.bounds(column: "_KEY_\(key)", type: type, in: metadata)
            minimum.append(bounds?.min)
            maximum.append(bounds?.max)
            nulls.append(bounds?.nulls)
        }
        return PaimonSimpleStats(minValues: try BinaryRowWriter.serialize(minimum, types: types),
            maxValues: try BinaryRowWriter.serialize(maximum, types: types), nullCounts: nulls)
    }

    /// A key column's value as a binary-row value.
    static func value(_ value: ParquetValue, _ type: PaimonDataType) -> PaimonValue? {
        switch (value, type.root) {
        case (.boolean(let flag), _): .boolean(flag)
        case (.int32(let number), _): .long(Int64(number))
        case (.int64(let number), .timestamp), (.int64(let number), .bigint): .long(number)
        case (.float(let number), _): .double(Double(number))
        case (.double(let number), _): .double(number)
        case (.bytes(let bytes), .string): String(validating: bytes, as: UTF8.self).map { .string($0) }
        case (.bytes(let bytes), .binary): .bytes(bytes)
        default: nil
        }
    }
}
