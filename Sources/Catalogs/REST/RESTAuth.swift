import Foundation
import JSONCoding
import NIOHTTP1

/// The bearer token REST requests carry: the catalog's `token` property as given, or one obtained with the
/// OAuth2 client-credentials flow from `credential` (`client_id:client_secret`) at `oauth2-server-uri` (default
/// `{uri}/v1/oauth/tokens`) for `scope` (default `catalog`). An obtained token is reused until shortly before it
/// expires, and replaced once when the server answers 401. Secrets never appear in messages.
actor RESTAuth {
    private let configuredToken: String?
    private let clientId: String?
    private let clientSecret: String?
    private let tokenURI: String
    private let scope: String
    private var current: String?
    private var expires: Date?

    init(properties: [String: String], uri: String) {
        configuredToken = properties["token"].flatMap { $0.isEmpty ? nil : $0 }
        if let credential = properties["credential"], !credential.isEmpty {
            // PyIceberg's reading: `id:secret`, or a bare secret without a client id.
            if let colon = credential.firstIndex(of: ":") {
                clientId = String(credential[..<colon])
                clientSecret = String(credential[credential.index(after: colon)...])
            } else {
                clientId = nil
                clientSecret = credential
            }
        } else {
            clientId = nil
            clientSecret = nil
        }
        tokenURI = properties["oauth2-server-uri"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(uri)/v1/oauth/tokens"
        scope = properties["scope"].flatMap { $0.isEmpty ? nil : $0 } ?? "catalog"
        current = configuredToken
    }

    /// The token to send now, obtaining one first when the catalog has client credentials and no live token.
    func token(client: RESTClient) async throws(RESTTransportError) -> String? {
        if let current, expires.map({ $0 > Date() }) ?? true { return current }
        guard clientSecret != nil else { return current }
        return try await exchange(client: client)
    }

    /// A new token after the server refused `rejected`; nil when there is no way to get another.
    func refresh(after rejected: String?, client: RESTClient) async throws(RESTTransportError) -> String? {
        guard clientSecret != nil else { return nil }
        if let current, current != rejected { return current }  // another request refreshed it meanwhile
        return try await exchange(client: client)
    }

    private func exchange(client: RESTClient) async throws(RESTTransportError) -> String {
        var form = [("grant_type", "client_credentials")]
        if let clientId { form.append(("client_id", clientId)) }
        form.append(("client_secret", clientSecret ?? ""))
        form.append(("scope", scope))
        let body = form.map { "\(RESTClient.encode($0.0))=\(RESTClient.encode($0.1))" }.joined(separator: "&")
        let response: RESTClient.Response
        do {
            response = try await client.send(RESTClient.Request(
                method: .POST, url: tokenURI, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded",
                idempotent: true, anonymous: true))
        } catch {
            throw RESTTransportError(message: "OAuth2 token request: \(error.message)", mayHaveReachedServer: false)
        }
        let json = try? JSON.parse(response.body)
        guard response.status == 200, let token = json?["access_token"]?.stringValue, !token.isEmpty else {
            let reason = [json?["error"]?.stringValue, json?["error_description"]?.stringValue].compactMap { $0 }
                .joined(separator: ": ")
            throw RESTTransportError(
                message: "OAuth2 token request to \(RESTClient.origin(tokenURI)) failed with HTTP \(response.status)"
                    + (reason.isEmpty ? "" : ": \(reason)") + " (check the catalog's credential)",
                mayHaveReachedServer: false)
        }
        current = token
        // Renew a minute early, so a request does not leave with a token about to lapse.
        expires = json?["expires_in"]?.int64Value.map { Date().addingTimeInterval(Double(max(0, $0 - 60))) }
        return token
    }
}
