import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a lock protects: one table of one catalog. The key is the catalog's configured name (or `direct` and the
/// table's location) and the table's name.
struct LockKey: Hashable, Sendable, CustomStringConvertible {
    let catalog: String
    let table: String
    /// The catalog's identity (`Catalog.identity`), so that catalogs configured under one name apart stay apart.
    var catalogIdentity = ""

    var description: String { catalogIdentity.isEmpty ? "\(catalog)/\(table)" : "\(catalog)@\(catalogIdentity)/\(table)" }

    /// A file name for the key: readable characters kept, the rest replaced, and a hash of the exact key so two
    /// keys that read alike never share a file.
    var fileName: String {
        let readable = String(description.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }.prefix(120))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, stable across runs and releases
        for byte in description.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "\(readable).\(String(hash, radix: 16)).lock"
    }

    /// The file of the key's `WriteJournal`, beside its lock file.
    var journalFileName: String { String(fileName.dropLast(".lock".count)) + ".journal" }
}

/// Advisory locks that keep two amoro runs from working on one table at once. `FileTableLocks` serves one host
/// (or hosts sharing the lock directory on a file system with working `flock`); a catalog-level implementation
/// (a lock row in a shared catalog) can take its place behind this protocol for catalogs shared across hosts.
protocol TableLocks: Sendable {
    /// The held lock, or nil when another run holds it. Never waits.
    func tryAcquire(_ key: LockKey) throws -> (any HeldLock)?
}

/// A lock a run holds until it calls `release()` (or exits: the operating system drops it then).
protocol HeldLock: AnyObject, Sendable {
    func release()
}

/// Lock files taken with flock(2) in one directory. Files are never deleted (deleting a lock file another process
/// has open would let a third take a second lock on a new file of the same name).
struct FileTableLocks: TableLocks {
    let directory: String

    func tryAcquire(_ key: LockKey) throws -> (any HeldLock)? {
        try FileLock.acquire(path: "\(directory)/\(key.fileName)", wait: false)
    }
}

/// One exclusive flock(2) on a file, held while the object lives or until `release()`.
final class FileLock: HeldLock {
    private let descriptor: Int32
    private let released = Atomic(false)

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Opens (creating it and its directory if needed) and locks `path`; nil when `wait` is false and another
    /// process holds it.
    static func acquire(path: String, wait: Bool) throws -> FileLock? {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LockError(description: "cannot create the lock directory \(directory): \(error.localizedDescription)")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LockError(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw LockError(description: "cannot lock \(path): \(String(cString: strerror(code)))")
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        guard released.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        close(descriptor)  // closing the only descriptor drops the flock
    }

    deinit { release() }
}

/// A lock file or directory that cannot be used (the run cannot know whether the table is free).
struct LockError: Error, CustomStringConvertible {
    let description: String
}
