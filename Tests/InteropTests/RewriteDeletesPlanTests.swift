import Execution
import Iceberg
import IcebergSpec
import Testing

/// `DeleteSurvey` and `RewriteDeletesPlan` on snapshots described in memory: dangling detection by the spec's
/// sequence-number rules, the layouts, and which groups are rewritten together. (Execution has no test target of
/// its own; these need no peer.)
@Suite struct RewriteDeletesPlanTests {
    static func file(_ path: String, _ content: DataFile.Content, partition: Int32 = 1, records: Int64 = 10,
        referenced: String? = nil, puffin: Bool = false) -> DataFile
    {
        var file = DataFile(content: content, filePath: path, fileFormat: puffin ? "PUFFIN" : "PARQUET", specId: 0,
            partition: [.int(partition)], recordCount: records, fileSizeInBytes: 100)
        file.referencedDataFile = referenced
        if content == .equalityDeletes { file.equalityIds = [1] }
        return file
    }

    /// A survey of `data` (file, data sequence number) and `deletes` (file, sequence number), resolved by DeleteIndex.
    static func survey(data: [(DataFile, Int64)], deletes: [(DataFile, Int64)]) -> DeleteSurvey {
        let deleteEntries = deletes.map { ManifestEntry(status: .added, snapshotId: 1, sequenceNumber: $1, fileSequenceNumber: $1, dataFile: $0) }
        let index = DeleteIndex(deletes: deleteEntries, unpartitionedSpecIds: [])
        let tasks = data.map { file, seq in
            TableScan.FileTask(entry: ManifestEntry(status: .added, snapshotId: 1, sequenceNumber: seq, fileSequenceNumber: seq, dataFile: file),
                deletes: index.deletes(for: file, sequenceNumber: seq))
        }
        let snapshot = Snapshot(snapshotId: 9, parentSnapshotId: nil, sequenceNumber: 9, timestampMs: 0, manifestList: "list",
            summary: .init(operation: .append, properties: [:]), schemaId: 0)
        return DeleteSurvey(snapshot: snapshot, dataFiles: tasks, deletes: deleteEntries)
    }

    @Test func danglingByTheSequenceNumberRules() {
        let survey = Self.survey(
            data: [(Self.file("d1", .data), 3), (Self.file("d2", .data), 5), (Self.file("d3", .data, partition: 2), 2)],
            deletes: [
                (Self.file("eq-old", .equalityDeletes), 3),  // no data file of partition 1 older than 3: dangling
                (Self.file("eq-new", .equalityDeletes), 4),  // applies to d1
                (Self.file("eq-equal", .equalityDeletes, partition: 2), 2),  // equal sequence numbers: dangling
                (Self.file("pos-gone", .positionDeletes, referenced: "d0"), 6),  // its data file is gone
                (Self.file("pos-older", .positionDeletes, referenced: "d2"), 4),  // older than its data file
                (Self.file("pos-live", .positionDeletes, referenced: "d2"), 5),
                (Self.file("dv-gone", .positionDeletes, referenced: "d9", puffin: true), 6),
            ])
        #expect(survey.danglingPaths == ["dv-gone", "eq-equal", "eq-old", "pos-gone", "pos-older"])
        #expect(survey.targetsByPath["eq-new"] == ["d1"])
        let removals = DanglingDeleteCleanup.danglingRemovals(survey)
        #expect(removals.map(\.kind) == ["deletion-vectors", "equality-deletes", "equality-deletes", "position-deletes", "position-deletes"])
        #expect(removals.allSatisfy { $0.action == "drop" && $0.reason.hasPrefix("dangling: ") })
        #expect(removals.first { $0.path == "pos-gone" }?.reason.contains("d0") == true)
    }

    @Test func aPuffinFileIsDanglingOnlyWhenAllItsVectorsAre() {
        let survey = Self.survey(
            data: [(Self.file("d1", .data), 1)],
            deletes: [
                (Self.file("shared.puffin", .positionDeletes, referenced: "d1", puffin: true), 2),
                (Self.file("shared.puffin", .positionDeletes, referenced: "gone", puffin: true), 2),
            ])
        #expect(survey.danglingPaths.isEmpty)
        var inputs = RewriteDeletesPlan.Inputs()
        inputs.deadEntries = ["shared.puffin": 10]
        let plan = RewriteDeletesPlan(survey: survey, formatVersion: 3, inputs: inputs)
        #expect(plan.layout == .deletionVectors)
        #expect(plan.reexpressed.map(\.file.filePath) == ["d1"], "the dead vector makes the file worth rewriting")
        #expect(plan.removals.map(\.path) == ["shared.puffin"])
    }

