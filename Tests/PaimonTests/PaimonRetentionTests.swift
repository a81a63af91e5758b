import Execution
import Foundation
import Iceberg
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

/// Paimon's retention bounds (`ExpireConfig`, `ExpireSnapshotsImpl`, `ExpireChangelogImpl`) on made-up ids.
@Suite struct PaimonRetentionTests {
    static let hour: Int64 = 3_600_000

    static func retention(_ options: [String: String], retainLast: Int? = nil, olderThanMs: Int64? = nil) throws -> PaimonRetention {
        PaimonRetention(try PaimonOptions(options, hasPrimaryKey: true), retainLast: retainLast, olderThanMs: olderThanMs, nowMs: 100 * hour)
    }

    @Test func changelogBoundsFollowTheSnapshotsInEffect() throws {
        let plain = try Self.retention([:], retainLast: 3)
        #expect(plain.snapshotMin == 3 && plain.changelogMin == 3 && plain.changelogCutoffMs == plain.snapshotCutoffMs && !plain.decoupled)
        let longer = try Self.retention(["changelog.num-retained.min": "5"], retainLast: 3)
        #expect(longer.changelogMin == 5 && longer.decoupled)
        #expect(try !Self.retention(["changelog.num-retained.min": "5"], retainLast: 7).decoupled, "--retain-last above it")
        let timed = try Self.retention(["snapshot.time-retained": "1 h", "changelog.time-retained": "1 d"])
        #expect(timed.decoupled && timed.changelogCutoffMs == 100 * Self.hour - 24 * Self.hour)
        #expect(try !Self.retention(["changelog.time-retained": "1 d"], olderThanMs: 10 * Self.hour).decoupled,
            "an --older-than before the changelog's cut-off")
        #expect(try Self.retention([:], retainLast: 20).snapshotMax >= 20)
    }

    /// A snapshot goes only if the one after it is old (Paimon 2.0's rule); absent ids are skipped.
    @Test func snapshotEndStopsBeforeTheFirstYoungSuccessor() async throws {
        let retention = try Self.retention(["snapshot.time-retained": "1 h"], retainLast: 1)
        let times: [Int64: Int64] = [1: 0, 2: 0, 4: 0, 5: 99 * Self.hour + 1, 6: 99 * Self.hour + 2]
        let end = try await retention.snapshotEnd(ids: [1, 2, 4, 5, 6], consumerMin: nil) { times[$0]! }
        #expect(end == 4, "snapshot 5 is younger than the hour, so 4 stays")
        #expect(try await retention.snapshotEnd(ids: [1, 2, 4, 5, 6], consumerMin: 2) { times[$0]! } == 2)
        let limited = try Self.retention(["snapshot.expire.limit": "2"], retainLast: 1)
        #expect(try await limited.snapshotEnd(ids: [1, 2, 4, 5, 6], consumerMin: nil) { _ in 0 } == 3)
        let onlyChangelogs = try Self.retention(["consumer.changelog-only": "true", "changelog.num-retained.min": "9"], retainLast: 1)
        #expect(try await onlyChangelogs.snapshotEnd(ids: [1, 2, 4, 5, 6], consumerMin: 2) { _ in 0 } == 6)
    }

    /// Changelogs are counted against the latest snapshot, the latest changelog stays, and a young one stops.
    @Test func changelogEndKeepsTheLatestChangelog() async throws {
        let retention = try Self.retention(["changelog.num-retained.min": "3"], retainLast: 1)
        #expect(try await retention.changelogEnd(ids: [1, 2, 3, 4], latestSnapshot: 10, consumerMin: nil) { _ in 0 } == 4)
        #expect(try await retention.changelogEnd(ids: [1, 2, 3, 4], latestSnapshot: 5, consumerMin: nil) { _ in 0 } == 3)
        #expect(try await retention.changelogEnd(ids: [1, 2, 3, 4], latestSnapshot: 10, consumerMin: 2) { _ in 0 } == 2)
        #expect(try await retention.changelogEnd(ids: [1, 2, 3, 4], latestSnapshot: 10, consumerMin: nil) { $0 == 3 ? 100 * Self.hour : 0 } == 3)
        #expect(try await retention.changelogEnd(ids: [4], latestSnapshot: 10, consumerMin: nil) { _ in 0 } == 4)
    }
}

