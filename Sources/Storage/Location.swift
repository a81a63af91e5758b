/// A parsed storage location: scheme, authority and path, with the equivalences Iceberg tools rely on
/// (`/x`, `file:/x` and `file:///x` are one file; `s3`, `s3a` and `s3n` are one store).
package struct Location: Hashable, Sendable, CustomStringConvertible {
    /// Lower-case scheme with aliases folded (`s3a`/`s3n` → `s3`); `file` for bare paths.
    package var scheme: String
    /// Bucket or host; empty for local files.
    package var authority: String
    /// The path, starting with `/` for local files, without a leading `/` for object keys.
    package var path: String

    package init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        if text.hasPrefix("/") {
            self.init(scheme: "file", authority: "", path: Self.normalizeLocal(text))
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let rawScheme = text[..<colon].lowercased()
        guard rawScheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else {
            return nil
        }
        var rest = text[text.index(after: colon)...]
        let scheme = ["s3a", "s3n"].contains(rawScheme) ? "s3" : rawScheme
        if scheme == "file" {
            // file:/x, file:///x and file://localhost/x
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                if let slash = rest.firstIndex(of: "/") {
                    let host = rest[..<slash]
                    guard host.isEmpty || host == "localhost" else { return nil }
                    rest = rest[slash...]
                } else {
                    return nil
                }
            }
            guard rest.hasPrefix("/") else { return nil }
            self.init(scheme: "file", authority: "", path: Self.normalizeLocal(String(rest)))
            return
        }
        guard rest.hasPrefix("//") else { return nil }
        rest = rest.dropFirst(2)
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty else { return nil }
        var path = rest.dropFirst(authority.count)
        while path.hasPrefix("/") { path = path.dropFirst() }
        self.init(scheme: scheme, authority: String(authority), path: String(path))
    }

    package init(scheme: String, authority: String, path: String) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
    }

    package var isLocal: Bool { scheme == "file" }

    /// The canonical text: a bare path for local files, `scheme://authority/path` otherwise.
    package var description: String { isLocal ? path : "\(scheme)://\(authority)/\(path)" }

    /// Whether `other` is this location or lies below it (path-segment aware: `/a/b` does not contain `/a/bc`).
    package func contains(_ other: Location) -> Bool {
        guard scheme == other.scheme, authority == other.authority else { return false }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return other.path == base || other.path.hasPrefix(base + "/") || base.isEmpty
    }

    /// A child location.
    package func appending(_ component: String) -> Location {
        let separator = path.isEmpty || path.hasSuffix("/") ? "" : "/"
        return Location(scheme: scheme, authority: authority, path: path + separator + component)
    }

    /// Removes `.` segments, doubled slashes and trailing slashes; `..` is refused by keeping it literal, since a
    /// table location must never climb out of itself.
    /// Whether a local path (starting with `/`) has no empty or `.` segment and no trailing slash, as most do: one
    /// pass over the bytes.
    private static func isNormal(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in path.utf8 {
            if byte == slash && (previous == slash || (previous == dot && beforePrevious == slash)) { return false }
            beforePrevious = previous
            previous = byte
        }
        return previous != slash && !(previous == dot && beforePrevious == slash)
    }

    private static func normalizeLocal(_ path: String) -> String {
        if isNormal(path) { return path }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
