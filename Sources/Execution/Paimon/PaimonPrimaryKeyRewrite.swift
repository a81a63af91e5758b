import Foundation
import Iceberg
import IcebergSpec
import Paimon
import Parquet
import Storage

/// Full compaction of a primary-key bucket with the `deduplicate` merge engine, as Paimon's merge-tree rewriter
/// does it with deletes dropped at the top level: every input row (the key columns `_KEY_<k>`, `_SEQUENCE_NUMBER`,
/// `_VALUE_KIND` and the value columns) ordered by key, then by sequence number, then by input order; per key the
/// row of the highest sequence number wins, and a winner that retracts (`-U`, `-D`) is dropped. The survivors are
/// written in key order into Parquet files of the target size at `outputLevel`, each entry with its min and max
/// key, key and value statistics, and the sequence range of its rows. The bucket's rows are held in memory.
enum PaimonPrimaryKeyRewrite {
    static func run(
        _ inputs: [PaimonManifestEntry], directory: String, schema: PaimonSchema, storage: any Storage, targetFileSize: Int64,
        compression: CompressionKind, outputLevel: Int, nowMs: Int64, deleted: [String: RoaringPositionBitmap] = [:],
        written: (String) -> Void
    ) async throws -> [PaimonAppendRewrite.Output] {
        guard let first = inputs.first else { return [] }
        let keys = trimmedKeys(schema)
        let keyTypes = try keys.map { name in
            guard let field = schema.fields.first(where: { $0.name == name }) else { throw PaimonError.invalidFile("schema", "no key \(name)") }
            return field.type
        }
        var options = ParquetWriterOptions()
        options.compression = compression
        var rows: [[ParquetValue]] = []
        var opened = PaimonRewriteInputs(directory: directory, storage: storage)
        for input in inputs {
            let location = opened.location(of: input)
            let reader = try await opened.open(input)
            options.keyValueMetadata = opened.keyValueMetadata
            var failure: PaimonError?
            // Rows a deletion vector deletes take no part in the merge.
            let vector = deleted[input.file.fileName]
            var position: Int64 = 0
            try reader.readRows { _, batch in
                for row in batch {
                    defer { position += 1 }
                    if vector?.contains(position) == true { continue }
                    guard case .group(let fields) = row else {
                        failure = .invalidFile(location, "a row is not a record")
                        return
                    }
                    rows.append(fields)
                }
            }
            if let failure { throw failure }
        }
        guard let fileSchema = opened.schema else { return [] }
        let names = fileSchema.root.children.map(\.name)
        func index(_ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else { throw PaimonError.invalidFile(directory, "data files lack the column \(name)") }
            return index
        }
        let keyIndexes = try keys.map { try index("_KEY_\($0)") }
        let sequenceIndex = try index("_SEQUENCE_NUMBER")
        let kindIndex = try index("_VALUE_KIND")
        func sequence(_ row: [ParquetValue]) throws -> Int64 {
            guard case .int64(let value) = row[sequenceIndex] else { throw PaimonError.invalidFile(directory, "a _SEQUENCE_NUMBER is not a long") }
            return value
        }
        // Key order, then sequence number; the sort is stable, so equal sequence numbers keep input order.
        var order = Array(rows.indices)
        var sequences: [Int64] = []
        sequences.reserveCapacity(rows.count)
        for row in rows { sequences.append(try sequence(row)) }
        var keyFailure = false
        order.sort { a, b in
            for position in keyIndexes {
                guard let c = compare(rows[a][position], rows[b][position]) else {
                    keyFailure = true
                    return false
                }
                if c != 0 { return c < 0 }
            }
            if sequences[a] != sequences[b] { return sequences[a] < sequences[b] }
            return a < b
        }
        if keyFailure { throw PaimonError.unsupported("comparing keys of these types") }
        var survivors: [Int] = []
        var position = 0
        while position < order.count {
            var last = position
            while last + 1 < order.count, keyIndexes.allSatisfy({ compare(rows[order[position]][$0], rows[order[last + 1]][$0]) == 0 }) {
                last += 1
            }
            let winner = order[last]
            guard case .int32(let kind) = rows[winner][kindIndex] else { throw PaimonError.invalidFile(directory, "a _VALUE_KIND is not a byte") }
            // Row kinds: 0 +I, 1 -U, 2 +U, 3 -D. Retractions are dropped at the top level.
            if kind == 0 || kind == 2 { survivors.append(winner) }
            position = last + 1
        }

        var outputs: [PaimonAppendRewrite.Output] = []
        let prefix = "data-\(UUID().uuidString.lowercased())-"
        var start = 0
        let batch = 4096
        while start < survivors.count {
            let sink = MemorySink()
            let writer = try ParquetFileWriter(schema: fileSchema, sink: sink, options: options)
            var end = start
            while end < survivors.count {
                let next = min(survivors.count, end + batch)
                try writer.write(rows: survivors[end..<next].map { .group(rows[$0]) })
                end = next
                if Int64(writer.writtenBytes + writer.bufferedBytes) >= targetFileSize { break }
            }
            let metadata = try writer.close()
            let name = "\(prefix)\(outputs.count).parquet"
            let location = "\(directory)/\(name)"
            written(location)
            try await storage.write(location, bytes: sink.bytes, mode: .createNew)
            let written = survivors[start..<end]
            let minKey = try BinaryRowWriter.serialize(keyIndexes.enumerated().map { value(rows[written.first!][$1], keyTypes[$0]) }, types: keyTypes)
            let maxKey = try BinaryRowWriter.serialize(keyIndexes.enumerated().map { value(rows[written.last!][$1], keyTypes[$0]) }, types: keyTypes)
            var file = PaimonDataFile(
                fileName: name, fileSize: Int64(sink.bytes.count), rowCount: metadata.numRows, minKey: minKey, maxKey: maxKey,
                minSequenceNumber: written.map { sequences[$0] }.min() ?? 0, maxSequenceNumber: written.map { sequences[$0] }.max() ?? 0,
                schemaId: first.file.schemaId, level: outputLevel, extraFiles: [],
                creationTimeMs: nowMs.saturatingAdd(Int64(TimeZone.current.secondsFromGMT()) * 1000), deleteRowCount: 0, fileSource: 1,
                externalPath: nil)
            file.keyStats = try keyStats(metadata, keys: keys, types: keyTypes)
            let values = try PaimonAppendRewrite.valueStats(metadata, schema: schema)
            file.valueStats = values.stats
            file.valueStatsCols = values.columns
            outputs.append(.init(location: location, entry: PaimonManifestEntry(kind: .add, partition: first.partition, bucket: first.bucket,
                totalBuckets: first.totalBuckets, file: file)))
            start = end
        }
        return outputs
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

    /// Paimon's key order of two stored values (nulls first, strings and binaries by unsigned bytes); nil for
    /// values that are not comparable.
    static func compare(_ a: ParquetValue, _ b: ParquetValue) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case (.int32(let x), .int32(let y)): return sign(x, y)
        case (.int64(let x), .int64(let y)): return sign(x, y)
        case (.float(let x), .float(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.bytes(let x), .bytes(let y)):
            for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
            return sign(x.count, y.count)
        default: return nil
        }
    }
}
