import Documents
import Execution
import Foundation
import Iceberg
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

/// amoro against tables pypaimon 2.1 writes: scan numbers equal pypaimon's plan, and after expiry and orphan
/// cleaning pypaimon reads every remaining snapshot and tag with unchanged rows.
@Suite(.enabled(if: Peers.paimonPython != nil)) struct PaimonInteropTests {
    static let tables = ["append_unaware", "append_fixed", "pk_dedup", "pk_partial", "pk_first"]
    static let hour: Int64 = 3_600_000

    /// A warehouse with the five test tables of `PaimonPeer.generate`, six commits each.
    static func warehouse(_ directory: URL) throws -> String {
        let path = directory.appendingPathComponent("warehouse").path
        try Peers.paimon(PaimonPeer.generate, arguments: [path, "6"])
        return path
    }

    static func probe(_ warehouse: String, _ table: String) throws -> JSON {
        try JSON.parse(Array(try Peers.paimon(PaimonPeer.probe, arguments: [warehouse, "db.\(table)"])))
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test func scanNumbersEqualPypaimons() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory)
            for name in Self.tables {
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                let health = try await PaimonHealth.scan(table, catalog: "direct", name: name, nowMs: Self.now())
                let peer = try Self.probe(warehouse, name)
                var ours: [String: [Int64]] = [:]
                for bucket in health.buckets {
                    ours["\(bucket.partition)#\(bucket.bucket)"] = [Int64(bucket.files), bucket.bytes, bucket.records]
                }
                var theirs: [String: [Int64]] = [:]
                for (key, value) in peer["buckets"]?.objectValue ?? [] {
                    theirs[key] = ["files", "bytes", "records"].map { value[$0]?.int64Value ?? -1 }
                }
                #expect(!ours.isEmpty && ours == theirs, "\(name)")
                #expect(health.snapshotCount == 6 && health.snapshot?.id == 6 && health.tags == 1, "\(name)")
                #expect(health.snapshot?.commitKind == "APPEND")
                if name.hasPrefix("pk") {
                    #expect(health.buckets.allSatisfy { $0.sortedRuns == $0.levels[0] }, "\(name)")
                }
            }
        }
    }

    /// Expiry with `--retain-last 1`-like settings: every snapshot but the newest goes (a consumer holds
    /// `pk_dedup` at 5); data files the overwrite removed go unless the tag holds them; pypaimon then reads every
    /// remaining snapshot and the tag with the rows it read before, and nothing orphaned is left behind.
    @Test func expiryKeepsRemainingSnapshotsTagsAndConsumers() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory)
            try FileManager.default.createDirectory(atPath: "\(warehouse)/db.db/pk_dedup/consumer", withIntermediateDirectories: true)
            try Data(#"{"nextSnapshot":5}"#.utf8).write(to: URL(fileURLWithPath: "\(warehouse)/db.db/pk_dedup/consumer/consumer-c1"))
            for name in Self.tables {
                let before = try Self.probe(warehouse, name)
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                var options = PaimonExpire.Options()
                options.retainLast = 1
                options.olderThanMs = Self.now() + Self.hour
                options.run.dryRun = true
                let dry = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
                let end: Int64 = name == "pk_dedup" ? 5 : 6
                #expect(dry.status == .dryRun && dry.snapshots.map(\.id) == Array(1..<end), "\(name)")
                #expect(try await table.snapshotFiles().count == 6, "a dry run deletes nothing")
                options.run.dryRun = false
                let result = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
                #expect(result.status == .expired && result.earliest == end, "\(name)")
                #expect(Set(result.deletion?.deleted.map(\.path) ?? []) == Set(dry.files.map(\.path)), "\(name)")
                #expect(result.deletion?.failed.isEmpty == true && result.deletion?.refused.isEmpty == true)
                #expect(result.files.contains { $0.fileClass == .data }, "the overwrite's files go: \(name)")
                #expect(try await table.snapshotFiles().map(\.id) == Array(end...6), "\(name)")
                #expect(await table.hint("EARLIEST") == end)
                let after = try Self.probe(warehouse, name)
                for (id, fingerprint) in after["snapshots"]?.objectValue ?? [] {
                    #expect(before["snapshots"]?[id] == fingerprint, "\(name) snapshot \(id)")
                }
                #expect(after["snapshots"]?.objectValue?.count == Int(7 - end))
                #expect(after["tags"] == before["tags"] && after["tags"]?["t1"] != nil, "\(name)")
                // Nothing left behind: orphan cleaning now finds nothing to delete.
                var clean = CleanOrphansAction.Options()
                clean.olderThanMs = 0
                clean.run.dryRun = true
                let orphans = try await PaimonOrphanClean.run(table, options: clean, enabled: true, nowMs: Self.now() + Self.hour)
                #expect(orphans.outcome.orphans.map(\.location) == [], "\(name)")
                // A second run has nothing to do.
                #expect(try await PaimonExpire.run(table, options: options, nowMs: Self.now()).status == .nothingToDo)
            }
        }
    }

    /// Paimon's own retention: the newest 10 stay by default, so six snapshots stay whatever their age.
    @Test func defaultRetentionKeepsTheNewestTen() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory)
            let table = PaimonTable(location: "\(warehouse)/db.db/append_fixed", storage: LocalStorage())
            let result = try await PaimonExpire.run(table, options: PaimonExpire.Options(), nowMs: Self.now() + 24 * Self.hour)
            #expect(result.status == .nothingToDo)
            var options = PaimonExpire.Options()
            options.retainLast = 2
            let young = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
            #expect(young.status == .nothingToDo, "snapshot.time-retained (1 h) keeps them")
        }
    }

    /// Orphans past the grace period go (writers' temporary files in `snapshot/` and `changelog/` too, as Paimon
    /// cleans them), young ones stay, and the table's own state is never touched; pypaimon reads the same rows
    /// afterwards.
    @Test func orphanCleaningRemovesOnlyUnreachedFiles() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory)
            let root = "\(warehouse)/db.db/pk_dedup"
            let before = try Self.probe(warehouse, "pk_dedup")
            let old = Date(timeIntervalSinceNow: -3 * 86_400)
            let stale = ["\(root)/dt=2024-01-01/bucket-1/data-stale-0.parquet", "\(root)/manifest/manifest-stale-0",
                "\(root)/snapshot/.snapshot-7.tmp", "\(root)/index/index-stale-0", "\(root)/changelog/.changelog-7.tmp"]
            let young = "\(root)/dt=2024-01-02/bucket-0/data-young-0.parquet"
            for directory in ["index", "changelog"] {
                try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
            }
            for path in stale + [young, "\(root)/schema/.schema-9.tmp"] {
                try Data("x".utf8).write(to: URL(fileURLWithPath: path))
            }
            for path in stale + ["\(root)/schema/.schema-9.tmp"] {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
            }
            for file in try await LocalStorage().list(prefix: "\(root)/") where !file.location.contains("stale") && !file.location.hasSuffix(".tmp") && file.location != young {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.location)
            }
            let table = PaimonTable(location: root, storage: LocalStorage())
            var options = CleanOrphansAction.Options()
            #expect(try await PaimonOrphanClean.run(table, options: options, enabled: false, nowMs: Self.now()).status == .disabled)
            options.run.dryRun = true
            let dry = try await PaimonOrphanClean.run(table, options: options, enabled: true, nowMs: Self.now())
            #expect(Set(dry.outcome.orphans.map(\.location)) == Set(stale))
            #expect(dry.outcome.keptYoung.map(\.location) == [young])
            options.run.dryRun = false
            options.maxDeletes = 4
            await #expect(throws: AmoroError.self) { try await PaimonOrphanClean.run(table, options: options, enabled: true, nowMs: Self.now()) }
            options.maxDeletes = nil
            let result = try await PaimonOrphanClean.run(table, options: options, enabled: true, nowMs: Self.now())
            #expect(result.status == .cleaned && Set(result.deletion?.deleted.map(\.path) ?? []) == Set(stale))
            for path in stale { #expect(!FileManager.default.fileExists(atPath: path)) }
            for path in [young, "\(root)/schema/.schema-9.tmp"] { #expect(FileManager.default.fileExists(atPath: path)) }
            #expect(try Self.probe(warehouse, "pk_dedup") == before)
        }
    }

    /// The commands dispatch on the table's format: a location laid out as Paimon, and a `type: paimon` catalog
    /// with globs; the scan document says `format: paimon`; a dry run's audit replays.
    @Test func commandsReachPaimonTables() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try Self.warehouse(directory)
            let config = directory.appendingPathComponent("amoro.yaml")
            try "catalog:\n  lake:\n    type: paimon\n    warehouse: file://\(warehouse)\n".write(to: config, atomically: true, encoding: .utf8)
            let environment = ["AMORO_LOCK_DIR": directory.appendingPathComponent("locks").path]
            let scan = try AmoroBinary.run(["scan", "--json", "\(warehouse)/db.db/pk_dedup"], environment: environment)
            #expect(scan.status == 0, "\(scan.stderr)")
            let document = try JSON.parse(String(scan.stdout.split(separator: "\n")[0]))
            #expect(document["kind"] == .string("amoro.scan") && document["format"] == .string("paimon"))
            let decoded = try PaimonScanDocument(json: document)
            #expect(decoded.json == document)
            #expect(try PaimonScanDocument(json: decoded.json) == decoded)
            let plan = try AmoroBinary.run(["plan", "--level", "minor"], input: scan.stdout, environment: environment)
            #expect(plan.status == 0, "\(plan.stderr)")
            let planned = try PaimonPlanDocument(json: try JSON.parse(String(plan.stdout.split(separator: "\n")[0])))
            #expect(planned.plan.location.hasSuffix("/db.db/pk_dedup") && planned.plan.snapshotId == 6)
            // Through the catalog: plan | compact commits a COMPACT snapshot pypaimon reads the same rows from.
            let unaware = try Self.probe(warehouse, "append_unaware")
            let full = try AmoroBinary.run(["plan", "--json", "--config", config.path, "--catalog", "lake", "--level", "full",
                "db.append_unaware"], environment: environment)
            #expect(full.status == 0, "\(full.stderr)")
            let compacted = try AmoroBinary.run(["compact", "--json", "--config", config.path], input: full.stdout, environment: environment)
            #expect(compacted.status == 0, "\(compacted.stderr)")
            let result = try CompactResultDocument(json: try JSON.parse(String(compacted.stdout.split(separator: "\n")[0])))
            #expect(result.status == .committed && result.snapshotId == 7 && result.table == "db.append_unaware", "\(compacted.stdout)")
            #expect(try Self.probe(warehouse, "append_unaware")["snapshots"]?["7"]?["sha"] == unaware["snapshots"]?["6"]?["sha"])

            let all = try AmoroBinary.run(["scan", "--json", "--config", config.path, "--catalog", "lake", "db.*"], environment: environment)
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.stdout.split(separator: "\n").count == Self.tables.count)
            let schedule = try AmoroBinary.run(["schedule", "--config", config.path, "--all"], environment: environment)
            #expect(schedule.status == 0, "\(schedule.stderr)")
            let lines = schedule.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(lines.count == 2 && lines[0].contains("plan --config") && lines[0].contains("--level auto --scheduled-every 60min --all | ")
                && lines[1].contains("expire-snapshots") && lines[1].contains("--all"), "\(schedule.stdout)")
            let missing = try AmoroBinary.run(["scan", "--config", config.path, "db.nope"], environment: environment)
            #expect(missing.status == 66, "\(missing.stderr)")

            let dryRun = try AmoroBinary.run(["expire-snapshots", "--json", "--config", config.path, "--retain-last", "1",
                "--older-than", "2099-01-01T00:00:00Z", "--dry-run", "db.append_fixed"], environment: environment)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            let audit = directory.appendingPathComponent("audit.ndjson")
            try dryRun.stdout.write(to: audit, atomically: true, encoding: .utf8)
            let dry = try ExpireResultDocument(json: try JSON.parse(String(dryRun.stdout.split(separator: "\n")[0])))
            #expect(dry.status == .dryRun && dry.details?.snapshotsRemoved.count == 5)
            let before = try Self.probe(warehouse, "append_fixed")
            let replay = try AmoroBinary.run(["expire-snapshots", "--json", "--config", config.path, "--retain-last", "1",
                "--older-than", "2099-01-01T00:00:00Z", "--from-audit", audit.path, "db.append_fixed"], environment: environment)
            #expect(replay.status == 0, "\(replay.stderr)")
            let done = try ExpireResultDocument(json: try JSON.parse(String(replay.stdout.split(separator: "\n")[0])))
            #expect(done.status == .expired && done.details?.snapshotsRemoved.count == 5)
            let after = try Self.probe(warehouse, "append_fixed")
            #expect(after["snapshots"]?["6"] == before["snapshots"]?["6"] && after["tags"] == before["tags"])

            let clean = try AmoroBinary.run(["clean-orphans", "--json", "--older-than", "1d", "\(warehouse)/db.db/append_fixed"],
                environment: environment)
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(try CleanOrphansResultDocument(json: try JSON.parse(String(clean.stdout.split(separator: "\n")[0]))).status == .nothingToDo)
        }
    }
}

extension Fixtures {
    /// `withTemporaryDirectory` for async bodies.
    static func withTemporaryDirectoryAsync<T>(_ body: (URL) async throws -> T) async throws -> T {
        let url = try makeTemporaryDirectory("amoro-paimon")
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }
}
