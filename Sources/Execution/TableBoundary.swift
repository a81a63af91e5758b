import Iceberg
import Storage

/// The table location as a fence: every location amoro writes or deletes must lie strictly inside it, compared in
/// canonical form (`Location`: `.` and `..` resolved, aliases folded) and by where it really lands (symbolic links
/// among its directories resolved, against the table location's own real path), so neither a `..` in a document
/// nor a link inside the table leads out.
package struct TableBoundary: Sendable {
    /// The table location, canonical.
    package let location: Location
    /// Where the table location really is (its links resolved).
    private let realLocation: Location
    private let storage: any Storage

    package init(tableLocation: String, storage: any Storage) async throws(AmoroError) {
        guard let location = Location(tableLocation) else { throw .unsafeLocation(tableLocation, "is not a valid table location") }
        do { realLocation = try await Self.realPath(of: location, storage: storage) } catch { throw .iceberg(.storage(error)) }
        self.location = location
        self.storage = storage
    }

    /// Why `path` may not be written or deleted; nil when it lies inside the table location.
    package func refusal(_ path: String) async -> String? { await refusals([path])[path] }

    /// `refusal` of many paths, keyed by path (those let through are absent). Each directory is resolved once,
    /// however many of the paths lie in it.
    package func refusals(_ paths: [String]) async -> [String: String] {
        var refused: [String: String] = [:]
        var realDirectories: [Location: Location?] = [:]
        for path in paths {
            guard let target = Location(path) else {
                refused[path] = "not a valid location (a '..' climbs out, or an object key holds '.' or '..')"
                continue
            }
            guard location.contains(target), target != location else {
                refused[path] = "outside the table location \(location)"
                continue
            }
            // An object key at a bucket's root has no slash: its directory is the bucket.
            let slash = target.path.lastIndex(of: "/")
            var directory = target
            directory.path = slash.map { String(target.path[..<$0]) } ?? ""
            if realDirectories[directory] == nil {
                realDirectories[directory] = try? await Self.realPath(of: directory, storage: storage)
            }
            guard let realDirectory = realDirectories[directory] ?? nil else {
                refused[path] = "its directories cannot be resolved"
                continue
            }
            let real = realDirectory.appending(String(target.path[(slash.map(target.path.index(after:)) ?? target.path.startIndex)...]))
            if !realLocation.contains(real) || real == realLocation {
                refused[path] = "a symbolic link leads it to \(real), outside the table location"
            }
        }
        return refused
    }

    /// Where a directory really is: the real path of a name inside it, less the name (`resolvingLinks` keeps a
    /// location's last component as it is).
    private static func realPath(of directory: Location, storage: any Storage) async throws(StorageError) -> Location {
        let inside = try await storage.resolvingLinks(directory.appending("amoro-boundary").description)
        guard var real = Location(inside) else { throw .unsupportedLocation(inside) }
        real.path = String(real.path.dropLast("/amoro-boundary".count))
        return real
    }

    /// Throws unless files may be written in `directory` (checked through a name inside it).
    package func checkWritable(directory: String) async throws(AmoroError) {
        let probe = directory.hasSuffix("/") ? directory + "amoro-boundary" : directory + "/amoro-boundary"
        if let why = await refusal(probe) { throw .unsafeLocation(directory, why) }
    }
}
