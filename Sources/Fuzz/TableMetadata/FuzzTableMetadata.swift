import FuzzSupport
import IcebergSpec
import JSONCoding

/// Iceberg table metadata JSON: parsed (JSON text, then every member of the metadata), each partition spec's
/// partition type against each schema, and the metadata written back, which must read back as the same value; any
/// JSON the parser accepts must also render and parse back unchanged. Refusals are `IcebergSpecError`s (and
/// `JSONError`s); a trap is a finding.
enum FuzzTableMetadata {
    static func run(_ input: [UInt8]) {
        if let json = try? JSON.parse(input) {
            precondition((try? JSON.parse(json.rendered())) == json, "JSON does not survive rendering and parsing back")
        }
        guard let metadata = try? TableMetadata(jsonText: input) else { return }
        for schema in metadata.schemas {
            _ = schema.fieldsById()
            for spec in metadata.partitionSpecs { _ = try? spec.partitionType(schema: schema) }
        }
        let again = try? TableMetadata(jsonText: Array(metadata.json.rendered().utf8))
        precondition(again == metadata, "table metadata does not survive writing and reading back")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTableMetadata.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzTableMetadata {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
