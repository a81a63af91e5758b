import Foundation

/// Where and how to reach an S3-compatible store: endpoint, region, addressing style and credentials.
///
/// Every setting is looked up in this order: the catalog's PyIceberg-style properties (`s3.endpoint`,
/// `s3.access-key-id`, `s3.secret-access-key`, `s3.session-token`, `s3.region`, `s3.path-style-access`), then the
/// standard AWS environment variables, then the profile (`AWS_PROFILE`, else `default`) in `~/.aws/credentials`
/// and `~/.aws/config`. Credentials are taken as a whole from the first place that has a key pair.
package struct S3Configuration: Sendable, CustomStringConvertible {
    /// `scheme://host[:port]` without a trailing slash; `nil` means AWS itself (`https://s3.<region>.amazonaws.com`).
    package var endpoint: String?
    package var region: String
    /// Path-style (`endpoint/bucket/key`) rather than virtual-hosted (`bucket.endpoint/key`) addressing.
    package var pathStyle: Bool
    /// `nil` when nothing provides credentials; requests then fail with a message naming the keys to set.
    package var credentials: AWSCredentials?
    /// Attempts per request for retryable failures (first try included).
    package var maxAttempts: Int
    /// Objects larger than this are uploaded in parts of this size (S3's minimum part is 5 MiB).
    package var partSize: Int

    package static let defaultPartSize = 8 * 1024 * 1024
    package static let minimumPartSize = 5 * 1024 * 1024

    package init(endpoint: String?, region: String, pathStyle: Bool, credentials: AWSCredentials?,
        maxAttempts: Int = 4, partSize: Int = defaultPartSize)
    {
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.region = region
        self.pathStyle = pathStyle
        self.credentials = credentials
        self.maxAttempts = max(1, maxAttempts)
        self.partSize = max(Self.minimumPartSize, partSize)
    }

    /// Resolves the configuration from catalog properties, the environment and the AWS profile files.
    package static func resolve(properties: [String: String], environment: [String: String], profiles: AWSProfileFiles)
        -> S3Configuration
    {
        let profile = environment["AWS_PROFILE"].flatMap(nonEmpty) ?? "default"
        func setting(_ property: String, _ variables: [String], _ profileKey: String) -> String? {
            if let value = properties[property].flatMap(nonEmpty) { return value }
            for variable in variables { if let value = environment[variable].flatMap(nonEmpty) { return value } }
            return profiles.value(profileKey, profile: profile).flatMap(nonEmpty)
        }
        let endpoint = setting("s3.endpoint", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"], "endpoint_url")
        let region = setting("s3.region", ["AWS_REGION", "AWS_DEFAULT_REGION"], "region") ?? "us-east-1"
        let pathStyle: Bool
        if let flag = properties["s3.path-style-access"].flatMap(nonEmpty) {
            pathStyle = ["true", "1", "yes"].contains(flag.lowercased())
        } else {
            pathStyle = endpoint.map(Self.hostIsAddress) ?? false
        }
        let attempts = properties["s3.max-attempts"].flatMap { Int($0) } ?? 4
        let partSize = properties["s3.multipart.part-size-bytes"].flatMap { Int($0) } ?? defaultPartSize
        return S3Configuration(
            endpoint: endpoint, region: region, pathStyle: pathStyle,
            credentials: credentials(properties: properties, environment: environment, profiles: profiles, profile: profile),
            maxAttempts: attempts, partSize: partSize)
    }

    static func credentials(properties: [String: String], environment: [String: String], profiles: AWSProfileFiles,
        profile: String) -> AWSCredentials?
    {
        AWSCredentials.resolve(prefixes: ["s3"], properties: properties, environment: environment, profiles: profiles,
            profile: profile)
    }

    /// Custom endpoints on an IP address or `localhost` cannot take a bucket as a host name.
    static func hostIsAddress(_ endpoint: String) -> Bool {
        guard let host = EndpointURL(endpoint)?.host else { return false }
        return host == "localhost" || host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    package var description: String {
        "S3 endpoint \(endpoint ?? "AWS") region \(region) \(pathStyle ? "path-style" : "virtual-hosted"), "
            + (credentials?.description ?? "no credentials")
    }
}

private func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

/// The parts of an endpoint URL that addressing needs.
package struct EndpointURL: Sendable, Equatable {
    package var scheme: String
    package var host: String
    package var port: Int?

    package init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = text[separator.upperBound...]
        if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            port = rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        } else {
            host = String(authority)
            port = nil
        }
        guard !host.isEmpty else { return nil }
    }

    /// `host[:port]` as the `Host` header carries it (default ports left out).
    package var hostHeader: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return shownHost }
        return "\(shownHost):\(port)"
    }
}
