import Storage

/// Which listed files under a table location are orphans: not reachable from the table's metadata and older than
/// the grace period (Iceberg's `DeleteOrphanFiles` rules, with its prefix-mismatch modes).
///
/// Listed and referenced paths are compared by canonical location (`ReachedFile.key`), so `file:/x`, `file:///x`
/// and `/x` are one file, as are `s3a://b/k` and `s3://b/k`. A listed file whose path matches a referenced file
/// but under another scheme or authority is a prefix mismatch: an error by default (the table may have been
/// moved or be read through another endpoint), ignored (kept) or deleted when the caller says so.
package struct OrphanFinder: Sendable {
    package enum PrefixMismatchMode: String, Sendable, CaseIterable {
        case error, ignore, delete
    }

    /// The outcome of comparing one listing with the reachable files.
    package struct Outcome: Sendable {
        package var orphans: [StoredFile] = []
        package var reachable = 0
        /// Unreferenced, but younger than the grace period (in-flight writes among them).
        package var keptYoung: [StoredFile] = []
        /// Same path as a referenced file under another scheme or authority.
        package var prefixMismatches: [StoredFile] = []

        package init() {}
    }

    /// Why the listing cannot be cleaned at all.
    package enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// Another table's metadata lies under this table's location.
        case nestedTable(String)
        /// Referenced files appear under another scheme or authority (mode `error`).
        case prefixMismatch([String])
        /// Files that live entries name inside the location are not in the listing: their paths may be written in
        /// a form the listing does not show (encoded characters, another mount), so the listed copies could look
        /// like orphans.
        case referencedFilesMissing([String])

        package var description: String {
            switch self {
            case .nestedTable(let location): "another table lives under this table's location, at \(location)"
            case .prefixMismatch(let paths):
                "\(paths.count) listed files match referenced files under another scheme or authority (first: \(paths[0])); "
                    + "use --prefix-mismatch ignore or delete once you know why"
            case .referencedFilesMissing(let paths):
                "\(paths.count) files that snapshots reference are not in the listing of the table location (first: \(paths[0])); "
                    + "the table is damaged or its paths are written in another form: nothing deleted"
            }
        }
    }

    package var tableLocation: String
    package var metadataDirectory: String
    /// Every file the metadata reaches, by `ReachedFile.key`.
    package var reachable: [String: ReachedFile]
    package var graceMs: Int64
    package var prefixMismatch: PrefixMismatchMode

    package init(tableLocation: String, metadataDirectory: String, reachable: [String: ReachedFile], graceMs: Int64,
        prefixMismatch: PrefixMismatchMode)
    {
        self.tableLocation = tableLocation
        self.metadataDirectory = metadataDirectory
        self.reachable = reachable
        self.graceMs = graceMs
        self.prefixMismatch = prefixMismatch
    }

    /// Sorts `listing` into reachable, young, mismatched and orphan files. Only files inside the table location
    /// are ever orphans.
    package func find(in listing: [StoredFile], nowMs: Int64) throws(Refusal) -> Outcome {
        if let nested = nestedTableLocation(in: listing) { throw .nestedTable(nested) }
        let root = Location(tableLocation)
        var referencedPaths = Set<String>()
        for key in reachable.keys { if let location = Location(key) { referencedPaths.insert(Self.barePath(location)) } }
        var outcome = Outcome()
        for file in listing {
            guard let location = Location(file.location), let root, root.contains(location), location != root else { continue }
            if reachable[location.description] != nil {
                outcome.reachable += 1
            } else if referencedPaths.contains(Self.barePath(location)) {
                outcome.prefixMismatches.append(file)
                if prefixMismatch == .delete && nowMs - file.modifiedMs >= graceMs { outcome.orphans.append(file) }
            } else if nowMs - file.modifiedMs < graceMs {
                outcome.keptYoung.append(file)
            } else {
                outcome.orphans.append(file)
            }
        }
        if prefixMismatch == .error && !outcome.prefixMismatches.isEmpty {
            throw .prefixMismatch(outcome.prefixMismatches.map(\.location).sorted())
        }
        outcome.orphans.sort { $0.location < $1.location }
        return outcome
    }

    /// The files in `live` (the data and delete files live entries name) that lie inside the table location but
    /// are not in `listing`: written after the listing, or written in a form the listing does not show.
    package func unlisted(_ live: [String: ReachedFile], in listing: [StoredFile]) -> [ReachedFile] {
        guard let root = Location(tableLocation) else { return [] }
        let listed = Set(listing.map { ReachedFile.key($0.location) })
        return live.filter { key, _ in !listed.contains(key) && Location(key).map(root.contains) == true }.map(\.value)
            .sorted { $0.path < $1.path }
    }

    /// The location of a table nested under this one: a `metadata` directory holding table metadata files
    /// (`*.metadata.json`, `version-hint.text`) other than this table's own.
    func nestedTableLocation(in listing: [StoredFile]) -> String? {
        let own = Location(metadataDirectory)
        for file in listing
        where file.location.hasSuffix(".metadata.json") || file.location.hasSuffix(".metadata.json.gz")
            || file.location.hasSuffix("/version-hint.text")
        {
            guard let location = Location(file.location) else { continue }
            let parts = location.path.split(separator: "/")
            guard parts.count >= 2, parts[parts.count - 2] == "metadata",
                let name = parts.last, name.hasSuffix(".metadata.json") || name.hasSuffix(".metadata.json.gz") || name == "version-hint.text"
            else { continue }
            let directory = Location(scheme: location.scheme, authority: location.authority,
                path: (location.isLocal ? "/" : "") + parts.dropLast().joined(separator: "/"))
            if directory != own { return String(directory.description.dropLast("/metadata".count)) }
        }
        return nil
    }

    /// The path without scheme, authority or leading slashes: what a prefix mismatch has in common.
    static func barePath(_ location: Location) -> String { String(location.path.drop { $0 == "/" }) }
}
