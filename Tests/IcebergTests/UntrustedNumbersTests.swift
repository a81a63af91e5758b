import Iceberg
import IcebergSpec
import Testing

/// Numbers from metadata and properties that no table can hold are refused or ignored cleanly.
@Suite struct UntrustedNumbersTests {
    @Test func versionHintsAndMetadataNamesBeyondJavasRangeAreNotVersions() {
        #expect(MetadataFiles.hintVersion(Array("7\n".utf8)) == 7)
        #expect(MetadataFiles.hintVersion(Array("9223372036854775807".utf8)) == nil)
        #expect(MetadataFiles.hintVersion(Array("-3".utf8)) == nil)
        #expect(MetadataFiles.hintVersion(Array("2147483648".utf8)) == nil)
        #expect(MetadataFiles.version(of: "/t/metadata/v9223372036854775807.metadata.json") == -1)
        #expect(MetadataFiles.version(of: "/t/metadata/v12.metadata.json") == 12)
    }

    @Test(arguments: ["99999999999", "-131073", "23", "x"])
    func compressionLevelsNoCodecTakesAreRefused(level: String) {
        let schema = Schema(schemaId: 0, fields: [NestedField(id: 1, name: "id", isRequired: false, type: .primitive(.long))])
        #expect(throws: DataFileError.self) {
            try DataWriteProperties(properties: ["write.parquet.compression-level": level], schema: schema)
        }
        #expect((try? DataWriteProperties(properties: ["write.parquet.compression-level": "9"], schema: schema)) != nil)
    }
}
