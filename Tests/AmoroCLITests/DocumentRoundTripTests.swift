import Documents
import Execution
import Iceberg
import IcebergSpec
import JSONCoding
import Planning
import Testing
import TestSupport

/// Every document kind reads back what it writes: `decode(encode(x)) == x` for representative values (every
/// optional member set and unset, every list empty and full) and for seeded random ones.
struct DocumentRoundTripTests {
    static func roundTrips<D: Document>(_ value: D) throws {
        let text = value.json.rendered()
        let decoded = try D(json: try JSON.parse(text))
        #expect(decoded == value, "\(D.kind): \(text)")
        #expect(decoded.json.rendered() == text, "\(D.kind) renders the same bytes again")
    }

    static func plan(_ random: inout SeededGenerator) -> OptimizingPlan {
        func file(_ index: Int) -> OptimizingPlan.File {
            OptimizingPlan.File(path: "/w/db/t/data/region=eu/\(index).parquet", size: Int64.random(in: 0...(1 << 40), using: &random),
                records: Int64.random(in: 0...1_000_000, using: &random), sequenceNumber: Int64.random(in: 0...99, using: &random),
                deletes: (0..<Int.random(in: 0...2, using: &random)).map { "/w/db/t/data/region=eu/d\($0).parquet" })
        }
        let tasks = (0..<Int.random(in: 0...3, using: &random)).map { id in
            OptimizingPlan.Task(
                id: id, specId: Int.random(in: 0...3, using: &random), partition: id == 0 ? "" : "region=eu",
                partitionValues: id == 0 ? [] : [.init(name: "region", value: .string("eu")), .init(name: "day", value: .null)],
                rewriteDataFiles: (0..<Int.random(in: 0...3, using: &random)).map(file),
                rewritePositionFiles: (0..<Int.random(in: 0...1, using: &random)).map { file($0 + 10) },
                deleteFiles: [.init(path: "/w/db/t/data/region=eu/d0.parquet", content: .equality, size: 10, records: 2, sequenceNumber: 4,
                    removed: Bool.random(using: &random))])
        }
        let sorted = Bool.random(using: &random)
        return OptimizingPlan(
            catalog: "default", table: "db.t", tableUUID: Bool.random(using: &random) ? "0b6c4b4e-5b6a-4a53-9a0e-1e1f5b0c2f3d" : nil,
            location: "file:///w/db/t", metadataLocation: "file:///w/db/t/metadata/00003-x.metadata.json",
            snapshotId: tasks.isEmpty && Bool.random(using: &random) ? nil : Int64.random(in: Int64.min...Int64.max, using: &random),
            sequenceNumber: Bool.random(using: &random) ? nil : 7, level: [nil, .minor, .major, .full].randomElement(using: &random)!,
            plannedAtMs: 1_800_000_000_000, targetSize: 128 << 20, taskCapacity: 512 << 20,
            sortOrder: sorted ? SortOrder(orderId: 1, fields: [SortField(sourceId: 1, transform: .identity, direction: .ascending,
                nullOrder: .nullsFirst)]) : nil,
            budgetBytes: 1 << 30, maxTasks: Bool.random(using: &random) ? nil : 5, pendingPartitions: 3, plannedPartitions: tasks.count,
            tasks: tasks, removedDeleteFiles: tasks.isEmpty ? [] : ["/w/db/t/data/region=eu/d0.parquet"])
    }

    @Test func plansRoundTrip() throws {
        var random = SeededGenerator(seed: 13)
        for _ in 0..<200 { try Self.roundTrips(Self.plan(&random)) }
    }

    static let counts = CompactResultDocument.Counts(
        dataFilesIn: 12, bytesIn: 1 << 33, recordsIn: 9_000, dataFilesOut: 2, bytesOut: 1 << 32, recordsOut: 8_990,
        deleteFilesRemoved: 3, deleteFilesKept: ["/w/db/t/data/d1.parquet"], deleteFilesAdded: 1, dataFilesMerged: 0,
        commitAttempts: 2)

    @Test func compactResultsRoundTrip() throws {
        for status in [CompactResultDocument.Status.committed, .nothingToDo, .dryRun, .conflict, .locked, .failed, .incomplete] {
            for counts in [nil, Self.counts] {
                try Self.roundTrips(CompactResultDocument(
                    catalog: "direct", table: "/w/db/t", status: status, level: counts == nil ? nil : .major,
                    plannedSnapshotId: counts == nil ? nil : -5, snapshotId: status == .committed ? Int64.max : nil, counts: counts,
                    error: status == .failed ? "amoro: \"quoted\"\nline" : nil, durationMs: 17))
            }
        }
    }

