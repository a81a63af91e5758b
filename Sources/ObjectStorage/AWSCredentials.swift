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
