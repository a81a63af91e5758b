import Foundation
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

@Suite struct PaimonFormatTests {
    static let fixture = Fixtures.packageRoot.appendingPathComponent("Tests/PaimonTests/Fixtures/pk-table").path

    @Test func optionsTakePaimonsDefaults() throws {
        let pk = try PaimonOptions([:], hasPrimaryKey: true)
        #expect(pk.bucket == -1 && pk.mergeEngine == "deduplicate" && pk.fileFormat == "parquet" && pk.manifestFormat == "avro")
        #expect(pk.targetFileSize == 128 << 20)
        #expect(pk.numSortedRunCompactionTrigger == 5 && pk.numSortedRunStopTrigger == 8 && pk.compactionMinFileNum == 5)
        #expect(pk.snapshotNumRetainedMin == 10 && pk.snapshotNumRetainedMax == Int(Int32.max))
        #expect(pk.snapshotTimeRetainedMs == 3_600_000 && pk.snapshotExpireLimit == 50)
        #expect(pk.changelogTimeRetainedMs == nil && pk.changelogNumRetainedMin == nil && !pk.changelogDecoupled)
        #expect(pk.consumerExpirationMs == nil && !pk.consumerChangelogOnly)
        #expect(try PaimonOptions(["changelog.num-retained.max": "10"], hasPrimaryKey: true).changelogDecoupled == false,
            "ten is not above the default maximum")
        #expect(try PaimonOptions(["changelog.num-retained.min": "20"], hasPrimaryKey: true).changelogDecoupled)
        #expect(throws: PaimonError.self) { try PaimonOptions(["changelog.num-retained.min": "0"], hasPrimaryKey: true) }
        #expect(throws: PaimonError.self) {
            try PaimonOptions(["changelog.num-retained.min": "30", "changelog.num-retained.max": "20"], hasPrimaryKey: true)
        }
        #expect(try PaimonOptions([:], hasPrimaryKey: false).targetFileSize == 256 << 20)
        let set = try PaimonOptions([
            "target-file-size": "64 mb", "snapshot.time-retained": "30 min", "changelog.time-retained": "2d",
            "consumer.expiration-time": "1h", "num-sorted-run.compaction-trigger": "3",
        ], hasPrimaryKey: true)
        #expect(set.targetFileSize == 64 << 20 && set.snapshotTimeRetainedMs == 1_800_000 && set.changelogDecoupled)
        #expect(set.consumerExpirationMs == 3_600_000 && set.numSortedRunStopTrigger == 6)
        #expect(throws: PaimonError.self) { try PaimonOptions(["snapshot.num-retained.min": "0"], hasPrimaryKey: true) }
        #expect(throws: PaimonError.self) { try PaimonOptions(["snapshot.time-retained": "soon"], hasPrimaryKey: true) }
        #expect(PaimonOptions.durationMs("9223372036854775807 d") == nil)
    }

    @Test func readsSchemaAndSnapshotJSON() throws {
        let schema = try PaimonSchema(json: try JSON.parse(try String(contentsOfFile: "\(Self.fixture)/schema/schema-0", encoding: .utf8)),
            location: "schema-0")
        #expect(schema.id == 0 && schema.partitionKeys == ["dt"] && schema.primaryKeys == ["dt", "id"])
        #expect(schema.fields.map(\.name) == ["id", "dt", "v"])
        #expect(schema.fields[0].type.root == .bigint && !schema.fields[0].type.nullable && schema.fields[2].type.nullable)
        #expect(schema.options["bucket"] == "2")
        let snapshot = try PaimonSnapshot(json: try JSON.parse(try String(contentsOfFile: "\(Self.fixture)/snapshot/snapshot-4", encoding: .utf8)),
            location: "snapshot-4")
        #expect(snapshot.id == 4 && snapshot.version == 3 && snapshot.commitKind == .append && snapshot.totalRecordCount == 12)
        #expect(snapshot.changelogManifestList == nil && snapshot.indexManifest == nil)
        // Paimon Java 1.x members and a manifest name that would leave the directory.
        let java = try JSON.parse(#"{"version":3,"id":7,"schemaId":1,"baseManifestList":"b","deltaManifestList":"d","changelogManifestList":"c","indexManifest":"i","commitUser":"u","commitIdentifier":5,"commitKind":"COMPACT","timeMillis":9,"logOffsets":{},"totalRecordCount":3,"deltaRecordCount":0,"changelogRecordCount":2,"watermark":-9223372036854775808,"statistics":"s"}"#)
        let compact = try PaimonSnapshot(json: java, location: "j")
        #expect(compact.commitKind == .compact && compact.changelogManifestList == "c" && compact.indexManifest == "i" && compact.statistics == "s")
        #expect(compact.watermark == Int64.min)
        let escaping = try JSON.parse(#"{"id":1,"schemaId":0,"baseManifestList":"../x","deltaManifestList":"d","timeMillis":1}"#)
        #expect(throws: PaimonError.self) { try PaimonSnapshot(json: escaping, location: "e") }
        for text in ["TIMESTAMP(3) WITH LOCAL TIME ZONE", "DECIMAL(38, 10) NOT NULL", "CHAR(3)", "VARBINARY(9)", "TIME(0)"] {
            #expect(try PaimonDataType(text: text).root != .other, "\(text)")
        }
        #expect(try PaimonDataType(json: try JSON.parse(#"{"type":"ARRAY NOT NULL","element":"INT"}"#)).root == .array)
    }

    /// The fixture's manifests, read as Avro by field name: four snapshots' files per partition and bucket.
    @Test func readsManifestsOfThePypaimonFixture() async throws {
        let table = PaimonTable(location: Self.fixture, storage: LocalStorage())
        #expect(await PaimonTable.isTable(Self.fixture, storage: LocalStorage()))
        #expect(try await table.snapshotFiles().map(\.id) == [1, 2, 3, 4])
        #expect(await table.hint("LATEST") == 4)
        #expect(await table.hint("EARLIEST") == nil)
        let files = PaimonSnapshotFiles(table: table)
        let snapshot = try await table.snapshot(4)
        let lists = try await files.manifestList(snapshot.baseManifestList)
        #expect(lists.count == 3 && lists.allSatisfy { $0.numDeletedFiles == 0 && $0.schemaId == 0 })
        let live = try await files.liveFiles(snapshot)
        #expect(live.count == 11)
        #expect(live.reduce(Int64(0)) { $0 + $1.file.rowCount } == 12)
        let schema = try await table.latestSchema()
        let options = try PaimonOptions(schema.options, hasPrimaryKey: true)
        var counts: [String: Int] = [:]
        for entry in live {
            #expect(entry.totalBuckets == 2 && entry.file.level == 0 && entry.file.extraFiles.isEmpty)
            let directory = try table.bucketDirectory(partition: entry.partition, bucket: entry.bucket, schema: schema, options: options)
            counts[String(directory.dropFirst(Self.fixture.count + 1)), default: 0] += 1
            // Keys are the primary key less the partition: one BIGINT.
            let key = try BinaryRow(serialized: entry.file.minKey)
            #expect(key.arity == 1)
        }
        #expect(counts == ["dt=a/bucket-0": 4, "dt=a/bucket-1": 3, "dt=b/bucket-0": 3, "dt=b/bucket-1": 1])
    }

    @Test func mergeCancelsAddedFilesLaterDeleted() {
        func entry(_ kind: PaimonManifestEntry.Kind, _ name: String) -> PaimonManifestEntry {
            PaimonManifestEntry(kind: kind, partition: [0, 0, 0, 0], bucket: 0, totalBuckets: 1, file: PaimonDataFile(
                fileName: name, fileSize: 1, rowCount: 1, minKey: [], maxKey: [], minSequenceNumber: 0, maxSequenceNumber: 0,
                schemaId: 0, level: 0, extraFiles: [], creationTimeMs: nil, deleteRowCount: nil, fileSource: nil, externalPath: nil))
        }
        let merged = PaimonSnapshotFiles.merge([entry(.add, "a"), entry(.add, "b"), entry(.delete, "a"), entry(.add, "c")])
        #expect(merged.map(\.file.fileName) == ["b", "c"])
    }
}

@Suite struct PaimonPeerRequiredTests {
    @Test func pypaimonIsPresentWhenRequired() throws {
        guard Peers.areRequired else { return }
        #expect(Peers.paimonPython != nil, "AMORO_REQUIRE_PEERS=1 but the pypaimon virtualenv (.venv-paimon) is missing")
        let version = try Peers.paimon("import pypaimon, importlib.metadata; print(importlib.metadata.version('pypaimon'))")
        #expect(String(decoding: version, as: UTF8.self).hasPrefix("2.1"))
    }
}