    @Test func taskResultsRoundTrip() throws {
        var data = DataFile(content: .data, filePath: "/w/db/t/data/region=eu/a-0.parquet", fileFormat: "PARQUET", specId: 0,
            partition: [], recordCount: 10, fileSizeInBytes: 1_234)
        data.columnSizes = [1: 40, 2: 30]
        data.valueCounts = [1: 10, 2: 10]
        data.nullValueCounts = [1: 0, 2: 3]
        data.nanValueCounts = [3: 1]
        data.lowerBounds = [1: [1, 0, 0, 0, 0, 0, 0, 0], 2: Array("eu".utf8)]
        data.upperBounds = [1: [9, 0, 0, 0, 0, 0, 0, 0], 2: []]
        data.splitOffsets = [4]
        data.sortOrderId = 0
        var vector = DataFile(content: .positionDeletes, filePath: "/w/db/t/data/region=eu/b-delete-x.puffin", fileFormat: "PUFFIN",
            specId: 0, partition: [], recordCount: 2, fileSizeInBytes: 300)
        vector.referencedDataFile = "/w/db/t/data/region=eu/b.parquet"
        vector.contentOffset = 4
        vector.contentSizeInBytes = 44
        let plan = TaskResult.PlanIdentity(catalog: "default", table: "db.t", tableUUID: "u", plannedSnapshotId: -3, plannedAtMs: 7)
        for status in [TaskResult.Status.succeeded, .failed] {
            try Self.roundTrips(TaskResultDocument(TaskResult(
                plan: plan, taskId: 3, attemptId: "0b0e5d4e-3a52-4a55-8bde-4c1f6e9c2a10", status: status,
                rewrittenFiles: ["/w/db/t/data/region=eu/a.parquet"], reexpressedFiles: status == .failed ? [] : ["/w/db/t/data/region=eu/b.parquet"],
                deletesApplied: ["/w/db/t/data/region=eu/d.parquet"], dataFiles: status == .failed ? [] : [data],
                deleteFiles: status == .failed ? [] : [vector], recordsIn: 12, mergedFiles: 0,
                error: status == .failed ? "disk full" : nil, durationMs: 5, host: "worker-1")))
        }
    }

    static let expireDetails = ExpireResultDocument.Details(
        cutoffMs: 1_700_000_000_000,
        retention: RetentionPolicy(expireOlderThanMs: 1_700_000_000_000, minSnapshotsToKeep: 2, maxRefAgeMs: .max,
            flinkCheckpointRetentionMs: 604_800_000),
        snapshotsRemoved: [.init(snapshotId: 1, timestampMs: 5, reason: .age), .init(snapshotId: -9, timestampMs: 6, reason: .refExpired)],
        refsRemoved: [.init(name: "audit", type: .branch, snapshotId: 4, maxRefAgeMs: 86_400_000),
            .init(name: "v2", type: .tag, snapshotId: 3, maxRefAgeMs: nil)],
        files: [.init(path: "/w/db/t/metadata/snap-1.avro", fileClass: .manifestLists, size: 4_000),
            .init(path: "/w/db/t/metadata/00001.metadata.json", fileClass: .metadata, size: nil)],
        filesDeleted: [.data: .init(files: 2, bytes: 8_000), .metadata: .init(files: 1, bytes: 900)],
        filesKept: "gc.enabled=false: no file was deleted", filesSkipped: [FileNote(path: "/w/x", note: "still reachable")],
        deleteFailures: [FileNote(path: "/etc/passwd", note: "not deleted: outside the table location")], commitAttempts: 1)

    @Test func expireResultsRoundTrip() throws {
        var dryRun = Self.expireDetails
        var expired = Self.expireDetails
        expired.files = nil
        expired.retention = nil
        expired.cutoffMs = nil
        dryRun.filesDeleted = [:]
        for (status, details) in [(ExpireResultDocument.Status.dryRun, dryRun), (.expired, expired)] {
            try Self.roundTrips(ExpireResultDocument(catalog: "default", table: "db.t", tableUUID: "u", status: status, details: details,
                error: nil, durationMs: 3))
        }
        try Self.roundTrips(ExpireResultDocument(catalog: "default", table: "db.t", tableUUID: nil, status: .locked, details: nil,
            error: "another amoro run holds the table's lock; skipped", durationMs: 0))
    }

