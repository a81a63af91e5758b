import Catalogs
import IcebergSpec
import JSONCoding
import ObjectStorage
import Testing

/// The Glue catalog's pieces that need no server: where its settings come from, the `TableInput` it sends, and how
/// Glue's error answers are read. Requests against a server are in `GlueCatalogInteropTests`.
@Suite struct GlueCatalogTests {
    static let profiles = AWSProfileFiles(
        credentials: ["default": ["aws_access_key_id": "PROFILEKEY", "aws_secret_access_key": "profile-secret"]],
        config: ["default": ["region": "ap-south-1"]])

    @Test func settingsComeFromGlueThenClientPropertiesThenEnvironmentThenProfile() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_REGION": "eu-west-1"]
        let glue = try GlueConfiguration.resolve(properties: [
            "glue.access-key-id": "GLUEKEY", "glue.secret-access-key": "glue-secret", "glue.region": "us-west-2",
            "client.access-key-id": "CLIENTKEY", "client.secret-access-key": "client-secret", "client.region": "eu-central-1",
            "glue.id": "123456789012", "glue.skip-archive": "false",
        ], environment: environment, profiles: Self.profiles)
        #expect(glue.credentials?.accessKeyId == "GLUEKEY" && glue.region == "us-west-2")
        #expect(glue.endpoint == EndpointURL("https://glue.us-west-2.amazonaws.com"))
        #expect(glue.catalogId == "123456789012" && !glue.skipArchive)
        #expect(glue.identity == "glue:https://glue.us-west-2.amazonaws.com/us-west-2#123456789012")

        let client = try GlueConfiguration.resolve(properties: [
            "client.access-key-id": "CLIENTKEY", "client.secret-access-key": "client-secret", "client.region": "eu-central-1",
        ], environment: environment, profiles: Self.profiles)
        #expect(client.credentials?.accessKeyId == "CLIENTKEY" && client.region == "eu-central-1" && client.skipArchive)

        let fromEnvironment = try GlueConfiguration.resolve(
            properties: [:], environment: environment.merging(["AWS_ENDPOINT_URL_GLUE": "http://127.0.0.1:5000"]) { $1 },
            profiles: Self.profiles)
        #expect(fromEnvironment.credentials?.accessKeyId == "ENVKEY" && fromEnvironment.region == "eu-west-1")
        #expect(fromEnvironment.endpoint == EndpointURL("http://127.0.0.1:5000"))
        #expect(fromEnvironment.catalogId == nil)

