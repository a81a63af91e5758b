import Foundation
import JSONCoding
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/spark/amoro-spark` on a real Spark cluster on loopback (`local-cluster`: a master and two workers whose
/// executors are separate JVMs): a plan's tasks run on the executors through `RDD.pipe`, the binary and its
/// configuration shipped with the job, and the driver commits once. An executor killed mid-task is retried by
/// Spark; two drivers on the same plan commit once between them.
@Suite(.enabled(if: IcebergJava.isAvailable || Peers.areRequired), .serialized)
struct SparkDriverInteropTests {
    typealias Support = MaintenanceInteropSupport

    /// Starts the driver; `binary` is what executors run (the amoro binary, or a wrapper of it).
    static func driver(_ root: URL, config: String, plan: String, binary: URL = AmoroBinary.url) throws -> Process {
        let process = Process()
        process.executableURL = IcebergJava.virtualenv.appendingPathComponent("bin/python")
        process.arguments = [
            Fixtures.packageRoot.appendingPathComponent("scripts/spark/amoro-spark").path, "--master", "local-cluster[2,1,1024]",
            "--amoro", binary.path, "--config", config, "--plan", plan,
        ]
        let work = root.appendingPathComponent("spark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        process.environment = ProcessInfo.processInfo.environment.merging([
            "JAVA_HOME": IcebergJava.javaHome.path, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_WORKER_DIR": work.path,
            "SPARK_LOCAL_DIRS": work.path, "AMORO_LOCK_DIR": root.appendingPathComponent("locks").path,
        ]) { $1 }
        process.currentDirectoryURL = work
        process.standardOutput = try FileHandle(forWritingTo: Self.emptyFile(work.appendingPathComponent("stdout")))
        process.standardError = try FileHandle(forWritingTo: Self.emptyFile(work.appendingPathComponent("stderr")))
        try process.run()
        return process
    }

    static func emptyFile(_ url: URL) -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    /// The driver's exit status and its standard output (one compact-result document per plan) and error.
    static func finish(_ process: Process) -> (status: Int32, stdout: String, stderr: String) {
        process.waitUntilExit()
        let work = process.currentDirectoryURL ?? URL(fileURLWithPath: "/")
        let read = { (name: String) in (try? String(contentsOf: work.appendingPathComponent(name), encoding: .utf8)) ?? "" }
        return (process.terminationStatus, read("stdout"), read("stderr").split(separator: "\n").suffix(20).joined(separator: "\n"))
    }

    static func plan(_ root: URL, config: String) throws -> String {
        try CompactStagesInteropTests.plan(root, config: config).file
    }

    @Test func planRunsOnTheClusterAndCommitsOnce() async throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let run = Self.finish(try Self.driver(root, config: config, plan: try Self.plan(root, config: config)))
        #expect(run.status == 0, "\(run.stderr)")
        let document = try JSON.parse(run.stdout)
        #expect(document["status"] == .string("committed"), "\(document)")
        #expect(document["tasks_missing"]?.arrayValue == [] && document["results_refused"]?.arrayValue == [], "\(document)")
        CompactStagesInteropTests.expectSameRows(before, try Support.read(root))
        #expect(try Support.unreached(root) == [], "nothing left behind")
        try await IcebergJava.with { java in
            let read = try java.read(properties: IcebergJava.catalog(warehouse: root), table: "db.t")
            #expect(read["digest"] == before["refs"]?["main"]?["pyiceberg"], "Iceberg Java reads the same rows: \(read)")
        }
    }

    /// The first execution on an executor (its amoro process) is killed once its files are written: Spark runs the
    /// group again, the table is correct, and the killed execution's files, which no result names, are
    /// clean-orphans' to remove.
    @Test func killedExecutorIsRetried() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let wrapper = root.appendingPathComponent("amoro-crashing-once")
        try Data("""
            #!/bin/sh
            if [ "$1" = compact ] && [ "$2" = --execute-only ] && mkdir "\(root.path)/crashed-once" 2>/dev/null; then
              AMORO_CRASH_AT=after-data-files exec "\(AmoroBinary.url.path)" "$@"
            fi
            exec "\(AmoroBinary.url.path)" "$@"

            """.utf8).write(to: wrapper)
        chmod(wrapper.path, 0o755)
        let run = Self.finish(try Self.driver(root, config: config, plan: try Self.plan(root, config: config), binary: wrapper))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("crashed-once").path), "an execution was killed")
        #expect(try JSON.parse(run.stdout)["status"] == .string("committed"), "\(run.stdout)")
        CompactStagesInteropTests.expectSameRows(before, try Support.read(root))
        let leftovers = try Support.unreached(root)
        #expect(!leftovers.isEmpty, "the killed execution wrote files")
        Thread.sleep(forTimeInterval: 1.1)
        let cleaned = try Support.amoro(config: config, ["clean-orphans", "--config", config, "db.t", "--older-than", "1s", "--json"])
        #expect(cleaned.status == 0, "\(cleaned.stderr)")
        #expect(try Support.unreached(root) == [], "clean-orphans removes what the killed execution left")
        CompactStagesInteropTests.expectSameRows(before, try Support.read(root))
    }

    /// Two drivers with the same plan: one commits; the other is refused (the plan is stale, or the table locked)
    /// and commits nothing.
    @Test func twoDriversCommitOnce() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let plan = try Self.plan(root, config: config)
        let first = try Self.driver(root, config: config, plan: plan)
        let second = try Self.driver(root, config: config, plan: plan)
        let runs = [Self.finish(first), Self.finish(second)]
        #expect(runs.filter { $0.status == 0 }.count == 1, "\(runs.map(\.stderr))")
        #expect(runs.contains { [4, 65].contains($0.status) }, "the other is refused cleanly: \(runs.map(\.status)) \(runs.map(\.stderr))")
        let after = try Support.read(root)
        CompactStagesInteropTests.expectSameRows(before, after)
        #expect((after["snapshots"]?.objectValue?.count ?? 0) == (before["snapshots"]?.objectValue?.count ?? 0) + 1, "one commit")
    }
}
