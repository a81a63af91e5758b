/// A parsed storage location in canonical form: scheme, authority and path, with the equivalences Iceberg tools
/// rely on (`/x`, `file:/x` and `file:///x` are one file; `s3`, `s3a` and `s3n` are one store).
///
/// Every location entering from a document, a manifest, metadata or a listing is parsed here before it is compared
/// or used, so aliases of one file are one value: a local path has its `.` and `..` segments resolved (one that
/// climbs above `/` is refused), doubled and trailing slashes removed. An object key holding a `.` or `..` segment is
/// refused, since object stores take such keys literally while HTTP clients may not.
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
            guard let path = Self.normalizeLocal(text) else { return nil }
            self.init(scheme: "file", authority: "", path: path)
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
            guard rest.hasPrefix("/"), let path = Self.normalizeLocal(String(rest)) else { return nil }
            self.init(scheme: "file", authority: "", path: path)
            return
        }
        guard rest.hasPrefix("//") else { return nil }
        rest = rest.dropFirst(2)
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty else { return nil }
        var path = rest.dropFirst(authority.count)
        while path.hasPrefix("/") { path = path.dropFirst() }
        guard !path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else { return nil }
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

    /// Whether a local path (starting with `/`) has no empty, `.` or `..` segment and no trailing slash, as most do:
    /// one pass over the bytes.
    private static func isNormal(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        // Bytes since the last slash, while they are all dots (-1 once another byte came).
        var dots = 0
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if byte == slash {
                if previous == slash || dots == 1 || dots == 2 { return false }
                dots = 0
            } else if byte == dot {
                if dots >= 0 { dots += 1 }
            } else {
                dots = -1
            }
            previous = byte
        }
        return previous != slash && dots != 1 && dots != 2
    }

    /// Removes `.` segments, doubled and trailing slashes, and resolves `..` against the segment before it; nil
    /// when a `..` would climb above `/`.
    private static func normalizeLocal(_ path: String) -> String? {
        if isNormal(path) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { return nil }
            } else {
                parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
