import Avro
import Foundation
import Iceberg
import IcebergSpec
import Storage
import Testing
import TestSupport

@Suite struct ManifestRoundTripTests {
    static let schema = Schema(schemaId: 3, fields: [
        NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
        NestedField(id: 2, name: "ts", isRequired: false, type: .primitive(.timestamptz)),
        NestedField(id: 3, name: "price", isRequired: false, type: .primitive(.decimal(precision: 20, scale: 2))),
        NestedField(id: 4, name: "u", isRequired: false, type: .primitive(.uuid)),
    ])
    static let spec = PartitionSpec(specId: 7, fields: [
        PartitionField(sourceId: 2, fieldId: 1000, name: "ts_day", transform: .day),
        PartitionField(sourceId: 3, fieldId: 1001, name: "price", transform: .identity),
        PartitionField(sourceId: 4, fieldId: 1002, name: "u", transform: .identity),
        PartitionField(sourceId: 1, fieldId: 1003, name: "id_bucket", transform: .bucket(8)),
    ])

    static func files(formatVersion: Int) -> [ManifestEntry] {
        var data = DataFile(content: .data, filePath: "s3://b/t/data/a.parquet", fileFormat: "PARQUET", specId: 7,
            partition: [.date(-3), .decimal(unscaled: -123_456_789_012, precision: 20, scale: 2), .uuid(Array(0..<16)), nil],
            recordCount: 42, fileSizeInBytes: 4242)
        data.columnSizes = [1: 10, 2: 20]
        data.valueCounts = [1: 42, 2: 42]
        data.nullValueCounts = [1: 0, 2: 3]
        data.nanValueCounts = [:]
        data.lowerBounds = [1: Literal.long(-5).binary]
        data.upperBounds = [1: Literal.long(99).binary]
        data.keyMetadata = [1, 2, 3]
        data.splitOffsets = [4, 1000]
        data.sortOrderId = 0
        if formatVersion == 1 { data.blockSizeInBytes = 67_108_864 }
        if formatVersion >= 3 { data.firstRowId = 500 }
        var entries = [
            ManifestEntry(status: .existing, snapshotId: 11, sequenceNumber: formatVersion == 1 ? 0 : 4,
                fileSequenceNumber: formatVersion == 1 ? 0 : 5, dataFile: data),
        ]
        if formatVersion >= 2 {
            var dv = DataFile(content: .positionDeletes, filePath: "s3://b/t/data/dv.puffin", fileFormat: "PUFFIN", specId: 7,
                partition: [.date(-3), nil, nil, .int(3)], recordCount: 2, fileSizeInBytes: 900)
            dv.referencedDataFile = "s3://b/t/data/a.parquet"
            if formatVersion >= 3 {
                dv.contentOffset = 4
                dv.contentSizeInBytes = 60
            }
            var equality = DataFile(content: .equalityDeletes, filePath: "s3://b/t/data/eq.parquet", fileFormat: "PARQUET",
                specId: 7, partition: [nil, nil, nil, nil], recordCount: 1, fileSizeInBytes: 10)
            equality.equalityIds = [1, 2]
            entries.append(ManifestEntry(status: .added, snapshotId: 12, sequenceNumber: nil, fileSequenceNumber: nil, dataFile: dv))
            entries.append(ManifestEntry(status: .deleted, snapshotId: 12, sequenceNumber: 2, fileSequenceNumber: 2, dataFile: equality))
        }
        return entries
    }

