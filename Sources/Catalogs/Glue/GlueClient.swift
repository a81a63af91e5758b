import AsyncHTTPClient
import Foundation
import JSONCoding
import NIOCore
import NIOHTTP1
import ObjectStorage

/// The AWS Glue API as its SDKs speak it (JSON 1.1: `POST /` with `X-Amz-Target: AWSGlue.<Operation>` and a JSON
/// body, signed with SigV4 for the service `glue`), on the process-wide async-http-client shared with S3 and the
/// REST catalog. Requests that may be repeated are retried with jittered backoff on throttling, 5xx and lost
/// connections; one that must not be (`UpdateTable`) only when Glue refused it outright (throttling).
final class GlueClient: Sendable {
    let configuration: GlueConfiguration
    private let http: HTTPClient

    init(configuration: GlueConfiguration, http: HTTPClient = S3Client.sharedHTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    /// When a failed request may go again.
    enum Retry: Sendable {
        /// Sending it twice does what sending it once does (reads).
        case idempotent
        /// Only a refusal (throttling) proves it had no effect.
        case refusedOnly
    }

    /// Sends `operation` with the request members (the catalog id is added when configured) and returns Glue's
    /// answer; throws `GlueError` for an error answer or none.
    func call(_ operation: String, _ members: [(String, JSON)], retry: Retry) async throws(GlueError) -> JSON {
        guard let credentials = configuration.credentials else {
            throw GlueError(
                type: nil, status: nil, mayHaveTakenEffect: false,
                message: "no AWS credentials for Glue: set glue.access-key-id and glue.secret-access-key in the catalog, "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials")
        }
        let request = (configuration.catalogId.map { [("CatalogId", JSON.string($0))] } ?? []) + members
        let body = Array(JSON.object(request).rendered().utf8)
        let signer = SigV4(credentials: credentials, region: configuration.region, service: "glue")
        var attempt = 1
        while true {
            let failure: GlueError
            do {
                let (status, errorType, answer) = try await sendOnce(operation, body: body, signer: signer)
                if (200..<300).contains(status) {
                    if answer.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }) { return .object([]) }
                    guard let json = try? JSON.parse(answer) else {
                        throw GlueError(type: nil, status: status, mayHaveTakenEffect: true,
                            message: "Glue's answer to \(operation) is not JSON")
                    }
                    return json
                }
                failure = GlueError(
                    status: status, errorType: errorType, body: answer, operation: operation, credentials: credentials)
            } catch let error as GlueError {
                throw error
            } catch {
                failure = GlueError(
                    type: nil, status: nil, mayHaveTakenEffect: true,
                    message: "Glue at \(configuration.endpoint.scheme)://\(configuration.endpoint.hostHeader) did not answer "
                        + "\(operation) (\(S3Client.describe(error)))")
            }
            let again = failure.isThrottling || (retry == .idempotent && failure.mayHaveTakenEffect)
            guard again, attempt < configuration.maxAttempts else {
                guard attempt > 1 else { throw failure }
                var last = failure
                last.message += " after \(attempt) attempts"
                throw last
            }
            attempt += 1
            await Backoff.wait(beforeAttempt: attempt)
        }
    }

    /// One attempt: the status, the `x-amzn-ErrorType` header and the body.
    private func sendOnce(_ operation: String, body: [UInt8], signer: SigV4) async throws -> (Int, String?, [UInt8]) {
        let endpoint = configuration.endpoint
        var headers = [
            ("host", endpoint.hostHeader), ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", "AWSGlue.\(operation)"),
        ]
        let signable = SigV4.Request(method: "POST", path: "/", query: [], headers: headers, payloadHash: SigV4.payloadHash(body))
        headers += signer.signingHeaders(for: signable, at: Date())
        var request = HTTPClientRequest(url: "\(endpoint.scheme)://\(endpoint.hostHeader)/")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .minutes(2))
        let answer = try await response.body.collect(upTo: 256 << 20)
        return (Int(response.status.code), response.headers.first(name: "x-amzn-ErrorType"), Array(answer.readableBytesView))
    }
}

/// Glue refused a request (its error `type`, such as `EntityNotFoundException`, and HTTP status), or no answer came.
package struct GlueError: Error, Sendable, CustomStringConvertible {
    /// The exception name without its namespace; nil when no answer came.
    package var type: String?
    package var status: Int?
    /// Whether the request may have been carried out: no answer, or a 5xx.
    package var mayHaveTakenEffect: Bool
    package var message: String

    init(type: String?, status: Int?, mayHaveTakenEffect: Bool, message: String) {
        self.type = type
        self.status = status
        self.mayHaveTakenEffect = mayHaveTakenEffect
        self.message = message
    }

    /// An error answer: its name from `{"__type": "[namespace#]Name[:url]"}` or the `x-amzn-ErrorType` header (same
    /// form), its detail from `message` or `Message`.
    package init(status: Int, errorType: String? = nil, body: [UInt8], operation: String, credentials: AWSCredentials) {
        let json = try? JSON.parse(body)
        var name = json?["__type"]?.stringValue ?? errorType ?? ""
        if let hash = name.lastIndex(of: "#") { name = String(name[name.index(after: hash)...]) }
        if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
        let detail = json?["message"]?.stringValue ?? json?["Message"]?.stringValue
            ?? String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        self.type = name.isEmpty ? nil : name
        self.status = status
        mayHaveTakenEffect = status >= 500
        let credentialTypes: Set<String> = [
            "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
            "IncompleteSignature", "MissingAuthenticationToken", "InvalidClientTokenId",
        ]
        let hint = status == 403 || credentialTypes.contains(name) ? " (check the Glue credentials: \(credentials))" : ""
        message = "Glue answered \(operation) with HTTP \(status)" + (name.isEmpty ? "" : " \(name)")
            + (detail.isEmpty ? "" : ": \(detail)") + hint
    }

    /// Glue declined to do the request now (it had no effect): throttling.
    package var isThrottling: Bool {
        status == 429
            || ["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"].contains(type ?? "")
    }

    package var description: String { message }
}
