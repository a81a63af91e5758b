import Catalogs
import Foundation
import Iceberg
import Storage
import Testing
import TestSupport

/// The SQL catalog on PostgreSQL: the URIs PyIceberg users write, and clear one-line errors (never showing the
/// password) when the server refuses, is missing or goes away.
@Suite struct PostgresCatalogTests {
    static func make(_ uri: String, environment: [String: String] = [:]) throws(IcebergError) -> SQLCatalog {
        try SQLCatalog(name: "c", postgresURI: uri, environment: environment, warehouse: "/tmp/w", storage: LocalStorage())
    }

    @Test(arguments: [
        ("postgresql://u:secret@db.example:5433/lake", "postgresql://db.example:5433/lake"),
        ("postgresql+psycopg2://u:secret@db.example/lake", "postgresql://db.example:5432/lake"),
        ("postgresql+psycopg://u:se%40cr%3Aet@10.0.0.1:6000/my%20lake?sslmode=require", "postgresql://10.0.0.1:6000/my lake"),
        ("postgres://u:secret@[::1]:5433/lake?sslmode=disable&connect_timeout=3", "postgresql://[::1]:5433/lake"),
        ("postgresql://u:secret@h", "postgresql://h:5432/u"),
        ("postgresql://u@/lake?host=/run/pg", "postgresql:///lake?host=/run/pg/.s.PGSQL.5432"),
    ])
    func urisAsPyIcebergUsersWriteThem(uri: String, identity: String) throws {
        let catalog = try Self.make(uri)
        #expect(catalog.identity == identity)
        #expect(!catalog.identity.contains("secret") && !catalog.identity.contains("se%40"))
    }

