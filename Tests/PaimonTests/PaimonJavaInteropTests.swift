@testable import Execution
import Foundation
import Iceberg
import JSONCoding
import Paimon
import Storage
import Testing
import TestSupport

/// Index manifests as Paimon Java 0.9 writes them.
@Suite struct PaimonJavaFormatTests {
    /// Java 0.9 writes the deletion-vector ranges' items as a nullable union of the record; they read as pypaimon's do.
    @Test func deletionVectorRangesOfAJavaIndexManifest() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Tests/PaimonTests/Fixtures/java-0.9/index-manifest-deletion-vectors").path
        let entries = try PaimonManifestDecoder.indexManifest(Array(try Data(contentsOf: URL(fileURLWithPath: path))), location: path)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.kind == .add && entry.bucket == 0 && entry.indexType == "DELETION_VECTORS" && entry.rowCount == 1)
        #expect(entry.fileName == "index-70de6408-dd52-4fd6-b9d7-02500608934b-0")
        #expect(entry.deletionVectors.map(\.dataFile) == ["data-fbdb7846-d2a1-4d99-9449-9121f171bc12-0.parquet"])
        #expect(entry.deletionVectors.map(\.cardinality) == [nil], "0.9 records no cardinality")
        #expect(entry.deletionVectors.map(\.offset) == [1] && entry.deletionVectors.map(\.length) == [26])
    }

    /// A deletion-vector index file Java 0.9 wrote: the vector at the range its index manifest records holds the
    /// positions Java deleted; a wrong range, length, magic or checksum is an error, not an empty vector.
    @Test func deletionVectorOfAJavaIndexFile() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Tests/PaimonTests/Fixtures/java-0.9/index-deletion-vectors").path
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let at = PaimonDeletionVectors.Location(indexFile: "index", offset: 1, length: 26)
        #expect(try PaimonDeletionVectors.decode(bytes, at: at, name: path).positions == [0, 2, 3])
        for wrong in [
            PaimonDeletionVectors.Location(indexFile: "index", offset: 1, length: 25),
            PaimonDeletionVectors.Location(indexFile: "index", offset: 0, length: 26),
            PaimonDeletionVectors.Location(indexFile: "index", offset: 2, length: 26),
            PaimonDeletionVectors.Location(indexFile: "index", offset: 1, length: Int64.max),
        ] {
            #expect(throws: PaimonError.self, "\(wrong)") { try PaimonDeletionVectors.decode(bytes, at: wrong, name: path) }
        }
        for position in [5, 20, 33] {
            var corrupt = bytes
            corrupt[position] ^= 0x01
            #expect(throws: PaimonError.self, "byte \(position)") { try PaimonDeletionVectors.decode(corrupt, at: at, name: path) }
        }
    }
}

