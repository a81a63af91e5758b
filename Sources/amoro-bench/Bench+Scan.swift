import Catalogs
import Foundation
import Iceberg
import IcebergSpec
import Storage

extension Bench {
    /// `make-scan-table DIR FILES MANIFESTS`: a SQLite catalog in DIR with table `bench.files`, whose one snapshot
    /// lists FILES data files (day-partitioned, with full column metrics) in MANIFESTS manifests. The data files
    /// themselves are not written: scans read manifests only.
    static let scan: [Bench] = [
        Bench(name: "make-scan-table") { arguments in
            guard arguments.count == 3, let files = Int(arguments[1]), let manifestCount = Int(arguments[2]), manifestCount > 0 else {
                throw BenchError.usage("make-scan-table DIR FILES MANIFESTS")
            }
            let root = arguments[0]
            try blocking { try await makeScanTable(root: root, files: files, manifestCount: manifestCount) }
        }
    ]

    private static func makeScanTable(root: String, files: Int, manifestCount: Int) async throws {
        let catalog = try SQLCatalog(name: "default", databasePath: "\(root)/catalog.db", warehouse: "file://\(root)",
            storage: LocalStorage())
        try await catalog.createNamespace(["bench"])
        let schema = Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long)),
            NestedField(id: 2, name: "ts", isRequired: false, type: .primitive(.timestamp)),
            NestedField(id: 3, name: "name", isRequired: false, type: .primitive(.string)),
            NestedField(id: 4, name: "amount", isRequired: false, type: .primitive(.double)),
        ])
        let spec = PartitionSpec(specId: 0, fields: [PartitionField(sourceId: 2, fieldId: 1000, name: "ts_day", transform: .day)])
        let identifier = TableIdentifier(namespace: ["bench"], name: "files")
        let location = catalog.defaultLocation(for: identifier)
        let base = try await catalog.createTable(identifier, metadata: .newTable(location: location, uuid: UUID().uuidString.lowercased(),
            schema: schema, spec: spec, nowMs: 1_700_000_000_000))
        let snapshotId = base.metadata.newSnapshotId()
        let perManifest = (files + manifestCount - 1) / manifestCount
        var manifests: [ManifestFile] = []
        for index in 0..<manifestCount {
            let range = (index * perManifest)..<min(files, (index + 1) * perManifest)
            if range.isEmpty { break }
            let entries = range.map { number -> ManifestEntry in
                var file = DataFile(content: .data, filePath: "\(location)/data/ts_day=\(number % 365)/\(number).parquet",
                    fileFormat: "PARQUET", specId: 0, partition: [.date(Int32(19_000 + number % 365))],
                    recordCount: Int64(1000 + number % 97), fileSizeInBytes: Int64(100_000 + number * 7 % 9_000_000))
                file.columnSizes = [1: 8000, 2: 8000, 3: 20000, 4: 8000]
                file.valueCounts = [1: 1000, 2: 1000, 3: 1000, 4: 1000]
                file.nullValueCounts = [1: 0, 2: 0, 3: 12, 4: 0]
                file.nanValueCounts = [4: 0]
                file.lowerBounds = [1: Literal.long(Int64(number) * 1000).binary, 3: Array("aaaa".utf8), 4: Literal.double(0).binary]
                file.upperBounds = [1: Literal.long(Int64(number) * 1000 + 999).binary, 3: Array("zzzz".utf8), 4: Literal.double(1e6).binary]
                file.splitOffsets = [4]
                return ManifestEntry(status: .added, snapshotId: snapshotId, sequenceNumber: nil, fileSequenceNumber: nil, dataFile: file)
            }
            let bytes = try ManifestWriter.manifest(entries: entries, content: .data, spec: spec, schema: schema, formatVersion: 2,
                properties: [:])
            let path = "\(location)/metadata/bench-m\(index).avro"
            try await catalog.storage.write(path, bytes: bytes, mode: .createNew)
            var manifest = ManifestFile(path: path, length: Int64(bytes.count), partitionSpecId: 0, content: .data,
                sequenceNumber: 1, minSequenceNumber: 1, addedSnapshotId: snapshotId)
            manifest.addedFilesCount = entries.count
            manifest.existingFilesCount = 0
            manifest.deletedFilesCount = 0
            manifest.addedRowsCount = entries.reduce(0) { $0 + $1.dataFile.recordCount }
            manifest.existingRowsCount = 0
            manifest.deletedRowsCount = 0
            manifest.partitions = try PartitionSummaries.summaries(of: entries.map(\.dataFile), spec: spec, schema: schema)
            manifests.append(manifest)
        }
        let snapshot = Snapshot(snapshotId: snapshotId, parentSnapshotId: nil, sequenceNumber: 1, timestampMs: 1_700_000_000_000,
            manifestList: "\(location)/metadata/snap-\(snapshotId)-1-bench.avro",
            summary: .init(operation: .append, properties: ["added-data-files": String(files), "total-data-files": String(files)]),
            schemaId: 0)
        let list = try ManifestWriter.manifestList(manifests: manifests, snapshot: snapshot, formatVersion: 2, properties: [:])
        try await catalog.storage.write(snapshot.manifestList!, bytes: list, mode: .createNew)
        _ = try await catalog.commit(identifier, base: base,
            metadata: base.metadata.committing(snapshot, previousMetadataLocation: base.metadataLocation, nowMs: 1_700_000_000_000))
        try report("make-scan-table", ["files": files, "manifests": manifests.count])
    }

    /// Runs async work from the synchronous bench driver.
    static func blocking(_ work: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Task {
            do { try await work() } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
    }
}
