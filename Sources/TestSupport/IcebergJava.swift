import Foundation
import JSONCoding

#if canImport(Glibc)
    import Glibc
#endif

/// Apache Iceberg Java as a peer of the tests: `scripts/spark/iceberg-java` (Iceberg 1.10's Spark 3.5 runtime in a
/// local Spark session, SQLite catalogs reached through Iceberg's `JdbcCatalog`) in the `.venv-spark` virtualenv
/// `scripts/setup` makes. It reads tables, and runs Spark SQL that writes them or calls Iceberg's procedures. One
/// process serves a test: Spark starts once (about 6 s), each request then takes a second or a few.
package final class IcebergJava: @unchecked Sendable {
    /// The virtualenv with PySpark, the Iceberg runtime and the relocated Jackson jar.
    package static let virtualenv: URL = {
        ProcessInfo.processInfo.environment["AMORO_SPARK_VENV"].map { URL(fileURLWithPath: $0) }
            ?? Fixtures.packageRoot.appendingPathComponent(".venv-spark")
    }()

    /// Whether setup installed Spark, the jars and a Java runtime.
    package static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: virtualenv.appendingPathComponent("bin/python").path)
            && FileManager.default.fileExists(atPath: virtualenv.appendingPathComponent("amoro-spark-jars").path)
            && FileManager.default.isExecutableFile(atPath: javaHome.appendingPathComponent("bin/java").path)
    }

    /// Whether setup also installed Hadoop's S3A jars, with which Iceberg Java reads warehouses on S3 (`with(s3:)`).
    package static var isS3Available: Bool {
        isAvailable && FileManager.default.fileExists(atPath: virtualenv.appendingPathComponent("amoro-spark-s3-jars").path)
    }

    /// Debian's OpenJDK 17, which Spark 3.5 supports (newer JDKs on the machine are not).
    package static var javaHome: URL {
        ProcessInfo.processInfo.environment["AMORO_JAVA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "/usr/lib/jvm/java-17-openjdk-amd64")
    }

    private let process: Process
    private let requests: FileHandle
    private let answers: FileHandle
    private let log: URL
    private var buffered = Data()
    private let lock = NSLock()

    private init(directory: URL, s3: Bool) throws {
        log = directory.appendingPathComponent("iceberg-java.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = Self.virtualenv.appendingPathComponent("bin/python")
        process.arguments = [Fixtures.packageRoot.appendingPathComponent("scripts/spark/iceberg-java").path] + (s3 ? ["--s3"] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["JAVA_HOME"] = Self.javaHome.path
        environment["SPARK_LOCAL_IP"] = "127.0.0.1"
        environment["SPARK_LOCAL_DIRS"] = directory.path
        process.environment = environment
        process.currentDirectoryURL = directory
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        requests = input.fileHandleForWriting
        answers = output.fileHandleForReading
        try process.run()
        guard let ready = try nextLine(), ready["ready"] == .bool(true) else {
            throw PeerError(message: "iceberg-java did not start: \(logTail())")
        }
    }

    /// Starts a reader, runs `body`, and stops the reader (its Spark session and JVM) afterwards. With `s3`, the
    /// reader also reads warehouses on S3 (the catalog properties' `s3.*`; Hadoop's S3A jars add about a second to
    /// its start).
    package static func with<T>(s3: Bool = false, _ body: (IcebergJava) async throws -> T) async throws -> T {
        let directory = try Fixtures.makeTemporaryDirectory("amoro-iceberg-java")
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try IcebergJava(directory: directory, s3: s3)
        defer { reader.stop() }
        return try await body(reader)
    }

    /// Reads table `name` of the SQL catalog with PyIceberg's `properties` (SQLite only; `s3.*` too with `s3`), at `snapshot` or the
    /// current one: `rows`, `digest` (as the tests' PyIceberg readers compute it), `files`, `manifests`,
    /// `snapshots`; or `error`, the first line of the exception Iceberg Java raised.
    package func read(properties: [String: String], table name: String, snapshot: Int64? = nil) throws -> JSON {
        var members: [(String, JSON)] = [("table", .string(name))]
        if let snapshot { members.append(("snapshot", .int(snapshot))) }
        return try request(properties: properties, members)
    }

    /// Runs Spark SQL statements against the catalog with `properties` (its Spark name is the properties' `name`,
    /// else `default`) and returns the rows of the last one as text, or `error`.
    package func sql(properties: [String: String], _ statements: [String]) throws -> JSON {
        try request(properties: properties, [("sql", .array(statements.map(JSON.string)))])
    }

    /// The SQLite catalog that amoro's interop tests make in `warehouse` (`catalog.db` inside it).
    package static func catalog(warehouse: URL) -> [String: String] {
        ["type": "sql", "uri": "sqlite:///\(warehouse.path)/catalog.db", "warehouse": "file://\(warehouse.path)"]
    }

    private func request(properties: [String: String], _ members: [(String, JSON)]) throws -> JSON {
        let members = [("properties", JSON.object(properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))] + members
        lock.lock()
        defer { lock.unlock() }
        requests.write(Data((JSON.object(members).rendered() + "\n").utf8))
        guard let answer = try nextLine() else {
            throw PeerError(message: "iceberg-java ended: \(logTail())")
        }
        return answer
    }

    private func nextLine() throws -> JSON? {
        while true {
            if let end = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<end]
                buffered = Data(buffered[buffered.index(after: end)...])
                return try JSON.parse(Array(line))
            }
            let chunk = answers.availableData
            if chunk.isEmpty { return nil }
            buffered.append(chunk)
        }
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    private func stop() {
        try? requests.close()
        for _ in 0..<100 where process.isRunning { usleep(100_000) }
        if process.isRunning { ServerProcess.stop(process.processIdentifier) }
        process.waitUntilExit()
    }
}