    @Test(arguments: [1, 2, 3])
    func manifestsRoundTripWithInheritance(formatVersion: Int) throws {
        let entries = Self.files(formatVersion: formatVersion)
        let bytes = try ManifestWriter.manifest(entries: entries, content: .data, spec: Self.spec, schema: Self.schema,
            formatVersion: formatVersion, properties: ["write.manifest.compression-codec": "zstd"])
        let header = try AvroFileReader(bytes: bytes).header
        #expect(header.codec == .zstandard)
        #expect(header.metadataString("format-version") == String(formatVersion))
        #expect(header.metadataString("partition-spec-id") == "7")
        #expect(header.metadataString("content") == (formatVersion >= 2 ? "data" : nil))
        #expect(header.schema.fullName == "manifest_entry")
        let manifest = ManifestFile(path: "m.avro", length: Int64(bytes.count), partitionSpecId: 7, content: .data,
            sequenceNumber: formatVersion == 1 ? 0 : 6, minSequenceNumber: 2, addedSnapshotId: 12)
        let read = try ManifestReader.entries(bytes, manifest: manifest,
            partitionType: try Self.spec.partitionType(schema: Self.schema), location: "m.avro")
        var expected = entries
        if formatVersion >= 2 {
            expected[1].sequenceNumber = 6  // ADDED with nil: inherited from the manifest
            expected[1].fileSequenceNumber = 6
        }
        #expect(read == expected)
        // The planning projection leaves metrics out.
        let planning = try ManifestReader.entries(bytes, manifest: manifest,
            partitionType: try Self.spec.partitionType(schema: Self.schema), location: "m.avro", projection: .planning(bounds: false))
        #expect(planning[0].dataFile.columnSizes == nil && planning[0].dataFile.lowerBounds == nil)
        #expect(planning[0].dataFile.partition == entries[0].dataFile.partition)
    }

    @Test(arguments: [1, 2, 3])
    func manifestListsRoundTrip(formatVersion: Int) throws {
        var manifest = ManifestFile(path: "s3://b/t/metadata/x-m0.avro", length: 1234, partitionSpecId: 7,
            content: formatVersion >= 2 ? .deletes : .data, sequenceNumber: formatVersion == 1 ? 0 : 9,
            minSequenceNumber: formatVersion == 1 ? 0 : 3, addedSnapshotId: 77)
        manifest.addedFilesCount = 1
        manifest.existingFilesCount = 2
        manifest.deletedFilesCount = 0
        manifest.addedRowsCount = 10
        manifest.existingRowsCount = 20
        manifest.deletedRowsCount = 0
        manifest.partitions = [FieldSummary(containsNull: true, containsNaN: false, lowerBound: [1], upperBound: [9])]
        if formatVersion >= 3 { manifest.firstRowId = 1000 }
        var snapshot = Snapshot(snapshotId: 77, parentSnapshotId: nil, sequenceNumber: formatVersion == 1 ? 0 : 9,
            timestampMs: 1, manifestList: "l.avro", summary: .init(operation: .append), schemaId: 3)
        snapshot.firstRowId = formatVersion >= 3 ? 1000 : nil
        let bytes = try ManifestWriter.manifestList(manifests: [manifest], snapshot: snapshot, formatVersion: formatVersion,
            properties: [:])
        let header = try AvroFileReader(bytes: bytes).header
        #expect(header.codec == .deflate, "gzip by default")
        #expect(header.metadataString("parent-snapshot-id") == "null")
        #expect(header.metadataString("snapshot-id") == "77")
        #expect(try ManifestReader.manifestList(bytes, location: "l.avro") == [manifest])
    }

    @Test func gzipMetadataIsWrittenAndReadByName() async throws {
        let root = try Fixtures.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let metadata = TableMetadata.newTable(location: root.path, uuid: "u", schema: Self.schema, spec: Self.spec,
            properties: ["write.metadata.compression-codec": "gzip"], formatVersion: 3, nowMs: 5)
        let location = MetadataFiles.nextLocation(for: metadata, previous: "\(root.path)/metadata/00004-a.metadata.json", uuid: "b")
        #expect(location == "\(root.path)/metadata/00005-b.gz.metadata.json")
        try await MetadataFiles.write(metadata, to: location, storage: LocalStorage())
        let raw = try Data(contentsOf: URL(fileURLWithPath: location))
        #expect(raw.prefix(2) == Data([0x1F, 0x8B]), "a gzip stream")
        #expect(try await MetadataFiles.read(location, storage: LocalStorage()) == metadata)
    }
}
