import Documents
import Execution
import Foundation
import JSONCoding
import Testing

/// The Paimon plan (`amoro.plan`, `format: paimon`) and its compact-result, against their golden files, and their
/// round trips.
struct PaimonPlanGoldenTests {
    static let plan = PaimonCompactionPlan(
        catalog: "lake", table: "db.events", location: "$ROOT/lake/db.db/events", snapshotId: 12, planTimeMs: 4_102_444_800_000,
        level: "auto", targetFileSize: 268_435_456,
        tasks: [
            .init(id: 0, partition: "dt=2024-01-01", partitionRow: "0000000100000000000000000a00000010000000323032342d30312d3031000000000000", bucket: 0,
                reason: "6 small files, compaction.min.file-num 5",
                files: (0..<6).map { .init(fileName: "data-8e1f3c2a-\($0).parquet", size: 1_300 + Int64($0), rowCount: 3) }),
        ],
        skipped: [.init(partition: "dt=2024-01-02", bucket: 1, files: 2, reason: "a file with an external path (data-file.external-paths)")])

    @Test func paimonPlanMatchesItsGoldenFile() throws {
        let document = PaimonPlanDocument(Self.plan)
        try DocumentGoldenTests.expectGolden(document.json.rendered(pretty: true) + "\n", name: "plan.paimon.v1.json")
        #expect(try PaimonPlanDocument(json: document.json) == document)
        #expect(PaimonPlanDocument.isPaimon(document.json))
    }

    @Test func paimonCompactResultMatchesItsGoldenFile() throws {
        let result = PaimonCompact.Result(status: .committed, snapshotId: 13, tasks: 1, filesIn: 6, bytesIn: 7_815, rows: 18, filesOut: 1,
            bytesOut: 2_048, rowsOut: 18, retries: 1)
        let document = CompactResultDocument(paimon: Self.plan, result: result, failure: nil, locked: false, durationMs: 0)
        try DocumentGoldenTests.expectGolden(document.json.rendered(pretty: true) + "\n", name: "compact-result.paimon.v1.json")
        #expect(try CompactResultDocument(json: document.json) == document)
    }

    @Test func plansOfEarlierVersionsSkipNothing() throws {
        guard case .object(let members) = PaimonPlanDocument(Self.plan).json else { Issue.record("not an object"); return }
        let earlier = try PaimonPlanDocument(json: .object(members.filter { $0.0 != "skipped" }))
        #expect(earlier.plan.skipped.isEmpty && earlier.plan.tasks == Self.plan.tasks)
        #expect(PaimonPlanDocument(Self.plan).rendered().contains(
            "left alone: dt=2024-01-02 bucket 1, 2 files: a file with an external path (data-file.external-paths)"))
    }

    @Test func primaryKeyTasksCarryTheirOutputLevel() throws {
        var plan = Self.plan
        plan.tasks[0].outputLevel = 4
        let json = PaimonPlanDocument(plan).json
        #expect(json["tasks"]?.arrayValue?.first?["output_level"] == .int(4))
        #expect(try PaimonPlanDocument(json: json).plan.tasks[0].outputLevel == 4)
        #expect(PaimonPlanDocument(Self.plan).json["tasks"]?.arrayValue?.first?["output_level"] == .null)
        let hostile = json.rendered().replacingOccurrences(of: "\"output_level\":4", with: "\"output_level\":-1")
        #expect(hostile != json.rendered())
        #expect(throws: DocumentError.self) { try PaimonPlanDocument(json: try JSON.parse(Array(hostile.utf8))) }
    }

    @Test func paimonPlansAreCheckedMemberByMember() throws {
        var json = PaimonPlanDocument(Self.plan).json
        guard case .object(var members) = json else { return }
        members = members.map { $0.0 == "target_file_size" ? ($0.0, .int(0)) : $0 }
        json = .object(members)
        #expect(throws: DocumentError.self) { try PaimonPlanDocument(json: json) }
    }
}
