#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit on open files. Merges that read many files at once (a Paimon bucket's sorted runs) hold one
/// descriptor per input, and the usual soft limit of 1024 is far below what the system allows, so amoro raises the
/// soft limit to the hard one when it starts, as a long-lived server would be configured to.
package enum OpenFileLimit {
    /// Descriptors kept free for everything but a merge's inputs (catalogs, logs, outputs, the other tasks' files).
    package static let reserve = 128

    /// The current soft limit (`Int.max` when unlimited).
    package static var current: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }

    /// Raises the soft limit to the hard one (at most 2^20, the kernel's usual ceiling); leaves it as it is when
    /// that is refused.
    package static func raise() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        // An unlimited hard limit is the largest value, so the ceiling applies to it too.
        let wanted = min(limit.rlim_max, rlim_t(1 << 20))
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
