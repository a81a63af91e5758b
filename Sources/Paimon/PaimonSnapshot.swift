import JSONCoding

/// One `snapshot/snapshot-N` file (also the body of a `tag/tag-NAME` file): the manifest lists that make up the
/// table at that commit. Versions 1–3 and what Paimon Java 1.x and pypaimon write are read; unknown members are
/// kept in the JSON and ignored.
package struct PaimonSnapshot: Sendable, Equatable {
    package enum CommitKind: String, Sendable {
        case append = "APPEND", compact = "COMPACT", overwrite = "OVERWRITE", analyze = "ANALYZE"
    }

    package var version: Int
    package var id: Int64
    package var schemaId: Int64
    /// Manifest list of every file live before this commit.
    package var baseManifestList: String
    /// Manifest list of this commit's changes.
    package var deltaManifestList: String
    package var changelogManifestList: String?
    package var indexManifest: String?
    package var statistics: String?
    package var baseManifestListSize: Int64?
    package var deltaManifestListSize: Int64?
    package var changelogManifestListSize: Int64?
    package var commitUser: String
    package var commitIdentifier: Int64
    /// nil for a kind this build does not know (kept as `commitKindText`).
    package var commitKind: CommitKind?
    package var commitKindText: String
    package var timeMillis: Int64
    package var totalRecordCount: Int64?
    package var deltaRecordCount: Int64?
    package var changelogRecordCount: Int64?
    package var watermark: Int64?
    /// Row tracking: the first row id the next commit assigns.
    package var nextRowId: Int64?
    /// For tags: when the tag was made (ISO-8601 local time as written) and how long it is kept.
    package var tagCreateTime: String?
    package var tagTimeRetained: String?

    package init(json: JSON, location: String) throws(PaimonError) {
        guard let id = json["id"]?.int64Value, let schemaId = json["schemaId"]?.int64Value,
            let base = json["baseManifestList"]?.stringValue, let delta = json["deltaManifestList"]?.stringValue,
            let time = json["timeMillis"]?.int64Value
        else { throw .invalidFile(location, "snapshot lacks its id, schemaId, manifest lists or timeMillis") }
        for name in [base, delta] + [json["changelogManifestList"]?.stringValue, json["indexManifest"]?.stringValue].compactMap({ $0 })
        where !Self.isPlainName(name) {
            throw .invalidFile(location, "manifest name '\(name)' is not a plain file name")
        }
        version = Int(json["version"]?.int64Value ?? 1)
        self.id = id
        self.schemaId = schemaId
        baseManifestList = base
        deltaManifestList = delta
        changelogManifestList = json["changelogManifestList"]?.stringValue
        indexManifest = json["indexManifest"]?.stringValue
        statistics = json["statistics"]?.stringValue
        if let statistics, !Self.isPlainName(statistics) { throw .invalidFile(location, "statistics name '\(statistics)' is not a plain file name") }
        baseManifestListSize = json["baseManifestListSize"]?.int64Value
        deltaManifestListSize = json["deltaManifestListSize"]?.int64Value
        changelogManifestListSize = json["changelogManifestListSize"]?.int64Value
        commitUser = json["commitUser"]?.stringValue ?? ""
        commitIdentifier = json["commitIdentifier"]?.int64Value ?? 0
        commitKindText = json["commitKind"]?.stringValue ?? "APPEND"
        commitKind = CommitKind(rawValue: commitKindText)
        timeMillis = time
        totalRecordCount = json["totalRecordCount"]?.int64Value
        deltaRecordCount = json["deltaRecordCount"]?.int64Value
        changelogRecordCount = json["changelogRecordCount"]?.int64Value
        watermark = json["watermark"]?.int64Value
        nextRowId = json["nextRowId"]?.int64Value
        tagCreateTime = json["tagCreateTime"]?.stringValue
        tagTimeRetained = json["tagTimeRetained"]?.stringValue
    }

    /// A name inside the table's directory: no separators, not `.` or `..`.
    package static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && name != "." && name != ".."
    }
}
