import Foundation
import JSONCoding
import Testing
import TestSupport

/// `amoro scan` end to end, on tables PyIceberg writes into a SQLite catalog.
@Suite(.enabled(if: Peers.isAvailable)) struct ScanCommandTests {
    static let makeTables = #"""
        import pyarrow as pa
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.partitioning import PartitionSpec, PartitionField
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType, StringType
        from pyiceberg.transforms import IdentityTransform
        import sys
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        c.create_namespace("db")
        schema = Schema(NestedField(1, "id", LongType()), NestedField(2, "region", StringType()))
        arrow = pa.schema([("id", pa.int64()), ("region", pa.string())])
        t = c.create_table("db.events", schema, partition_spec=PartitionSpec(PartitionField(2, 1000, IdentityTransform(), "region")))
        for i in range(13):
            t.append(pa.table({"id": [i, i + 100], "region": ["eu", "us" if i < 3 else "eu"]}, schema=arrow))
        q = c.create_table("db.quiet", schema, properties={"self-optimizing.enabled": "false"})
        for i in range(20):
            q.append(pa.table({"id": [i], "region": ["eu"]}, schema=arrow))
        c.create_table("db.empty", schema)
        """#

    static func warehouse() throws -> (URL, String) {
        let root = try Fixtures.makeTemporaryDirectory("amoro-scan-cli")
        try Peers.python(makeTables, arguments: [root.path])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        return (root, config.path)
    }

    @Test func reportsEveryTableAsOneDocumentPerLine() throws {
        let (root, config) = try Self.warehouse()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try AmoroBinary.run(["scan", "--config", config, "db.*", "--now-ms", "1800000000000"])
        #expect(result.status == 0, "\(result.stderr)")
        let documents = try result.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
        #expect(documents.map { $0["table"]?.stringValue } == ["db.empty", "db.events", "db.quiet"])
        for document in documents {
            #expect(document["kind"] == .string("amoro.scan"))
            #expect(document["version"] == .int(1))
        }
        let empty = documents[0]
        #expect(empty["snapshot_id"] == .null)
        #expect(empty["health"]?["score"] == .int(100))

        let events = documents[1]
        #expect(events["totals"]?["data_files"] == .int(16), "one file per partition per append")
        #expect(events["totals"]?["partitions"] == .int(2))
        #expect(events["pending"]?["level"] == .string("minor"))
        let partitions = try #require(events["partitions"]?.arrayValue)
        #expect(partitions.map { $0["partition"]?.stringValue } == ["region=eu", "region=us"], "most costly first")
        #expect(partitions[0]["data_files"]?["fragment"]?["files"] == .int(13))
        #expect(partitions[0]["pending"]?["level"] == .string("minor"))
        #expect(partitions[1]["values"]?["region"] == .string("us"))
        #expect(partitions[1]["pending"]?["level"] == .string("minor"), "3 small files, never optimized: interval trigger")

        let quiet = documents[2]
        #expect(quiet["settings"]?["enabled"] == .bool(false))
        #expect(quiet["settings"]?["row_group_merge"] == .bool(false), "Amoro's default")
        #expect(quiet["settings"]?["row_group_merge_min_avg_bytes"] == .int(8_388_608))
        #expect(quiet["pending"]?["level"] == .null)
    }

    @Test func filtersNarrowThePartitionsButNotTheTotals() throws {
        let (root, config) = try Self.warehouse()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try AmoroBinary.run(["scan", "--config", config, "db.events", "--partition", "region=us", "--json"])
        let document = try JSON.parse(result.stdout)
        #expect(document["partitions"]?.arrayValue?.count == 1)
        #expect(document["totals"]?["partitions"] == .int(2))
        let major = try JSON.parse(try AmoroBinary.run(["scan", "--config", config, "db.events", "--level", "major"]).stdout)
        #expect(major["partitions"]?.arrayValue?.isEmpty == true)
        let human = try AmoroBinary.run(["scan", "--config", config, "db.events", "--level", "huge"])
        #expect(human.status == 64)
    }

    @Test func badInputGetsAClearErrorAndItsExitCode() throws {
        let (root, config) = try Self.warehouse()
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = try AmoroBinary.run(["scan", "--config", config, "db.nope"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("db.nope does not exist"))
        #expect(try AmoroBinary.run(["scan", "--config", "\(root.path)/none.yaml", "db.events"]).status == 78)
        #expect(try AmoroBinary.run(["scan", "--config", config, "--catalog", "other", "db.events"]).status == 78)
        // A catalog its properties cannot make is a configuration error too, the URI's password never shown.
        for catalog in ["uri: mysql://amoro:s3cret@db/iceberg", "type: hive", "type: glue\n    glue.endpoint: ftp://glue", "uri: sqlite:///", "uri: postgresql://amoro:s3cret@db:notaport/x"] {
            let broken = root.appendingPathComponent("broken.yaml")
            try Data("catalog:\n  default:\n    \(catalog)\n    warehouse: file://\(root.path)\n".utf8).write(to: broken)
            let refused = try AmoroBinary.run(["scan", "--config", broken.path, "db.events"])
            #expect(refused.status == 78, "\(catalog): \(refused.stderr)")
            #expect(refused.stderr.contains(broken.path) && !refused.stderr.contains("s3cret"), "\(refused.stderr)")
        }

        // Corrupt the current metadata of one table: that table fails with 65, the others are still reported.
        let metadata = try FileManager.default.contentsOfDirectory(atPath: "\(root.path)/db/quiet/metadata")
            .filter { $0.hasSuffix(".metadata.json") }.sorted().last!
        try Data("{\"format-version\": 2, \"location\": ".utf8).write(to: URL(fileURLWithPath: "\(root.path)/db/quiet/metadata/\(metadata)"))
        let corrupt = try AmoroBinary.run(["scan", "--config", config, "db.*"])
        #expect(corrupt.status == 65)
        #expect(corrupt.stderr.contains("amoro scan db.quiet:"))
        #expect(corrupt.stderr.contains(metadata))
        #expect(corrupt.stdout.split(separator: "\n").count == 2, "db.empty and db.events are still reported")

        // A manifest list that is gone.
        let lists = try FileManager.default.contentsOfDirectory(atPath: "\(root.path)/db/events/metadata").filter { $0.hasPrefix("snap-") }
        for list in lists { try FileManager.default.removeItem(atPath: "\(root.path)/db/events/metadata/\(list)") }
        let gone = try AmoroBinary.run(["scan", "--config", config, "db.events"])
        #expect(gone.status == 66)
        #expect(gone.stderr.contains("snap-"))
    }
}

extension ScanCommandTests {
    @Test func tablesCanBeNamedByLocationOrMetadataFile() throws {
        let (root, config) = try Self.warehouse()
        defer { try? FileManager.default.removeItem(at: root) }
        let viaCatalog = try JSON.parse(try AmoroBinary.run(["scan", "--config", config, "db.events"]).stdout)
        // No configuration is needed for a location.
        let byLocation = try AmoroBinary.run(["scan", "\(root.path)/db/events", "--config", "\(root.path)/missing.yaml"])
        #expect(byLocation.status == 0, "\(byLocation.stderr)")
        let document = try JSON.parse(byLocation.stdout)
        #expect(document["catalog"] == .string("direct"))
        #expect(document["snapshot_id"] == viaCatalog["snapshot_id"])
        #expect(document["totals"] == viaCatalog["totals"])
        // An older metadata file is the table as it was then.
        let first = try FileManager.default.contentsOfDirectory(atPath: "\(root.path)/db/events/metadata")
            .filter { $0.hasPrefix("00001-") && $0.hasSuffix(".metadata.json") }[0]
        let old = try JSON.parse(try AmoroBinary.run(["scan", "file://\(root.path)/db/events/metadata/\(first)"]).stdout)
        #expect(old["totals"]?["data_files"] == .int(2))
        #expect(old["snapshot_id"] != viaCatalog["snapshot_id"])
    }
}
