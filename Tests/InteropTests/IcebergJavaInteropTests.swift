import Foundation
import JSONCoding
import Testing
import TestSupport

/// Tables move between Apache Iceberg Java (Spark 3.5, Iceberg 1.10) and amoro without surprises: Spark writes
/// merge-on-read tables (position delete files on v2, deletion vectors on v3), amoro compacts and maintains them and
/// Iceberg Java reads the same rows (on v3 with the same `_row_id` and `_last_updated_sequence_number` per row); then Iceberg's own Spark procedures run on the table amoro maintained, and amoro
/// and the peers read and plan it again.
@Suite(.enabled(if: IcebergJava.isAvailable || Peers.areRequired), .serialized)
struct IcebergJavaInteropTests {
    static let table = "`default`.db.t"

    /// Six appends of ten rows over two partitions, then a delete and an update, all merge-on-read.
    static func writeStatements(formatVersion: Int) -> [String] {
        var statements = [
            "CREATE NAMESPACE IF NOT EXISTS `default`.db",
            """
            CREATE TABLE \(table) (id bigint, region string, payload string) USING iceberg PARTITIONED BY (region)
            TBLPROPERTIES ('format-version'='\(formatVersion)', 'write.delete.mode'='merge-on-read',
            'write.update.mode'='merge-on-read', 'write.merge.mode'='merge-on-read')
            """,
        ]
        for batch in 0..<6 {
            let values = (0..<10).map { k in "(\(batch * 10 + k), '\(["eu", "us"][k % 2])', 'p\(batch)')" }
            statements.append("INSERT INTO \(table) VALUES \(values.joined(separator: ", "))")
        }
        statements.append("DELETE FROM \(table) WHERE id IN (3, 14, 25, 36)")
        statements.append("UPDATE \(table) SET payload = 'updated' WHERE id % 7 = 0")
        return statements
    }

