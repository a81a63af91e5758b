import Testing

@testable import Parquet

@Suite struct SchemaDescriptionTests {
    @Test func schemaDescription() throws {
        let schema = try SchemaTests.nestedSchema()
        let text = schema.description
        #expect(text.hasPrefix("message schema {\n  required int64 id = 1;\n  optional group tags (LIST) = 2 {\n"))
        #expect(text.contains("      optional binary element (STRING) = 3;\n"))
        #expect(text.contains("optional group m (MAP) = 4 {"))
    }
}
