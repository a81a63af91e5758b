import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A test server started by one of the project's scripts (`scripts/s3-server`, `scripts/postgres-server`), which
/// print `<address> <pid>` and leave the server running detached; the test stops it by that PID.
package enum ServerProcess {
    /// Runs `script` with `arguments` and returns the address and PID it printed, and the `extra` addresses some
    /// servers print after them.
    package static func start(_ script: String, arguments: [String], extra: Int = 0) throws
        -> (address: String, pid: Int32, extra: [String])
    {
        let url = Fixtures.packageRoot.appendingPathComponent(script)
        let output = String(decoding: try Peers.run(url, arguments: arguments), as: UTF8.self)
        let fields = output.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 2 + extra, let pid = Int32(fields[1]) else {
            throw PeerError(message: "\(script) printed '\(output)'")
        }
        return (fields[0], pid, Array(fields.dropFirst(2)))
    }

    /// Sends `signal` and waits (up to 10 s) for the process to go, then SIGKILL.
    package static func stop(_ pid: Int32, signal: Int32 = SIGTERM) {
        kill(pid, signal)
        for _ in 0..<100 {
            if kill(pid, 0) != 0 || isZombie(pid) { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
    }

    /// The script's background server is reparented when the script exits; once it ends it may linger unreaped.
    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
