import IcebergSpec
import JSONCoding
import Testing

@Suite struct TableMetadataTests {
    static let v2 = """
        {"format-version":2,"table-uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1","location":"s3://bucket/test/table/",
         "last-sequence-number":34,"last-updated-ms":1602638573590,"last-column-id":3,"current-schema-id":1,
         "schemas":[{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"x","required":true,"type":"long"}]},
           {"type":"struct","schema-id":1,"identifier-field-ids":[1,2],"fields":[
             {"id":1,"name":"x","required":true,"type":"long"},
             {"id":2,"name":"y","required":true,"type":"long","doc":"comment"},
             {"id":3,"name":"z","required":true,"type":{"type":"struct","fields":[
               {"id":4,"name":"l","required":false,"type":{"type":"list","element-id":5,"element":"decimal(9, 2)","element-required":false}},
               {"id":6,"name":"m","required":false,"type":{"type":"map","key-id":7,"key":"string","value-id":8,"value":"fixed[16]","value-required":true}}]}}]}],
         "default-spec-id":0,"partition-specs":[{"spec-id":0,"fields":[{"name":"x","transform":"identity","source-id":1,"field-id":1000},
            {"name":"y_bucket","transform":"bucket[16]","source-id":2,"field-id":1001}]}],
         "last-partition-id":1001,"default-sort-order-id":3,"sort-orders":[{"order-id":3,"fields":[
            {"transform":"identity","source-id":2,"direction":"asc","null-order":"nulls-first"},
            {"transform":"bucket[4]","source-id":3,"direction":"desc","null-order":"nulls-last"}]}],
         "properties":{"write.parquet.compression-codec":"zstd","self-optimizing.target-size":"134217728"},
         "current-snapshot-id":3055729675574597004,
         "refs":{"main":{"snapshot-id":3055729675574597004,"type":"branch"},
                 "audit":{"snapshot-id":3051729675574597004,"type":"tag","max-ref-age-ms":86400000}},
         "snapshots":[{"snapshot-id":3051729675574597004,"timestamp-ms":1515100955770,"sequence-number":0,
             "summary":{"operation":"append"},"manifest-list":"s3://a/b/1.avro"},
           {"snapshot-id":3055729675574597004,"parent-snapshot-id":3051729675574597004,"timestamp-ms":1555100955770,
             "sequence-number":1,"summary":{"operation":"replace","added-data-files":"4","amoro.optimizing.level":"minor"},
             "manifest-list":"s3://a/b/2.avro","schema-id":1}],
         "statistics":[{"snapshot-id":3055729675574597004,"statistics-path":"s3://a/b/stats.puffin","file-size-in-bytes":413,
             "file-footer-size-in-bytes":42,"blob-metadata":[{"type":"apache-datasketches-theta-v1","snapshot-id":3055729675574597004,"sequence-number":1,"fields":[1]}]}],
         "partition-statistics":[],
         "snapshot-log":[{"snapshot-id":3051729675574597004,"timestamp-ms":1515100955770},{"snapshot-id":3055729675574597004,"timestamp-ms":1555100955770}],
         "metadata-log":[{"metadata-file":"s3://bucket/.../v1.json","timestamp-ms":1515100}],
         "future-field":{"nested":[1,2,3]}}
        """

    @Test func readsEveryV2Field() throws {
        let metadata = try TableMetadata(jsonText: Array(Self.v2.utf8))
        #expect(metadata.formatVersion == 2)
        #expect(metadata.location == "s3://bucket/test/table")
        #expect(metadata.lastSequenceNumber == 34)
        #expect(metadata.currentSchema?.identifierFieldIds == [1, 2])
        #expect(metadata.currentSchema?.highestFieldId == 8)
        let fields = try #require(metadata.currentSchema?.fieldsById())
        #expect(fields[5]?.name == "z.l.element")
        #expect(fields[5]?.field.type == .primitive(.decimal(precision: 9, scale: 2)))
        #expect(fields[8]?.field.type == .primitive(.fixed(length: 16)))
        #expect(metadata.defaultSpec?.fields.map(\.transform) == [.identity, .bucket(16)])
        #expect(metadata.defaultSortOrder?.fields.last?.direction == .descending)
        #expect(metadata.currentSnapshot?.summary.operation == .replace)
        #expect(metadata.currentSnapshot?.summary["amoro.optimizing.level"] == "minor")
        #expect(metadata.refs["audit"]?.kind == .tag)
        #expect(metadata.refs["audit"]?.maxRefAgeMs == 86_400_000)
        #expect(metadata.snapshot(ref: "audit")?.snapshotId == 3_051_729_675_574_597_004)
        #expect(metadata.statistics.first?.fileSizeInBytes == 413)
        #expect(metadata.snapshotLog.count == 2)
        #expect(metadata.metadataLog.first?.metadataFile == "s3://bucket/.../v1.json")
        #expect(metadata.properties["self-optimizing.target-size"] == "134217728")
    }

