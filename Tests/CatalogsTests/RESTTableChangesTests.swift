import Catalogs
import Iceberg
import IcebergSpec
import JSONCoding
import Testing

/// The REST commit's requirements and updates, derived from the base and new metadata of each kind of change
/// amoro's commands make.
@Suite struct RESTTableChangesTests {
    let table = TableIdentifier(namespace: ["db"], name: "t")

    func base() -> TableMetadata {
        var metadata = TableMetadata.newTable(
            location: "s3://b/db/t", uuid: "9b1c1c2e-0000-4000-8000-000000000001",
            schema: Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long))]),
            properties: ["keep": "1", "drop": "2"], nowMs: 1_000)
        for id in [Int64(11), 12] {
            metadata = metadata.committing(snapshot(id, parent: id == 11 ? nil : 11), previousMetadataLocation: "m\(id)", nowMs: 1_000 + id)
        }
        metadata.refs["tag"] = SnapshotRef(snapshotId: 11, kind: .tag)
        metadata.statistics = [StatisticsFile(snapshotId: 11, path: "s3://b/db/t/metadata/11.stats", fileSizeInBytes: 10)]
        metadata.partitionStatistics = [StatisticsFile(snapshotId: 11, path: "s3://b/db/t/metadata/11.pstats", fileSizeInBytes: 5)]
        return metadata
    }

    func snapshot(_ id: Int64, parent: Int64?) -> Snapshot {
        Snapshot(snapshotId: id, parentSnapshotId: parent, sequenceNumber: id - 10, timestampMs: 1_000 + id,
            manifestList: "s3://b/db/t/metadata/snap-\(id).avro", summary: .init(operation: .append), schemaId: 0)
    }

    func actions(_ changes: RESTTableChanges) -> [String] { changes.updates.compactMap { $0["action"]?.stringValue } }

    func refAssertions(_ changes: RESTTableChanges) -> [String: JSON] {
        var found: [String: JSON] = [:]
        for requirement in changes.requirements where requirement["type"] == .string("assert-ref-snapshot-id") {
            found[requirement["ref"]!.stringValue!] = requirement["snapshot-id"]
        }
        return found
    }

    @Test func aReplaceCommitAddsTheSnapshotAndMovesMainFromWhereItWas() throws {
        let base = base()
        let next = base.committing(snapshot(13, parent: 12), previousMetadataLocation: "m12", nowMs: 2_000)
        let changes = try RESTTableChanges(table: table, base: base, next: next)
        #expect(actions(changes) == ["add-snapshot", "set-snapshot-ref"])
        #expect(changes.updates[0]["snapshot"]?["snapshot-id"] == .int(13))
        #expect(changes.updates[1]["ref-name"] == .string("main") && changes.updates[1]["snapshot-id"] == .int(13))
        #expect(changes.updates[1]["type"] == .string("branch"))
        #expect(changes.requirements.first == .object([("type", "assert-table-uuid"), ("uuid", .string(base.tableUUID!))]))
        #expect(refAssertions(changes) == ["main": .int(12), "tag": .int(11)])
        #expect(changes.body(for: table)["identifier"]?["name"] == .string("t"))
    }

    @Test func automaticTagsAreRefOnlyUpdatesAssertedAbsent() throws {
        let base = base()
        let next = base.addingRefs(["tag-20240301": SnapshotRef(snapshotId: 12, kind: .tag, maxRefAgeMs: 1_000)],
            previousMetadataLocation: "m12", nowMs: 3_000)
        let changes = try RESTTableChanges(table: table, base: base, next: next)
        #expect(actions(changes) == ["set-snapshot-ref"])
        #expect(changes.updates[0]["ref-name"] == .string("tag-20240301") && changes.updates[0]["type"] == .string("tag"))
        #expect(changes.updates[0]["snapshot-id"] == .int(12) && changes.updates[0]["max-ref-age-ms"] == .int(1_000))
        #expect(refAssertions(changes) == ["main": .int(12), "tag": .int(11), "tag-20240301": .null])
    }

    @Test func expiringRemovesSnapshotsRefsAndTheirStatisticsAndSetsProperties() throws {
        let base = base()
        var next = base.expiring(snapshotIds: [11], refs: ["tag"], properties: ["amoro.kept": "x"],
            previousMetadataLocation: "m12", nowMs: 3_000)
        next.properties.removeValue(forKey: "drop")
        let changes = try RESTTableChanges(table: table, base: base, next: next)
        #expect(actions(changes) == [
            "set-properties", "remove-properties", "remove-statistics", "remove-partition-statistics", "remove-snapshot-ref",
            "remove-snapshots",
        ])
        #expect(changes.updates[0]["updates"] == .object([("amoro.kept", "x")]))
        #expect(changes.updates[1]["removals"] == .array(["drop"]))
        #expect(changes.updates[2]["snapshot-id"] == .int(11))
        #expect(changes.updates[4]["ref-name"] == .string("tag"))
        #expect(changes.updates[5]["snapshot-ids"] == .array([.int(11)]))
        #expect(refAssertions(changes) == ["main": .int(12), "tag": .int(11)])
    }

    @Test func aNewRefIsAssertedAbsentAndNewStatisticsFollowTheirSnapshot() throws {
        let base = base()
        var next = base.committing(snapshot(13, parent: 12), previousMetadataLocation: "m12", nowMs: 2_000)
        next.refs["audit"] = SnapshotRef(snapshotId: 13, kind: .branch, minSnapshotsToKeep: 2)
        next.statistics.append(StatisticsFile(snapshotId: 13, path: "s3://b/db/t/metadata/13.stats", fileSizeInBytes: 9))
        let changes = try RESTTableChanges(table: table, base: base, next: next)
        #expect(actions(changes) == ["add-snapshot", "set-statistics", "set-snapshot-ref", "set-snapshot-ref"])
        #expect(changes.updates[1]["statistics"]?["statistics-path"] == .string("s3://b/db/t/metadata/13.stats"))
        #expect(changes.updates[2]["ref-name"] == .string("audit") && changes.updates[2]["min-snapshots-to-keep"] == .int(2))
        #expect(refAssertions(changes)["audit"] == .null)
    }

    @Test func differencesWithoutAnUpdateAreRefusedNotDropped() {
        let base = base()
        var changedSnapshot = base
        changedSnapshot.snapshots[0].summary.properties["x"] = "y"
        var detachedHead = base
        detachedHead.currentSnapshotId = 11
        var newUUID = base
        newUUID.tableUUID = "9b1c1c2e-0000-4000-8000-000000000002"
        var unknownMember = base
        unknownMember.extra = .object([("future-field", .int(1))])
        for next in [changedSnapshot, detachedHead, newUUID, unknownMember] {
            #expect(throws: IcebergError.self) { try RESTTableChanges(table: table, base: base, next: next) }
        }
    }

    @Test func derivedFieldsAreLeftToTheServer() throws {
        let base = base()
        var next = base
        next.lastUpdatedMs += 5
        next.metadataLog.append(MetadataLogEntry(timestampMs: 9, metadataFile: "m13"))
        let changes = try RESTTableChanges(table: table, base: base, next: next)
        #expect(changes.updates.isEmpty)
    }
}

/// A REST catalog URI with user info never shows its password.
@Suite struct RESTURIRedactionTests {
    @Test func passwordsInUserInfoAreMasked() {
        #expect(RESTClient.withoutPassword("http://user:s3cret@host:8181/api") == "http://user:***@host:8181/api")
        #expect(RESTClient.withoutPassword("https://host/api?x=a@b") == "https://host/api?x=a@b")
        #expect(RESTClient.withoutPassword("http://token@host/") == "http://token@host/")
        #expect(!RESTClient.withoutPassword("http://u:p@ss@host/").contains("p@ss"))
    }
}
