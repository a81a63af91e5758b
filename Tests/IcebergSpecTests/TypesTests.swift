import IcebergSpec
import JSONCoding
import Testing

@Suite struct TypesTests {
    @Test(arguments: [
        "boolean", "int", "long", "float", "double", "date", "time", "timestamp", "timestamptz", "timestamp_ns",
        "timestamptz_ns", "string", "uuid", "binary", "fixed[16]", "decimal(38, 10)", "unknown", "variant",
        "geometry(srid:4326)", "geography(srid:4326, spherical)",
    ])
    func primitiveNamesRoundTrip(name: String) throws {
        let type = try #require(PrimitiveType(name: name))
        #expect(type.name == name)
    }

    @Test func lenientSpellingsAreAccepted() {
        #expect(PrimitiveType(name: "decimal(9,2)") == .decimal(precision: 9, scale: 2))
        #expect(PrimitiveType(name: " fixed[ 3 ] ") == .fixed(length: 3))
        #expect(PrimitiveType(name: "decimal(2,3)") == nil)
        #expect(PrimitiveType(name: "decimal(39,0)") == nil)
        #expect(PrimitiveType(name: "fixed[0]") == nil)
        #expect(PrimitiveType(name: "text") == nil)
    }

    @Test func partitionTypesFollowTheTransforms() throws {
        let schema = Schema(schemaId: 0, fields: [
            NestedField(id: 1, name: "id", isRequired: true, type: .primitive(.long)),
            NestedField(id: 2, name: "ts", isRequired: false, type: .primitive(.timestamptz)),
            NestedField(id: 3, name: "name", isRequired: false, type: .primitive(.string)),
        ])
        let spec = PartitionSpec(specId: 0, fields: [
            PartitionField(sourceId: 2, fieldId: 1000, name: "ts_day", transform: .day),
            PartitionField(sourceId: 1, fieldId: 1001, name: "id_bucket", transform: .bucket(8)),
            PartitionField(sourceId: 3, fieldId: 1002, name: "name_trunc", transform: .truncate(2)),
        ])
        let type = try spec.partitionType(schema: schema)
        #expect(type.fields.map(\.type) == [.primitive(.date), .primitive(.int), .primitive(.string)])
        let bad = PartitionSpec(specId: 1, fields: [PartitionField(sourceId: 3, fieldId: 1000, name: "h", transform: .hour)])
        #expect(throws: IcebergSpecError.self) { try bad.partitionType(schema: schema) }
    }
}
