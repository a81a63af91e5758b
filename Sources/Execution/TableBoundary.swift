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
        // The location's own real path is that of a name inside it, less the name (the last component is kept as is).
        let inside: String
        do { inside = try await storage.resolvingLinks(location.appending("amoro-boundary").description) }
        catch { throw .iceberg(.storage(error)) }
        guard var real = Location(inside) else { throw .unsafeLocation(tableLocation, "resolves to \(inside)") }
        real.path = String(real.path.dropLast("/amoro-boundary".count))
        self.location = location
        self.realLocation = real
        self.storage = storage
    }

    /// Why `path` may not be written or deleted; nil when it lies inside the table location.
    package func refusal(_ path: String) async -> String? {
        guard let target = Location(path) else { return "not a valid location (a '..' climbs out, or an object key holds '.' or '..')" }
        guard location.contains(target), target != location else { return "outside the table location \(location)" }
        guard let real = try? await storage.resolvingLinks(target.description), let realTarget = Location(real) else {
            return "its directories cannot be resolved"
        }
        guard realLocation.contains(realTarget), realTarget != realLocation else {
            return "a symbolic link leads it to \(real), outside the table location"
        }
        return nil
    }

    /// Throws unless files may be written in `directory` (checked through a name inside it).
    package func checkWritable(directory: String) async throws(AmoroError) {
        let probe = directory.hasSuffix("/") ? directory + "amoro-boundary" : directory + "/amoro-boundary"
        if let why = await refusal(probe) { throw .unsafeLocation(directory, why) }
    }
}
