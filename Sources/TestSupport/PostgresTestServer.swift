import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster started by `scripts/postgres-server` on a free loopback port for one test suite,
/// and stopped by its PID when the body ends, whether it passed or failed.
package struct PostgresTestServer: Sendable {
    /// `postgresql://amoro:<password>@127.0.0.1:<port>/amoro`.
    package let uri: String
    package let pid: Int32
    /// The cluster's folder (its log is `server.log` there).
    package let directory: URL
    /// The self-signed certificate of a server started with `tls`: the root a client trusts (`sslrootcert`).
    package var certificate: String { directory.appendingPathComponent("server.crt").path }

    /// The password the script gives the `amoro` role.
    package static let password = "amoro-test-password"

    /// Whether Debian's PostgreSQL server (`scripts/setup` installs it) is here.
    package static var isAvailable: Bool {
        if let bin = ProcessInfo.processInfo.environment["PG_BIN"] {
            return FileManager.default.isExecutableFile(atPath: "\(bin)/postgres")
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/postgres") }
    }

    /// Starts a cluster with the `amoro` database and role (speaking TLS too when `tls`), runs `body`, and stops the
    /// cluster afterwards.
    package static func with<T>(tls: Bool = false, _ body: (PostgresTestServer) async throws -> T) async throws -> T {
        let directory = try Fixtures.makeTemporaryDirectory("amoro-pg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (uri, pid, _) = try ServerProcess.start(
            "scripts/postgres-server", arguments: [directory.path] + (tls ? ["--tls"] : []))
        let server = PostgresTestServer(uri: uri, pid: pid, directory: directory)
        defer { server.stop() }
        return try await body(server)
    }

    /// The URI with another password, user or database (for the failure tests).
    package func uri(user: String = "amoro", password: String = Self.password, database: String = "amoro") -> String {
        "postgresql://\(user):\(password)@127.0.0.1:\(port)/\(database)"
    }

    /// The server's TCP port.
    package var port: Int {
        let afterHost = uri.split(separator: "@").last.map(String.init) ?? ""
        return Int(afterHost.split(separator: ":")[1].split(separator: "/")[0]) ?? 0
    }

    /// Runs SQL through `psql` as the `amoro` role (to look at the catalog's rows as another client would).
    package func psql(_ sql: String) throws -> String {
        let psql = URL(fileURLWithPath: "/usr/bin/psql")
        let output = try Peers.run(psql, arguments: [uri, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends SIGINT (PostgreSQL's fast shutdown: open sessions are ended) and waits up to 10 s, then SIGKILL.
    package func stop() { ServerProcess.stop(pid, signal: SIGINT) }
}
