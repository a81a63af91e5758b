import Execution
import Foundation
import Logging
import Planning
import Testing

@testable import AmoroCLI

/// The pure parts of running under cron: metrics text, cron cadences and table selection, the crontab block,
/// the progress bar and the summary line.
@Suite struct OperationsTests {
    static func record(_ table: String, command: String, _ outcome: TableOutcome, at seconds: Double = 1_800_000_000)
        -> MetricsFile.Record
    {
        MetricsFile.Record(catalog: "default", table: table, command: command, outcome: outcome, durationSeconds: 1.5,
            finishedAtSeconds: seconds)
    }

    @Test func metricsMergeReplacesGaugesAndAddsToCounters() {
        var samples: [MetricsFile.Key: Double] = [:]
        var health = HealthNumbers()
        health.fragmentFiles = 12
        health.score = 64
        MetricsFile.merge(Self.record("db.a", command: "scan", TableOutcome(health: health)), into: &samples)
        let compacted = TableOutcome(status: .done, level: "minor", filesIn: 12, bytesIn: 1000, filesOut: 1, bytesOut: 900)
        MetricsFile.merge(Self.record("db.a", command: "compact", compacted), into: &samples)
        MetricsFile.merge(Self.record("db.a", command: "compact", compacted, at: 1_800_000_060), into: &samples)
        MetricsFile.merge(Self.record("db.a", command: "compact", TableOutcome(status: .failed)), into: &samples)
        MetricsFile.merge(Self.record("db.a", command: "compact", TableOutcome(status: .locked)), into: &samples)
        health.fragmentFiles = 1
        MetricsFile.merge(Self.record("db.a", command: "scan", TableOutcome(health: health)), into: &samples)

        let table = [("catalog", "default"), ("table", "db.a")]
        #expect(samples[MetricsFile.Key("amoro_table_data_files", table + [("class", "fragment")])] == 1)
        #expect(samples[MetricsFile.Key("amoro_table_health_score", table)] == 64)
        let level = table + [("command", "compact"), ("level", "minor")]
        #expect(samples[MetricsFile.Key("amoro_rewritten_bytes_total", level)] == 2000)
        #expect(samples[MetricsFile.Key("amoro_last_success_timestamp_seconds", level)] == 1_800_000_060)
        #expect(samples[MetricsFile.Key("amoro_failures_total", table + [("command", "compact")])] == 1)
        #expect(samples[MetricsFile.Key("amoro_locked_total", table + [("command", "compact")])] == 1)
    }

    @Test func metricsTextRoundTripsWithEscapedLabels() {
        var samples: [MetricsFile.Key: Double] = [:]
        let odd = "/data/t \"x\"\\y\nz"
        MetricsFile.merge(Self.record(odd, command: "compact", TableOutcome(status: .failed)), into: &samples)
        MetricsFile.merge(Self.record("db.b", command: "scan", TableOutcome(health: HealthNumbers())), into: &samples)
        let text = MetricsFile.render(samples)
        #expect(text.contains(#"table="/data/t \"x\"\\y\nz""#))
        #expect(text.contains("# TYPE amoro_failures_total counter\n"))
        #expect(text.contains("# HELP amoro_table_health_score "))
        #expect(!text.contains("amoro_rewritten_bytes_total"), "families without samples are left out")
        #expect(MetricsFile.parse(text) == samples)
        #expect(MetricsFile.parse(text + "node_other_metric 3\ngarbage{\n") == samples, "foreign and broken lines are dropped")
    }

