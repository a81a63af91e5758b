import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Named points of a rewrite where the crash tests kill the process (`AMORO_CRASH_AT=<point>` sends SIGKILL to
/// ourselves there; `<point>:trap` traps as a failed precondition would), to prove that a crash at any stage leaves
/// the table with its old or its new content and at most unreferenced files, and that a trap ends the process at
/// once. Unset, it does nothing.
enum CrashPoint: String {
    /// Every task's new files are written; nothing is committed (nor, for `compact --execute-only`, reported).
    case afterDataFiles = "after-data-files"
    /// New manifests are written; no manifest list yet.
    case afterManifests = "after-manifests"
    /// The manifest list (for expiry: the new metadata) is ready; the catalog has not been asked to swap.
    case beforeSwap = "before-swap"
    /// The catalog swapped the metadata pointer; nothing was reported (or, for expiry, deleted) yet.
    case afterSwap = "after-swap"
    /// Half of the files expiry or orphan cleaning removes are deleted.
    case midDeletes = "mid-deletes"

    func reach() {
        switch ProcessInfo.processInfo.environment["AMORO_CRASH_AT"] {
        case rawValue: kill(getpid(), SIGKILL)
        case rawValue + ":trap": fatalError("AMORO_CRASH_AT=\(rawValue):trap")
        default: return
        }
    }
}
