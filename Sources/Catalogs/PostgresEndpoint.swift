import Foundation

/// Where a PostgreSQL catalog database is and how to log in, read from the URI PyIceberg users write for
/// SQLAlchemy: `postgresql[+driver]://user:password@host:port/database?sslmode=...` (also `postgres://`), with
/// percent-encoded user, password and database. As with libpq, a missing user or password comes from `PGUSER` /
/// `PGPASSWORD` (then `USER`), a missing database is the user's, an empty host is the local unix socket.
///
/// The password is kept out of `identity`, `description` and every error message.
struct PostgresEndpoint: Sendable, Equatable, CustomStringConvertible {
    enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file: `<directory>/.s.PGSQL.<port>`.
        case unixSocket(path: String)
    }

    /// libpq's `sslmode`, which decides whether TLS is tried, required and verified.
    enum TLSMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, unverified (libpq's default; `allow` is read as `prefer`).
        case prefer
        /// TLS or no connection; the certificate is verified only against an `sslrootcert` given.
        case require
        /// TLS with a certificate signed by a trusted authority (`sslrootcert`, else the system's).
        case verifyCA = "verify-ca"
        /// `verify-ca`, and the certificate names the host.
        case verifyFull = "verify-full"
    }

    static let defaultPort = 5432
    static let defaultSocketDirectory = "/var/run/postgresql"
    static let supportedParameters = ["sslmode", "sslrootcert", "connect_timeout", "host", "application_name"]

    var address: Address
    var user: String
    var password: String?
    var database: String
    var tlsMode: TLSMode
    /// A PEM file of trusted certificate authorities (`sslrootcert`).
    var rootCertificates: String?
    var connectTimeoutSeconds: Int
    var applicationName: String

    /// Whether `uri` names a PostgreSQL database: `postgresql://`, `postgres://`, `postgresql+<driver>://`.
    static func isPostgres(_ uri: String) -> Bool {
        guard let scheme = uri.range(of: "://").map({ uri[..<$0.lowerBound].lowercased() }) else { return false }
        return scheme == "postgres" || scheme == "postgresql" || scheme.hasPrefix("postgresql+")
    }

    init(uri: String, environment: [String: String]) throws(PostgresEndpointError) {
        guard Self.isPostgres(uri), let separator = uri.range(of: "://") else {
            throw PostgresEndpointError("is not a postgresql:// URI")
        }
        var rest = Substring(uri[separator.upperBound...])
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            parameters = try Self.parameters(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        var user: String?
        if let at = rest.firstIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], "user")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], "password")
            } else {
                user = try Self.decode(userInfo, "user")
            }
        }
        let hostAndPort = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest
        let path = rest.firstIndex(of: "/").map { rest[rest.index(after: $0)...] } ?? ""
        let (host, port) = try Self.hostAndPort(hostAndPort)
        if let socketDirectory = parameters["host"] {
            guard host.isEmpty, socketDirectory.hasPrefix("/") else {
                throw PostgresEndpointError("'host' parameter must be a socket directory, given without a host in the URI")
            }
            address = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else if host.isEmpty {
            address = .unixSocket(path: "\(Self.defaultSocketDirectory)/.s.PGSQL.\(port)")
        } else {
            address = .tcp(host: host, port: port)
        }

        guard let user = (user?.isEmpty == false ? user : nil) ?? environment["PGUSER"] ?? environment["USER"] else {
            throw PostgresEndpointError("names no user (write postgresql://user:password@host/database)")
        }
        self.user = user
        if password == nil { password = environment["PGPASSWORD"] }
        let database = try Self.decode(path, "database")
        self.database = database.isEmpty ? user : database

        let mode = parameters["sslmode"] ?? "prefer"
        guard let tlsMode = mode == "allow" ? .prefer : TLSMode(rawValue: mode) else {
            throw PostgresEndpointError(
                "sslmode '\(mode)' is not one of allow, \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.tlsMode = tlsMode
        rootCertificates = parameters["sslrootcert"]
        let timeout = parameters["connect_timeout"] ?? "10"
        guard let seconds = Int(timeout), seconds > 0 else {
            throw PostgresEndpointError("connect_timeout '\(timeout)' is not a positive number of seconds")
        }
        connectTimeoutSeconds = seconds
        applicationName = parameters["application_name"] ?? "amoro"
    }

    /// What tells this database apart from others, for lock keys and messages: host, port and database only.
    var identity: String {
        switch address {
        case .tcp(let host, let port):
            "postgresql://\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .unixSocket(let path): "postgresql:///\(database)?host=\(path)"
        }
    }

    var description: String { identity }

    private static func hostAndPort(_ text: Substring) throws(PostgresEndpointError) -> (String, Int) {
        var host = text
        var portText: Substring = ""
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresEndpointError("has an unclosed '[' in its host") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw PostgresEndpointError("has text after its host's ']'") }
            portText = after.dropFirst()
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !portText.isEmpty else { return (String(host), defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw PostgresEndpointError("has a bad port '\(portText)'")
        }
        return (String(host), port)
    }

    private static func parameters(_ query: Substring) throws(PostgresEndpointError) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(parts[0], "parameter name")
            guard supportedParameters.contains(key) else {
                throw PostgresEndpointError(
                    "parameter '\(key)' is not supported (supported: \(supportedParameters.joined(separator: ", ")))")
            }
            parameters[key] = try decode(parts.count == 2 ? parts[1] : "", key)
        }
        return parameters
    }

    private static func decode(_ text: Substring, _ what: String) throws(PostgresEndpointError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw PostgresEndpointError("has a badly percent-encoded \(what)")
        }
        return decoded
    }
}

/// A PostgreSQL URI that cannot be used; the reason never quotes the password.
struct PostgresEndpointError: Error, Sendable, CustomStringConvertible {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { "the PostgreSQL URI \(reason)" }
}
