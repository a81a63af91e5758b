import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The mock Iceberg REST catalog of `scripts/rest-mock-server` (PyIceberg's SqlCatalog behind the REST API, with
/// faults to inject), started on a free loopback port for one test and stopped by its PID when the test ends.
package struct RESTMockServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    package let uri: String
    package let pid: Int32

    /// Starts the mock with tables under `warehouse` (its own SqlCatalog gets `properties`, e.g. S3 access), runs
    /// `body`, and stops the mock afterwards.
    package static func with<T>(warehouse: String, properties: [String: String] = [:], _ body: (RESTMockServer) async throws -> T)
        async throws -> T
    {
        guard let python = Peers.python else { throw PeerError(message: "the peers' virtualenv (.venv) is missing") }
        let directory = try Fixtures.makeTemporaryDirectory("amoro-rest-mock")
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = Fixtures.packageRoot.appendingPathComponent("scripts/rest-mock-server")
        let json = String(decoding: try JSONSerialization.data(withJSONObject: properties), as: UTF8.self)
        let output = try Peers.run(python, arguments: [script.path, directory.path, warehouse, json])
        let fields = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let pid = Int32(fields[1]) else {
            throw PeerError(message: "scripts/rest-mock-server printed '\(String(decoding: output, as: UTF8.self))'")
        }
        let server = RESTMockServer(uri: String(fields[0]), pid: pid)
        defer { ServerProcess.stop(pid) }
        try server.waitUntilReady()
        return try await body(server)
    }

    /// Merges `settings` into the mock's fault settings (see the script's header).
    package func inject(_ settings: [String: Any]) throws {
        _ = try request("/mock/faults", body: try JSONSerialization.data(withJSONObject: settings))
    }

    /// The mock's counters: commits, conflicts and errors sent, tokens issued, requests refused 401, loads.
    package func stats() throws -> [String: Int] {
        let data = try request("/mock/stats", body: nil)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Int]) ?? [:]
    }

    private func waitUntilReady() throws {
        for _ in 0..<100 {
            if (try? stats()) != nil { return }
            usleep(100_000)
        }
        throw PeerError(message: "the REST mock at \(uri) did not answer")
    }

    private func request(_ path: String, body: Data?) throws -> Data {
        let script = #"""
            import sys, urllib.request
            data = sys.stdin.buffer.read() if sys.argv[2] == "post" else None
            print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=data), timeout=10).read().decode())
            """#
        return try Peers.python(script, arguments: [uri + path, body == nil ? "get" : "post"], input: body)
    }
}