    @Test func partitionScopedLayoutMergesPerPartition() {
        let survey = Self.survey(
            data: [(Self.file("a1", .data), 1), (Self.file("a2", .data), 1), (Self.file("b1", .data, partition: 2), 1),
                (Self.file("c1", .data, partition: 3), 1)],
            deletes: [
                (Self.file("pa-1", .positionDeletes), 2), (Self.file("pa-2", .positionDeletes), 3),
                (Self.file("pb-1", .positionDeletes, partition: 2), 2),
                (Self.file("pc-1", .positionDeletes, partition: 3), 2), (Self.file("eq-c", .equalityDeletes, partition: 3), 2),
            ])
        #expect(!survey.isFileScoped)
        let plan = RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: .init())
        #expect(plan.layout == .partition)
        #expect(plan.reexpressed.map(\.file.filePath) == ["a1", "a2", "c1"], "partition 2 has a single delete file")
        #expect(plan.removals.map(\.path) == ["eq-c", "pa-1", "pa-2", "pc-1"], "equality deletes are converted with the rest")
        #expect(plan.removals.allSatisfy { $0.action == "rewrite" })
        // A single delete file with entries for data files it no longer applies to is rewritten too.
        var inputs = RewriteDeletesPlan.Inputs()
        inputs.deadEntries = ["pb-1": 3]
        #expect(RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: inputs).reexpressed.map(\.file.filePath) == ["a1", "a2", "b1", "c1"])
        // --partition keeps the others as they are.
        inputs.partitionFilter = "=3"
        inputs.partitionPath = { file in
            guard case .int(let value)? = file.partition.first else { return "" }
            return "p=\(value)"
        }
        #expect(RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: inputs).removals.map(\.path) == ["eq-c", "pc-1"])
    }

    @Test func fileScopedLayoutMergesPerDataFile() {
        let survey = Self.survey(
            data: [(Self.file("a1", .data), 1), (Self.file("a2", .data), 1), (Self.file("a3", .data), 1)],
            deletes: [
                (Self.file("a1-d1", .positionDeletes, referenced: "a1"), 2), (Self.file("a1-d2", .positionDeletes, referenced: "a1"), 3),
                (Self.file("a2-d1", .positionDeletes, referenced: "a2"), 2),
            ])
        #expect(survey.isFileScoped)
        let plan = RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: .init())
        #expect(plan.layout == .dataFile)
        #expect(plan.reexpressed.map(\.file.filePath) == ["a1"])
        #expect(plan.removals.map(\.path) == ["a1-d1", "a1-d2"])
    }

    @Test func groupsSharingADeleteFileAreRewrittenTogether() {
        // File-scoped: a1 has two delete files; the equality delete also applies to a2, which must come along so
        // that the equality delete can be removed.
        let survey = Self.survey(
            data: [(Self.file("a1", .data), 1), (Self.file("a2", .data), 1), (Self.file("a3", .data), 4)],
            deletes: [(Self.file("a1-d1", .positionDeletes, referenced: "a1"), 2), (Self.file("eq", .equalityDeletes), 3)])
        let plan = RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: .init())
        #expect(plan.reexpressed.map(\.file.filePath) == ["a1", "a2"], "a3 is newer than the equality delete")
        #expect(plan.removals.map(\.path) == ["a1-d1", "eq"])
        // A filter excluding part of the component leaves all of it alone.
        var inputs = RewriteDeletesPlan.Inputs()
        inputs.partitionFilter = "nowhere"
        #expect(RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: inputs).isEmpty)
    }

    @Test func applyRewritesDataFilesPastTheRatio() {
        let survey = Self.survey(
            data: [(Self.file("a1", .data, records: 100), 1), (Self.file("a2", .data, records: 100), 1)],
            deletes: [(Self.file("pa", .positionDeletes), 2)])
        var inputs = RewriteDeletesPlan.Inputs()
        #expect(RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: inputs).isEmpty, "one delete file: nothing to merge")
        inputs.applyRatio = 0.1
        inputs.deletedRows = ["a1": 11, "a2": 10]
        let plan = RewriteDeletesPlan(survey: survey, formatVersion: 2, inputs: inputs)
        #expect(plan.applied.map(\.file.filePath) == ["a1"], "more than 10% deleted")
        #expect(plan.reexpressed.map(\.file.filePath) == ["a2"], "its partition's delete file is rewritten for the rest")
        #expect(plan.removals.map(\.path) == ["pa"])
    }

    @Test func v3TablesConvertOtherDeletesToVectors() {
        let survey = Self.survey(
            data: [(Self.file("a1", .data), 1), (Self.file("a2", .data), 1)],
            deletes: [(Self.file("dv", .positionDeletes, referenced: "a1", puffin: true), 2),
                (Self.file("dv2", .positionDeletes, referenced: "a2", puffin: true), 2)])
        #expect(RewriteDeletesPlan(survey: survey, formatVersion: 3, inputs: .init()).isEmpty, "one vector per data file already")
        let withEquality = Self.survey(
            data: [(Self.file("a1", .data), 1)],
            deletes: [(Self.file("dv", .positionDeletes, referenced: "a1", puffin: true), 2), (Self.file("eq", .equalityDeletes), 3)])
        let plan = RewriteDeletesPlan(survey: withEquality, formatVersion: 3, inputs: .init())
        #expect(plan.reexpressed.map(\.file.filePath) == ["a1"])
        #expect(plan.removals.map(\.path) == ["dv", "eq"], "the equality delete is merged into the data file's vector")
    }

    @Test func revalidationRefusesWhatAConcurrentCommitChanged() throws {
        let table = try #require(TableIdentifier(parsing: "db.t"))
        let head = Self.survey(
            data: [(Self.file("a1", .data), 1), (Self.file("new", .data), 2)],
            deletes: [(Self.file("eq", .equalityDeletes), 3), (Self.file("dv-new", .positionDeletes, referenced: "a1", puffin: true), 4)])
        #expect(throws: AmoroError.self, "a removed file is gone") {
            try head.validateRemoval(of: ["gone"], removedData: [], covered: [], vectorTargets: [], table: table)
        }
        #expect(throws: AmoroError.self, "the equality delete now applies to a data file the commit did not cover") {
            try head.validateRemoval(of: ["eq"], removedData: [], covered: ["a1"], vectorTargets: [], table: table)
        }
        #expect(throws: AmoroError.self, "a second vector for a1") {
            try head.validateRemoval(of: [], removedData: [], covered: [], vectorTargets: ["a1"], table: table)
        }
        #expect(throws: AmoroError.self, "a removed data file is gone") {
            try head.validateRemoval(of: [], removedData: ["a0"], covered: [], vectorTargets: [], table: table)
        }
        try head.validateRemoval(of: ["eq", "dv-new"], removedData: ["a1"], covered: ["a1", "new"], vectorTargets: ["a1"], table: table)
    }
}
