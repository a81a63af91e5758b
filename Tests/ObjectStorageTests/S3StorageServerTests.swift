import Foundation
import ObjectStorage
import Storage
import TestSupport
import Testing

/// Every `Storage` operation of `S3Storage` against real S3 implementations: moto and SeaweedFS, each started by
/// `scripts/s3-server` on loopback for the test and stopped by PID afterwards.
@Suite(.enabled(if: S3TestServer.isAvailable || Peers.areRequired), .serialized)
struct S3StorageServerTests {
    static func storage(_ server: S3TestServer, endpoint: String? = nil, secret: String = S3TestServer.secretAccessKey)
        -> S3Storage
    {
        S3Storage(configuration: S3Configuration(
            endpoint: endpoint ?? server.endpoint, region: "us-east-1", pathStyle: true,
            credentials: AWSCredentials(accessKeyId: S3TestServer.accessKeyId, secretAccessKey: secret, source: "test"),
            maxAttempts: 3, partSize: S3Configuration.minimumPartSize))
    }

    static let root = "s3://\(S3TestServer.bucket)"

    /// The location and reason of the `.service` error `body` throws; `nil` if it throws something else or nothing.
    static func serviceFailure(_ body: () async throws -> Void) async -> (location: String, reason: String)? {
        do {
            try await body()
        } catch let error as StorageError {
            if case .service(let location, let reason) = error { return (location, reason) }
        } catch {}
        return nil
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func everyOperation(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            let storage = Self.storage(server)
            // Stores keep LastModified to the second: allow for the truncation.
            let started = Int64(Date().timeIntervalSince1970 * 1000) - 2_000
            let location = "\(Self.root)/t/data/part=1/a b+c.bin"
            let bytes = (0..<1000).map { UInt8($0 % 251) }
            try await storage.write(location, bytes: bytes, mode: .createNew)
            #expect(try await storage.read(location) == bytes)
            #expect(try await storage.read(location, range: 990..<1000) == Array(bytes[990..<1000]))
            #expect(try await storage.read(location, range: 5..<5) == [])
            await #expect(throws: StorageError.self) { try await storage.read(location, range: 995..<1005) }
            #expect(try await storage.size(location) == 1000)
            // s3a:// names the same object, and listing answers in the caller's spelling.
            #expect(try await storage.size("s3a://\(S3TestServer.bucket)/t/data/part=1/a b+c.bin") == 1000)
            try await storage.write("\(Self.root)/t/metadata/v1.json", bytes: Array("{}".utf8), mode: .replace)
            try await storage.write("\(Self.root)/t2/other", bytes: [1], mode: .replace)
            let listed = try await storage.list(prefix: "\(Self.root)/t")
            let now = Int64(Date().timeIntervalSince1970 * 1000) + 2_000
            #expect(listed.map(\.location).sorted() == ["\(Self.root)/t/data/part=1/a b+c.bin", "\(Self.root)/t/metadata/v1.json"])
            #expect(listed.allSatisfy { (started...now).contains($0.modifiedMs) }, "\(listed)")
            #expect(listed.first { $0.location.hasSuffix(".bin") }?.size == 1000)
            #expect(try await storage.list(prefix: "s3n://\(S3TestServer.bucket)/t/metadata/").map(\.location)
                == ["s3n://\(S3TestServer.bucket)/t/metadata/v1.json"])
            try await storage.write("\(Self.root)/t/metadata/v1.json", bytes: Array("{\"a\":1}".utf8), mode: .replace)
            #expect(try await storage.read("\(Self.root)/t/metadata/v1.json") == Array("{\"a\":1}".utf8))
            await #expect(throws: StorageError.alreadyExists(location)) {
                try await storage.write(location, bytes: [9], mode: .createNew)
            }
            #expect(try await storage.read(location) == bytes, "a refused createNew leaves the object as it was")
            try await storage.delete(location)
            try await storage.delete(location)  // deleting twice is not an error
            await #expect(throws: StorageError.notFound(location)) { try await storage.read(location) }
            await #expect(throws: StorageError.notFound(location)) { try await storage.size(location) }
            #expect(try await storage.list(prefix: "\(Self.root)/nothing-here").isEmpty)
            let counts = storage.client.requestCounts
            #expect(counts["PutObject"] == 5 && counts["HeadObject"] == 3 && counts["ListObjectsV2"] == 3)
        }
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func largeObjectsGoUpInParts(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            let storage = Self.storage(server)
            let size = 2 * S3Configuration.minimumPartSize + 12_345
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let location = "\(Self.root)/big/file.parquet"
            try await storage.write(location, bytes: bytes, mode: .createNew)
            #expect(storage.client.requestCounts["UploadPart"] == 3)
            #expect(try await storage.size(location) == Int64(size))
            #expect(try await storage.read(location) == bytes)
            let tail = Int64(size - 8)..<Int64(size)
            #expect(try await storage.read(location, range: tail) == Array(bytes[(size - 8)...]))
            // A staged local file goes up in parts read from disk one at a time; a small one in one PUT.
            let staged = try Fixtures.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: staged) }
            try Data(bytes).write(to: staged.appendingPathComponent("big"))
            try Data(bytes.prefix(1000)).write(to: staged.appendingPathComponent("small"))
            let puts = storage.client.requestCounts["PutObject"] ?? 0
            try await storage.upload("\(Self.root)/big/uploaded.parquet", fromLocalFile: staged.appendingPathComponent("big").path,
                mode: .createNew)
            try await storage.upload("\(Self.root)/big/small.parquet", fromLocalFile: staged.appendingPathComponent("small").path,
                mode: .createNew)
            #expect(storage.client.requestCounts["UploadPart"] == 6 && storage.client.requestCounts["PutObject"] == puts + 1)
            #expect(try await storage.read("\(Self.root)/big/uploaded.parquet") == bytes)
            #expect(try await storage.read("\(Self.root)/big/small.parquet") == Array(bytes.prefix(1000)))
            if kind == .seaweedfs {
                // moto does not evaluate If-None-Match on CompleteMultipartUpload; SeaweedFS does.
                await #expect(throws: StorageError.alreadyExists(location)) {
                    try await storage.write(location, bytes: bytes, mode: .createNew)
                }
            }
            #expect(try await storage.pendingUploads(prefix: "\(Self.root)/").isEmpty)
        }
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func listingPagesAndBatchDeletes(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            let storage = Self.storage(server)
            let locations = (0..<1_100).map { "\(Self.root)/many/f\($0)" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, location) in locations.enumerated() {
                    if index >= 16 { try await group.next() }
                    group.addTask { try await storage.write(location, bytes: [UInt8(index % 256)], mode: .replace) }
                }
                try await group.waitForAll()
            }
            let listed = try await storage.list(prefix: "\(Self.root)/many")
            #expect(Set(listed.map(\.location)) == Set(locations))
            #expect(storage.client.requestCounts["ListObjectsV2"] == 2, "1100 keys take two pages of 1000")
            try await storage.delete(locations + ["\(Self.root)/many/never-existed"])
            #expect(storage.client.requestCounts["DeleteObjects"] == 2)
            #expect(try await storage.list(prefix: "\(Self.root)/many").isEmpty)
        }
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func racingCreatesHaveOneWinner(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            let storage = Self.storage(server)
            for round in 0..<5 {
                let location = "\(Self.root)/race/v\(round).metadata.json"
                let outcomes = await withTaskGroup(of: (UInt8, Bool).self) { group in
                    for writer in UInt8(1)...2 {
                        group.addTask {
                            do {
                                try await storage.write(location, bytes: Array(repeating: writer, count: 64), mode: .createNew)
                                return (writer, true)
                            } catch { return (writer, false) }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.filter(\.1).map(\.0)
                #expect(winners.count == 1, "round \(round): \(outcomes)")
                let stored = try await storage.read(location)
                #expect(winners.map { Array(repeating: $0, count: 64) } == [stored])
            }
        }
    }

    @Test func wrongCredentialsAreAClearError() async throws {
        try await S3TestServer.with(.seaweedfs) { server in
            let storage = Self.storage(server, secret: "not-the-secret")
            let location = "\(Self.root)/x"
            let refusal = await Self.serviceFailure { try await storage.write(location, bytes: [1], mode: .replace) }
            #expect(refusal?.reason.contains("SignatureDoesNotMatch") == true && refusal?.reason.contains("access denied") == true)
            #expect(refusal?.reason.contains("not-the-secret") == false)
            #expect(storage.client.requestCounts["PutObject"] == 1, "a refusal is not retried")
        }
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func missingBucketIsAClearError(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            let storage = Self.storage(server)
            await #expect(throws: StorageError.service("s3://no-such-bucket/k", "bucket 'no-such-bucket' does not exist (NoSuchBucket)")) {
                _ = try await storage.read("s3://no-such-bucket/k")
            }
            await #expect(throws: StorageError.service("s3://no-such-bucket/", "bucket 'no-such-bucket' does not exist (NoSuchBucket)")) {
                _ = try await storage.list(prefix: "s3://no-such-bucket/")
            }
        }
    }

    @Test func unreachableEndpointFailsAfterRetries() async throws {
        let storage = S3Storage(configuration: S3Configuration(
            endpoint: "http://127.0.0.1:1", region: "us-east-1", pathStyle: true,
            credentials: AWSCredentials(accessKeyId: "a", secretAccessKey: "b", source: "test"), maxAttempts: 2))
        let failure = await Self.serviceFailure { _ = try await storage.read("s3://bucket/key") }
        #expect(failure?.location == "s3://bucket/key")
        #expect(failure?.reason.contains("did not answer") == true && failure?.reason.contains("2 attempts") == true)
        #expect(storage.client.requestCounts["GetObject"] == 2)
    }

    @Test func missingCredentialsNameTheSettings() async throws {
        let storage = S3Storage(configuration: S3Configuration(endpoint: nil, region: "us-east-1", pathStyle: false, credentials: nil))
        await #expect(throws: StorageError.self) { _ = try await storage.size("s3://bucket/key") }
        #expect(storage.client.requestCounts.isEmpty, "nothing is sent without credentials")
    }

    @Test(arguments: S3TestServer.Kind.allCases)
    func droppedConnectionsLeaveNothingBehind(_ kind: S3TestServer.Kind) async throws {
        try await S3TestServer.with(kind) { server in
            try await DroppingProxy.with(upstream: server.endpoint, cutting: ["partNumber=2", "drop-me"]) { proxy in
                let storage = Self.storage(server, endpoint: proxy)
                let direct = Self.storage(server)
                // Part 2 of every upload is cut off mid-body: retried, then the upload is aborted.
                let big = "\(Self.root)/faults/big.parquet"
                let bytes = [UInt8](repeating: 7, count: S3Configuration.minimumPartSize + 100)
                await #expect(throws: StorageError.self) { try await storage.write(big, bytes: bytes, mode: .createNew) }
                #expect(storage.client.requestCounts["UploadPart"] == 1 + 3)
                #expect(storage.client.requestCounts["AbortMultipartUpload"] == 1)
                #expect(try await direct.pendingUploads(prefix: "\(Self.root)/").isEmpty, "no orphaned multipart upload")
                await #expect(throws: StorageError.notFound(big)) { try await direct.size(big) }
                // A small object whose PUT is always cut off: nothing appears.
                let small = "\(Self.root)/faults/drop-me.json"
                let dropped = await Self.serviceFailure {
                    try await storage.write(small, bytes: Array("{}".utf8), mode: .createNew)
                }
                #expect(dropped?.reason.contains("did not answer") == true)
                await #expect(throws: StorageError.notFound(small)) { try await direct.size(small) }
                // The proxy passes everything else: a normal write through it works.
                try await storage.write("\(Self.root)/faults/fine", bytes: [1, 2, 3], mode: .createNew)
                #expect(try await direct.read("\(Self.root)/faults/fine") == [1, 2, 3])
            }
        }
    }
}