    @Test func theFactoryPicksPostgreSQLFromTheURI() throws {
        let catalog = try CatalogFactory.make(
            name: "lake", properties: ["type": "sql", "uri": "postgresql://u:secret@h:5433/lake", "warehouse": "/tmp/w"],
            currentDirectory: "/tmp")
        #expect(catalog.identity == "postgresql://h:5433/lake")
        // Without a type, a database URI is a SQL catalog too (as in PyIceberg).
        #expect(try CatalogFactory.make(name: "lake", properties: ["uri": "postgres://u@h/lake"], currentDirectory: "/")
            .identity == "postgresql://h:5432/lake")
    }

    @Test(arguments: [
        ("postgresql://u:secret@h:99999/db", "bad port '99999'"),
        ("postgresql://u:secret@h/db?sslmode=sometimes", "sslmode 'sometimes' is not one of"),
        ("postgresql://u:secret@h/db?sslcert=/x.pem", "parameter 'sslcert' is not supported"),
        ("postgresql://u:secret@h/db?connect_timeout=0", "connect_timeout '0'"),
        ("postgresql://u:secret%zz@h/db", "badly percent-encoded password"),
        ("postgresql://:secret@h/db", "names no user"),
        ("postgresql://u:secret@[::1/db", "unclosed '['"),
    ])
    func badURIsAreClearErrorsWithoutThePassword(uri: String, reason: String) {
        let error = #expect(throws: IcebergError.self) { try Self.make(uri) }
        let message = error?.description ?? ""
        #expect(message.contains(reason), "\(message)")
        #expect(!message.contains("secret"), "\(message)")
    }

    @Test func otherDatabaseURIsAreRefusedWithoutEchoingThem() {
        let error = #expect(throws: IcebergError.self) {
            try CatalogFactory.make(name: "c", properties: ["type": "sql", "uri": "mysql://u:secret@h/db"], currentDirectory: "/")
        }
        #expect(error?.description.contains("sqlite:// or postgresql://") == true)
        #expect(error?.description.contains("secret") == false)
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable || Peers.areRequired))
    func refusalsAndOutagesAreOneClearLineWithoutThePassword() async throws {
        try await PostgresTestServer.with { server in
            let failures: [(uri: String, expected: String)] = [
                (server.uri(password: "wrong-secret"), "password authentication failed for user \"amoro\" (SQLSTATE 28P01)"),
                (server.uri(database: "missing"), "database \"missing\" does not exist (SQLSTATE 3D000)"),
                (server.uri(user: "nobody"), "password authentication failed for user \"nobody\""),
                (server.uri(password: "wrong-secret") + "?sslmode=require", "the server does not offer TLS"),
            ]
            for failure in failures {
                let message = try await Self.listingError(failure.uri)
                #expect(message.contains(failure.expected), "\(message)")
                #expect(message.contains("postgresql://127.0.0.1:\(server.port)/"), "\(message)")
                #expect(!message.contains("wrong-secret") && !message.contains(PostgresTestServer.password), "\(message)")
                #expect(!message.contains("\n"))
            }
            // TLS when offered (libpq's default, sslmode=prefer) falls back to plain text on this server.
            #expect(try await Self.make(server.uri + "?sslmode=prefer").listNamespaces().isEmpty)

            // A connection the server ends is opened again for the next statement.
            let catalog = try Self.make(server.uri)
            try await catalog.createNamespace(["db"])
            _ = try server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'amoro'")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await catalog.listNamespaces() == [["db"]])

            server.stop()
            let down = try await Self.listingError(server.uri)
            #expect(down.contains("cannot connect: connection refused"), "\(down)")
            #expect(!down.contains(PostgresTestServer.password))
        }
    }

    /// A password with URI-reserved characters works once percent-encoded, as SQLAlchemy wants it written.
    @Test(.enabled(if: PostgresTestServer.isAvailable || Peers.areRequired))
    func aPercentEncodedPasswordLogsIn() async throws {
        try await PostgresTestServer.with { server in
            _ = try server.psql("ALTER ROLE amoro PASSWORD 'p@ss:w/rd%?&'")
            let catalog = try Self.make(server.uri(password: "p%40ss%3Aw%2Frd%25%3F%26"))
            try await catalog.createNamespace(["db"])
            #expect(try await catalog.listNamespaces() == [["db"]])
            await catalog.close()
            // PGPASSWORD fills in a password the URI leaves out, as libpq does.
            let fromEnvironment = try Self.make("postgresql://amoro@127.0.0.1:\(server.port)/amoro",
                environment: ["PGPASSWORD": "p@ss:w/rd%?&"])
            #expect(try await fromEnvironment.listNamespaces() == [["db"]])
        }
    }

    /// Each `sslmode` gets the session it asks for: TLS (checked from the server's side) when required or offered,
    /// a certificate checked against `sslrootcert` when verifying, and a refusal of an untrusted one.
    @Test(.enabled(if: PostgresTestServer.isAvailable || Peers.areRequired))
    func tlsAsSSLModeAsks() async throws {
        try await PostgresTestServer.with(tls: true) { server in
            let modes = ["prefer", "require", "verify-ca&sslrootcert=\(server.certificate)",
                "verify-full&sslrootcert=\(server.certificate)", "disable"]
            for (index, mode) in modes.enumerated() {
                let catalog = try Self.make(server.uri + "?application_name=tls-\(index)&sslmode=\(mode)")
                try await catalog.createNamespace(["db"])
                let encrypted = try server.psql("""
                    SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
                    WHERE application_name = 'tls-\(index)'
                    """)
                #expect(encrypted == (mode == "disable" ? "f" : "t"), "sslmode=\(mode)")
                await catalog.close()
            }
            let unreadable = try await Self.listingError(server.uri + "?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem")
            #expect(unreadable.contains("cannot set up TLS with sslrootcert /nonexistent/ca.pem"), "\(unreadable)")
            let untrusted = try await Self.listingError(server.uri + "?sslmode=verify-full")
            #expect(untrusted.contains("the server's TLS certificate is not trusted"), "\(untrusted)")
            #expect(!untrusted.contains("\n"))
        }
    }

    static func listingError(_ uri: String) async throws -> String {
        let catalog = try make(uri)
        let error = await #expect(throws: IcebergError.self) { try await catalog.listNamespaces() }
        return error?.description ?? ""
    }
}
