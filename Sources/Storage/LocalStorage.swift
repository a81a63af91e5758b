#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Storage on the local file system, through POSIX calls.
///
/// New files are written through `DurableFile` (a temporary name in the same directory, synced, then linked into
/// place and the directory synced, as is the parent of every directory created), so `createNew` is an atomic
/// create-if-absent and `replace` an atomic swap, and a written file survives a power cut. A crash leaves at most a
/// temporary file (named `.<name>.amoro-tmp-<random>`) behind, which the run's `WriteJournal` lists. Listing never
/// follows symbolic links.
package struct LocalStorage: Storage {
    package init() {}

    package func read(_ location: String) async throws(StorageError) -> [UInt8] {
        let path = try localPath(location)
        let descriptor = try open(path, location: location)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.error(errno, location) }
        return try readFully(descriptor, offset: 0, count: Int(info.st_size), location: location)
    }

    package func read(_ location: String, range: Range<Int64>) async throws(StorageError) -> [UInt8] {
        guard range.lowerBound >= 0 else { throw .io(location, "negative offset \(range.lowerBound)") }
        let path = try localPath(location)
        let descriptor = try open(path, location: location)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.error(errno, location) }
        guard range.upperBound <= Int64(info.st_size) else {
            throw .io(location, "range \(range) is past the end of the \(info.st_size)-byte file")
        }
        return try readFully(descriptor, offset: range.lowerBound, count: range.count, location: location)
    }

    package func size(_ location: String) async throws(StorageError) -> Int64 {
        var info = stat()
        guard stat(try localPath(location), &info) == 0 else { throw Self.error(errno, location) }
        return Int64(info.st_size)
    }

    package func write(_ location: String, bytes: [UInt8], mode: WriteMode) async throws(StorageError) {
        let path = try localPath(location)
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        do throws(StorageError) {
            let file = try DurableFile(directory: slash == path.startIndex ? "/" : String(path[..<slash]), name: String(path[path.index(after: slash)...]),
                location: path)
            do throws(StorageError) {
                let descriptor = Glibc.open(file.temporaryPath, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
                guard descriptor >= 0 else { throw Self.error(errno, location) }
                defer { close(descriptor) }
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { buffer in
                        pwrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                    }
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw Self.error(errno, location)
                    }
                    offset += written
                }
            } catch {
                file.discard()
                throw error
            }
            switch mode {
            case .createNew: try file.publish()
            case .replace: try file.replace()
            }
        } catch {
            // Errors about the final file name it as the caller did.
            throw error == .alreadyExists(path) ? .alreadyExists(location) : error
        }
    }

    /// Makes a directory's entries durable (a file linked, renamed or created in it): fsync(2) on the directory.
    package static func syncDirectory(_ path: String) throws(StorageError) { try DurableFile.syncDirectory(path) }

    package func delete(_ location: String) async throws(StorageError) {
        let path = try localPath(location)
        guard unlink(path) == 0 || errno == ENOENT else { throw Self.error(errno, location) }
    }

    package func list(prefix: String) async throws(StorageError) -> [StoredFile] {
        let path = try localPath(prefix)
        var files: [StoredFile] = []
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return [] }
            throw Self.error(errno, prefix)
        }
        if (info.st_mode & S_IFMT) == S_IFREG {
            files.append(StoredFile(location: path, size: Int64(info.st_size), modifiedMs: Self.milliseconds(info)))
        } else if (info.st_mode & S_IFMT) == S_IFDIR {
            try walk(path, into: &files)
        }
        return files
    }

    package func directoryModifiedMs(_ location: String) async -> Int64? {
        var info = stat()
        guard let path = try? localPath(location), lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return Self.milliseconds(info)
    }

    package func removeDirectoryIfEmpty(_ location: String) async -> Bool {
        guard let path = try? localPath(location) else { return false }
        return rmdir(path) == 0
    }

    /// The real path of the deepest directory of `location` that exists (`realpath(3)`), followed by the rest of
    /// the path, which cannot hold a link since it does not exist yet. The last component itself is kept: deleting
    /// or replacing a link there changes the link, not what it points at.
    package func resolvingLinks(_ location: String) async throws(StorageError) -> String {
        let path = try localPath(location)
        guard path != "/" else { return path }
        var directory = String(path[..<path.lastIndex(of: "/")!])
        var rest = String(path[path.lastIndex(of: "/")!...])
        while true {
            if let real = realpath(directory.isEmpty ? "/" : directory, nil) {
                defer { free(real) }
                let resolved = String(cString: real)
                return (resolved == "/" ? "" : resolved) + rest
            }
            guard errno == ENOENT || errno == ENOTDIR, let slash = directory.lastIndex(of: "/") else {
                throw Self.error(errno, location)
            }
            rest = String(directory[slash...]) + rest
            directory = String(directory[..<slash])
        }
    }

    // MARK: - Helpers

    private func localPath(_ location: String) throws(StorageError) -> String {
        guard let parsed = Location(location), parsed.isLocal else { throw .unsupportedLocation(location) }
        return parsed.path
    }

    private func open(_ path: String, location: String) throws(StorageError) -> Int32 {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.error(errno, location) }
        return descriptor
    }

    private func readFully(_ descriptor: Int32, offset: Int64, count: Int, location: String) throws(StorageError)
        -> [UInt8]
    {
        var failure: StorageError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = Self.error(errno, location)
                    break
                }
                if got == 0 {
                    failure = .io(location, "file ended after \(done) of \(count) bytes")
                    break
                }
                done += got
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }

    private func walk(_ directory: String, into files: inout [StoredFile]) throws(StorageError) {
        guard let handle = opendir(directory) else { throw Self.error(errno, directory) }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = directory == "/" ? "/\(name)" : "\(directory)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0 else {
                if errno == ENOENT { continue }  // removed while listing
                throw Self.error(errno, path)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                files.append(StoredFile(location: path, size: Int64(info.st_size), modifiedMs: Self.milliseconds(info)))
            case S_IFDIR: try walk(path, into: &files)
            default: continue  // links, sockets and devices are never table files
            }
        }
    }

    private static func milliseconds(_ info: stat) -> Int64 {
        Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    }

    private static func error(_ code: Int32, _ location: String) -> StorageError {
        switch code {
        case ENOENT, ENOTDIR: .notFound(location)
        case EEXIST: .alreadyExists(location)
        case EACCES, EPERM: .permissionDenied(location)
        default: .io(location, String(cString: strerror(code)))
        }
    }
}