        let fromProfile = try GlueConfiguration.resolve(properties: [:], environment: [:], profiles: Self.profiles)
        #expect(fromProfile.credentials?.accessKeyId == "PROFILEKEY" && fromProfile.region == "ap-south-1")
        let china = try GlueConfiguration.resolve(properties: ["glue.region": "cn-north-1"], environment: [:], profiles: Self.profiles)
        #expect(china.endpoint == EndpointURL("https://glue.cn-north-1.amazonaws.com.cn"))
        #expect(throws: GlueConfigurationError.self) {
            try GlueConfiguration.resolve(properties: ["glue.endpoint": "ftp://glue"], environment: [:], profiles: Self.profiles)
        }
    }

    static func metadata() throws -> TableMetadata {
        try TableMetadata(json: JSON.parse(#"""
            {"format-version": 2, "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1", "location": "s3://b/db.db/t",
             "last-sequence-number": 0, "last-updated-ms": 1, "last-column-id": 6, "current-schema-id": 1,
             "schemas": [
               {"type": "struct", "schema-id": 0, "fields": [
                 {"id": 1, "name": "id", "required": true, "type": "long"},
                 {"id": 2, "name": "gone", "required": false, "type": "date"}]},
               {"type": "struct", "schema-id": 1, "fields": [
                 {"id": 1, "name": "id", "required": true, "type": "long", "doc": "key"},
                 {"id": 3, "name": "at", "required": false, "type": "timestamptz"},
                 {"id": 4, "name": "tags", "required": false, "type": {"type": "map", "key-id": 5, "key": "string",
                   "value-id": 6, "value": "decimal(10, 2)", "value-required": false}}]}],
             "default-spec-id": 0, "partition-specs": [{"spec-id": 0, "fields": []}], "last-partition-id": 999,
             "default-sort-order-id": 0, "sort-orders": [{"order-id": 0, "fields": []}],
             "properties": {"write.format.default": "parquet", "owner.team": "amoro"}}
            """#))
    }

    @Test func tableInputKeepsGlueParametersAndDescribesTheSchemaAsPyIcebergDoes() throws {
        let existing = try JSON.parse(#"""
            {"Name": "t", "Description": "events", "Owner": "lake", "VersionId": "3",
             "Parameters": {"table_type": "ICEBERG", "metadata_location": "s3://b/old.json", "owner.team": "glue", "EXTERNAL": "TRUE"}}
            """#)
        let input = GlueTableInput.make(name: "t", metadata: try Self.metadata(), metadataLocation: "s3://b/new.json",
            previousLocation: "s3://b/old.json", existing: existing)
        #expect(input["Name"] == .string("t") && input["TableType"] == .string("EXTERNAL_TABLE"))
        #expect(input["Description"] == .string("events") && input["Owner"] == .string("lake"))
        #expect(input["VersionId"] == nil, "not a member of TableInput")
        #expect(input["Parameters"] == .object([
            ("table_type", .string("ICEBERG")), ("metadata_location", .string("s3://b/new.json")),
            ("owner.team", .string("amoro")), ("EXTERNAL", .string("TRUE")),
            ("previous_metadata_location", .string("s3://b/old.json")), ("write.format.default", .string("parquet")),
        ]))
        #expect(input["StorageDescriptor"]?["Location"] == .string("s3://b/db.db/t"))
        let columns = input["StorageDescriptor"]?["Columns"]?.arrayValue ?? []
        #expect(columns.map { $0["Name"]?.stringValue ?? "" } == ["id", "at", "tags", "gone"])
        #expect(columns.map { $0["Type"]?.stringValue ?? "" } == ["bigint", "timestamp", "map<string,decimal(10,2)>", "date"])
        #expect(columns[0]["Comment"] == .string("key"))
        #expect(columns[0]["Parameters"] == .object([
            ("iceberg.field.id", .string("1")), ("iceberg.field.optional", .string("false")), ("iceberg.field.current", .string("true")),
        ]))
        #expect(columns[3]["Parameters"]?["iceberg.field.current"] == .string("false"))

        let created = GlueTableInput.make(name: "t", metadata: try Self.metadata(), metadataLocation: "s3://b/first.json",
            previousLocation: nil, existing: nil)
        #expect(created["Parameters"]?["previous_metadata_location"] == nil && created["Description"] == nil)
    }

    @Test func hiveTypesOfNestedFields() {
        let nested = IcebergType.struct(StructType(fields: [
            NestedField(id: 1, name: "a", isRequired: true, type: .list(ListType(elementId: 2, elementRequired: false, element: .primitive(.uuid)))),
            NestedField(id: 3, name: "b", isRequired: false, type: .primitive(.fixed(length: 4))),
        ]))
        #expect(GlueTableInput.hiveType(nested) == "struct<a:array<string>,b:binary>")
        #expect(GlueTableInput.hiveType(.primitive(.int)) == "int" && GlueTableInput.hiveType(.primitive(.time)) == "string")
    }

    @Test func glueErrorAnswersAreReadByTheirType() {
        let credentials = AWSCredentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: "wJalrXUtnFEMI", source: "environment")
        let missing = GlueError(status: 400, body: Array(#"{"__type": "com.amazonaws.glue#EntityNotFoundException", "Message": "Table t not found"}"#.utf8),
            operation: "GetTable", credentials: credentials)
        #expect(missing.type == "EntityNotFoundException" && !missing.mayHaveTakenEffect && !missing.isThrottling)
        #expect(missing.message == "Glue answered GetTable with HTTP 400 EntityNotFoundException: Table t not found")
        let conflict = GlueError(status: 400, body: Array(#"{"__type": "ConcurrentModificationException:http://internal", "message": "m"}"#.utf8),
            operation: "UpdateTable", credentials: credentials)
        #expect(conflict.type == "ConcurrentModificationException")
        #expect(GlueError(status: 400, body: Array(#"{"__type": "ThrottlingException"}"#.utf8), operation: "GetTables",
            credentials: credentials).isThrottling)
        let fromHeader = GlueError(status: 400, errorType: "AlreadyExistsException:http://internal", body: Array("{}".utf8),
            operation: "CreateTable", credentials: credentials)
        #expect(fromHeader.type == "AlreadyExistsException")
        let server = GlueError(status: 503, body: Array("busy".utf8), operation: "UpdateTable", credentials: credentials)
        #expect(server.mayHaveTakenEffect && server.type == nil && server.message.hasSuffix(": busy"))
        let denied = GlueError(status: 400, body: Array(#"{"__type": "UnrecognizedClientException"}"#.utf8), operation: "GetDatabases",
            credentials: credentials)
        #expect(denied.message.contains("check the Glue credentials") && !denied.message.contains("wJalrXUtnFEMI"))
    }
}
