import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stopping a server a test started in the background, by its PID.
package enum ServerProcess {
    /// Sends SIGTERM and waits (up to 10 s) for the process to go, then SIGKILL.
    package static func stop(pid: Int32) {
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            if kill(pid, 0) != 0 || isZombie(pid) { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
    }

    /// A detached server is reparented when its launcher exits; once it ends it may linger unreaped.
    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
