import Foundation

/// A local S3 server (moto or SeaweedFS) started by `scripts/s3-server` on free loopback ports for one test,
/// and stopped by its PID when the test ends, whether it passed or failed.
package struct S3TestServer: Sendable {
    package enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case moto
        case seaweedfs
        package var description: String { rawValue }
        /// SeaweedFS checks signatures against its configured keys; moto accepts any.
        package var checksCredentials: Bool { self == .seaweedfs }
    }

    package static let accessKeyId = "amoro-test"
    package static let secretAccessKey = "amoro-test-secret"
    package static let bucket = "amoro-test"

    package let kind: Kind
    /// `http://127.0.0.1:<port>`.
    package let endpoint: String
    package let pid: Int32
    /// SeaweedFS's Iceberg REST catalog, when started with it (`with(.seaweedfs, icebergREST: true)`); its
    /// warehouse is `s3://<bucket>` and it takes the S3 access key pair as OAuth2 client credentials.
    package var icebergREST: String? = nil
    /// The server's data directory (its log, and moto's `glue-faults.json`).
    package var directory: URL? = nil

    /// The virtualenv with moto and SeaweedFS (`scripts/setup` makes it).
    package static let virtualenv: URL = {
        ProcessInfo.processInfo.environment["AMORO_S3_VENV"].map { URL(fileURLWithPath: $0) }
            ?? Fixtures.packageRoot.appendingPathComponent(".venv-s3")
    }()

    /// The servers' Python (with boto3), for inspecting a bucket the way another client sees it.
    package static var python: URL { virtualenv.appendingPathComponent("bin/python") }

    package static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: virtualenv.appendingPathComponent("bin/weed").path)
            && FileManager.default.isExecutableFile(atPath: virtualenv.appendingPathComponent("bin/moto_server").path)
    }

    /// Starts a server with the test bucket, runs `body`, and stops the server afterwards. With `icebergREST`
    /// (SeaweedFS only), the bucket is an S3 Tables bucket served by SeaweedFS's Iceberg REST catalog too.
    package static func with<T>(_ kind: Kind, icebergREST: Bool = false, _ body: (S3TestServer) async throws -> T)
        async throws -> T
    {
        let directory = try Fixtures.makeTemporaryDirectory("amoro-s3-\(kind)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = icebergREST ? "\(kind.rawValue)-iceberg" : kind.rawValue
        let (endpoint, pid, extra) = try ServerProcess.start(
            "scripts/s3-server", arguments: [name, directory.path, bucket], extra: icebergREST ? 1 : 0)
        var server = S3TestServer(kind: kind, endpoint: endpoint, pid: pid)
        server.icebergREST = extra.first
        server.directory = directory
        defer { server.stop() }
        return try await body(server)
    }

    /// PyIceberg's and amoro's properties for SeaweedFS's REST catalog (OAuth2 with the S3 key pair), with the
    /// S3 properties of this server.
    package var icebergRESTProperties: [String: String] {
        guard let icebergREST else { return [:] }
        return catalogProperties.merging([
            "type": "rest", "uri": icebergREST, "warehouse": "s3://\(Self.bucket)",
            "credential": "\(Self.accessKeyId):\(Self.secretAccessKey)",
        ]) { $1 }
    }

    /// PyIceberg's and amoro's properties for moto's AWS Glue catalog (on the same port as its S3), with the S3
    /// properties of this server and the warehouse `s3://<bucket>/warehouse`.
    package var glueProperties: [String: String] {
        catalogProperties.merging([
            "type": "glue", "glue.endpoint": endpoint, "glue.region": "us-east-1", "glue.access-key-id": Self.accessKeyId,
            "glue.secret-access-key": Self.secretAccessKey, "warehouse": "s3://\(Self.bucket)/warehouse",
        ]) { $1 }
    }

    /// Sets moto's Glue faults (`scripts/lib/moto_glue_server.py`): per operation (`UpdateTable`, `GetTable`), faults
    /// used once each in order, such as `["status": 500]`, `["status": 500, "apply": true]`,
    /// `["status": 400, "type": "ThrottlingException"]` or `["concurrent": true]`.
    package func injectGlueFaults(_ faults: [String: [[String: any Sendable]]]) throws {
        guard kind == .moto, let directory else { throw PeerError(message: "only moto serves Glue") }
        try JSONSerialization.data(withJSONObject: faults).write(to: directory.appendingPathComponent("glue-faults.json"))
    }

    /// PyIceberg's and amoro's catalog properties for this server.
    package var catalogProperties: [String: String] {
        [
            "s3.endpoint": endpoint, "s3.access-key-id": Self.accessKeyId, "s3.secret-access-key": Self.secretAccessKey,
            "s3.region": "us-east-1", "s3.path-style-access": "true",
        ]
    }

    /// Sends SIGTERM and waits (up to 10 s) for the process to go, then SIGKILL.
    package func stop() { ServerProcess.stop(pid) }
}