    /// A table name with a carriage return, a tab or other control characters never breaks a line of the file, and
    /// reads back as the same series.
    @Test func metricsLabelsNeverHoldControlCharacters() {
        var samples: [MetricsFile.Key: Double] = [:]
        MetricsFile.merge(Self.record("db.a\r\nb\u{7}\t\u{85}", command: "compact", TableOutcome(status: .failed)), into: &samples)
        let text = MetricsFile.render(samples)
        #expect(!text.unicodeScalars.contains { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }, "\(text)")
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("#") || $0.hasPrefix("amoro_") })
        #expect(MetricsFile.parse(text) == samples)
        MetricsFile.merge(Self.record("db.a\r\nb\u{7}\t\u{85}", command: "compact", TableOutcome(status: .failed)), into: &samples)
        #expect(MetricsFile.parse(MetricsFile.render(samples)).count == samples.count, "the same series again, not a second one")
    }

    @Test(arguments: [
        (1, "* * * * *"), (7, "*/6 * * * *"), (10, "*/10 * * * *"), (59, "*/30 * * * *"), (60, "0 * * * *"),
        (150, "0 */2 * * *"), (300, "0 */4 * * *"), (1439, "0 */12 * * *"), (1440, "0 2 * * *"), (10080, "0 2 * * *"),
    ])
    func cadencesRoundDownToWhatCronRepeatsEvenly(minutes: Int, fields: String) {
        #expect(CronTime.every(minutes: minutes, minute: 0, hour: 2).fields == fields)
    }

    @Test func tableScheduleFollowsTheProperties() throws {
        func schedule(_ properties: [String: String]) throws -> TableSchedule {
            TableSchedule(table: "db.t", namespace: "db", optimizing: try OptimizingConfig(tableProperties: properties),
                maintenance: try MaintenanceConfig(tableProperties: properties))
        }
        let defaults = try schedule([:])
        #expect(defaults.optimizeEveryMinutes == 60)
        #expect(defaults.expiresSnapshots && defaults.cleansDanglingDeletes && !defaults.cleansOrphans)
        #expect(try schedule(["self-optimizing.enabled": "false"]).optimizeEveryMinutes == nil)
        #expect(try schedule(["self-optimizing.minor.trigger.interval": "-1"]).optimizeEveryMinutes == 60)
        #expect(try schedule(["self-optimizing.full.trigger.interval": "1800000"]).optimizeEveryMinutes == 30)
        let noGC = try schedule(["gc.enabled": "false", "clean-orphan-file.enabled": "true"])
        #expect(!noGC.expiresSnapshots && !noGC.cleansOrphans && !noGC.cleansDanglingDeletes)
    }

    @Test func manifestRewritingIsScheduledHourlyWithItsTrigger() throws {
        func schedule(_ properties: [String: String]) throws -> TableSchedule {
            TableSchedule(table: "db.t", namespace: "db", optimizing: try OptimizingConfig(tableProperties: properties),
                maintenance: try MaintenanceConfig(tableProperties: properties),
                manifests: try ManifestRewriteConfig(tableProperties: properties))
        }
        #expect(try !schedule([:]).rewritesManifests)
        let streaming = try schedule(["commit.manifest-merge.enabled": "false"])
        #expect(streaming.rewritesManifests)
        let settings = Crontab.Settings(binary: "/bin/amoro", catalogArguments: [], environment: [], logFile: "/l",
            lockDirectory: "/k", metricsFile: nil)
        let block = try Crontab.render([streaming], catalogTables: [:], settings: settings)
        #expect(block.contains("30 * * * * /bin/amoro rewrite-manifests --lock-dir /k --triggered db.t >> /l 2>&1"), "\(block)")
    }

    @Test func selectionUsesAllAndGlobsOnlyWhenTheySelectExactlyTheGroup() {
        let catalog: [String: Set<String>] = ["db": ["db.a", "db.b"], "logs": ["logs.x"]]
        let namespaces = ["db.a": "db", "db.b": "db", "logs.x": "logs"]
        #expect(Crontab.select(["db.a", "db.b", "logs.x"], namespaces: namespaces, catalogTables: catalog) == ["--all"])
        #expect(Crontab.select(["db.a", "db.b"], namespaces: namespaces, catalogTables: catalog) == ["db.*"])
        #expect(Crontab.select(["db.a", "logs.x"], namespaces: namespaces, catalogTables: catalog) == ["logs.*", "db.a"])
        #expect(Crontab.select(["/data/t"], namespaces: [:], catalogTables: [:]) == ["/data/t"])
    }

    @Test func quotingKeepsCronAndTheShellFromReadingWords() throws {
        #expect(try Crontab.quote("/usr/local/bin/amoro") == "/usr/local/bin/amoro")
        #expect(try Crontab.quote("db.*") == "'db.*'")
        #expect(try Crontab.quote("it's 100%") == #"'it'\''s 100\%'"#)
        #expect(throws: ScheduleError.self) { try Crontab.quote("a\nb") }
    }

    @Test func theBlockIsReplacedAndEveryOtherLineKept() {
        let block = "\(Crontab.begin) new\n0 * * * * new\n\(Crontab.end)\n"
        let mine = "MAILTO=me\n# my job\n*/5 * * * * backup\n"
        let installed = Crontab.replaceBlock(in: mine, with: block)
        #expect(installed == mine + block)
        #expect(Crontab.replaceBlock(in: installed, with: block) == installed, "installing twice changes nothing")
        let old = "MAILTO=me\n\(Crontab.begin) old\n0 * * * * old\n\(Crontab.end)\n*/5 * * * * backup\n"
        #expect(Crontab.replaceBlock(in: old, with: block) == "MAILTO=me\n\(Crontab.begin) new\n0 * * * * new\n\(Crontab.end)\n*/5 * * * * backup\n")
        #expect(Crontab.replaceBlock(in: old, with: nil) == "MAILTO=me\n*/5 * * * * backup\n")
        #expect(Crontab.replaceBlock(in: "", with: nil) == "")
    }

    @Test func progressBarShowsFilesBytesRateAndTimeLeft() {
        let progress = WorkProgress(filesDone: 3, filesTotal: 8, bytesDone: 2 << 20, bytesTotal: 8 << 20)
        let line = ProgressBar.render(label: "db.events", progress: progress, elapsedSeconds: 2, width: 100)
        #expect(line == "db.events [=====>              ] 3/8 files  2.0 MiB/8.0 MiB  1.0 MiB/s  ETA 0:06")
        let done = WorkProgress(filesDone: 8, filesTotal: 8, bytesDone: 8 << 20, bytesTotal: 8 << 20)
        #expect(ProgressBar.render(label: "t", progress: done, elapsedSeconds: 4, width: 100).hasSuffix("2.0 MiB/s  done"))
        let start = WorkProgress(filesTotal: 8, bytesTotal: 8 << 20)
        #expect(ProgressBar.render(label: "t", progress: start, elapsedSeconds: 0, width: 100).hasSuffix("ETA --:--"))
        let narrow = ProgressBar.render(label: "a_very_long_namespace.a_very_long_table", progress: progress, elapsedSeconds: 2, width: 80)
        #expect(narrow.count <= 80)
        #expect(narrow.hasPrefix("a_very_l… [=====>"))
        #expect(ProgressBar.clock(3725) == "1:02:05")
    }

    @Test func summaryLineAndMetadataCarryTheOutcome() {
        let outcome = TableOutcome(status: .done, level: "minor", filesIn: 12, bytesIn: 2048, filesOut: 1, bytesOut: 1024, snapshotId: 42,
            rewrite: PhaseTiming(seconds: 0.5, cpuSeconds: 0.94))
        #expect(TableSummary.line(command: "compact", table: "db.t", outcome: outcome, seconds: 1.234)
            == "amoro compact db.t: done (minor), 12 files (2.0 KiB) → 1 files (1.0 KiB), snapshot 42, rewrite 0.5 s on 1.9 cores, 1.23 s")
        let metadata = TableSummary.metadata(command: "compact", catalog: "default", table: "db.t", outcome: outcome, seconds: 1.234)
        let epoch = Date(timeIntervalSince1970: 0)
        let json = StandardErrorLogHandler.line(format: .json, level: .info, message: "m", metadata: metadata,
            date: epoch, timestamped: false)
        #expect(json == #"{"time":"1970-01-01T00:00:00.000Z","level":"info","message":"m","bytes_in":2048,"bytes_out":1024,"catalog":"default","command":"compact","duration_ms":1234,"files_in":12,"files_out":1,"optimizing_level":"minor","rewrite_cpu_ms":940,"rewrite_ms":500,"snapshot_id":42,"status":"done","table":"db.t"}"#)
        #expect(StandardErrorLogHandler.line(format: .human, level: .info, message: "m", metadata: metadata, date: epoch,
            timestamped: false) == "m")
        #expect(StandardErrorLogHandler.line(format: .human, level: .warning, message: "m", metadata: metadata, date: epoch,
            timestamped: true) == "1970-01-01T00:00:00.000Z warning m")
    }

    @Test func lockFilesAreExclusiveAndNamedApart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amoro-locks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let locks = FileTableLocks(directory: directory)
        let key = LockKey(catalog: "default", table: "db.t")
        let first = try #require(try locks.tryAcquire(key))
        #expect(try locks.tryAcquire(key) == nil, "a second open file description cannot take the lock")
        #expect(try locks.tryAcquire(LockKey(catalog: "other", table: "db.t")) != nil)
        first.release()
        #expect(try locks.tryAcquire(key) != nil)
        #expect(LockKey(catalog: "a", table: "b/c").fileName != LockKey(catalog: "a", table: "b_c").fileName)
    }
}
