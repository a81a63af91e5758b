import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ObjectStorage

/// The HTTP side of the REST catalog: requests on the process-wide async-http-client (pooled connections, shared
/// with S3), the catalog's `header.*` headers, a bearer token from `RESTAuth` refreshed once when the server
/// answers 401, and retries with jittered backoff on 429, 5xx and lost connections for idempotent requests only
/// (a commit POST is sent once: its outcome after a lost answer is unknown, and only the caller can say so).
package final class RESTClient: Sendable {
    /// One answer: the status and the whole body.
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// What one request is, in the terms the retry and auth rules need.
    struct Request: Sendable {
        var method: HTTPMethod
        var url: String
        var body: [UInt8]? = nil
        var contentType = "application/json"
        /// Sending it twice does what sending it once does: retried on 429, 5xx and lost connections.
        var idempotent: Bool
        /// Sent without the bearer token (the OAuth2 token request itself).
        var anonymous = false
    }

    let auth: RESTAuth
    private let headers: [(String, String)]
    private let http: HTTPClient
    private let maxAttempts: Int

    init(auth: RESTAuth, headers: [(String, String)], maxAttempts: Int, http: HTTPClient = S3Client.sharedHTTPClient) {
        self.auth = auth
        self.headers = headers
        self.maxAttempts = max(1, maxAttempts)
        self.http = http
    }

    /// The headers every request carries: PyIceberg's defaults, then the catalog's `header.<name>` properties.
    static func headers(properties: [String: String]) -> [(String, String)] {
        var headers: [String: String] = [
            "X-Client-Version": "amoro", "User-Agent": "amoro", "X-Iceberg-Access-Delegation": "vended-credentials",
        ]
        for (key, value) in properties where key.hasPrefix("header.") && key.count > "header.".count {
            headers[String(key.dropFirst("header.".count))] = value
        }
        return headers.sorted { $0.key < $1.key }
    }

    /// Sends `request` (retrying per its kind) and returns the server's answer, whatever its status; a 401 makes
    /// one more attempt with a fresh token when the catalog can get one. Throws only when no answer came.
    func send(_ request: Request) async throws(RESTTransportError) -> Response {
        var token = request.anonymous ? nil : try await auth.token(client: self)
        var refreshed = false
        var attempt = 1
        while true {
            let outcome: Result<Response, any Error>
            do { outcome = .success(try await sendOnce(request, token: token)) } catch { outcome = .failure(error) }
            switch outcome {
            case .success(let response):
                if response.status == 401, !request.anonymous, !refreshed, let fresh = try await auth.refresh(after: token, client: self) {
                    // Refused unauthenticated: the request had no effect, so even a commit may go again.
                    token = fresh
                    refreshed = true
                    continue
                }
                let retryable = response.status == 429 || [500, 502, 503, 504].contains(response.status)
                if request.idempotent, retryable, attempt < maxAttempts {
                    attempt += 1
                    await Backoff.wait(beforeAttempt: attempt)
                    continue
                }
                return response
            case .failure(let error):
                if request.idempotent, attempt < maxAttempts {
                    attempt += 1
                    await Backoff.wait(beforeAttempt: attempt)
                    continue
                }
                throw RESTTransportError(
                    message: "\(Self.origin(request.url)) did not answer (\(S3Client.describe(error))) after \(attempt) "
                        + "attempt\(attempt == 1 ? "" : "s")")
            }
        }
    }

    private func sendOnce(_ request: Request, token: String?) async throws -> Response {
        var http = HTTPClientRequest(url: request.url)
        http.method = request.method
        for (name, value) in headers { http.headers.replaceOrAdd(name: name, value: value) }
        http.headers.replaceOrAdd(name: "Accept", value: "application/json")
        if let token { http.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)") }
        if let body = request.body {
            http.headers.replaceOrAdd(name: "Content-Type", value: request.contentType)
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await self.http.execute(http, timeout: .minutes(2))
        let body = try await response.body.collect(upTo: 256 << 20)
        return Response(status: Int(response.status.code), body: Array(body.readableBytesView))
    }

    /// `scheme://host:port` of a URL, for messages (never its user info or query).
    static func origin(_ url: String) -> String {
        guard let separator = url.range(of: "://") else { return url }
        let authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" }
        let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        return String(url[..<separator.upperBound]) + String(host)
    }

    /// A URL with the password of its user info (`user:password@`) replaced by `***`, for anything that may be shown.
    package static func withoutPassword(_ url: String) -> String {
        guard let separator = url.range(of: "://") else { return url }
        let authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes one path segment or query value (RFC 3986 unreserved characters stay).
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// A REST request got no usable answer: the connection was refused or lost, it timed out, or no token could be
/// had for it. The message names the server, never a secret.
struct RESTTransportError: Error, Sendable, CustomStringConvertible {
    let message: String
    /// False when the request surely never reached the catalog (no token could be had for it).
    var mayHaveReachedServer = true
    var description: String { message }
}
