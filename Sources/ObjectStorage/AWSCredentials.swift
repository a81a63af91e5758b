/// An access key pair (and session token) for signing; printing it never shows the secret or the token.
package struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    package var accessKeyId: String
    package var secretAccessKey: String
    package var sessionToken: String?
    /// Where the keys came from, for messages ("catalog properties", "environment", "profile default").
    package var source: String

    package init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// The key id shortened to its first four characters, and the source: enough to tell keys apart in a message.
    package var description: String {
        let shown = accessKeyId.count > 4 ? "\(accessKeyId.prefix(4))…" : "…"
        return "access key \(shown) from \(source) (secret redacted\(sessionToken == nil ? "" : ", session token redacted"))"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}

extension AWSCredentials {
    /// The first key pair found: the catalog properties `<prefix>.access-key-id` and `<prefix>.secret-access-key`
    /// (with `<prefix>.session-token`) for each prefix in order, then `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), then the profile's `aws_access_key_id` and
    /// `aws_secret_access_key` (with `aws_session_token`). A pair is taken whole from one place.
    package static func resolve(prefixes: [String], properties: [String: String], environment: [String: String],
        profiles: AWSProfileFiles, profile: String) -> AWSCredentials?
    {
        func value(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        for prefix in prefixes {
            if let id = value(properties["\(prefix).access-key-id"]), let secret = value(properties["\(prefix).secret-access-key"]) {
                return AWSCredentials(accessKeyId: id, secretAccessKey: secret,
                    sessionToken: value(properties["\(prefix).session-token"]), source: "catalog properties")
            }
        }
        if let id = value(environment["AWS_ACCESS_KEY_ID"]), let secret = value(environment["AWS_SECRET_ACCESS_KEY"]) {
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret,
                sessionToken: value(environment["AWS_SESSION_TOKEN"]), source: "environment")
        }
        if let id = value(profiles.value("aws_access_key_id", profile: profile)),
            let secret = value(profiles.value("aws_secret_access_key", profile: profile))
        {
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret,
                sessionToken: value(profiles.value("aws_session_token", profile: profile)), source: "profile \(profile)")
        }
        return nil
    }
}
