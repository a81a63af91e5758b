import Avro
import FuzzSupport
import Iceberg
import IcebergSpec
import JSONCoding

/// An Avro file read as an Iceberg manifest list and as a manifest: the manifest-list records, the path-only
/// listings, and the entries (every field, and the planning projection) with the partition type the manifest's own
/// header declares (`schema` and `partition-spec`), or none; then the live delete entries indexed and asked for
/// every data entry. Refusals are `IcebergError`s; a trap is a finding.
enum FuzzManifest {
    static func run(_ input: [UInt8]) {
        _ = try? ManifestReader.manifestList(input, location: "fuzz")
        _ = try? ManifestReader.listedManifests(input, location: "fuzz")
        _ = try? ManifestReader.listedFiles(input, location: "fuzz")
        guard let header = try? AvroFileReader(bytes: input).header else { return }
        var schema: Schema?
        var partitionType = StructType(fields: [])
        if let text = header.metadataValue("schema"), let json = try? JSON.parse(text),
            let parsed = try? Schema(json: json)
        {
            schema = parsed
            if let text = header.metadataValue("partition-spec"), let fields = (try? JSON.parse(text))?.arrayValue,
                let spec = try? PartitionSpec(v1Fields: fields, context: "partition-spec"),
                let type = try? spec.partitionType(schema: parsed)
            {
                partitionType = type
            }
        }
        let content: ManifestFile.Content = header.metadataString("content") == "deletes" ? .deletes : .data
        let manifest = ManifestFile(path: "fuzz", length: Int64(input.count), partitionSpecId: 0, content: content,
            sequenceNumber: 7, minSequenceNumber: 1, addedSnapshotId: 42)
        _ = try? ManifestReader.entries(input, manifest: manifest, partitionType: partitionType, location: "fuzz",
            projection: .planning(bounds: true))
        guard let entries = try? ManifestReader.entries(input, manifest: manifest, partitionType: partitionType,
            location: "fuzz")
        else { return }
        var fieldTypes: [Int: PrimitiveType] = [:]
        for (id, entry) in schema?.fieldsById() ?? [:] {
            if case .primitive(let type) = entry.field.type { fieldTypes[id] = type }
        }
        let index = DeleteIndex(deletes: entries.filter { $0.isLive && $0.dataFile.content != .data },
            unpartitionedSpecIds: partitionType.fields.isEmpty ? [0] : [], fieldTypes: fieldTypes)
        for entry in entries where entry.dataFile.content == .data {
            _ = index.deletes(for: entry.dataFile, sequenceNumber: entry.sequenceNumber ?? 0)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzManifest.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzManifest {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