/// amoro against tables Paimon's Java implementation writes (0.9, the only Java release installable here; see
/// `PaimonJava`): scan numbers equal what Java's own file scan reports; after orphan cleaning and expiry Java reads
/// every remaining snapshot and tag with unchanged rows and finds every file it needs; amoro's compaction of Java's
/// append and primary-key tables reads back the same rows in Java, and later Java writes on top of it read as they
/// do without it. The Java tables cover what pypaimon does not write: Java's own COMPACT snapshots and level-5
/// files, an empty APPEND snapshot, an ANALYZE snapshot and its statistics, a branch, deletion-vector and hash index
/// files, changelog files, long-lived changelogs Java's expiry made, and an ORC table.
@Suite(.enabled(if: PaimonJava.isAvailable || Peers.areRequired)) struct PaimonJavaInteropTests {
    static let tables = ["append_unaware", "append_fixed", "pk_dedup", "pk_dv", "pk_dynamic", "append_orc"]
    static let compactable = ["append_unaware", "append_fixed", "pk_dedup", "pk_dv"]
    static let hour: Int64 = 3_600_000
    static let limits = PaimonCompactionPlanner.Limits(budgetBytes: 1 << 40, maxTasks: nil)

    /// The warehouse Java wrote and Java's probe of it.
    struct Written: Sendable {
        var warehouse: URL
        var probe: JSON
    }

    /// Written once per test process (one JVM: six commits per table, then the probe); each test works on a copy.
    static let written = Result<Written, any Error> {
        let warehouse = try Fixtures.makeTemporaryDirectory("amoro-paimon-java-warehouse")
        PaimonJava.removeAtExit(warehouse)
        let answers = try PaimonJava.run([["generate", warehouse.path, "6"], ["probe", warehouse.path] + tables])
        return Written(warehouse: warehouse, probe: answers[1])
    }

    static func copy(into directory: URL) throws -> (warehouse: String, before: JSON) {
        let written = try Self.written.get()
        let target = directory.appendingPathComponent("warehouse")
        try FileManager.default.copyItem(at: written.warehouse, to: target)
        return (target.path, written.probe)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func ids(_ probe: JSON?) -> [Int64] { (probe?["snapshots"]?.objectValue ?? []).compactMap { Int64($0.0) }.sorted() }

    /// `dt=x#1` → `dt=x/bucket-1`, `#0` → `bucket-0`.
    static func bucketDirectory(_ key: String) -> String {
        let parts = key.split(separator: "#", omittingEmptySubsequences: false)
        return parts[0].isEmpty ? "bucket-\(parts[1])" : "\(parts[0])/bucket-\(parts[1])"
    }

    @Test func scanNumbersEqualJavas() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let (warehouse, before) = try Self.copy(into: directory)
            for name in Self.tables {
                let java = try #require(before[name])
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                let health = try await PaimonHealth.scan(table, catalog: "direct", name: name, nowMs: Self.now())
                var ours: [String: [Int64]] = [:]
                for bucket in health.buckets {
                    ours["\(bucket.partition)#\(bucket.bucket)"] = [Int64(bucket.files), bucket.bytes, bucket.records,
                        Int64(bucket.levels.keys.max() ?? 0)]
                }
                var theirs: [String: [Int64]] = [:]
                for (key, value) in java["buckets"]?.objectValue ?? [] {
                    theirs[key] = ["files", "bytes", "records", "maxLevel"].map { value[$0]?.int64Value ?? -1 }
                }
                #expect(!ours.isEmpty && ours == theirs, "\(name)")
                let ids = Self.ids(java)
                #expect(health.snapshotCount == ids.count && health.snapshot?.id == ids.last && health.earliestSnapshot?.id == ids.first,
                    "\(name)")
                #expect(health.snapshot?.commitKind == java["snapshots"]?["\(ids.last ?? 0)"]?["kind"]?.stringValue, "\(name)")
                #expect(health.tags == (java["tags"]?.objectValue?.count ?? -1), "\(name)")
                #expect(health.consumers == (java["consumers"]?.objectValue?.count ?? -1), "\(name)")
                #expect(health.branches == (java["branches"]?.objectValue?.count ?? -1), "\(name)")
                #expect(health.buckets.contains { $0.deletionVectorFiles > 0 } == (name == "pk_dv"), "\(name)")
                // Vectors that delete rows, and the rows they delete (Java 0.9 records no cardinality: read from the
                // vectors), as Java reads them; its index files without vectors count for nothing.
                let vectors = health.buckets.reduce(0) { $0 + $1.deletionVectorFiles }
                let vectorRows = health.buckets.reduce(Int64(0)) { $0 + $1.deletionVectorRows }
                #expect(Int64(vectors) == java["deletionVectors"]?["vectors"]?.int64Value, "\(name)")
                #expect(vectorRows == java["deletionVectors"]?["rows"]?.int64Value && (vectorRows > 0) == (name == "pk_dv"), "\(name)")
                #expect((health.changelogFiles > 0) == (name == "pk_dynamic"), "\(name)")
            }
            // Java's full compaction put the primary-key files on level 5, and its snapshots include COMPACT ones.
            let kinds = Set((before["pk_dedup"]?["snapshots"]?.objectValue ?? []).compactMap { $0.1["kind"]?.stringValue })
            #expect(kinds == ["APPEND", "COMPACT"])
            // Java's own expiry moved pk_dynamic's oldest snapshots to long-lived changelogs.
            #expect(before["pk_dynamic"]?["changelogs"]?.objectValue?.isEmpty == false && before["pk_dynamic"]?["earliest"] != .int(1))
        }
    }

    /// Orphan cleaning finds exactly the files planted (nothing Java wrote, old snapshots' files included); amoro
    /// compacts the append and primary-key tables; expiry down to one snapshot (a consumer holds `pk_dedup` at 3; its
    /// tags and branch stay) leaves nothing behind; then Paimon Java reads every remaining snapshot, tag and branch
    /// snapshot with the rows it read before (amoro's COMPACT snapshots with those of the snapshot they compacted),
    /// with no file missing, the statistics the expired ANALYZE snapshot wrote, and every long-lived changelog's files.
    @Test func cleanOrphansCompactionAndExpiryKeepWhatJavaReads() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let (warehouse, before) = try Self.copy(into: directory)
            var expected: [String: [Int64]] = [:]
            for name in Self.tables {
                let root = "\(warehouse)/db.db/\(name)"
                let table = PaimonTable(location: root, storage: LocalStorage())
                let bucket = try #require(before[name]?["buckets"]?.objectValue?.first?.0)
                var planted = ["\(root)/\(Self.bucketDirectory(bucket))/data-orphan-0.parquet", "\(root)/manifest/manifest-orphan-0"]
                for (directory, file) in [("index", "index-orphan-0"), ("statistics", "stats-orphan-0")]
                where FileManager.default.fileExists(atPath: "\(root)/\(directory)") {
                    planted.append("\(root)/\(directory)/\(file)")
                }
                for path in planted { try Data("half written".utf8).write(to: URL(fileURLWithPath: path)) }
                var clean = CleanOrphansAction.Options()
                clean.olderThanMs = 0
                let cleaned = try await PaimonOrphanClean.run(table, options: clean, enabled: true, nowMs: Self.now() + Self.hour)
                #expect(Set(cleaned.deletion?.deleted.map(\.path) ?? []) == Set(planted), "\(name)")

                var latest = try #require(Self.ids(before[name]).last)
                if Self.compactable.contains(name) {
                    let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: name, level: "full",
                        limits: Self.limits, nowMs: Self.now())
                    let result = try await PaimonCompact.run(plan, table: table, identifier: TableIdentifier(namespace: ["db"], name: name),
                        options: .init(parallelism: 2, dryRun: false) { Self.now() })
                    #expect(result.status == .committed && result.snapshotId == latest + 1, "\(name)")
                    latest += 1
                }
                let earliest = name == "pk_dedup" ? 3 : latest
                var options = PaimonExpire.Options()
                options.retainLast = 1
                options.olderThanMs = Self.now() + Self.hour
                let expired = try await PaimonExpire.run(table, options: options, nowMs: Self.now())
                #expect(expired.status == .expired && expired.earliest == earliest, "\(name)")
                #expect(expired.deletion?.failed.isEmpty == true && expired.deletion?.refused.isEmpty == true, "\(name)")
                if Self.compactable.contains(name) && name != "pk_dedup" {
                    #expect(expired.files.contains { $0.fileClass == .data }, "\(name): the compacted inputs went with their snapshots")
                }
                #expect(try await table.snapshotFiles().map(\.id) == Array(earliest...latest), "\(name)")
                expected[name] = Array(earliest...latest)
                clean.run.dryRun = true
                let left = try await PaimonOrphanClean.run(table, options: clean, enabled: true, nowMs: Self.now() + Self.hour)
                #expect(left.outcome.orphans.map(\.location) == [], "\(name): expiry left nothing unreached")
            }
            let after = try PaimonJava.run([["probe", warehouse] + Self.tables])[0]
            for name in Self.tables {
                #expect(Self.ids(after[name]) == expected[name], "\(name)")
                let newest = before[name]?["snapshots"]?["\(Self.ids(before[name]).last ?? 0)"]
                for (id, fingerprint) in after[name]?["snapshots"]?.objectValue ?? [] {
                    #expect(fingerprint["missing"] == .int(0), "\(name) snapshot \(id)")
                    if let old = before[name]?["snapshots"]?[id] {
                        #expect(fingerprint == old, "\(name) snapshot \(id)")
                    } else {
                        #expect(fingerprint["kind"] == .string("COMPACT") && fingerprint["sha"] == newest?["sha"], "\(name) snapshot \(id)")
                    }
                }
                #expect(after[name]?["tags"] == before[name]?["tags"], "\(name)")
                #expect(after[name]?["consumers"] == before[name]?["consumers"], "\(name)")
                if !Self.compactable.contains(name) { #expect(after[name]?["buckets"] == before[name]?["buckets"], "\(name)") }
                #expect(after[name]?["branches"] == before[name]?["branches"], "\(name)")
                #expect(after[name]?["statistics"] == before[name]?["statistics"], "\(name)")
                for (id, changelog) in after[name]?["changelogs"]?.objectValue ?? [] {
                    #expect(changelog["missing"] == .int(0), "\(name) changelog \(id)")
                    if let old = before[name]?["changelogs"]?[id] { #expect(changelog == old, "\(name) changelog \(id)") }
                }
            }
            #expect(after["append_unaware"]?["statistics"] == .int(10), "the ANALYZE snapshot expired, its statistics stay")
            #expect(after["pk_dedup"]?["branches"]?["b1"]?.objectValue?.count == 2)
            #expect(after["pk_dynamic"]?["changelogs"]?.objectValue?.isEmpty == false)
            #expect(after["pk_dedup"]?["tags"]?.objectValue?.count == 2 && after["pk_dedup"]?["consumers"]?["c1"] == .int(3))
        }
    }

    /// Deletion vectors on Java's `pk_dv`, whose bucket 1 holds a level-5 file with a vector Java's lookup
    /// compaction wrote: the rewrite of that file leaves out exactly the rows its vector deletes; the index manifest of a compaction
    /// drops the vectors of the bucket's rewritten files and keeps the other bucket's entry, and is a conflict when the
    /// vectors at the head are not those the compaction applied; full compaction rewrites a lone level-5 file that
    /// has a vector.
    @Test func deletionVectorsApplyAndLeaveTheIndexManifest() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let (warehouse, _) = try Self.copy(into: directory)
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_dv", storage: LocalStorage())
            let files = PaimonSnapshotFiles(table: table)
            let head = try await table.snapshot(try #require(try await table.snapshotFiles().last?.id))
            let index = try await files.indexFiles(head)
            let bucket = try await files.liveFiles(head).filter { $0.bucket == 1 }
            let names = Set(bucket.map(\.file.fileName))
            let partition = try #require(bucket.first?.partition)
            let found = try PaimonDeletionVectors.locations(index, partition: partition, bucket: 1, dataFiles: names)
            #expect(found.count == 1, "Java left one vector in bucket 1")
            let vectors = try await PaimonDeletionVectors.read(found, index: index, table: table)
            let (vectored, vector) = try #require(vectors.first)
            let input = try #require(bucket.first { $0.file.fileName == vectored })

            // Rewriting that file alone: the rows its vector deletes go, the others stay.
            let deleted = vector
            #expect(deleted.cardinality > 0 && deleted.cardinality < input.file.rowCount)
            let schema = try await table.latestSchema()
            let outputs = try await PaimonPrimaryKeyRewrite.run([input], directory: "\(table.location)/bucket-1", schema: schema,
                storage: table.storage, targetFileSize: 128 << 20, compression: PaimonCompact.compression(nil), outputLevel: 5, dropDeletes: true, nowMs: Self.now(),
                deleted: [vectored: deleted], written: { _ in })
            #expect(outputs.reduce(0) { $0 + $1.entry.file.rowCount } == input.file.rowCount - deleted.cardinality)
            let plain = try await PaimonPrimaryKeyRewrite.run([input], directory: "\(table.location)/bucket-1", schema: schema,
                storage: table.storage, targetFileSize: 128 << 20, compression: PaimonCompact.compression(nil), outputLevel: 5, dropDeletes: true, nowMs: Self.now(),
                written: { _ in })
            #expect(plain.reduce(0) { $0 + $1.entry.file.rowCount } == input.file.rowCount, "without vectors every row stays")

            var compaction = PaimonDeletionVectors.Compaction(compression: "zstd")
            compaction.rewritten = [.init(partition: partition, bucket: 1): names]
            let stale = compaction
            compaction.applied = found
            var written: [String] = []
            let name = try #require(try await compaction.indexManifest(head: head, table: table) { written.append($0) })
            #expect(name != head.indexManifest && written == [table.manifestLocation(name)])
            let left = try await table.indexManifest(name)
            #expect(left.map(\.bucket) == index.filter { $0.bucket != 1 }.map(\.bucket) && left.allSatisfy { $0.deletionVectors.isEmpty })
            await #expect(throws: PaimonError.self, "vectors the compaction did not apply") {
                _ = try await stale.indexManifest(head: head, table: table) { _ in }
            }

            // With the bucket's other file gone (a commit of this test only), the level-5 file with its vector is the
            // bucket's one file: full compaction still rewrites it, and leaves bucket 0's lone file without a vector.
            #expect(input.file.level == 5)
            _ = try await PaimonCommit.compact(table, deleted: bucket.filter { $0.file.fileName != vectored }, added: [],
                commitUser: "test", nowMs: { Self.now() })
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "pk_dv", level: "full", limits: Self.limits,
                nowMs: Self.now())
            #expect(plan.tasks.map(\.bucket) == [1] && plan.tasks.first?.files.map(\.fileName) == [vectored])
            #expect(plan.tasks.first?.reason.contains("deletion vector") == true)
        }
    }

    /// `plan --level full | compact` on Java's append and primary-key tables: Java reads the same rows at the new
    /// COMPACT snapshot as at the one before and unchanged rows at every older one, each bucket is one file (level 5
    /// for the primary key; append buckets of fewer than three files stay as they are); and after one more Java
    /// commit (new keys, and updates of old ones) Java reads the same rows as on a copy amoro never compacted. Tables
    /// amoro cannot compact yet are refused, nothing committed.
    @Test func compactionOfJavaTablesReadsTheSameInJava() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let (warehouse, before) = try Self.copy(into: directory)
            let control = directory.appendingPathComponent("control").path
            try FileManager.default.copyItem(atPath: warehouse, toPath: control)
            for name in Self.tables {
                let table = PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage())
                guard Self.compactable.contains(name) else {
                    await #expect(throws: (any Error).self, "\(name)") {
                        _ = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: name, level: "full", limits: Self.limits,
                            nowMs: Self.now())
                    }
                    continue
                }
                let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: name, level: "full", limits: Self.limits,
                    nowMs: Self.now())
                let result = try await PaimonCompact.run(plan, table: table, identifier: TableIdentifier(namespace: ["db"], name: name),
                    options: .init(parallelism: 2, dryRun: false) { Self.now() })
                #expect(result.status == .committed && result.snapshotId == (Self.ids(before[name]).last ?? 0) + 1, "\(name)")
                if name == "pk_dv" {
                    // The merge applied the inputs' deletion vectors: the index manifest keeps no vector of an input
                    // and none of an output (Java's empty index file of the bucket left alone stays).
                    let files = PaimonSnapshotFiles(table: table)
                    let head = try await table.snapshot(try #require(result.snapshotId))
                    let previous = try await table.snapshot(head.id - 1)
                    let live = Set(try await files.liveFiles(head).map(\.file.fileName))
                    let inputs = Set(try await files.liveFiles(previous).map(\.file.fileName)).subtracting(live)
                    let vectored = try await files.indexFiles(previous).flatMap { $0.deletionVectors.map(\.dataFile) }
                    let left = try await files.indexFiles(head).flatMap { $0.deletionVectors.map(\.dataFile) }
                    #expect(!vectored.isEmpty && Set(vectored).isSubset(of: inputs), "Java left vectors of the compacted inputs")
                    #expect(left.isEmpty, "no vector of an input or an output stays")
                    #expect(try await files.indexFiles(head).count == 1, "the other bucket's index file stays")
                }
            }
            let answers = try PaimonJava.run([
                ["probe", warehouse] + Self.tables, ["commit", warehouse] + Self.compactable, ["commit", control] + Self.compactable,
                ["probe", warehouse] + Self.compactable, ["probe", control] + Self.compactable,
            ])
            let compacted = answers[0]
            for name in Self.tables {
                let ids = Self.ids(before[name])
                let latest = try #require(ids.last)
                for (id, fingerprint) in before[name]?["snapshots"]?.objectValue ?? [] {
                    #expect(compacted[name]?["snapshots"]?[id] == fingerprint, "\(name) snapshot \(id)")
                }
                guard Self.compactable.contains(name) else {
                    #expect(Self.ids(compacted[name]) == ids, "\(name): nothing committed")
                    continue
                }
                let new = try #require(compacted[name]?["snapshots"]?["\(latest + 1)"])
                let old = try #require(before[name]?["snapshots"]?["\(latest)"])
                #expect(new["kind"] == .string("COMPACT") && new["rows"] == old["rows"] && new["sha"] == old["sha"], "\(name)")
                #expect(new["missing"] == .int(0))
                for (bucket, numbers) in compacted[name]?["buckets"]?.objectValue ?? [] {
                    // Paimon compacts an append bucket fully only from three files on (`FULL_COMPACT_MIN_FILE`).
                    let had = before[name]?["buckets"]?[bucket]?["files"]?.int64Value ?? -1
                    #expect(numbers["files"]?.int64Value == (name.hasPrefix("pk") || had >= 3 ? 1 : had), "\(name) \(bucket)")
                    #expect(numbers["maxLevel"] == .int(name.hasPrefix("pk") ? 5 : 0), "\(name) \(bucket)")
                }
                // Java's writer may compact on its own in that commit, so the newest snapshots are compared.
                let written = answers[3][name].flatMap { $0["snapshots"]?[$0["latest"]?.int64Value.map(String.init) ?? ""] }
                let unmaintained = answers[4][name].flatMap { $0["snapshots"]?[$0["latest"]?.int64Value.map(String.init) ?? ""] }
                #expect(written?["rows"] != nil && written?["rows"] == unmaintained?["rows"] && written?["sha"] == unmaintained?["sha"],
                    "\(name): Java's next commit reads the same with and without amoro's compaction")
                #expect(written?["missing"] == .int(0))
            }
            // Java's commit on the compacted pk_dv left new vectors (its lookup compaction of the new rows): a second
            // full compaction applies them too, Java reads the same rows, and a third plan is empty.
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_dv", storage: LocalStorage())
            let vectored = try await PaimonSnapshotFiles(table: table).indexFiles(try await table.snapshot(
                try #require(try await table.snapshotFiles().last?.id))).flatMap(\.deletionVectors)
            #expect(!vectored.isEmpty)
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "pk_dv", level: "full", limits: Self.limits,
                nowMs: Self.now())
            let again = try await PaimonCompact.run(plan, table: table, identifier: TableIdentifier(namespace: ["db"], name: "pk_dv"),
                options: .init(parallelism: 2, dryRun: false) { Self.now() })
            #expect(again.status == .committed)
            let reread = try PaimonJava.run([["probe", warehouse, "pk_dv"]])[0]["pk_dv"]
            let committed = answers[3]["pk_dv"].flatMap { $0["snapshots"]?[$0["latest"]?.int64Value.map(String.init) ?? ""] }
            let latest = reread.flatMap { $0["snapshots"]?[$0["latest"]?.int64Value.map(String.init) ?? ""] }
            #expect(latest?["kind"] == .string("COMPACT") && latest?["sha"] == committed?["sha"] && latest?["rows"] == committed?["rows"])
            let third = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "pk_dv", level: "full", limits: Self.limits,
                nowMs: Self.now())
            #expect(third.tasks.isEmpty)
        }
    }

    /// Files Java wrote with bloom filter indexes (embedded in their entries, and beside them as `<file>.index`): a
    /// table whose writers still index (`file-index.bloom-filter.columns`) is refused with the option named, as
    /// amoro writes no index; once the option is removed, the files are compacted (`--level full`) into files
    /// without an index, as Paimon's compaction writes them; a second plan is empty, expiry takes the old index
    /// files with their data files, and Java reads the same rows at the COMPACT snapshot as before it.
    @Test func indexedFilesCompactOnceTheTableIndexesNoMore() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let names = ["append_indexed", "append_was_indexed"]
            let before = try PaimonJava.run([["indexed", warehouse, "6"], ["probe", warehouse] + names])[1]
            let indexed = PaimonTable(location: "\(warehouse)/db.db/append_indexed", storage: LocalStorage())
            let refusal = await #expect(throws: PaimonError.self) {
                _ = try await PaimonCompactionPlanner.plan(indexed, catalog: "direct", name: "append_indexed", level: "auto",
                    limits: Self.limits, nowMs: Self.now())
            }
            #expect(refusal.map { "\($0)" }?.contains("file indexes (file-index.bloom-filter.columns)") == true, "\(String(describing: refusal))")
            let table = PaimonTable(location: "\(warehouse)/db.db/append_was_indexed", storage: LocalStorage())
            let files = PaimonSnapshotFiles(table: table)
            let head = try #require(Self.ids(before["append_was_indexed"]).last)
            let live = try await files.liveFiles(try await table.snapshot(head))
            #expect(live.count == 18)
            #expect(live.filter { $0.file.embeddedIndex != nil }.count == 9, "the first half's indexes are embedded")
            #expect(live.filter { $0.file.extraFiles == ["\($0.file.fileName).index"] }.count == 9, "the second half's are files")
            // Each partition holds three files of each schema (the threshold's change made a schema): a full
            // compaction per partition and schema.
            let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "append_was_indexed", level: "full",
                limits: Self.limits, nowMs: Self.now())
            #expect(plan.tasks.count == 6 && plan.tasks.allSatisfy { $0.files.count == 3 }, "\(plan.tasks.map(\.files.count))")
            let result = try await PaimonCompact.run(plan, table: table, identifier: TableIdentifier(namespace: ["db"], name: "append_was_indexed"),
                options: .init(parallelism: 2, dryRun: false) { Self.now() })
            #expect(result.status == .committed && result.snapshotId == head + 1)
            let compacted = try await files.liveFiles(try await table.snapshot(head + 1))
            #expect(compacted.count == 6 && compacted.allSatisfy { $0.file.embeddedIndex == nil && $0.file.extraFiles.isEmpty })
            let again = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "append_was_indexed", level: "full",
                limits: Self.limits, nowMs: Self.now())
            #expect(again.tasks.isEmpty)
            var expiry = PaimonExpire.Options()
            expiry.retainLast = 1
            expiry.olderThanMs = Self.now() + 1
            expiry.run.force = true
            let expired = try await PaimonExpire.run(table, options: expiry, nowMs: Self.now())
            let deleted = Set(expired.files.map { String($0.path.split(separator: "/").last ?? "") })
            #expect(live.allSatisfy { deleted.contains($0.file.fileName) && $0.file.extraFiles.allSatisfy(deleted.contains) })
            let after = try PaimonJava.run([["probe", warehouse, "append_was_indexed"]])[0]["append_was_indexed"]
            let latest = try #require(after?["snapshots"]?["\(head + 1)"])
            let old = try #require(before["append_was_indexed"]?["snapshots"]?["\(head)"])
            #expect(latest["kind"] == .string("COMPACT") && latest["rows"] == .int(18) && latest["sha"] == old["sha"])
            #expect(latest["missing"] == .int(0))
        }
    }
}