    /// PyIceberg's and DuckDB's digests of the current rows (the tests' order-independent digest).
    static let peersRead = Peers.duckDBPrelude + #"""
        import hashlib, json, sys
        from pyiceberg.catalog.sql import SqlCatalog
        w = sys.argv[1]
        t = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}").load_table("db.t")
        def digest(rows):
            return hashlib.sha256("\n".join(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
        py = [tuple(r.values()) for r in t.scan().to_arrow().to_pylist()]
        dk = duck().execute(f"select * from iceberg_scan('{t.metadata_location}')").fetchall()
        print(json.dumps({"rows": len(py), "pyiceberg": digest(py), "duckdb": digest(dk)}))
        """#

    /// Every row's v3 lineage as Iceberg Java reads it: `id` → (`_row_id`, `_last_updated_sequence_number`).
    static func lineage(_ java: IcebergJava, _ catalog: [String: String]) throws -> [String: [String?]] {
        let answer = try java.sql(properties: catalog, ["SELECT id, _row_id, _last_updated_sequence_number FROM \(table)"])
        #expect(answer["error"] == nil, "Iceberg Java reads the lineage columns: \(answer)")
        var rows: [String: [String?]] = [:]
        for row in answer["rows"]?.arrayValue ?? [] {
            let values = row.arrayValue?.map(\.stringValue) ?? []
            if let id = values.first ?? nil { rows[id] = Array(values.dropFirst()) }
        }
        return rows
    }

    @Test(arguments: [2, 3])
    func sparkWrittenTablesRoundTrip(formatVersion: Int) async throws {
        let root = try Fixtures.makeTemporaryDirectory("amoro-iceberg-java")
        defer { try? FileManager.default.removeItem(at: root) }
        let catalog = IcebergJava.catalog(warehouse: root)
        let config = try CompactInteropTests.config(root)
        let amoro = { (arguments: [String], input: String?) throws -> JSON in
            let result = try MaintenanceInteropSupport.amoro(config: config, arguments + ["--config", config, "--json"], input: input)
            #expect(result.status == 0, "v\(formatVersion) amoro \(arguments.joined(separator: " ")): \(result.stderr)")
            return try JSON.parse(result.stdout)
        }
        try await IcebergJava.with { java in
            let written = try java.sql(properties: catalog, Self.writeStatements(formatVersion: formatVersion))
            #expect(written["error"] == nil, "Spark writes the table: \(written)")
            let before = try java.read(properties: catalog, table: "db.t")
            #expect(before["rows"] == .int(56), "\(before)")
            let deleteFiles = before["files"]?.arrayValue?.filter { $0["content"] == .int(1) }.count ?? 0
            #expect(deleteFiles > 0, "Spark wrote merge-on-read deletes")
            if formatVersion == 2 {
                // PyIceberg 0.12 and DuckDB read v2 position deletes; v3 deletion vectors are Iceberg Java's alone here.
                let peers = try JSON.parse(Array(try Peers.python(Self.peersRead, arguments: [root.path])))
                #expect(peers["pyiceberg"] == before["digest"] && peers["duckdb"] == before["digest"], "\(peers)")
            }
            let expectSameRows = { (step: String) throws -> JSON in
                let now = try java.read(properties: catalog, table: "db.t")
                #expect(now["error"] == nil && now["digest"] == before["digest"] && now["rows"] == before["rows"],
                    "v\(formatVersion) after \(step): Iceberg Java reads \(now)")
                return now
            }

            // v3 row lineage (spec "Row Lineage"): amoro's commits move rows between files and manifests but change
            // none, so every row keeps its `_row_id` and `_last_updated_sequence_number`.
            let lineage = formatVersion == 3 ? try Self.lineage(java, catalog) : [:]
            if formatVersion == 3 {
                let ids = lineage.values.compactMap { $0.first ?? nil }
                #expect(lineage.count == 56 && ids.count == 56 && Set(ids).count == 56, "Spark assigned row ids: \(lineage)")
                #expect(lineage.values.allSatisfy { $0.count == 2 && $0[1] != nil }, "\(lineage)")
            }
            let expectSameLineage = { (step: String) throws in
                guard formatVersion == 3 else { return }
                #expect(try Self.lineage(java, catalog) == lineage, "v3 after \(step): rows keep their row ids and sequence numbers")
            }

            let scan = try amoro(["scan", "db.t"], nil)
            #expect(scan["format_version"] == .int(Int64(formatVersion)))
            // Spark's entries of added files inherit their first row ids; the manifests amoro rewrites must carry them:
            // a compaction of one partition keeps the other's entries, then the manifests are regrouped.
            let onePartition = try MaintenanceInteropSupport.amoro(config: config,
                ["plan", "--config", config, "db.t", "--level", "full", "--max-tasks", "1", "--json"])
            #expect(onePartition.status == 0, "\(onePartition.stderr)")
            let partial = try amoro(["compact"], onePartition.stdout)
            #expect(partial["status"] == .string("committed"), "\(partial)")
            _ = try expectSameRows("amoro's compaction of one partition")
            try expectSameLineage("amoro's compaction of one partition")
            let regrouped = try amoro(["rewrite-manifests", "db.t"], nil)
            #expect(regrouped["status"] == .string("committed"), "\(regrouped)")
            _ = try expectSameRows("amoro's manifest rewrite")
            try expectSameLineage("amoro's manifest rewrite")
            let plan = try MaintenanceInteropSupport.amoro(config: config, ["plan", "--config", config, "db.t", "--level", "full", "--json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let compacted = try amoro(["compact"], plan.stdout)
            #expect(compacted["status"] == .string("committed"), "\(compacted)")
            let afterCompaction = try expectSameRows("amoro's full compaction")
            try expectSameLineage("amoro's full compaction")
            let files = afterCompaction["files"]?.arrayValue ?? []
            #expect(files.count == 2 && files.allSatisfy { $0["content"] == .int(0) },
                "one data file per partition and no deletes left: \(files)")
            let expired = try amoro(["expire-snapshots", "db.t", "--older-than", "1ms", "--retain-last", "1"], nil)
            #expect(expired["status"] == .string("expired"), "\(expired)")
            _ = try expectSameRows("amoro's snapshot expiry")
            try expectSameLineage("amoro's snapshot expiry")
            if formatVersion == 2 {
                // PyIceberg 0.12 walks v2 tables' manifests; Iceberg Java's files table speaks for v3.
                #expect(try MaintenanceInteropSupport.unreached(root, table: "db.t", sidequery: false) == [],
                    "amoro's expiry leaves no unreached file")
            }

            // Iceberg's own procedures on the table amoro maintained.
            let procedures = try java.sql(properties: catalog, [
                "INSERT INTO \(Self.table) VALUES (1000, 'eu', 'late'), (1001, 'us', 'late')",
                "DELETE FROM \(Self.table) WHERE id = 1000",
                "CALL `default`.system.rewrite_data_files(table => 'db.t', options => map('rewrite-all', 'true'))",
                "CALL `default`.system.rewrite_manifests(table => 'db.t')",
            ])
            #expect(procedures["error"] == nil, "Iceberg's procedures run on amoro's table: \(procedures)")
            let afterSpark = try java.read(properties: catalog, table: "db.t")
            #expect(afterSpark["rows"] == .int(57), "\(afterSpark)")
            if formatVersion == 3 {
                // Spark's new row continues from the next-row-id amoro's commits left, and its rewrite keeps lineage.
                var now = try Self.lineage(java, catalog)
                let added = now.removeValue(forKey: "1001")
                #expect(now == lineage, "v3 after Spark's procedures on amoro's table: \(now)")
                let ids = Set(lineage.values.compactMap { $0.first ?? nil }.compactMap { Int64($0) })
                let newId = (added?.first ?? nil).flatMap { Int64($0) }
                #expect(newId.map { id in ids.allSatisfy { $0 < id } } == true, "a new row id after every earlier one: \(String(describing: added))")
            }
            let rescan = try amoro(["scan", "db.t"], nil)
            #expect(rescan["totals"]?["data_files"] != nil, "amoro scans the table Spark rewrote: \(rescan)")
            let again = try amoro(["expire-snapshots", "db.t", "--older-than", "1ms", "--retain-last", "1"], nil)
            #expect(again["status"] == .string("expired"), "\(again)")
            let final = try java.read(properties: catalog, table: "db.t")
            #expect(final["digest"] == afterSpark["digest"], "amoro's expiry after Spark's procedures: \(final)")
            if formatVersion == 2 {
                let peers = try JSON.parse(Array(try Peers.python(Self.peersRead, arguments: [root.path])))
                #expect(peers["pyiceberg"] == final["digest"] && peers["duckdb"] == final["digest"], "\(peers)")
            }
        }
    }
}