/// Decoupled changelogs, consumers and interrupted runs on tables pypaimon 2.1 writes: after every run pypaimon
/// reads every remaining snapshot, tag and long-lived changelog with the rows it read before, and orphan cleaning
/// finds nothing left behind.
@Suite(.enabled(if: Peers.paimonPython != nil)) struct PaimonRetentionInteropTests {
    static let hour: Int64 = 3_600_000

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func changelogs(_ warehouse: String, _ table: String) throws -> JSON {
        try JSON.parse(Array(try Peers.paimon(PaimonRetentionPeer.changelogs, arguments: [warehouse, "db.\(table)"])))
    }

    /// Orphan cleaning at a grace period of nothing finds no file: expiry left nothing unreached behind.
    static func expectNothingOrphaned(_ table: PaimonTable, _ name: String) async throws {
        var clean = CleanOrphansAction.Options()
        clean.olderThanMs = 0
        clean.run.dryRun = true
        let orphans = try await PaimonOrphanClean.run(table, options: clean, enabled: true, nowMs: now() + hour)
        #expect(orphans.outcome.orphans.map(\.location) == [], "\(name)")
    }

    static func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// Snapshots expire by `snapshot.num-retained.min: 2` while `changelog.num-retained.min: 6` keeps their
    /// changelogs: the expired snapshots move to `changelog/`, the oldest changelogs expire, and what each retained
    /// changelog holds (changelog files, or with no producer the writer-made delta files) stays readable; a second
    /// run after two more commits expires changelogs already in `changelog/`.
    @Test func decoupledChangelogsOutliveTheirSnapshots() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            try Peers.paimon(PaimonRetentionPeer.generate, arguments: [warehouse, "8"])
            for name in ["cl_input", "cl_none"] {
                let root = "\(warehouse)/db.db/\(name)"
                let table = PaimonTable(location: root, storage: LocalStorage())
                let before = try Self.changelogs(warehouse, name)
                let rowsBefore = try PaimonInteropTests.probe(warehouse, name)
                var options = PaimonExpire.Options()
                options.run.dryRun = true
                let dry = try await PaimonExpire.run(table, options: options, nowMs: Self.now() + Self.hour)
                #expect(dry.status == .dryRun && dry.snapshots.map(\.id) == Array(1...6) && dry.changelogsWritten == [3, 4, 5, 6], "\(name)")
                #expect(try await table.changelogFiles().isEmpty, "a dry run writes nothing")
                options.run.dryRun = false
                let first = try await PaimonExpire.run(table, options: options, nowMs: Self.now() + Self.hour)
                #expect(first.status == .expired && first.earliest == 7 && first.changelogsExpired == [1, 2], "\(name)")
                #expect(Set(first.deletion?.deleted.map(\.path) ?? []) == Set(dry.files.map(\.path)), "\(name)")
                #expect(try await table.snapshotFiles().map(\.id) == [7, 8])
                #expect(try await table.changelogFiles().map(\.id) == [3, 4, 5, 6])
                #expect(Self.text("\(root)/changelog/LATEST") == "6" && Self.text("\(root)/changelog/EARLIEST") == "3")
                let after = try Self.changelogs(warehouse, name)
                #expect(after["earliest"] == .int(3) && after["latest"] == .int(6), "pypaimon's ChangelogManager reads the hints")
                for id in 3...6 {
                    #expect(after["changelogs"]?["\(id)"] == before["snapshots"]?["\(id)"], "\(name) changelog \(id)")
                    #expect(after["changelogs"]?["\(id)"]?["missing"] == .int(0))
                }
                let rowsAfter = try PaimonInteropTests.probe(warehouse, name)
                #expect(rowsAfter["snapshots"]?["7"] == rowsBefore["snapshots"]?["7"] && rowsAfter["snapshots"]?["8"] == rowsBefore["snapshots"]?["8"])
                #expect(rowsAfter["tags"] == rowsBefore["tags"], "\(name)")
                if name == "cl_input" {
                    // Changelog 1 expired with its files (changelog 2's are the tag's too).
                    for file in before["snapshots"]?["1"]?["files"]?.arrayValue ?? [] {
                        #expect(!FileManager.default.fileExists(atPath: "\(root)/\(file.stringValue ?? "")"))
                    }
                } else {
                    #expect(first.files.allSatisfy { $0.fileClass != .data || !$0.path.contains("2024-01-01") },
                        "the overwrite's writer-made files stay for changelog 4")
                }
                try await Self.expectNothingOrphaned(table, name)

                try Peers.paimon(PaimonRetentionPeer.commit, arguments: [warehouse, "db.\(name)", "2"])
                let middle = try Self.changelogs(warehouse, name)
                let second = try await PaimonExpire.run(table, options: options, nowMs: Self.now() + Self.hour)
                #expect(second.snapshots.map(\.id) == [7, 8] && second.changelogsWritten == [7, 8] && second.changelogsExpired == [3, 4], "\(name)")
                #expect(try await table.changelogFiles().map(\.id) == [5, 6, 7, 8] && Self.text("\(root)/changelog/EARLIEST") == "5")
                let last = try Self.changelogs(warehouse, name)
                for id in 5...8 {
                    #expect(last["changelogs"]?["\(id)"] == (id < 7 ? after["changelogs"] : middle["snapshots"])?["\(id)"], "\(name) changelog \(id)")
                }
                #expect(try PaimonInteropTests.probe(warehouse, name)["tags"] == rowsBefore["tags"])
                try await Self.expectNothingOrphaned(table, name)
                guard let tag = try await table.tags().first?.snapshot, let list = tag.changelogManifestList else { continue }
                // Paimon's own expiry deletes a tagged snapshot's changelog list: its files are then orphans, and
                // both commands still read the tag.
                let manifests = try await table.manifestList(list).map { table.manifestLocation($0.fileName) }
                try FileManager.default.removeItem(atPath: table.manifestLocation(list))
                var clean = CleanOrphansAction.Options()
                clean.olderThanMs = 0
                clean.run.dryRun = true
                let orphans = try await PaimonOrphanClean.run(table, options: clean, enabled: true, nowMs: Self.now() + Self.hour)
                let changelogFiles = (before["snapshots"]?["2"]?["files"]?.arrayValue ?? []).compactMap(\.stringValue).map { "\(root)/\($0)" }
                #expect(!changelogFiles.isEmpty && Set(orphans.outcome.orphans.map(\.location)) == Set(manifests + changelogFiles))
                #expect(try await PaimonExpire.run(table, options: options, nowMs: Self.now() + Self.hour).status == .nothingToDo)
            }
        }
    }

    /// `consumer.expiration-time`: a consumer pypaimon wrote two hours ago is deleted and holds nothing; one written
    /// as Paimon Java writes it (pretty JSON) a moment ago holds its snapshot. With `consumer.changelog-only` and
    /// decoupled changelogs, the consumer then holds changelogs only.
    @Test func idleConsumersExpireAndLiveOnesHold() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try PaimonInteropTests.warehouse(directory)
            let root = "\(warehouse)/db.db/append_fixed"
            _ = try Peers.paimon(PaimonRetentionPeer.consumers, arguments: [warehouse, "db.append_fixed", "setup"])
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: "\(root)/consumer/consumer-old")
            try Data("{\n  \"nextSnapshot\" : 4\n}".utf8).write(to: URL(fileURLWithPath: "\(root)/consumer/consumer-java"))
            let table = PaimonTable(location: root, storage: LocalStorage())
            let before = try PaimonInteropTests.probe(warehouse, "append_fixed")
            var options = PaimonExpire.Options()
            options.retainLast = 1
            options.olderThanMs = Self.now() + Self.hour
            options.run.dryRun = true
            let dry = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
            #expect(dry.consumersExpired == ["old"] && dry.files.contains { $0.path.hasSuffix("consumer/consumer-old") })
            #expect(FileManager.default.fileExists(atPath: "\(root)/consumer/consumer-old"))
            options.run.dryRun = false
            let result = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
            #expect(result.snapshots.map(\.id) == [1, 2, 3] && result.consumersExpired == ["old"])
            let listed = try JSON.parse(Array(try Peers.paimon(PaimonRetentionPeer.consumers, arguments: [warehouse, "db.append_fixed"])))
            #expect(listed == .object([("java", .int(4))]), "pypaimon lists the consumer that stays")
            let after = try PaimonInteropTests.probe(warehouse, "append_fixed")
            for id in 4...6 { #expect(after["snapshots"]?["\(id)"] == before["snapshots"]?["\(id)"]) }

            // Consumers hold changelogs only: snapshots 4 and 5 go, their changelogs stay (the consumer reads 4).
            try Peers.paimon(#"""
                import sys
                from pypaimon import CatalogFactory
                from pypaimon.schema.schema_change import SchemaChange
                CatalogFactory.create({'warehouse': sys.argv[1]}).alter_table('db.append_fixed', [
                    SchemaChange.set_option('consumer.changelog-only', 'true'), SchemaChange.set_option('changelog.num-retained.min', '2')])
                """#, arguments: [warehouse])
            let changelogOnly = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
            #expect(changelogOnly.snapshots.map(\.id) == [4, 5] && changelogOnly.changelogsWritten == [4, 5] && changelogOnly.changelogsExpired == [])
            #expect(FileManager.default.fileExists(atPath: "\(root)/consumer/consumer-java"))
            try await Self.expectNothingOrphaned(table, "append_fixed")
        }
    }

    /// Interrupted runs converge: expiry killed halfway through its deletes (`AMORO_CRASH_AT=mid-deletes`), finished
    /// by a next run that is asked to keep everything (the killed run's hint binds it), and the
    /// states a kill in a later phase leaves (data files and manifests gone with half the manifest lists; or all of
    /// them and two snapshot files, `EARLIEST` not moved), are each finished by the next run to exactly the files an
    /// uninterrupted run leaves; orphan cleaning killed halfway is finished by the next run.
    @Test func interruptedRunsConverge() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = try PaimonInteropTests.warehouse(directory)
            let twin = directory.appendingPathComponent("twin").path
            try FileManager.default.copyItem(atPath: warehouse, toPath: twin)
            var options = PaimonExpire.Options()
            options.retainLast = 1
            options.olderThanMs = Self.now() + Self.hour
            func files(_ root: String) throws -> [String] {
                try FileManager.default.subpathsOfDirectory(atPath: root).filter {
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: "\(root)/\($0)", isDirectory: &isDirectory) && !isDirectory.boolValue
                }.sorted()
            }
            for name in ["pk_dedup", "append_fixed", "append_unaware"] {
                _ = try await PaimonExpire.run(PaimonTable(location: "\(twin)/db.db/\(name)", storage: LocalStorage()), options: options, nowMs: Self.now())
            }
            let environment = ["AMORO_LOCK_DIR": directory.appendingPathComponent("locks").path]
            let arguments = ["expire-snapshots", "--json", "--retain-last", "1", "--older-than", "2099-01-01T00:00:00Z"]

            // Killed halfway through the data files.
            let root = "\(warehouse)/db.db/pk_dedup"
            let before = try PaimonInteropTests.probe(warehouse, "pk_dedup")
            let killed = try AmoroBinary.run(arguments + [root], environment: environment.merging(["AMORO_CRASH_AT": "mid-deletes"]) { $1 })
            #expect(killed.status != 0)
            #expect(Self.text("\(root)/snapshot/EARLIEST") == "6", "the hint moved before the first delete")
            // The next run is asked to keep every snapshot, yet finishes what the killed run committed to: a kept
            // snapshot with files gone would be a broken snapshot.
            let keepAll = ["expire-snapshots", "--json", "--retain-last", "50", "--older-than", "1970-01-02T00:00:00Z", root]
            #expect(try AmoroBinary.run(keepAll, environment: environment).status == 0)
            #expect(try files(root) == files("\(twin)/db.db/pk_dedup"))
            #expect(try PaimonInteropTests.probe(warehouse, "pk_dedup")["snapshots"]?["6"] == before["snapshots"]?["6"])

            // Stopped in the manifest-list phase (data files and manifests gone, half the lists), and in the
            // snapshot-file phase (everything else gone, snapshots 1 and 3 too, `EARLIEST` not moved).
            for (name, expired) in [("append_fixed", [1, 2, 3, 4, 5]), ("append_unaware", [2, 4, 5])] as [(String, [Int64])] {
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                var dryOptions = options
                dryOptions.run.dryRun = true
                let plan = try await PaimonExpire.run(table, options: dryOptions, nowMs: Self.now())
                let lists = plan.files.filter { $0.fileClass == .manifestLists }
                for file in plan.files where file.fileClass == .data || file.fileClass == .manifests {
                    try FileManager.default.removeItem(atPath: file.path)
                }
                for file in lists.prefix(expired.count == 5 ? lists.count / 2 : lists.count) { try FileManager.default.removeItem(atPath: file.path) }
                if expired.count < 5 { for id in [1, 3] { try FileManager.default.removeItem(atPath: table.snapshotLocation(Int64(id))) } }
                let rerun = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
                #expect(rerun.status == .expired && rerun.snapshots.map(\.id) == expired && rerun.earliest == 6, "\(name)")
                #expect(try files(table.location) == files("\(twin)/db.db/\(name)"), "\(name)")
                try await Self.expectNothingOrphaned(table, name)
            }
            // A run killed after the snapshot files but before the hint: the next run moves the hint only.
            let other = "\(warehouse)/db.db/append_fixed"
            let table = PaimonTable(location: other, storage: LocalStorage())
            try "2".write(toFile: "\(other)/snapshot/EARLIEST", atomically: true, encoding: .utf8)
            let hintOnly = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
            #expect(hintOnly.status == .nothingToDo && hintOnly.earliest == 6 && Self.text("\(other)/snapshot/EARLIEST") == "6")

            // Orphan cleaning killed halfway.
            let old = Date(timeIntervalSinceNow: -3 * 86_400)
            let orphans = (0..<6).map { "\(root)/manifest/manifest-stale-\($0)" }
            for path in orphans {
                try Data("x".utf8).write(to: URL(fileURLWithPath: path))
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
            }
            let cleanArguments = ["clean-orphans", "--json", "--older-than", "1d", root]
            let killedClean = try AmoroBinary.run(cleanArguments, environment: environment.merging(["AMORO_CRASH_AT": "mid-deletes"]) { $1 })
            #expect(killedClean.status != 0 && orphans.contains { FileManager.default.fileExists(atPath: $0) })
            #expect(try AmoroBinary.run(cleanArguments, environment: environment).status == 0)
            #expect(orphans.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
            #expect(try files(root) == files("\(twin)/db.db/pk_dedup"))
        }
    }
}
