import Storage

/// S3's answer to a failed request: the HTTP status and the `<Error><Code>…<Message>…` document, if any.
package struct S3ErrorDocument: Sendable, Equatable {
    package var status: Int
    package var code: String
    package var message: String

    package init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// Reads the error document of a response; a body that is not one (HEAD has none) leaves the code empty.
    package init(status: Int, body: [UInt8]) {
        let document = XMLElement.parse(body)
        let error = document?.name == "Error" ? document : document?.child("Error")
        self.init(status: status, code: error?.text(of: "Code") ?? "", message: error?.text(of: "Message") ?? "")
    }

    /// Throttling and server-side failures are worth another attempt; only explicit refusals when the request is
    /// not idempotent.
    package func isRetryable(_ retry: S3Client.Retry) -> Bool {
        let refused = status == 503 || status == 429 || code == "SlowDown" || code == "RequestLimitExceeded"
        switch retry {
        case .refusedOnly: return refused
        case .idempotent: return refused || status >= 500 || code == "RequestTimeout" || code == "InternalError"
        }
    }

    /// The `StorageError` a caller sees: missing objects and taken names as such, everything else with S3's code.
    package func storageError(_ location: String, bucket: String, attempts: Int, credentials: AWSCredentials)
        -> StorageError
    {
        let detail = code.isEmpty ? "HTTP \(status)" : "\(code)\(message.isEmpty ? "" : ": \(message)")"
        switch (status, code) {
        case (_, "NoSuchBucket"):
            return .service(location, "bucket '\(bucket)' does not exist (NoSuchBucket)")
        case (404, _), (_, "NoSuchKey"):
            return .notFound(location)
        case (412, _), (_, "PreconditionFailed"):
            return .alreadyExists(location)
        case (403, _), (_, "InvalidAccessKeyId"), (_, "SignatureDoesNotMatch"), (_, "ExpiredToken"):
            return .service(location, "access denied with \(credentials) (\(detail))")
        case (503, _), (429, _), (_, "SlowDown"):
            return .service(location, "throttled by the store after \(attempts) attempts (\(detail))")
        default:
            return .io(location, "S3 answered \(status) (\(detail))")
        }
    }
}
