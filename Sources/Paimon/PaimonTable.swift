import JSONCoding
import Storage

/// A Paimon table directory read through any `Storage` (local or S3):
///
/// ```
/// <table>/schema/schema-N             table schemas (JSON)
/// <table>/snapshot/snapshot-N         snapshots (JSON), with the LATEST and EARLIEST hints
/// <table>/changelog/changelog-N       snapshots expired while their changelog is retained longer (same JSON),
///                                     with their own LATEST and EARLIEST hints
/// <table>/manifest/                   manifest lists, manifests and index manifests (Avro)
/// <table>/index/                      deletion-vector and hash index files
/// <table>/statistics/                 table statistics
/// <table>/<k=v/...>/bucket-N/         data and changelog files of a partition's bucket
/// <table>/tag/tag-NAME                tags (snapshot JSON)
/// <table>/consumer/consumer-ID        consumers' next snapshot
/// <table>/branch/branch-NAME/         a branch's own schema/, snapshot/ and tag/ (its files share the table's)
/// ```
package struct PaimonTable: Sendable {
    /// The table location, without a trailing slash.
    package let location: String
    package let storage: any Storage
    /// The branch read (`main`, or the name under `branch/branch-NAME`).
    package let branch: String

    package init(location: String, storage: any Storage, branch: String = "main") {
        var trimmed = location
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.location = trimmed
        self.storage = storage
        self.branch = branch
    }

    /// Where the branch's schemas, snapshots and tags live.
    package var branchRoot: String { branch == "main" ? location : "\(location)/branch/branch-\(branch)" }
    package var snapshotDirectory: String { "\(branchRoot)/snapshot" }
    /// Where long-lived changelogs go when changelogs are retained longer than snapshots.
    package var changelogDirectory: String { "\(branchRoot)/changelog" }

    /// Whether `location` holds a Paimon table: a `schema/schema-N` file.
    package static func isTable(_ location: String, storage: any Storage) async -> Bool {
        let table = PaimonTable(location: location, storage: storage)
        guard let files = try? await storage.list(prefix: "\(table.location)/schema/") else { return false }
        return files.contains { Self.number(in: $0.location, prefix: "schema-") != nil }
    }

    // MARK: - Schemas, snapshots, hints

    package func schemas() async throws(PaimonError) -> [Int64: PaimonSchema] {
        var schemas: [Int64: PaimonSchema] = [:]
        for file in try await list("\(branchRoot)/schema/") {
            guard let id = Self.number(in: file.location, prefix: "schema-") else { continue }
            let schema = try PaimonSchema(json: try await json(file.location), location: file.location)
            guard schema.id == id else { throw .invalidFile(file.location, "holds schema \(schema.id)") }
            schemas[id] = schema
        }
        guard !schemas.isEmpty else { throw .notATable(location) }
        return schemas
    }

    /// The newest schema: the table's current fields, keys and options.
    package func latestSchema() async throws(PaimonError) -> PaimonSchema {
        let schemas = try await schemas()
        return schemas[schemas.keys.max()!]!
    }

    /// Every `snapshot-N` present, ascending, with the listing's file times.
    package func snapshotFiles() async throws(PaimonError) -> [(id: Int64, file: StoredFile)] {
        try await list("\(snapshotDirectory)/").compactMap { file in
            Self.number(in: file.location, prefix: "snapshot-").map { (id: $0, file: file) }
        }.sorted { $0.id < $1.id }
    }

    package func snapshotLocation(_ id: Int64) -> String { "\(snapshotDirectory)/snapshot-\(id)" }

    package func snapshot(_ id: Int64) async throws(PaimonError) -> PaimonSnapshot {
        let location = snapshotLocation(id)
        let snapshot = try PaimonSnapshot(json: try await json(location), location: location)
        guard snapshot.id == id else { throw .invalidFile(location, "holds snapshot \(snapshot.id)") }
        return snapshot
    }

    /// Every long-lived `changelog-N` present, ascending, with the listing's file times.
    package func changelogFiles() async throws(PaimonError) -> [(id: Int64, file: StoredFile)] {
        try await list("\(changelogDirectory)/").compactMap { file in
            Self.number(in: file.location, prefix: "changelog-").map { (id: $0, file: file) }
        }.sorted { $0.id < $1.id }
    }

    package func changelogLocation(_ id: Int64) -> String { "\(changelogDirectory)/changelog-\(id)" }

    /// A long-lived changelog: the JSON of the snapshot it was, under `changelog/`.
    package func changelog(_ id: Int64) async throws(PaimonError) -> PaimonSnapshot {
        let location = changelogLocation(id)
        let changelog = try PaimonSnapshot(json: try await json(location), location: location)
        guard changelog.id == id else { throw .invalidFile(location, "holds changelog \(changelog.id)") }
        return changelog
    }

    /// The `LATEST` or `EARLIEST` hint of `snapshot/` (or of another directory, such as `changelogDirectory`); nil
    /// when absent or unreadable (hints are advisory).
    package func hint(_ name: String, in directory: String? = nil) async -> Int64? {
        guard let bytes = try? await storage.read("\(directory ?? snapshotDirectory)/\(name)"),
            let text = String(validating: bytes, as: UTF8.self)
        else { return nil }
        return Int64(text.trimmingCharactersInSpaces().filter { $0 != "\n" })
    }

    // MARK: - Tags, consumers, branches

    package func tags() async throws(PaimonError) -> [(name: String, snapshot: PaimonSnapshot)] {
        var tags: [(name: String, snapshot: PaimonSnapshot)] = []
        for file in try await list("\(branchRoot)/tag/") {
            let name = Self.fileName(file.location)
            guard name.hasPrefix("tag-"), name.count > 4 else { continue }
            tags.append((String(name.dropFirst(4)), try PaimonSnapshot(json: try await json(file.location), location: file.location)))
        }
        return tags.sorted { $0.name < $1.name }
    }

    /// Consumers: each one's next snapshot and when its file last changed.
    package func consumers() async throws(PaimonError) -> [(id: String, nextSnapshot: Int64, modifiedMs: Int64)] {
        var consumers: [(id: String, nextSnapshot: Int64, modifiedMs: Int64)] = []
        for file in try await list("\(branchRoot)/consumer/") {
            let name = Self.fileName(file.location)
            guard name.hasPrefix("consumer-"), name.count > 9 else { continue }
            let body = try await json(file.location)
            guard let next = body["nextSnapshot"]?.int64Value else { throw .invalidFile(file.location, "has no nextSnapshot") }
            consumers.append((String(name.dropFirst(9)), next, file.modifiedMs))
        }
        return consumers.sorted { $0.id < $1.id }
    }

    package func consumerLocation(_ id: String) -> String { "\(branchRoot)/consumer/consumer-\(id)" }

    /// The table's branches other than main (`branch/branch-NAME/`).
    package func branches() async throws(PaimonError) -> [String] {
        guard branch == "main" else { return [] }
        var names = Set<String>()
        let prefix = "\(location)/branch/"
        for file in try await list(prefix) {
            guard let first = Self.relativePath(file.location, under: prefix)?.split(separator: "/").first, first.hasPrefix("branch-"),
                first.count > 7
            else { continue }
            names.insert(String(first.dropFirst(7)))
        }
        return names.sorted()
    }

    // MARK: - Manifests and files

    package func manifestLocation(_ name: String) -> String { "\(location)/manifest/\(name)" }
    package func indexFileLocation(_ entry: PaimonIndexEntry) -> String { entry.externalPath ?? "\(location)/index/\(entry.fileName)" }
    package func statisticsLocation(_ name: String) -> String { "\(location)/statistics/\(name)" }

    package func manifestList(_ name: String) async throws(PaimonError) -> [PaimonManifestFile] {
        let location = manifestLocation(name)
        return try PaimonManifestDecoder.manifestList(try await read(location), location: location)
    }

    package func manifest(_ name: String) async throws(PaimonError) -> [PaimonManifestEntry] {
        let location = manifestLocation(name)
        return try PaimonManifestDecoder.manifest(try await read(location), location: location)
    }

    package func indexManifest(_ name: String) async throws(PaimonError) -> [PaimonIndexEntry] {
        let location = manifestLocation(name)
        return try PaimonManifestDecoder.indexManifest(try await read(location), location: location)
    }

    /// The directory of a partition's bucket, from the partition row and the partition columns' types.
    package func bucketDirectory(partition: [UInt8], bucket: Int, schema: PaimonSchema, options: PaimonOptions)
        throws(PaimonError) -> String
    {
        let path = try PartitionPath.render(partition, types: schema.partitionTypes, options: options)
        let bucketName = bucket == -2 ? "bucket-postpone" : "bucket-\(bucket)"
        return path.isEmpty ? "\(location)/\(bucketName)" : "\(location)/\(path)/\(bucketName)"
    }

    /// Where a manifest entry's file (and its extra files) live.
    package func dataFileLocations(_ entry: PaimonManifestEntry, schema: PaimonSchema, options: PaimonOptions)
        throws(PaimonError) -> [String]
    {
        let directory = try bucketDirectory(partition: entry.partition, bucket: entry.bucket, schema: schema, options: options)
        let main = entry.file.externalPath ?? "\(directory)/\(entry.file.fileName)"
        return [main] + entry.file.extraFiles.map { "\(directory)/\($0)" }
    }

    // MARK: - Reading

    func read(_ location: String) async throws(PaimonError) -> [UInt8] {
        do { return try await storage.read(location) } catch { throw .storage(error) }
    }

    func json(_ location: String) async throws(PaimonError) -> JSON {
        let bytes = try await read(location)
        do { return try JSON.parse(bytes) } catch { throw .invalidFile(location, "\(error)") }
    }

    func list(_ prefix: String) async throws(PaimonError) -> [StoredFile] {
        do { return try await storage.list(prefix: prefix) } catch .notFound { return [] } catch { throw .storage(error) }
    }

    /// `location` relative to `root` (no leading slash), compared in canonical form, so that a listing's bare paths
    /// match a `file://` root; nil when it does not lie strictly inside.
    package static func relativePath(_ location: String, under root: String) -> String? {
        guard let root = Location(root), let target = Location(location), root.contains(target), target != root else { return nil }
        var relative = Substring(target.path.dropFirst(root.path.count))
        while relative.first == "/" { relative = relative.dropFirst() }
        return relative.isEmpty ? nil : String(relative)
    }

    /// Whether a file in `manifest/` is a manifest list (`manifest-list-…`) rather than a manifest.
    package static func fileNameIsList(_ location: String) -> Bool { fileName(location).hasPrefix("manifest-list-") }

    static func fileName(_ location: String) -> String {
        location.split(separator: "/").last.map(String.init) ?? location
    }

    /// N of a file named `<prefix>N`, nil for any other name.
    static func number(in location: String, prefix: String) -> Int64? {
        let name = fileName(location)
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }
}
