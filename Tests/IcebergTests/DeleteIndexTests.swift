import Iceberg
import IcebergSpec
import Testing

@Suite struct DeleteIndexTests {
    static func file(_ path: String, _ content: DataFile.Content, spec: Int = 0, partition: [Literal?] = [.int(1)],
        format: String = "PARQUET", referenced: String? = nil) -> DataFile
    {
        var file = DataFile(content: content, filePath: path, fileFormat: format, specId: spec, partition: partition,
            recordCount: 1, fileSizeInBytes: 1)
        file.referencedDataFile = referenced
        return file
    }

    static func entry(_ file: DataFile, seq: Int64, status: ManifestEntry.Status = .added) -> ManifestEntry {
        ManifestEntry(status: status, snapshotId: 1, sequenceNumber: seq, fileSequenceNumber: seq, dataFile: file)
    }

    @Test func sequenceNumberRulesDifferForPositionAndEqualityDeletes() {
        let index = DeleteIndex(deletes: [
            Self.entry(Self.file("pos-5", .positionDeletes), seq: 5),
            Self.entry(Self.file("eq-5", .equalityDeletes), seq: 5),
            Self.entry(Self.file("eq-6", .equalityDeletes), seq: 6),
            Self.entry(Self.file("pos-4", .positionDeletes), seq: 4),
            Self.entry(Self.file("gone", .positionDeletes), seq: 9, status: .deleted),
        ], unpartitionedSpecIds: [])
        let data = Self.file("data", .data)
        // Position deletes apply at equal sequence numbers; equality deletes only to strictly older data.
        #expect(Set(index.deletes(for: data, sequenceNumber: 5).map(\.file.filePath)) == ["pos-5", "eq-6"])
        #expect(Set(index.deletes(for: data, sequenceNumber: 4).map(\.file.filePath)) == ["pos-5", "pos-4", "eq-5", "eq-6"])
        #expect(index.deletes(for: data, sequenceNumber: 7).isEmpty)
        #expect(index.count == 4)
    }

    @Test func partitionsAndGlobalEqualityDeletes() {
        let index = DeleteIndex(deletes: [
            Self.entry(Self.file("pos-p2", .positionDeletes, partition: [.int(2)]), seq: 9),
            Self.entry(Self.file("eq-p2", .equalityDeletes, partition: [.int(2)]), seq: 9),
            Self.entry(Self.file("eq-global", .equalityDeletes, spec: 1, partition: []), seq: 9),
            Self.entry(Self.file("pos-spec1", .positionDeletes, spec: 3, partition: [.int(1)]), seq: 9),
        ], unpartitionedSpecIds: [1])
        let data = Self.file("data", .data)
        #expect(index.deletes(for: data, sequenceNumber: 1).map(\.file.filePath) == ["eq-global"])
    }

    @Test func deletionVectorsReplacePositionDeletes() {
        let index = DeleteIndex(deletes: [
            Self.entry(Self.file("dv.puffin", .positionDeletes, format: "PUFFIN", referenced: "data"), seq: 3),
            Self.entry(Self.file("pos", .positionDeletes), seq: 3),
            Self.entry(Self.file("pos-other", .positionDeletes, referenced: "other"), seq: 3),
        ], unpartitionedSpecIds: [])
        #expect(index.deletes(for: Self.file("data", .data), sequenceNumber: 2).map(\.file.filePath) == ["dv.puffin"])
        #expect(index.deletes(for: Self.file("data2", .data), sequenceNumber: 2).map(\.file.filePath) == ["pos"])
        #expect(index.deletes(for: Self.file("other", .data), sequenceNumber: 2).map(\.file.filePath).sorted() == ["pos", "pos-other"])
    }

    @Test func filePathBoundsPruneUnrelatedPositionDeletes() {
        var scoped = Self.file("pos-scoped", .positionDeletes)
        scoped.lowerBounds = [2_147_483_546: Array("s3://b/data/a.parquet".utf8)]
        scoped.upperBounds = [2_147_483_546: Array("s3://b/data/c.parquet".utf8)]
        let index = DeleteIndex(deletes: [Self.entry(scoped, seq: 2)], unpartitionedSpecIds: [])
        #expect(index.deletes(for: Self.file("s3://b/data/b.parquet", .data), sequenceNumber: 1).count == 1)
        #expect(index.deletes(for: Self.file("s3://b/data/d.parquet", .data), sequenceNumber: 1).isEmpty)
    }

    @Test func floatPartitionsCompareByBits() {
        let index = DeleteIndex(deletes: [
            Self.entry(Self.file("eq-nan", .equalityDeletes, partition: [.float(.nan)]), seq: 2),
        ], unpartitionedSpecIds: [])
        #expect(index.deletes(for: Self.file("d", .data, partition: [.float(.nan)]), sequenceNumber: 1).count == 1)
        #expect(index.deletes(for: Self.file("d", .data, partition: [.float(0)]), sequenceNumber: 1).isEmpty)
    }
}

@Suite struct EqualityDeleteBoundsTests {
    static func file(_ path: String, _ content: DataFile.Content, lower: Int64, upper: Int64, nulls: Int64?) -> DataFile {
        var file = DataFile(content: content, filePath: path, fileFormat: "PARQUET", specId: 0, partition: [],
            recordCount: 1, fileSizeInBytes: 1)
        file.lowerBounds = [1: Literal.long(lower).binary]
        file.upperBounds = [1: Literal.long(upper).binary]
        file.nullValueCounts = nulls.map { [1: $0] }
        if content == .equalityDeletes { file.equalityIds = [1] }
        return file
    }

    @Test func boundsThatCannotMeetPruneEqualityDeletes() {
        let delete = ManifestEntry(status: .added, snapshotId: 1, sequenceNumber: 5, fileSequenceNumber: 5,
            dataFile: Self.file("eq", .equalityDeletes, lower: 10, upper: 20, nulls: 0))
        let index = DeleteIndex(deletes: [delete], unpartitionedSpecIds: [0], fieldTypes: [1: .long])
        #expect(index.deletes(for: Self.file("a", .data, lower: 21, upper: 30, nulls: 0), sequenceNumber: 1).isEmpty)
        #expect(index.deletes(for: Self.file("b", .data, lower: 0, upper: 9, nulls: 4), sequenceNumber: 1).isEmpty)
        #expect(index.deletes(for: Self.file("c", .data, lower: 20, upper: 25, nulls: 0), sequenceNumber: 1).count == 1)
        // Without types nothing is pruned.
        let untyped = DeleteIndex(deletes: [delete], unpartitionedSpecIds: [0])
        #expect(untyped.deletes(for: Self.file("a", .data, lower: 21, upper: 30, nulls: 0), sequenceNumber: 1).count == 1)
    }

    @Test func nullsOnBothSidesPreventPruning() {
        let delete = ManifestEntry(status: .added, snapshotId: 1, sequenceNumber: 5, fileSequenceNumber: 5,
            dataFile: Self.file("eq", .equalityDeletes, lower: 10, upper: 20, nulls: 1))
        let index = DeleteIndex(deletes: [delete], unpartitionedSpecIds: [0], fieldTypes: [1: .long])
        #expect(index.deletes(for: Self.file("a", .data, lower: 21, upper: 30, nulls: 2), sequenceNumber: 1).count == 1)
        #expect(index.deletes(for: Self.file("a", .data, lower: 21, upper: 30, nulls: nil), sequenceNumber: 1).count == 1)
        #expect(index.deletes(for: Self.file("a", .data, lower: 21, upper: 30, nulls: 0), sequenceNumber: 1).isEmpty)
    }
}
