import Foundation
import Testing
import TestSupport

/// `amoro schedule` end to end: the crontab for tables with various properties (golden files in `Snapshots/`,
/// with the temporary directory and the binary's path replaced by `$ROOT` and `$AMORO`), and `--install` through a
/// fake `crontab` that keeps the user's other lines.
@Suite(.enabled(if: Peers.isAvailable)) struct ScheduleCommandTests {
    static let makeTables = #"""
        import sys
        from pyiceberg.catalog.sql import SqlCatalog
        from pyiceberg.schema import Schema
        from pyiceberg.types import NestedField, LongType
        w = sys.argv[1]
        c = SqlCatalog("default", uri=f"sqlite:///{w}/catalog.db", warehouse=f"file://{w}")
        schema = Schema(NestedField(1, "id", LongType()))
        c.create_namespace("db")
        c.create_namespace("logs")
        c.create_table("db.a", schema)
        c.create_table("db.b", schema)
        c.create_table("db.fast", schema, properties={"self-optimizing.minor.trigger.interval": "600000",
            "tag.auto-create.enabled": "true", "tag.auto-create.trigger.period": "hourly"})
        c.create_table("db.quiet", schema, properties={"self-optimizing.enabled": "false", "tag.auto-create.enabled": "true"})
        c.create_table("db.nogc", schema, properties={"gc.enabled": "false", "data-expire.enabled": "true",
            "data-expire.field": "id", "data-expire.retention-time": "30d"})
        c.create_table("db.orphans", schema, properties={"clean-orphan-file.enabled": "true",
            "self-optimizing.minor.trigger.interval": "7200000", "data-expire.enabled": "true", "data-expire.field": "id",
            "data-expire.retention-time": "30d"})
        for name in ("logs.x", "logs.y"):
            c.create_table(name, schema, properties={"self-optimizing.minor.trigger.interval": "-1",
                "self-optimizing.full.trigger.interval": "86400000", "clean-dangling-delete-files.enabled": "false"})
        """#

    static func catalog() throws -> (URL, String) {
        let root = try Fixtures.makeTemporaryDirectory("amoro-schedule")
        try Peers.python(makeTables, arguments: [root.path])
        let config = root.appendingPathComponent("amoro.yaml")
        try Data("catalog:\n  default:\n    uri: sqlite:///\(root.path)/catalog.db\n    warehouse: file://\(root.path)\n".utf8)
            .write(to: config)
        return (root, config.path)
    }

    /// The output with the machine's paths replaced, compared with `Snapshots/<name>` (rewritten when
    /// `AMORO_UPDATE_SNAPSHOTS=1`).
    func expectGolden(_ output: String, root: URL, name: String) throws {
        let binary = AmoroBinary.url.resolvingSymlinksInPath().path
        let normalized = output.replacingOccurrences(of: binary, with: "$AMORO").replacingOccurrences(of: root.path, with: "$ROOT")
        let golden = Fixtures.packageRoot.appendingPathComponent("Tests/AmoroCLITests/Snapshots/\(name)")
        if ProcessInfo.processInfo.environment["AMORO_UPDATE_SNAPSHOTS"] == "1" {
            try Data(normalized.utf8).write(to: golden)
        }
        #expect(normalized == (try String(contentsOf: golden, encoding: .utf8)), "\(name) differs: \(normalized)")
    }

    @Test func theWholeCatalogGetsOneLinePerJobAndCadence() throws {
        let (root, config) = try Self.catalog()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try AmoroBinary.run(["schedule", "--config", config, "--all", "--lock-dir", "\(root.path)/locks",
            "--log-file", "\(root.path)/log/amoro.log"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "no summary lines at the default log level")
        try expectGolden(result.stdout, root: root, name: "schedule-all.crontab")
    }

    @Test func globsAndMetricsForASelection() throws {
        let (root, config) = try Self.catalog()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try AmoroBinary.run(["schedule", "--config", config, "logs.*", "db.a", "db.quiet",
            "--lock-dir", "\(root.path)/locks", "--log-file", "\(root.path)/my log.txt", "--metrics-file", "\(root.path)/amoro.prom"])
        #expect(result.status == 0, "\(result.stderr)")
        try expectGolden(result.stdout, root: root, name: "schedule-selection.crontab")
    }

    @Test func installReplacesOnlyAmorosBlock() throws {
        let (root, config) = try Self.catalog()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = root.appendingPathComponent("crontab.txt").path
        let fake = root.appendingPathComponent("fake-crontab").path
        try Data("#!/bin/sh\nif [ \"$1\" = -l ]; then [ -f '\(store)' ] || { echo 'no crontab for tester' >&2; exit 1; }; cat '\(store)'; else cat > '\(store)'; fi\n".utf8)
            .write(to: URL(fileURLWithPath: fake))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let environment = ["AMORO_CRONTAB": fake]
        let arguments = ["schedule", "--config", config, "db.a", "--lock-dir", "\(root.path)/locks", "--log-file", "\(root.path)/log/amoro.log"]

        // No crontab yet: the block becomes the whole crontab.
        #expect(try AmoroBinary.run(arguments + ["--install"], environment: environment).status == 0)
        let printed = try AmoroBinary.run(arguments).stdout
        #expect(try String(contentsOfFile: store, encoding: .utf8) == printed)
        #expect(FileManager.default.fileExists(atPath: "\(root.path)/log"), "the log directory is created")

        // The user's lines around it survive a reinstall and an uninstall, and reinstalling is idempotent.
        let mine = "MAILTO=ops@example.com\n*/5 * * * * /usr/local/bin/backup\n"
        try Data((mine + printed + "# after\n").utf8).write(to: URL(fileURLWithPath: store))
        // With a metrics file, the hourly scan covers every table: `--all`.
        let wider = arguments.filter { $0 != "db.a" } + ["--all", "--metrics-file", "\(root.path)/amoro.prom", "--install"]
        #expect(try AmoroBinary.run(wider, environment: environment).status == 0)
        let once = try String(contentsOfFile: store, encoding: .utf8)
        #expect(once.hasPrefix(mine) && once.hasSuffix("# END amoro schedule\n# after\n"))
        #expect(once.contains("scan --config \(config) --metrics-file \(root.path)/amoro.prom --all > /dev/null"))
        #expect(once.components(separatedBy: "# BEGIN amoro schedule").count == 2)
        #expect(try AmoroBinary.run(wider, environment: environment).status == 0)
        #expect(try String(contentsOfFile: store, encoding: .utf8) == once)
        #expect(try AmoroBinary.run(["schedule", "--uninstall"], environment: environment).status == 0)
        #expect(try String(contentsOfFile: store, encoding: .utf8) == mine + "# after\n")

        // A crontab program that fails is reported with its code; nothing is half-written.
        let broken = try AmoroBinary.run(arguments + ["--install"], environment: ["AMORO_CRONTAB": "/nonexistent/crontab"])
        #expect(broken.status == 69)
        #expect(broken.stderr.contains("/nonexistent/crontab"))
        #expect(try AmoroBinary.run(["schedule", "--install", "--uninstall"]).status == 64)
    }
}
