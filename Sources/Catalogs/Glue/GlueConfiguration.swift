import Foundation
import ObjectStorage

/// Where and how to reach an AWS Glue Data Catalog, from PyIceberg's GlueCatalog properties.
///
/// Each setting is looked up as PyIceberg and boto3 do, first found wins: `glue.endpoint`, `AWS_ENDPOINT_URL_GLUE`,
/// `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else AWS (`https://glue.<region>.amazonaws.com`); `glue.region`,
/// `client.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`; the key pair from
/// `glue.*`, then `client.*` properties, the environment and the profile (`glue.profile-name`,
/// `client.profile-name`, `AWS_PROFILE`, else `default`). `glue.id` names another account's catalog,
/// `glue.skip-archive` (default true) keeps Glue from archiving a table version per commit.
package struct GlueConfiguration: Sendable {
    /// `scheme://host[:port]`.
    package var endpoint: EndpointURL
    package var region: String
    package var credentials: AWSCredentials?
    /// The catalog id (an AWS account id) every request names, when not the caller's own.
    package var catalogId: String?
    package var skipArchive: Bool
    /// Attempts of a request that may be repeated (first try included), for throttling, 5xx and lost connections.
    package var maxAttempts: Int

    /// Resolves the settings; throws a message when the endpoint is not an http(s) URL.
    package static func resolve(properties: [String: String], environment: [String: String], profiles: AWSProfileFiles)
        throws(GlueConfigurationError) -> GlueConfiguration
    {
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let profile = nonEmpty(properties["glue.profile-name"]) ?? nonEmpty(properties["client.profile-name"])
            ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let region = nonEmpty(properties["glue.region"]) ?? nonEmpty(properties["client.region"])
            ?? nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
            ?? nonEmpty(profiles.value("region", profile: profile)) ?? "us-east-1"
        let configured = nonEmpty(properties["glue.endpoint"]) ?? nonEmpty(environment["AWS_ENDPOINT_URL_GLUE"])
            ?? nonEmpty(environment["AWS_ENDPOINT_URL"]) ?? nonEmpty(profiles.value("endpoint_url", profile: profile))
        let endpoint: EndpointURL
        if let configured {
            guard let parsed = EndpointURL(configured) else {
                throw GlueConfigurationError(message: "glue.endpoint \(configured) is not an http:// or https:// URL")
            }
            endpoint = parsed
        } else {
            let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            endpoint = EndpointURL("https://glue.\(region).\(domain)")!
        }
        let skipArchive = nonEmpty(properties["glue.skip-archive"]).map { !["false", "0", "no"].contains($0.lowercased()) } ?? true
        let retries = nonEmpty(properties["glue.max-retries"]).flatMap { Int($0) }.map { max(0, min($0, 20)) } ?? 3
        return GlueConfiguration(
            endpoint: endpoint, region: region,
            credentials: AWSCredentials.resolve(prefixes: ["glue", "client"], properties: properties, environment: environment,
                profiles: profiles, profile: profile),
            catalogId: nonEmpty(properties["glue.id"]), skipArchive: skipArchive, maxAttempts: retries + 1)
    }

    /// What identifies this catalog in lock keys and messages: endpoint, region and catalog id (no secret).
    package var identity: String {
        "glue:\(endpoint.scheme)://\(endpoint.hostHeader)/\(region)" + (catalogId.map { "#\($0)" } ?? "")
    }
}

/// A Glue catalog's properties are unusable.
package struct GlueConfigurationError: Error, Sendable {
    package var message: String
}
