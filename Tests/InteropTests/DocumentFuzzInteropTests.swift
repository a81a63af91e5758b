import Documents
import Foundation
import JSONCoding
import Planning
import Testing
import TestSupport

/// Document-level fuzzing of the documents amoro acts on: every mutant of a real plan and a real audit
/// (`DocumentMutations`: each member removed, repeated, set to every JSON type, extremes, huge strings, a `..` path
/// out of the table, another table's path) is decoded in process; the refused ones must also be refused by the
/// binary with exit 65 and nothing written, and the accepted ones are run against a fresh copy of the table, after
/// which its rows (PyIceberg and DuckDB) are those before and no file outside the table changed. The edits of
/// `UntrustedPlanInteropTests` and `UntrustedLocationInteropTests` are the hand-picked cases; this is the sweep.
@Suite(.enabled(if: Peers.isAvailable)) struct DocumentFuzzInteropTests {
    /// A warehouse kept pristine beside the one a run may change, restored before each run.
    struct Warehouse {
        let root: URL
        let pristine: URL

        init(_ root: URL) throws {
            self.root = root
            // Victims where the mutated paths point: beside the table's namespace, and inside another table.
            try Data("precious".utf8).write(to: root.appendingPathComponent("victim.txt"))
            let other = root.appendingPathComponent("db/other/data")
            try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
            try Data("another table's file".utf8).write(to: other.appendingPathComponent("x.parquet"))
            pristine = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-pristine")
            try FileManager.default.copyItem(at: root, to: pristine)
        }

        func restore() throws {
            try FileManager.default.removeItem(at: root)
            try FileManager.default.copyItem(at: pristine, to: root)
        }

        func remove() {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: pristine)
        }

        /// Every file under the warehouse with its size, except those under the directory `table`, the catalog's
        /// database (a commit changes it) and lock files.
        func listing(outside table: String) throws -> [String: Int] {
            try everything().filter { path, _ in
                !"\(root.path)/\(path)".hasPrefix(table + "/") && !path.hasPrefix("catalog.db") && !path.hasPrefix("locks/")
            }
        }

        /// Every file under the warehouse, with its size.
        func everything() throws -> [String: Int] {
            var files: [String: Int] = [:]
            for path in try FileManager.default.subpathsOfDirectory(atPath: root.path) {
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(root.path)/\(path)")
                if attributes[.type] as? FileAttributeType == .typeRegular { files[path] = (attributes[.size] as? Int) ?? -1 }
            }
            return files
        }
    }

    /// Up to `count` mutants picked by a seeded generator, so a failure repeats.
    static func sample(_ mutants: [DocumentMutations.Mutant], _ count: Int, seed: UInt64) -> [DocumentMutations.Mutant] {
        var random = SeededGenerator(seed: seed)
        return Array(mutants.shuffled(using: &random).prefix(count))
    }

    @Test func mutatedPlansAreRefusedOrChangeNoRows() throws {
        let table = try UntrustedPlanInteropTests.Table()
        let warehouse = try Warehouse(table.root)
        defer { warehouse.remove() }
        let plan = try JSON.parse(try table.plan())
        let tableLocation = MaintenanceInteropSupport.local(try #require(plan["location"]?.stringValue))
        let before = try table.fingerprint()
        try warehouse.restore()
        var refused: [DocumentMutations.Mutant] = []
        var accepted: [DocumentMutations.Mutant] = []
        for mutant in DocumentMutations.mutants(of: plan, tableLocation: tableLocation) {
            do {
                _ = try OptimizingPlan(json: mutant.document)
                accepted.append(mutant)
            } catch { refused.append(mutant) }
        }
        #expect(refused.count > 500 && accepted.count > 30, "\(refused.count) refused, \(accepted.count) accepted")

        let files = try warehouse.everything()
        for mutant in Self.sample(refused, 6, seed: 1) {
            let result = try table.compact(mutant.document.rendered())
            #expect(result.status == 65, "\(mutant): \(result.stderr)")
            #expect(result.stderr.contains("invalid amoro.plan document"), "\(mutant): \(result.stderr)")
            #expect(try warehouse.everything() == files, "\(mutant): a refused plan wrote nothing")
        }
        var outcomes: [Int32: Int] = [:]
        for mutant in Self.sample(accepted, 14, seed: 2) {
            try warehouse.restore()
            let outside = try warehouse.listing(outside: tableLocation)
            let result = try table.compact(mutant.document.rendered())
            outcomes[result.status, default: 0] += 1
            #expect([0, 65].contains(result.status), "\(mutant): \(result.stderr)")
            #expect(try warehouse.listing(outside: tableLocation) == outside, "\(mutant): a file outside the table changed")
            let after = try table.fingerprint()
            for key in ["rows", "pyiceberg", "duckdb", "duck_rows"] {
                #expect(after[key] == before[key], "\(mutant): \(key) changed (\(result.stdout) \(result.stderr))")
            }
        }
        #expect(outcomes[0, default: 0] > 0, "some accepted mutants commit: \(outcomes)")
    }

    @Test func mutatedAuditsAreRefusedOrDeleteNothingOutsideTheTable() throws {
        typealias Support = MaintenanceInteropSupport
        let (root, config) = try Support.makeTable()
        let warehouse = try Warehouse(root)
        defer { warehouse.remove() }
        let tableLocation = Support.local(try #require(try Support.read(root)["location"]?.stringValue))
        func expire(_ extra: [String]) throws -> AmoroBinary.Result {
            try Support.amoro(config: config, ["expire-snapshots", "--config", config, "db.t", "--older-than", "1ms"] + extra)
        }
        let audit = try Support.document(try expire(["--dry-run"]))
        let before = try Support.read(root)
        try warehouse.restore()
        var refused: [DocumentMutations.Mutant] = []
        var accepted: [DocumentMutations.Mutant] = []
        for mutant in DocumentMutations.mutants(of: audit, tableLocation: tableLocation) {
            do {
                _ = try ExpireResultDocument(json: mutant.document).audit()
                accepted.append(mutant)
            } catch { refused.append(mutant) }
        }
        #expect(refused.count > 300 && accepted.count > 30, "\(refused.count) refused, \(accepted.count) accepted")
        let file = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-audit.json")
        defer { try? FileManager.default.removeItem(at: file) }

        let files = try warehouse.everything()
        for mutant in Self.sample(refused, 6, seed: 3) {
            try Data(mutant.document.rendered().utf8).write(to: file)
            let result = try expire(["--from-audit", file.path])
            #expect(result.status == 65, "\(mutant): \(result.stderr)")
            #expect(result.stderr.contains("invalid amoro.expire-result document"), "\(mutant): \(result.stderr)")
            #expect(try warehouse.everything() == files, "\(mutant): a refused audit deleted nothing")
        }
        for mutant in Self.sample(accepted, 10, seed: 4) {
            try warehouse.restore()
            let outside = try warehouse.listing(outside: tableLocation)
            try Data(mutant.document.rendered().utf8).write(to: file)
            let result = try expire(["--from-audit", file.path])
            #expect([0, 1, 65].contains(result.status), "\(mutant): \(result.stderr)")
            #expect(try warehouse.listing(outside: tableLocation) == outside, "\(mutant): a file outside the table changed")
            Support.expectSameData(before, try Support.read(root))
        }
    }
}
