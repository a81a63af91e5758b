#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new local file that appears whole or not at all, the one durable publish of the package.
///
/// The file is written under a hidden temporary name beside its final name (`.<name>.amoro-tmp-<random>`, created
/// exclusively, so no file or link already there is written through); `publish()` syncs it (fsync(2)), hard-links it
/// to its final name (which fails instead of replacing a file already there: an atomic create-if-absent), removes
/// the temporary name and syncs the directory, so a file a commit names survives a power cut. Directories it creates
/// are synced into their parents. Both names are recorded in the run's `WriteJournal` before anything is created, so
/// a crash leaves at most files the journal lists.
package struct DurableFile: Sendable {
    /// The local directory, absolute.
    package let directory: String
    /// The final name: one plain path component.
    package let name: String
    /// Where the content is written until `publish()`.
    package let temporaryPath: String

    /// The final path.
    package var path: String { "\(directory)/\(name)" }

    /// Prepares `name` in the local `directory` (absolute, made with its missing parents): journals the temporary
    /// name and `location` (the final file as metadata names it; the final path when nil), then creates the empty
    /// temporary file.
    package init(directory: String, name: String, location: String? = nil) throws(StorageError) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.hasPrefix("/"), !trimmed.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
            throw .unsupportedLocation(directory)
        }
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { throw .unsupportedLocation("\(directory)/\(name)") }
        self.directory = trimmed == "/" ? "" : trimmed
        self.name = name
        temporaryPath = "\(self.directory)/.\(name).amoro-tmp-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        WriteJournal.current?.record(temporaryPath)
        WriteJournal.current?.record(location ?? "\(self.directory)/\(name)")
        try Self.makeDirectories(trimmed)
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.error(errno, temporaryPath) }
        close(descriptor)
    }

    /// Makes the written temporary file the final one: synced, linked into place (never over an existing file),
    /// its temporary name removed, the directory synced. The temporary name is gone afterwards either way.
    package func publish() throws(StorageError) {
        defer { unlink(temporaryPath) }
        try syncTemporary()
        guard link(temporaryPath, path) == 0 else { throw Self.error(errno, path) }
        try Self.syncDirectory(directory.isEmpty ? "/" : directory)
    }

    /// Like `publish()`, but atomically replacing a file already at the final name (rename(2)).
    package func replace() throws(StorageError) {
        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }
        try syncTemporary()
        guard rename(temporaryPath, path) == 0 else { throw Self.error(errno, path) }
        renamed = true
        try Self.syncDirectory(directory.isEmpty ? "/" : directory)
    }

    /// Removes the temporary file (after a failure).
    package func discard() { unlink(temporaryPath) }

    /// The written temporary file's content made durable (fsync(2)).
    private func syncTemporary() throws(StorageError) {
        let descriptor = open(temporaryPath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.error(errno, temporaryPath) }
        let synced = fsync(descriptor) == 0
        let code = errno
        close(descriptor)
        guard synced else { throw Self.error(code, temporaryPath) }
    }

    /// Makes a directory's entries durable (a file linked, renamed or created in it): fsync(2) on the directory.
    package static func syncDirectory(_ path: String) throws(StorageError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error(errno, path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw error(errno, path) }
    }

    /// Creates `path` (absolute) and its missing parents, each new one synced into its parent.
    package static func makeDirectories(_ path: String) throws(StorageError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .io(path, "not a directory") }
            return
        }
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) == 0 {
            try syncDirectory(parent.isEmpty ? "/" : parent)
        } else if errno != EEXIST {
            throw error(errno, path)
        }
    }

    static func error(_ code: Int32, _ location: String) -> StorageError {
        switch code {
        case ENOENT, ENOTDIR: .notFound(location)
        case EEXIST: .alreadyExists(location)
        case EACCES, EPERM: .permissionDenied(location)
        default: .io(location, String(cString: strerror(code)))
        }
    }
}
