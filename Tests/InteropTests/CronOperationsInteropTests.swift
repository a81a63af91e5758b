import Foundation
import JSONCoding
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// amoro under cron, end to end on the compaction test tables: two overlapping compacts of one table (the table
/// lock lets exactly one rewrite it; PyIceberg and DuckDB read the same rows after), and the metrics file as
/// Prometheus's own text-format parser (prometheus_client) reads it.
@Suite(.enabled(if: Peers.isAvailable)) struct CronOperationsInteropTests {
    func sortedTable() throws -> (URL, String) {
        let root = try Fixtures.makeTemporaryDirectory("amoro-cron")
        try Peers.python(CompactInteropTests.makeTables, arguments: [root.path, "sorted"])
        return (root, try CompactInteropTests.config(root))
    }

    func fingerprint(_ root: URL) throws -> JSON {
        try JSON.parse(Array(try Peers.python(CompactInteropTests.fingerprint, arguments: [root.path, "db.sorted"])))
    }

    /// Starts `amoro` without waiting; its output goes to files under `root`.
    func start(_ arguments: [String], input: String, root: URL, name: String, environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = AmoroBinary.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let inputFile = root.appendingPathComponent("\(name).in")
        try Data(input.utf8).write(to: inputFile)
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        FileManager.default.createFile(atPath: root.appendingPathComponent("\(name).out").path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: root.appendingPathComponent("\(name).out"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Whether some process holds a lock file in `directory`.
    func someLockIsHeld(in directory: String) -> Bool {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let descriptor = open("\(directory)/\(name)", O_RDWR)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 { return true }
            flock(descriptor, LOCK_UN)
        }
        return false
    }

    @Test func twoConcurrentCompactsRewriteTheTableOnce() throws {
        let (root, config) = try sortedTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let locks = root.appendingPathComponent("locks").path
        let before = try fingerprint(root)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.sorted", "--level", "full"])
        #expect(plan.status == 0, "\(plan.stderr)")

        // The first run holds the table's lock for a while before it works; the second starts meanwhile.
        let first = try start(["compact", "--config", config, "--lock-dir", locks], input: plan.stdout, root: root, name: "first",
            environment: ["AMORO_HOLD_LOCK_MS": "3000"])
        let deadline = Date().addingTimeInterval(30)
        while !someLockIsHeld(in: locks) && Date() < deadline { usleep(20_000) }
        #expect(someLockIsHeld(in: locks), "the first compact took the lock")
        let second = try AmoroBinary.run(["compact", "--config", config, "--lock-dir", locks, "--log-format", "json"], input: plan.stdout)
        first.waitUntilExit()

        #expect(second.status == 4, "the second run reports the documented locked code: \(second.stderr)")
        let skipped = try JSON.parse(second.stdout)
        #expect(skipped["status"] == .string("locked"))
        #expect(skipped["snapshot_id"] == .null)
        let summary = try JSON.parse(try #require(second.stderr.split(separator: "\n").last.map(String.init)))
        #expect(summary["status"] == .string("locked"))
        #expect(summary["level"] == .string("warning"))
        #expect(summary["table"] == .string("db.sorted"))

        #expect(first.terminationStatus == 0)
        let committed = try JSON.parse(try String(contentsOf: root.appendingPathComponent("first.out"), encoding: .utf8))
        #expect(committed["status"] == .string("committed"))
        let after = try fingerprint(root)
        for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] { #expect(after[key] == before[key], "\(key) changed") }
        #expect(after["data_files"] == .int(1))

        // Once the lock is free the same plan is stale (it was applied once), never applied twice.
        let replay = try AmoroBinary.run(["compact", "--config", config, "--lock-dir", locks], input: plan.stdout)
        #expect(replay.status == 65)
        #expect(try fingerprint(root)["rows"] == before["rows"])
    }

    static let parseMetrics = #"""
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            for s in family.samples:
                out.append({"family": family.name, "type": family.type, "help": family.documentation, "name": s.name,
                            "labels": s.labels, "value": s.value})
        print(json.dumps(out))
        """#

    @Test func theMetricsFileParsesAsPrometheusTextAndKeepsOtherTables() throws {
        let (root, config) = try sortedTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let metrics = root.appendingPathComponent("amoro.prom").path
        // Another table's samples, written by an earlier run, survive this run's update.
        try Data("""
            # HELP amoro_failures_total Runs of a command that failed on a table.
            # TYPE amoro_failures_total counter
            amoro_failures_total{catalog="default",command="compact",table="db.other"} 2

            """.utf8).write(to: URL(fileURLWithPath: metrics))
        let operations = ["--config", config, "--metrics-file", metrics, "--lock-dir", root.appendingPathComponent("locks").path]
        #expect(try AmoroBinary.run(["scan", "db.sorted"] + operations).status == 0)
        let plan = try AmoroBinary.run(["plan", "--config", config, "db.sorted", "--level", "full"]).stdout
        let compact = try AmoroBinary.run(["compact"] + operations, input: plan)
        #expect(compact.status == 0, "\(compact.stderr)")
        let idle = try AmoroBinary.run(["compact", "--exit-nothing-to-do"] + operations,
            input: try AmoroBinary.run(["plan", "--config", config, "db.sorted"]).stdout)
        #expect(idle.status == 2, "every table had nothing to do")
        #expect(try AmoroBinary.run(["compact"] + operations, input: plan).status == 65, "the replayed plan is stale")

        let samples = try #require(try JSON.parse(Array(try Peers.python(Self.parseMetrics, arguments: [metrics]))).arrayValue)
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            samples.first { sample in
                sample["name"] == .string(name) && labels.allSatisfy { sample["labels"]?[$0.key] == .string($0.value) }
            }?["value"]?.doubleValue
        }
        let table = ["catalog": "default", "table": "db.sorted"]
        #expect(value("amoro_failures_total", ["table": "db.other"]) == 2)
        #expect(value("amoro_table_data_files", table.merging(["class": "fragment"]) { a, _ in a }) == 5)
        #expect(value("amoro_table_delete_files", table.merging(["kind": "position"]) { a, _ in a }) == 0)
        #expect(value("amoro_table_health_score", table).map { (0...100).contains($0) } == true)
        let bytesIn = Double(try JSON.parse(compact.stdout)["bytes_in"]?.int64Value ?? -1)
        #expect(value("amoro_rewritten_bytes_total", table.merging(["level": "full"]) { a, _ in a }) == bytesIn)
        let success = try #require(value("amoro_last_success_timestamp_seconds", table.merging(["command": "compact", "level": "full"]) { a, _ in a }))
        #expect(abs(success - Date().timeIntervalSince1970) < 600)
        #expect(value("amoro_failures_total", table.merging(["command": "compact"]) { a, _ in a }) == 1)
        for sample in samples {
            #expect(sample["help"]?.stringValue?.isEmpty == false)
            #expect(sample["family"]?.stringValue?.hasPrefix("amoro_") == true)
        }
        #expect(samples.contains { $0["family"] == .string("amoro_rewritten_bytes") && $0["type"] == .string("counter") })
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: root.path)).contains { $0.hasSuffix(".tmp") }, "no temporary file is left")
    }
}
