import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A PostgreSQL database under the SQL catalog, over one postgres-nio connection per catalog: opened on the first
/// statement (creating the catalog's tables when missing), opened again if the server dropped it, and closed by
/// `close()` (or, failing that, when the catalog goes away). Statements are sent with bound parameters
/// (`?` becomes `$1`, `$2`, …), never with values spliced into the SQL.
actor PostgreSQLDatabase: SQLDatabase {
    nonisolated let identity: String
    private let endpoint: PostgresEndpoint
    private let schema: [(table: String, create: String)]
    private var connection: PostgresConnection?
    private var opening: Task<Result<PostgresConnection, SQLDatabaseError>, Never>?

    /// postgres-nio's own logging is off: nothing it could log (startup packets, queries) reaches amoro's output.
    private static let logger = Logger(label: "amoro.postgres") { _ in SwiftLogNoOpLogHandler() }
    /// Serialises creating the catalog's tables across processes (amoro, another amoro) in one database.
    private static let schemaLockKey: Int64 = 0x616D_6F72_6F5F_7363  // "amoro_sc"

    init(endpoint: PostgresEndpoint, schema: [(table: String, create: String)]) {
        self.endpoint = endpoint
        self.schema = schema
        identity = endpoint.identity
    }

    /// The close completes after the actor is gone: the connection is kept until it has.
    deinit {
        guard let connection else { return }
        let closed: EventLoopFuture<Void> = connection.close()
        closed.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    func execute(_ sql: String, _ parameters: [String?]) async throws(SQLDatabaseError) -> SQLResult {
        let connection = try await open()
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            if let parameter { bindings.append(parameter) } else { bindings.appendNull() }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        do {
            let result = try await connection.query(query, logger: Self.logger).get()
            let rows = try result.rows.map { row in try row.map { cell in try cell.decode(String?.self) } }
            return SQLResult(rows: rows, changes: result.metadata.rows ?? 0)
        } catch {
            throw Self.describe(error, identity: identity, sent: true)
        }
    }

    /// Closes the connection (sending PostgreSQL's Terminate message first).
    func close() async {
        try? await connection?.close()
        connection = nil
    }

    /// The open connection, or a new one; concurrent callers share one attempt.
    private func open() async throws(SQLDatabaseError) -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if let opening { return try await opening.value.get() }
        let task = Task { [endpoint, schema, identity] in
            await Self.connect(endpoint, schema: schema, identity: identity)
        }
        opening = task
        let result = await task.value
        opening = nil
        if case .success(let opened) = result { connection = opened }
        return try result.get()
    }

    private static func connect(_ endpoint: PostgresEndpoint, schema: [(table: String, create: String)], identity: String)
        async -> Result<PostgresConnection, SQLDatabaseError>
    {
        let configuration: PostgresConnection.Configuration
        do { configuration = try self.configuration(endpoint) } catch {
            // Only the TLS context can fail: its trusted certificates could not be loaded.
            let roots = endpoint.rootCertificates.map { "sslrootcert \($0)" } ?? "the system's trusted certificates"
            return .failure(SQLDatabaseError(kind: .failed, message: "\(identity): cannot set up TLS with \(roots) (\(error))"))
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            return .failure(describe(error, identity: identity, sent: false))
        }
        do {
            try await createMissingTables(schema, on: connection)
        } catch {
            try? await connection.close()
            return .failure(describe(error, identity: identity, sent: false))
        }
        return .success(connection)
    }

    /// Creates the tables that do not exist yet, in one transaction under an advisory lock, so two processes
    /// opening a fresh database at once do not both create them. A user without CREATE rights works on existing
    /// tables: nothing is created when none is missing.
    private static func createMissingTables(_ schema: [(table: String, create: String)], on connection: PostgresConnection)
        async throws
    {
        var missing = false
        for table in schema {
            let rows = try await connection.query("SELECT to_regclass(\(table.table))::text", logger: logger).collect()
            if try rows.first?.first?.decode(String?.self) ?? nil == nil { missing = true }
        }
        guard missing else { return }
        try await connection.query("BEGIN", logger: logger)
        try await connection.query("SELECT pg_advisory_xact_lock(\(schemaLockKey))", logger: logger)
        for table in schema { try await connection.query(PostgresQuery(unsafeSQL: table.create), logger: logger) }
        try await connection.query("COMMIT", logger: logger)
    }

    /// postgres-nio's settings for the endpoint: address, login and TLS as `sslmode` asks.
    private static func configuration(_ endpoint: PostgresEndpoint) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint.address {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: endpoint.user, password: endpoint.password,
                database: endpoint.database, tls: try tls(endpoint))
        case .unixSocket(let path):
            configuration = .init(
                unixSocketPath: path, username: endpoint.user, password: endpoint.password, database: endpoint.database)
        }
        configuration.options.connectTimeout = .seconds(Int64(endpoint.connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = [("application_name", endpoint.applicationName)]
        return configuration
    }

    private static func tls(_ endpoint: PostgresEndpoint) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = endpoint.rootCertificates { tls.trustRoots = .file(file) }
        switch endpoint.tlsMode {
        case .disable: return .disable
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = endpoint.rootCertificates == nil ? .none : .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            // The certificate must name the host postgres-nio sends as SNI, or the address connected to.
            tls.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: tls))
        }
    }

    /// `?` placeholders outside quoted text become PostgreSQL's numbered `$1`, `$2`, ….
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// One line for a failure: the server's own message and SQLSTATE, or why the connection failed. postgres-nio's
    /// own descriptions are generic on purpose (they may carry the query), so they are not used.
    static func describe(_ error: any Error, identity: String, sent: Bool) -> SQLDatabaseError {
        guard let error = error as? PSQLError else {
            return SQLDatabaseError(kind: sent ? .outcomeUnknown : .failed, message: "\(identity): \(error)")
        }
        if let server = error.serverInfo {
            let state = server[.sqlState] ?? "?"
            let message = server[.message] ?? "server error"
            // An error the server reports ends the statement (and its implicit transaction): nothing changed.
            return SQLDatabaseError(
                kind: state == "23505" ? .uniqueViolation : .failed, message: "\(identity): \(message) (SQLSTATE \(state))")
        }
        let reason: String
        switch error.code {
        case .sslUnsupported:
            reason = "the server does not offer TLS, which sslmode requires (use sslmode=prefer or disable)"
        case .connectionError: reason = "cannot connect: " + connectionFailure(error.underlying)
        case .serverClosedConnection, .uncleanShutdown:
            reason = "the server closed the connection" + (error.underlying.map { " (\(connectionFailure($0)))" } ?? "")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            reason = "cannot log in: " + (error.code == .authMechanismRequiresPassword
                ? "the server asks for a password and the URI gives none" : "unsupported authentication (\(error.code))")
        case .failedToAddSSLHandler: reason = "TLS failed: " + connectionFailure(error.underlying)
        default: reason = "\(error.code)" + (error.underlying.map { ": " + connectionFailure($0) } ?? "")
        }
        return SQLDatabaseError(kind: sent ? .outcomeUnknown : .failed, message: "\(identity): \(reason)")
    }

    private static func connectionFailure(_ error: (any Error)?) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.last { return connectionFailure(failure.error) }
            return "cannot resolve host \(error.host)"
        case let error as IOError: return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOSSLError:
            // BoringSSL's reason (`...:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at <source file>`), without the rest.
            let text = "\(error)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the server's TLS certificate is not trusted (name its authority with sslrootcert)"
            }
            let reason = text.range(of: "OPENSSL_internal:").map { String(text[$0.upperBound...].prefix { $0 != " " && $0 != "]" }) }
            return "TLS handshake failed: " + (reason ?? text)
        case let error as ChannelError:
            if case .connectTimeout = error { return "timed out" }
            return "\(error)"
        case let error?: return "\(error)"
        case nil: return "unknown error"
        }
    }
}
