import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The locations a run may leave behind if it dies: every file it is about to create (its temporary name too) and
/// every file it is about to delete after a commit, one location a line, appended before the file is touched.
///
/// A run that holds a table's lock journals into a file beside the lock (`WriteJournal.current`, bound for the
/// table's work); storages and writers record through it. When a run is killed, its journal stays, and the next
/// run that takes the same lock hands the entries to `LeftoverSweep`, which removes those that exist and that the
/// table does not reach. Lines reach the kernel with each `write(2)`, so a killed process loses none; after a power
/// cut the last lines may be missing, and what they named is left to `clean-orphans`.
package final class WriteJournal: Sendable {
    /// The journal of the table work in progress, if any.
    @TaskLocal package static var current: WriteJournal?

    package let path: String
    private let descriptor: Mutex<Int32>

    /// Opens `path` for appending, creating it.
    package init(path: String) throws(StorageError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path, "cannot open the write journal: \(String(cString: strerror(errno)))") }
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit { descriptor.withLock { if $0 >= 0 { close($0) } } }

    /// Records that this run may leave `location` behind. Best effort: a journal that cannot be written costs only
    /// the sweep of that file (it stays for `clean-orphans`), never the work.
    package func record(_ location: String) {
        let line = Array((location + "\n").utf8)
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            line.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count {
                    let wrote = write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                    if wrote < 0 && errno == EINTR { continue }
                    if wrote <= 0 { return }
                    done += wrote
                }
            }
        }
    }

    /// The locations a journal at `path` lists (none when it does not exist), each once.
    package static func entries(at path: String) -> [String] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            bytes += chunk[..<got]
        }
        var seen = Set<String>()
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter { seen.insert($0).inserted }
    }

    /// Deletes the journal file at `path`.
    package static func remove(at path: String) { unlink(path) }
}
