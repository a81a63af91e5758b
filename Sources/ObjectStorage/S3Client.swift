import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Storage
import Synchronization

/// Signs and sends S3 requests over one shared HTTP client (connections are pooled and reused), retrying with
/// jittered exponential backoff where a retry is safe, and turning S3's error documents into `StorageError`s.
package final class S3Client: Sendable {
    package let configuration: S3Configuration
    private let http: HTTPClient
    /// Requests sent, per operation name (`GetObject`, `PutObject`, …), retries included; guarded by the mutex.
    private let counts = Mutex<[String: Int]>([:])

    /// A client on `http` (the process-wide client unless a test brings its own and shuts it down).
    package init(configuration: S3Configuration, http: HTTPClient = S3Client.sharedHTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    /// The process-wide HTTP client: never follows redirects (a redirected signed request would be refused
    /// anyway), never decompresses, bounded connect and read timeouts. It lives as long as the process.
    package static let sharedHTTPClient: HTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: httpConfiguration)

    package static var httpConfiguration: HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(30))
        // A refused connection fails at once; `send` decides about retrying.
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(60)),
            connectionPool: pool,
            decompression: .disabled)
    }

    /// How many requests of each operation this client has sent.
    package var requestCounts: [String: Int] { counts.withLock { $0 } }

    /// The response of one request: status, headers and the whole body.
    package struct Response: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: [UInt8]
        /// Whether an earlier attempt failed without an answer, so the request may already have taken effect.
        package var followedAmbiguousFailure: Bool
    }

    /// When a failed request may be sent again.
    package enum Retry: Sendable {
        /// Repeating the request has the same effect as sending it once: retry throttling, 5xx and lost connections.
        case idempotent
        /// Retry only when the server refused the request outright (503 SlowDown, 429): a lost answer might hide a
        /// success that a second attempt would duplicate.
        case refusedOnly
    }

    /// One request. `key` is the raw object key ("" for bucket operations); `query` holds raw names and values.
    package struct Request: Sendable {
        package var operation: String
        package var method: HTTPMethod
        package var bucket: String
        package var key: String
        package var query: [(String, String)] = []
        package var headers: [(String, String)] = []
        package var body: [UInt8] = []
        package var retry: Retry = .idempotent
        /// Statuses ≥ 300 returned to the caller rather than thrown (412 for conditional writes).
        package var accept: Set<Int> = []
        /// The location errors name.
        package var location: String

        package init(operation: String, method: HTTPMethod, bucket: String, key: String, location: String) {
            self.operation = operation
            self.method = method
            self.bucket = bucket
            self.key = key
            self.location = location
        }
    }

    /// Sends `request`, retrying per its policy; returns 2xx responses and accepted statuses, throws the rest.
    package func send(_ request: Request) async throws(StorageError) -> Response {
        guard let credentials = configuration.credentials else {
            throw .service(
                request.location,
                "no S3 credentials: set s3.access-key-id and s3.secret-access-key in the catalog, AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials")
        }
        let signer = SigV4(credentials: credentials, region: configuration.region)
        var ambiguous = false
        var attempt = 1
        while true {
            let outcome: Result<Response, any Error>
            do {
                var response = try await sendOnce(request, signer: signer)
                response.followedAmbiguousFailure = ambiguous
                outcome = .success(response)
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let response):
                if response.status < 300 || request.accept.contains(response.status) { return response }
                let failure = S3ErrorDocument(status: response.status, body: response.body)
                if attempt < configuration.maxAttempts, failure.isRetryable(request.retry) {
                    attempt += 1
                    await Backoff.wait(beforeAttempt: attempt)
                    continue
                }
                throw failure.storageError(request.location, bucket: request.bucket, attempts: attempt,
                    credentials: credentials)
            case .failure(let error):
                ambiguous = true
                if attempt < configuration.maxAttempts, request.retry == .idempotent {
                    attempt += 1
                    await Backoff.wait(beforeAttempt: attempt)
                    continue
                }
                throw .service(
                    request.location,
                    "\(endpointDescription) did not answer (\(Self.describe(error))) after \(attempt) attempt\(attempt == 1 ? "" : "s")")
            }
        }
    }

    private func sendOnce(_ request: Request, signer: SigV4) async throws -> Response {
        let target = address(bucket: request.bucket, key: request.key)
        let queryText = request.query
            .map { "\(SigV4.uriEncode($0.0, keepSlash: false))=\(SigV4.uriEncode($0.1, keepSlash: false))" }
            .sorted().joined(separator: "&")
        var headers = request.headers
        headers.append(("host", target.host))
        headers.append(("x-amz-content-sha256", SigV4.payloadHash(request.body)))
        let signable = SigV4.Request(
            method: request.method.rawValue, path: target.path, query: request.query, headers: headers,
            payloadHash: SigV4.payloadHash(request.body))
        headers += signer.signingHeaders(for: signable, at: Date())

        var http = HTTPClientRequest(url: target.base + target.path + (queryText.isEmpty ? "" : "?\(queryText)"))
        http.method = request.method
        for (name, value) in headers { http.headers.add(name: name, value: value) }
        if !request.body.isEmpty || request.method == .PUT || request.method == .POST {
            http.body = .bytes(ByteBuffer(bytes: request.body))
        }
        counts.withLock { $0[request.operation, default: 0] += 1 }
        let response = try await self.http.execute(http, timeout: .minutes(5))
        let limit = response.headers.first(name: "content-length").flatMap(Int.init) ?? (1 << 31)
        let body = try await response.body.collect(upTo: max(limit, 1))
        return Response(
            status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView),
            followedAmbiguousFailure: false)
    }

    /// The URL base, `Host` header and signed path of an object: virtual-hosted (`bucket.host/key`) unless the
    /// configuration asks for path-style or the bucket name has dots (which break TLS host names).
    package func address(bucket: String, key: String) -> (base: String, host: String, path: String) {
        let endpoint = configuration.endpoint.flatMap(EndpointURL.init)
            ?? EndpointURL("https://s3.\(configuration.region).amazonaws.com")!
        let encodedKey = SigV4.uriEncode(key, keepSlash: true)
        let pathStyle = configuration.pathStyle || bucket.contains(".")
        if pathStyle || bucket.isEmpty {
            let path = "/\(SigV4.uriEncode(bucket, keepSlash: false))" + (key.isEmpty ? "" : "/\(encodedKey)")
            return ("\(endpoint.scheme)://\(endpoint.hostHeader)", endpoint.hostHeader, path)
        }
        var hosted = endpoint
        hosted.host = "\(bucket).\(endpoint.host)"
        return ("\(hosted.scheme)://\(hosted.hostHeader)", hosted.hostHeader, "/\(encodedKey)")
    }

    private var endpointDescription: String { configuration.endpoint ?? "S3 (\(configuration.region))" }

    package static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(describing: error)
    }
}
