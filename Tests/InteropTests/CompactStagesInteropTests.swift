import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro compact --execute-only` and `amoro commit`: tasks executed by separate processes (some twice), their
/// results committed once; results that do not hold are refused and never decide anything.
@Suite(.enabled(if: Peers.isAvailable || Peers.areRequired), .serialized)
struct CompactStagesInteropTests {
    typealias Support = MaintenanceInteropSupport

    /// A full plan of the maintenance test table (equality and position deletes, tags and a branch), written to a file.
    static func plan(_ root: URL, config: String) throws -> (text: String, file: String, tasks: [Int64]) {
        let planned = try Support.amoro(config: config, ["plan", "--config", config, "db.t", "--level", "full", "--json"])
        #expect(planned.status == 0, "\(planned.stderr)")
        let file = root.appendingPathComponent("plan.json").path
        try Data(planned.stdout.utf8).write(to: URL(fileURLWithPath: file))
        let tasks = try JSON.parse(planned.stdout)["tasks"]?.arrayValue?.compactMap { $0["id"]?.int64Value } ?? []
        return (planned.stdout, file, tasks)
    }

    /// Runs the execute stage on `plan` for `tasks` (all when empty) and returns its result lines.
    static func execute(_ plan: String, tasks: [Int64] = [], config: String) throws -> [String] {
        let run = try Support.amoro(config: config,
            ["compact", "--config", config, "--execute-only", "--json"] + tasks.flatMap { ["--task", String($0)] }, input: plan)
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    static func commit(_ planFile: String, results: [String], config: String, root: URL) throws -> (status: Int32, document: JSON) {
        let file = root.appendingPathComponent("results-\(UUID().uuidString).ndjson")
        try Data(results.map { $0 + "\n" }.joined().utf8).write(to: file)
        let run = try Support.amoro(config: config, ["commit", "--config", config, "--plan", planFile, "--results", file.path, "--json"])
        return (run.status, try JSON.parse(run.stdout))
    }

    /// Every ref reads the rows it read before (PyIceberg and DuckDB agreeing), every snapshot of `before` still there
    /// reads as before, and no snapshot references a missing file: what a compaction must leave.
    static func expectSameRows(_ before: JSON, _ after: JSON, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(after["missing"]?.arrayValue == [], "missing files: \(after["missing"] ?? .null)", sourceLocation: sourceLocation)
        for (name, ref) in after["refs"]?.objectValue ?? [] {
            #expect(ref["pyiceberg"] == ref["duckdb"], "ref \(name): PyIceberg and DuckDB disagree", sourceLocation: sourceLocation)
            #expect(ref["pyiceberg"] == before["refs"]?[name]?["pyiceberg"], "ref \(name) changed", sourceLocation: sourceLocation)
        }
        for (id, snapshot) in before["snapshots"]?.objectValue ?? [] {
            #expect(after["snapshots"]?[id] == snapshot, "snapshot \(id) changed", sourceLocation: sourceLocation)
        }
    }

    @Test func executedTasksCommitOnceWithRetriesAndDuplicates() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let plan = try Self.plan(root, config: config)
        #expect(plan.tasks.count >= 2, "the full plan has a task per partition")

        // One process runs every task; two more run the first task again (a retry and a speculative duplicate).
        let all = try Self.execute(plan.text, config: config)
        let retry = try Self.execute(plan.text, tasks: [plan.tasks[0]], config: config)
        let duplicate = try Self.execute(plan.text, tasks: [plan.tasks[0]], config: config)
        #expect(all.count == plan.tasks.count && retry.count == 1 && duplicate.count == 1)
        let first = try JSON.parse(all[0])
        #expect(first["kind"] == .string("amoro.task-result") && first["status"] == .string("succeeded"), "\(first)")
        #expect((first["data_files"]?.arrayValue?.first?["column_sizes"]?.objectValue?.count ?? 0) > 0, "full metrics: \(first)")

        let (status, document) = try Self.commit(plan.file, results: all + retry + duplicate, config: config, root: root)
        #expect(status == 0, "\(document)")
        #expect(document["status"] == .string("committed"), "\(document)")
        #expect(document["tasks_committed"]?.arrayValue?.count == plan.tasks.count)
        #expect(document["tasks_missing"]?.arrayValue == [])
        #expect(document["results_refused"]?.arrayValue == [], "\(document)")
        #expect(document["attempts_discarded"] == .int(2))
        #expect((document["files_removed"]?.arrayValue?.count ?? 0) >= 2, "the duplicates' files are deleted: \(document)")

        let after = try Support.read(root)
        Self.expectSameRows(before, after)
        #expect(after["refs"]?["main"]?["snapshot"] != before["refs"]?["main"]?["snapshot"], "a new snapshot was committed")
        #expect(try Support.unreached(root) == [], "no execution's files are left behind")

        // The same results again: the plan is stale now, and nothing is written or deleted.
        let again = try Self.commit(plan.file, results: all, config: config, root: root)
        #expect(again.status == 65, "\(again.document)")
        Self.expectSameRows(before, try Support.read(root))
    }

    /// A result whose claims do not hold is refused; without a result for every task nothing is committed, unless
    /// the table allows partial commits.
    @Test func resultsThatDoNotHoldAreRefused() throws {
        let (root, config) = try Support.makeTable()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Support.read(root)
        let plan = try Self.plan(root, config: config)
        let results = try Self.execute(plan.text, config: config)
        let victim = try JSON.parse(results[0])
        let victimTask = victim["task_id"]?.int64Value
        let outputs = victim["data_files"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []

        func tampered(_ change: (inout [(String, JSON)]) -> Void) -> String {
            guard case .object(var members) = victim else { return "" }
            change(&members)
            return JSON.object(members).rendered()
        }
        func replaceFirstOutput(_ members: inout [(String, JSON)], _ key: String, _ value: JSON) {
            guard let index = members.firstIndex(where: { $0.0 == "data_files" }), case .array(var files) = members[index].1,
                case .object(var file) = files[0], let slot = file.firstIndex(where: { $0.0 == key })
            else { return }
            file[slot].1 = value
            files[0] = .object(file)
            members[index].1 = .array(files)
        }
        let forgeries: [(String, String, String)] = [
            ("more rows", tampered { replaceFirstOutput(&$0, "records", .int(1_000_000)) }, "metrics"),
            ("a file outside the task", tampered { replaceFirstOutput(&$0, "path", .string("/etc/hostname")) }, "directory"),
            ("other inputs", tampered { members in
                if let index = members.firstIndex(where: { $0.0 == "rewritten_files" }) { members[index].1 = .array([]) }
            }, "input files"),
            ("a wider upper bound", tampered { replaceFirstOutput(&$0, "upper_bounds", .object([("1", .string("FFFFFFFFFFFFFF7F"))])) }, "metrics"),
            ("a failed execution", tampered { members in
                if let index = members.firstIndex(where: { $0.0 == "status" }) { members[index].1 = .string("failed") }
            }, "failed"),
        ]
        for (what, forged, reason) in forgeries {
            let (status, document) = try Self.commit(plan.file, results: [forged] + results.dropFirst(), config: config, root: root)
            #expect(status == 1, "\(what): \(document)")
            #expect(document["status"] == .string("incomplete"), "\(what): \(document)")
            #expect(document["tasks_missing"]?.arrayValue == [.int(victimTask ?? -1)], "\(what): \(document)")
            let refusal = document["results_refused"]?.arrayValue?.first
            #expect(refusal?["reason"]?.stringValue?.contains(reason) == true, "\(what): \(document)")
            #expect(document["snapshot_id"] == .null)
        }
        Self.expectSameRows(before, try Support.read(root))
        for path in outputs { #expect(FileManager.default.fileExists(atPath: path.replacingOccurrences(of: "file://", with: "")), "kept: \(path)") }

        // The table allows partial commits: the tasks that hold are committed, the rest left for another run.
        try Peers.sidequery(#"""
            import sys
            from pyiceberg.catalog.sql import SqlCatalog
            w = sys.argv[1]
            t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
            with t.transaction() as tx:
                tx.set_properties({"self-optimizing.allow-partial-commit": "true"})
            """#, arguments: [root.path])
        let partial = try Self.commit(plan.file, results: Array(results.dropFirst()), config: config, root: root)
        #expect(partial.status == 0, "\(partial.document)")
        #expect(partial.document["status"] == .string("committed"), "\(partial.document)")
        #expect(partial.document["tasks_missing"]?.arrayValue == [.int(victimTask ?? -1)])
        Self.expectSameRows(before, try Support.read(root))
    }

    /// On S3 (moto): executors stage inputs and upload outputs, and the commit reads the outputs' footers by ranged
    /// reads; PyIceberg and DuckDB (httpfs) read the same rows after.
    @Test func stagesOnS3() async throws {
        guard CatalogEnvironment.Kind.motoSQLite.isAvailable || Peers.areRequired else { return }
        try await CatalogEnvironment.with(.motoSQLite) { environment in
            let table = try EndToEndTable(environment)
            try table.pyiceberg(EndToEndTable.makeTable, [""])
            let baseline = try table.read()
            let planned = try table.amoro(["plan", "db.events", "--level", "full", "--json"])
            #expect(planned.status == 0, "\(planned.stderr)")
            let tasks = try JSON.parse(planned.stdout)["tasks"]?.arrayValue?.compactMap { $0["id"]?.int64Value } ?? []
            #expect(tasks.count == 2, "one task per region")
            var results: [String] = []
            for task in tasks {
                let run = try table.amoro(["compact", "--execute-only", "--json", "--task", String(task)], input: planned.stdout)
                #expect(run.status == 0, "\(run.stderr)")
                results += run.stdout.split(separator: "\n").map(String.init)
            }
            let planFile = environment.directory.appendingPathComponent("plan.json")
            try Data(planned.stdout.utf8).write(to: planFile)
            let committed = try table.document(["commit", "--plan", planFile.path], input: results.joined(separator: "\n"))
            #expect(committed["status"] == .string("committed"), "\(committed)")
            #expect(committed["results_refused"]?.arrayValue == [], "\(committed)")
            let after = try table.expectSameRows(as: baseline, after: "commit of tasks executed apart")
            #expect(after["data_files"] == .int(2), "one file per region")
        }
    }
}
