import Documents
import Execution
import Foundation
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

/// `amoro schedule` for a Paimon catalog: the optimizing line it prints, run by a shell as cron would, compacts the
/// tables pypaimon wrote (one COMPACT snapshot each, the same rows for pypaimon), and a table whose options turn
/// self-optimizing off gets no such line.
@Suite(.enabled(if: Peers.paimonPython != nil)) struct PaimonScheduleInteropTests {
    @Test func theScheduledOptimizingLineCompactsPaimonTables() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try PaimonCompactInteropTests.warehouse(directory, commits: 12)
            let config = directory.appendingPathComponent("amoro.yaml")
            try "catalog:\n  lake:\n    type: paimon\n    warehouse: file://\(warehouse)\n".write(to: config, atomically: true, encoding: .utf8)
            let log = directory.appendingPathComponent("log/amoro.log")
            try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
            let before = try PaimonCompactInteropTests.probe(warehouse, "ap_unaware")
            let schedule = try AmoroBinary.run(["schedule", "--config", config.path, "--all", "--lock-dir",
                directory.appendingPathComponent("locks").path, "--log-file", log.path])
            #expect(schedule.status == 0, "\(schedule.stderr)")
            let lines = schedule.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
            let optimize = try #require(lines.first { $0.contains(" plan ") }, "\(schedule.stdout)")
            #expect(optimize.hasPrefix("0 * * * * ") && optimize.contains("--level auto --scheduled-every 60min --all | "), "hourly by default: \(optimize)")

            // The line as cron runs it: the time fields off, the rest through sh.
            let command = optimize.split(separator: " ", maxSplits: 5).last.map(String.init) ?? ""
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", command]
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0, "\(command)")
            let results = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap { line in
                try? CompactResultDocument(json: JSON.parse(String(line)))
            }
            #expect(results.count == 3 && results.allSatisfy { $0.status == .committed }, "\(results.map(\.status))")
            for name in ["ap_unaware", "ap_evolved", "ap_fixed"] {
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                #expect(try await table.snapshot(13).commitKind == .compact, "\(name)")
            }
            let after = try PaimonCompactInteropTests.probe(warehouse, "ap_unaware")
            #expect(after["snapshots"]?["13"]?["sha"] == before["snapshots"]?["12"]?["sha"])

            // self-optimizing.enabled=false in a table's options drops it from the line.
            let schema = "\(warehouse)/db.db/ap_fixed/schema/schema-0"
            let text = try String(contentsOfFile: schema, encoding: .utf8)
            let off = text.replacingOccurrences(of: "\"bucket\" : \"2\"", with: "\"bucket\" : \"2\", \"self-optimizing.enabled\" : \"false\"")
                .replacingOccurrences(of: "\"bucket\": \"2\"", with: "\"bucket\": \"2\", \"self-optimizing.enabled\": \"false\"")
            #expect(off != text)
            try off.write(toFile: schema, atomically: true, encoding: .utf8)
            let fewer = try AmoroBinary.run(["schedule", "--config", config.path, "--all"])
            let line = try #require(fewer.stdout.split(separator: "\n").first { $0.contains(" plan ") })
            #expect(line.contains("db.ap_evolved db.ap_unaware |") && !line.contains("ap_fixed"), "\(line)")
        }
    }
}