    static let orphanDetails = CleanOrphansResultDocument.Details(
        graceMs: 259_200_000, filesFound: 40, filesReachable: 30, filesKeptYoung: 1, prefixMismatches: ["s3a://b/w/db/t/data/x"],
        orphans: [.init(path: "/w/db/t/data/stray.parquet", size: 10, ageMs: 90_000_000), .init(path: "/w/db/t/y", size: 0, ageMs: -5)],
        filesDeleted: 2, bytesDeleted: 10, deleteFailures: [], directoriesRemoved: ["/w/db/t/data/empty"],
        filesSkipped: [FileNote(path: "/w/db/t/z", note: "now referenced")],
        danglingDeletes: .init(status: .dryRun, snapshotId: nil, removals: [
            .init(path: "/w/db/t/data/d.parquet", kind: "position-deletes", records: 4, bytes: 100, reason: "applies to no live data file"),
        ]))

    @Test func cleanOrphansResultsRoundTrip() throws {
        var noDangling = Self.orphanDetails
        noDangling.danglingDeletes = nil
        for details in [Self.orphanDetails, noDangling] {
            try Self.roundTrips(CleanOrphansResultDocument(catalog: "default", table: "db.t", tableUUID: "u", status: .dryRun,
                details: details, error: nil, durationMs: 8))
        }
        try Self.roundTrips(CleanOrphansResultDocument(catalog: "default", table: "db.t", tableUUID: nil, status: .failed, details: nil,
            error: "gc.enabled=false", durationMs: 8))
    }

    @Test func rewriteDeletesResultsRoundTrip() throws {
        let details = RewriteDeletesResultDocument.Details(
            removals: [.init(path: "/w/d1.parquet", kind: "equality-deletes", records: 9, bytes: 900, action: "rewrite", reason: "merged"),
                .init(path: "/w/d2.parquet", kind: "position-deletes", records: 1, bytes: 90, action: "drop", reason: "dangling")],
            written: [.init(path: "/w/n.parquet", kind: "position-deletes", partition: "region=eu", dataFiles: 3, records: 8, bytes: 500),
                .init(path: "/w/data.parquet", kind: "data", partition: "region=eu", dataFiles: 1, records: 100, bytes: 5_000)],
            rewrittenDataFiles: ["/w/old.parquet"], entriesDroppedAsDangling: 2, dataBytesIn: 6_000, commitAttempts: 1)
        for (status, details) in [(RewriteDeletesResultDocument.Status.committed, Optional(details)), (.failed, nil)] {
            try Self.roundTrips(RewriteDeletesResultDocument(catalog: "default", table: "db.t", tableUUID: details == nil ? nil : "u",
                status: status, layout: details == nil ? nil : .partition, plannedSnapshotId: 1, snapshotId: details == nil ? nil : 2,
                details: details, error: details == nil ? "boom" : nil, durationMs: 1))
        }
    }

    @Test func rewriteManifestsResultsRoundTrip() throws {
        let details = RewriteManifestsResultDocument.Details(targetSizeBytes: 8 << 20, manifestsBefore: 5,
            replaced: [.init(path: "/w/m1.avro", content: .data, specId: 0, bytes: 4_000, liveEntries: 2, deletedEntries: 1),
                .init(path: "/w/m2.avro", content: .deletes, specId: 1, bytes: 3_000, liveEntries: 1, deletedEntries: 0)],
            created: [.init(path: "/w/n.avro", content: .data, specId: 0, bytes: 5_000, entries: 3, firstPartition: "region=eu",
                lastPartition: "region=us")],
            commitAttempts: 1)
        for (status, details) in [(RewriteManifestsResultDocument.Status.committed, Optional(details)), (.failed, nil)] {
            try Self.roundTrips(RewriteManifestsResultDocument(catalog: "default", table: "db.t", tableUUID: details == nil ? nil : "u",
                status: status, plannedSnapshotId: 1, snapshotId: details == nil ? nil : 2, details: details,
                error: details == nil ? "boom" : nil, durationMs: 1))
        }
    }

