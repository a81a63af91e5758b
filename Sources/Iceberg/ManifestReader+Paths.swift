import Avro
import IcebergSpec

extension ManifestReader {
    /// A manifest as a manifest list names it, without counts or partition summaries.
    package struct ListedManifest: Hashable, Sendable {
        package var path: String
        package var length: Int64
        package var content: ManifestFile.Content
    }

    /// A file as a manifest entry names it: what reachability walks need and nothing more.
    package struct ListedFile: Hashable, Sendable {
        package var path: String
        package var content: DataFile.Content
        package var size: Int64
        /// ADDED or EXISTING: the file belongs to the snapshot that wrote this manifest (DELETED entries do not).
        package var isLive: Bool
    }

    /// The manifests of a manifest list, decoding only their paths, lengths and content: the other fields are
    /// skipped unread, which matters when thousands of snapshots each list thousands of manifests.
    package static func listedManifests(_ bytes: [UInt8], location: String) throws(IcebergError) -> [ListedManifest] {
        var manifests: [ListedManifest] = []
        try forEachRecord(bytes, readerSchema: ManifestSchemas.manifestListPathsReader, location: location) {
            (record) throws(IcebergError) in
            let fields = try Fields(record, location: location)
            let code = try fields.optionalInt(2) ?? 0
            guard let content = ManifestFile.Content(rawValue: Int32(code)) else {
                throw .invalidFile(location, "manifest content \(code) is neither data (0) nor deletes (1)")
            }
            manifests.append(ListedManifest(path: try fields.string(0), length: try fields.long(1), content: content))
        }
        return manifests
    }

    /// The files a manifest's entries name, decoding only status, content, path and size (no partition tuples,
    /// no metrics, no inheritance).
    package static func listedFiles(_ bytes: [UInt8], location: String) throws(IcebergError) -> [ListedFile] {
        var files: [ListedFile] = []
        try forEachRecord(bytes, readerSchema: ManifestSchemas.manifestEntryPathsReader, location: location) {
            (record) throws(IcebergError) in
            let entry = try Fields(record, location: location)
            let status = try entry.int(0)
            guard let status = ManifestEntry.Status(rawValue: Int32(status)) else {
                throw .invalidFile(location, "entry status \(status) is not 0, 1 or 2")
            }
            let file = try Fields(entry.value(1), location: location)
            let code = try file.optionalInt(0) ?? 0
            guard let content = DataFile.Content(rawValue: Int32(code)) else {
                throw .invalidFile(location, "file content \(code) is not 0, 1 or 2")
            }
            files.append(ListedFile(path: try file.string(1), content: content, size: try file.long(2), isLive: status != .deleted))
        }
        return files
    }
}

extension ManifestSchemas {
    /// `manifestListReader` cut to what `ManifestReader.listedManifests` decodes.
    static let manifestListPathsReader: AvroSchema = .record("manifest_file", fields: [
        AvroField("manifest_path", .string, fieldID: 500),
        AvroField("manifest_length", .long, fieldID: 501),
        optional("content", .int, fieldID: 517),
    ])

    /// The entry reader cut to what `ManifestReader.listedFiles` decodes.
    static let manifestEntryPathsReader: AvroSchema = .record("manifest_entry", fields: [
        AvroField("status", .int, fieldID: 0),
        AvroField("data_file", .record("r2", fields: [
            optional("content", .int, fieldID: 134),
            AvroField("file_path", .string, fieldID: 100),
            AvroField("file_size_in_bytes", .long, fieldID: 104),
        ]), fieldID: 2),
    ])
}