/// A partial-update table with sequence groups, as Paimon Java 0.9 writes it (`PaimonJavaPeer sequence-groups`: one
/// group of one sequence field with a sum, one of two sequence fields with a max that ignores retractions, a field
/// outside groups, updates out of sequence order, nulls among the sequence fields, -U and -D records, two buckets,
/// Java's own compaction off). pypaimon 2.1 refuses to read such tables (it has no sequence groups), so Java is the
/// reader: every key's first record is an insert and each compaction is full, the cases where Paimon 0.9's merge and
/// the 1.1 to 2.0 one amoro follows agree. Tables ordered by `sequence.field` (`PaimonJavaPeer sequence-field`) are
/// compared with Java's own compaction of a copy.
@Suite(.enabled(if: PaimonJava.isAvailable || Peers.areRequired)) struct PaimonJavaSequenceGroupTests {
    static func fullCompaction(_ table: PaimonTable, _ name: String = "pk_seq") async throws -> PaimonCompact.Result {
        let plan = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: name, level: "full",
            limits: PaimonJavaInteropTests.limits, nowMs: PaimonJavaInteropTests.now())
        #expect(plan.tasks.map(\.bucket).sorted() == [0, 1] && plan.tasks.allSatisfy { $0.files.count > 1 }, "\(name)")
        return try await PaimonCompact.run(plan, table: table, identifier: TableIdentifier(namespace: ["db"], name: name),
            options: .init(parallelism: 2, dryRun: false) { PaimonJavaInteropTests.now() })
    }

    /// `sequence.field = s,u` on a deduplicate and a partial-update table (values of `s` and `u` up and down between
    /// commits, nulls among them, deletes): amoro's full compaction reads the same in Java as Java's own full
    /// compaction of a copy, at once and after three more Java commits on both (with `sequence.field`, a compaction
    /// changes what later, lower-ordered writes read — dropped deletes, merged rows — the same way in both), and after
    /// a second compaction by each.
    @Test func sequenceFieldCompactionReadsAsJavasOwn() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let control = directory.appendingPathComponent("control").path
            let names = ["pk_seqfield", "pk_seqfield_partial"]
            let written = try PaimonJava.run([["sequence-field", warehouse, "0", "3"], ["probe", warehouse] + names])[1]
            try FileManager.default.copyItem(atPath: warehouse, toPath: control)
            for round in 0..<2 {
                for name in names {
                    let result = try await Self.fullCompaction(PaimonTable(location: "\(warehouse)/db.db/\(name)", storage: LocalStorage()), name)
                    #expect(result.status == .committed && result.rowsOut <= 10, "\(name) round \(round)")
                }
                var steps = [["full-compact", control] + names, ["probe", warehouse] + names, ["probe", control] + names]
                if round == 0 {
                    steps += [["sequence-field", warehouse, "3", "3"], ["sequence-field", control, "3", "3"], ["probe", warehouse] + names,
                        ["probe", control] + names]
                }
                let answers = try PaimonJava.run(steps)
                for name in names {
                    let ours = try #require(Self.newest(answers[1][name]))
                    let javas = try #require(Self.newest(answers[2][name]))
                    #expect(ours["kind"] == .string("COMPACT") && ours["sha"] == javas["sha"] && ours["rows"] == javas["rows"],
                        "\(name) round \(round)")
                    if round == 0 {
                        #expect(ours["sha"] == Self.newest(written[name])?["sha"], "\(name)")
                        let later = try #require(Self.newest(answers[5][name]))
                        #expect(later["sha"] == Self.newest(answers[6][name])?["sha"] && later["sha"] != ours["sha"], "\(name)")
                    }
                }
            }
        }
    }

    static func newest(_ probe: JSON?) -> JSON? {
        probe.flatMap { $0["snapshots"]?[$0["latest"]?.int64Value.map(String.init) ?? ""] }
    }

    /// Java writes three commits; amoro compacts them fully (Java reads the same rows, one level-5 file per bucket);
    /// Java writes three more on the compacted table and on a copy amoro never touched, and reads the same rows from
    /// both; amoro compacts again (its own output among the inputs), Java reads the same rows, and a third plan is
    /// empty.
    @Test func compactionReadsTheSameInJava() async throws {
        try await Fixtures.withTemporaryDirectoryAsync { directory in
            let warehouse = directory.appendingPathComponent("warehouse").path
            let control = directory.appendingPathComponent("control").path
            let written = try PaimonJava.run([["sequence-groups", warehouse, "0", "3"], ["probe", warehouse, "pk_seq"]])[1]["pk_seq"]
            try FileManager.default.copyItem(atPath: warehouse, toPath: control)
            let table = PaimonTable(location: "\(warehouse)/db.db/pk_seq", storage: LocalStorage())
            let first = try await Self.fullCompaction(table)
            #expect(first.status == .committed && first.snapshotId == 4 && first.rows == 36 && first.rowsOut == 12)
            let answers = try PaimonJava.run([
                ["probe", warehouse, "pk_seq"], ["sequence-groups", warehouse, "3", "3"], ["sequence-groups", control, "3", "3"],
                ["probe", warehouse, "pk_seq"], ["probe", control, "pk_seq"],
            ])
            let compacted = try #require(Self.newest(answers[0]["pk_seq"]))
            let before = try #require(Self.newest(written))
            #expect(compacted["kind"] == .string("COMPACT") && compacted["rows"] == .int(12) && compacted["sha"] == before["sha"])
            #expect(answers[0]["pk_seq"]?["buckets"]?.objectValue?.allSatisfy { $0.1["files"] == .int(1) && $0.1["maxLevel"] == .int(5) } == true)
            let ontop = try #require(Self.newest(answers[3]["pk_seq"]))
            let untouched = try #require(Self.newest(answers[4]["pk_seq"]))
            #expect(ontop["sha"] == untouched["sha"] && ontop["rows"] == .int(12) && ontop["sha"] != compacted["sha"],
                "Java's later commits read the same with and without amoro's compaction")

            let second = try await Self.fullCompaction(table)
            #expect(second.status == .committed && second.rowsOut == 12)
            let reread = try #require(Self.newest(try PaimonJava.run([["probe", warehouse, "pk_seq"]])[0]["pk_seq"]))
            #expect(reread["kind"] == .string("COMPACT") && reread["sha"] == ontop["sha"] && reread["missing"] == .int(0))
            let third = try await PaimonCompactionPlanner.plan(table, catalog: "direct", name: "pk_seq", level: "full",
                limits: PaimonJavaInteropTests.limits, nowMs: PaimonJavaInteropTests.now())
            #expect(third.tasks.isEmpty)
        }
    }
}
