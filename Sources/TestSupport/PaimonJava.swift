import Foundation
import JSONCoding
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Apache Paimon's Java implementation as a peer of the tests: `scripts/paimon-java/PaimonJavaPeer.java`, compiled
/// once per test process against Paimon 0.9's core, the bridge jar pypaimon 0.2.0's source package carries
/// (`scripts/setup` extracts it to `.peers/paimon-java/`; `AMORO_PAIMON_JAVA_JAR` overrides), with the Hadoop
/// client jars PySpark ships in `.venv-spark` (Paimon's catalog needs Hadoop's `Configuration` even on the local
/// disk) and Debian's OpenJDK 17. Paimon Java 1.x has no package on PyPI or Debian, so 0.9 is the Java writer here.
package enum PaimonJava {
    /// The bridge jar: Paimon 0.9's core, formats and file-system catalog, shaded.
    package static let jar: URL = {
        ProcessInfo.processInfo.environment["AMORO_PAIMON_JAVA_JAR"].map { URL(fileURLWithPath: $0) }
            ?? Fixtures.packageRoot.appendingPathComponent(".peers/paimon-java/paimon-python-java-bridge-0.9.0.jar")
    }()

    /// Hadoop's client API and its shaded runtime, and commons-logging (ORC's reader logs through it), from PySpark.
    static let hadoopJars: [URL] = {
        let lib = IcebergJava.virtualenv.appendingPathComponent("lib")
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for python in pythons.sorted() {
            let jars = lib.appendingPathComponent("\(python)/site-packages/pyspark/jars")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: jars.path)) ?? []
            let wanted = ["hadoop-client-api-", "hadoop-client-runtime-", "commons-logging-"].compactMap { prefix in
                names.sorted().first { $0.hasPrefix(prefix) && $0.hasSuffix(".jar") }
            }
            if wanted.count == 3 { return wanted.map { jars.appendingPathComponent($0) } }
        }
        return []
    }()

    /// Whether setup extracted the jar and installed PySpark and a JDK.
    package static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: jar.path) && !hadoopJars.isEmpty
            && FileManager.default.isExecutableFile(atPath: IcebergJava.javaHome.appendingPathComponent("bin/javac").path)
    }

    /// The peer's classes, compiled into a temporary directory on first use (removed when the process exits).
    private static let classes: Result<URL, PeerError> = {
        do {
            let directory = try Fixtures.makeTemporaryDirectory("amoro-paimon-java")
            removeAtExit(directory)
            let source = Fixtures.packageRoot.appendingPathComponent("scripts/paimon-java/PaimonJavaPeer.java")
            try Peers.run(IcebergJava.javaHome.appendingPathComponent("bin/javac"),
                arguments: ["-nowarn", "-cp", jar.path, "-d", directory.path, source.path])
            return .success(directory)
        } catch {
            return .failure(PeerError(message: "compiling PaimonJavaPeer failed: \(error)"))
        }
    }()

    private static let leftovers = Mutex<[URL]>([])

    /// Removes `directory` when the test process exits: for what a test run shares across tests, made once.
    package static func removeAtExit(_ directory: URL) {
        let first = leftovers.withLock { list in
            list.append(directory)
            return list.count == 1
        }
        if first {
            atexit {
                for url in PaimonJava.leftovers.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
            }
        }
    }

    /// Runs `steps` (each a command, a warehouse path and its arguments, as `PaimonJavaPeer` documents) in order in
    /// one JVM and returns each step's JSON.
    package static func run(_ steps: [[String]]) throws -> [JSON] {
        guard isAvailable else { throw PeerError(message: "Paimon Java is missing; run scripts/setup") }
        let classpath = ([jar] + hadoopJars + [try classes.get()]).map(\.path).joined(separator: ":")
        let arguments = steps.enumerated().flatMap { index, step in index == 0 ? step : ["--"] + step }
        let output = try Peers.run(IcebergJava.javaHome.appendingPathComponent("bin/java"),
            arguments: ["-XX:TieredStopAtLevel=1", "-cp", classpath, "PaimonJavaPeer"] + arguments)
        let lines = output.split(separator: UInt8(ascii: "\n"))
        guard lines.count == steps.count else {
            throw PeerError(message: "PaimonJavaPeer answered \(lines.count) lines for \(steps.count) steps")
        }
        return try lines.map { try JSON.parse(Array($0)) }
    }
}