    @Test func scansRoundTrip() throws {
        let tally = ScanDocument.Tally(files: 3, bytes: 3_000, records: 30)
        let partition = ScanDocument.Partition(
            specId: 0, partition: "region=eu", values: [.init(name: "region", value: .string("eu"))], fragment: tally,
            undersizedSegment: tally, segment: tally, positionDeletes: tally, equalityDeletes: tally, deletionVectors: tally,
            maxSegmentPositionDeleteRatio: 0.25, pending: (.minor, ["fragments"]), cost: 9_000,
            health: .init(score: 80, smallFiles: 20, equalityDeletes: 40, positionDeletes: 20))
        var quiet = partition
        quiet.pending = nil
        quiet.health = nil
        quiet.maxSegmentPositionDeleteRatio = 0
        let document = ScanDocument(
            catalog: "default", table: "db.t", tableUUID: "u", formatVersion: 2, location: "file:///w/db/t", snapshotId: 5,
            snapshotTimestampMs: 1_700_000_000_000, sequenceNumber: 4, scannedAtMs: 1_800_000_000_000,
            settings: .init(enabled: true, targetSize: 128 << 20, fragmentSize: 16 << 20, minTargetSize: 96 << 20,
                maxTaskSizeBytes: 1 << 30, minorTriggerFileCount: 12, minorTriggerIntervalMs: 3_600_000,
                majorTriggerDuplicateRatio: 0.1, fullTriggerIntervalMs: -1, fullRewriteAllFiles: false, filter: nil,
                rowGroupMerge: false, rowGroupMergeMinAvgBytes: 8 << 20),
            lastOptimizingMs: [.minor: 1_790_000_000_000], health: .init(score: 60, smallFiles: 0, equalityDeletes: 40, positionDeletes: 20),
            pendingLevel: .minor, pendingPartitions: 1,
            totals: .init(partitions: 2, dataFiles: 18, dataBytes: 18_000, records: 180, positionDeleteFiles: 6, positionDeleteRecords: 60,
                equalityDeleteFiles: 3, equalityDeleteRecords: 30, deletionVectors: 0, deletionVectorRecords: 0),
            partitions: [partition, quiet])
        try Self.roundTrips(document)
        var empty = document
        empty.snapshotId = nil
        empty.partitions = []
        empty.lastOptimizingMs = [:]
        try Self.roundTrips(empty)
    }

    @Test func inspectionsRoundTrip() throws {
        let chunk = InspectDocument.Parquet.Chunk(
            path: "s.a", codec: "ZSTD", encodings: ["PLAIN", "RLE"], values: 10, compressedBytes: 100, uncompressedBytes: 120,
            dataPageOffset: 4, dictionaryPageOffset: nil,
            statistics: .init(nullCount: 0, distinctCount: nil, min: .string("a"), max: .double(2.5), nanCount: nil),
            pages: [.init(offset: 4, type: "DATA_PAGE", encoding: "PLAIN", values: 10, compressedBytes: 90, uncompressedBytes: 110)])
        var bare = chunk
        bare.pages = nil
        bare.statistics = nil
        let parquet = InspectDocument.Parquet(
            formatVersion: 2, createdBy: nil, rows: 10, footerBytes: 300, keyValueMetadata: [.init(key: "iceberg.schema", value: "{}")],
            schema: [.init(path: "s.a", physicalType: "FIXED_LEN_BYTE_ARRAY", typeLength: 16, logicalType: "UUID", repetition: "OPTIONAL",
                fieldId: 7, maxDefinitionLevel: 2, maxRepetitionLevel: 0),
                .init(path: "b", physicalType: "INT32", typeLength: nil, logicalType: nil, repetition: "REQUIRED", fieldId: nil,
                    maxDefinitionLevel: 0, maxRepetitionLevel: 0)],
            schemaText: "message schema {\n}\n",
            rowGroups: [.init(index: 0, rows: 10, totalBytes: 120, compressedBytes: nil, columns: [chunk, bare])])
        try Self.roundTrips(InspectDocument(file: "/w/x.parquet", sizeBytes: 500, layout: .parquet(parquet)))
        let avro = InspectDocument.Avro(
            codec: "deflate", syncMarker: "00ff", headerBytes: 60, records: 3,
            schema: .object([("type", .string("record")), ("name", .string("r")), ("fields", .array([]))]),
            metadata: [.init(key: "iceberg.schema", value: "{}")],
            blocks: [.init(index: 0, offset: 60, records: 3, compressedBytes: 20, uncompressedBytes: 30)])
        try Self.roundTrips(InspectDocument(file: "/w/x.avro", sizeBytes: 100, layout: .avro(avro)))
    }
}