    @Test func readModifyWriteKeepsUnknownFieldsAndEverythingElse() throws {
        let metadata = try TableMetadata(jsonText: Array(Self.v2.utf8))
        let written = metadata.json.rendered()
        #expect(written.contains("\"future-field\":{\"nested\":[1,2,3]}"))
        #expect(written.contains("\"file-footer-size-in-bytes\":42"))
        #expect(written.contains("\"blob-metadata\""))
        let reread = try TableMetadata(jsonText: Array(written.utf8))
        #expect(reread == metadata)
        #expect(reread.json == metadata.json)
    }

    @Test func v1MetadataWithoutListsIsUpgradedInMemoryAndWrittenBackAsV1() throws {
        let v1 = """
            {"format-version":1,"table-uuid":"d20125c8-7284-442c-9aea-15fee620737c","location":"/tmp/t",
             "last-updated-ms":1602638573874,"last-column-id":3,
             "schema":{"type":"struct","fields":[{"id":1,"name":"x","required":true,"type":"long"},
               {"id":2,"name":"ts","required":false,"type":"timestamptz"}]},
             "partition-spec":[{"name":"ts_day","transform":"day","source-id":2}],
             "properties":{},"current-snapshot-id":-1,"snapshots":[]}
            """
        let metadata = try TableMetadata(jsonText: Array(v1.utf8))
        #expect(metadata.schemas.count == 1)
        #expect(metadata.defaultSpec?.fields.first?.fieldId == 1000)
        #expect(metadata.lastPartitionId == 1000)
        #expect(metadata.currentSnapshotId == nil)
        #expect(metadata.refs.isEmpty)
        #expect(metadata.sortOrders == [.unsorted])
        let json = metadata.json
        #expect(json["schema"] != nil)
        #expect(json["partition-spec"] != nil)
        #expect(json["last-sequence-number"] == nil)
        #expect(json["current-snapshot-id"] == .int(-1))
        #expect(try TableMetadata(json: json) == metadata)
    }

    @Test func v3RowLineageAndNullCurrentSnapshot() throws {
        let v3 = """
            {"format-version":3,"table-uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c2","location":"/w/t",
             "last-sequence-number":1,"last-updated-ms":1,"last-column-id":2,"current-schema-id":0,
             "schemas":[{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"a","required":false,"type":"timestamp_ns"},
                {"id":2,"name":"v","required":false,"type":"variant"},{"id":3,"name":"u","required":false,"type":"unknown",
                 "initial-default":null}]}],
             "default-spec-id":0,"partition-specs":[{"spec-id":0,"fields":[]}],"last-partition-id":999,
             "default-sort-order-id":0,"sort-orders":[{"order-id":0,"fields":[]}],"properties":{},
             "current-snapshot-id":null,"next-row-id":0,"refs":{},"snapshots":[],"snapshot-log":[],"metadata-log":[]}
            """
        let metadata = try TableMetadata(jsonText: Array(v3.utf8))
        #expect(metadata.nextRowId == 0)
        #expect(metadata.currentSchema?.fields.map(\.type) == [.primitive(.timestampNs), .primitive(.variant), .primitive(.unknown)])
        #expect(metadata.json["current-snapshot-id"] == .null)
        #expect(try TableMetadata(json: metadata.json) == metadata)
    }

    @Test(arguments: [
        ("{\"format-version\":4}", "format-version 4"),
        ("{\"format-version\":2,\"location\":\"/x\"}", "'table-uuid' is missing"),
        ("[1,2]", "must be a JSON object"),
        ("{\"format-version\":", "not valid JSON"),
        ("{\"format-version\":\"2\"}", "'format-version' must be an integer"),
    ])
    func badMetadataGivesAnErrorNamingTheField(text: String, message: String) {
        #expect {
            try TableMetadata(jsonText: Array(text.utf8))
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func danglingReferencesAreRejected() throws {
        var bad = Self.v2.replacingOccurrences("\"current-schema-id\":1", with: "\"current-schema-id\":7")
        #expect(throws: IcebergSpecError.self) { try TableMetadata(jsonText: Array(bad.utf8)) }
        bad = Self.v2.replacingOccurrences("\"snapshot-id\":3051729675574597004,\"type\":\"tag\"", with: "\"snapshot-id\":1,\"type\":\"tag\"")
        #expect(throws: IcebergSpecError.self) { try TableMetadata(jsonText: Array(bad.utf8)) }
        bad = Self.v2.replacingOccurrences("\"type\":\"long\",\"doc\"", with: "\"type\":\"long2\",\"doc\"")
        #expect(throws: IcebergSpecError.self) { try TableMetadata(jsonText: Array(bad.utf8)) }
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
