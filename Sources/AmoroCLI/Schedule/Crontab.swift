import Foundation
import Planning

/// The jobs a table needs and how often, from its properties: `amoro schedule` turns them into crontab lines.
///
/// Optimizing runs `amoro plan --level auto | amoro compact`, so each partition gets the level Apache Amoro's
/// evaluator would pick (minor, major, or full once `self-optimizing.full.trigger.interval` has passed); it runs
/// as often as the shorter of the minor and full trigger intervals (hourly when both are off), rounded down to a
/// period cron can express, from every minute to daily, and tells the plan that period (`--scheduled-every`), so
/// an interval falling due just after a run's plan time is taken by that run rather than one period later.
/// Maintenance follows Amoro's own cadences: snapshot expiry hourly, orphan cleaning and dangling-delete cleaning
/// daily, each only where the table's switches (and `gc.enabled`) turn it on. Manifest rewriting runs hourly with
/// `--triggered` where the table turns it on, and so rewrites only once enough small manifests have piled up. Data
/// expiration runs daily (Amoro's cadence) where `data-expire.*` turns it on; automatic tags, which Amoro checks
/// every minute, are checked every 10 minutes for hourly tags and hourly for daily and monthly ones (a missed check
/// is caught up by the next).
struct TableSchedule: Sendable, Equatable {
    /// `namespace.table`, or a direct table's location.
    var table: String
    /// The table's namespace, for globbing (nil for a direct table).
    var namespace: String?
    /// Minutes between optimizing runs; nil when self-optimizing is disabled.
    var optimizeEveryMinutes: Int?
    var expiresSnapshots: Bool
    var cleansOrphans: Bool
    var cleansDanglingDeletes: Bool
    /// `amoro.rewrite-manifests.enabled` (by default, where `commit.manifest-merge.enabled=false`).
    var rewritesManifests: Bool
    var expiresData = false
    /// The automatic tags' period; nil when `tag.auto-create.enabled` is off.
    var tagPeriod: TagPeriod?

    init(table: String, namespace: String?, optimizing: OptimizingConfig, maintenance: MaintenanceConfig,
        manifests: ManifestRewriteConfig = .init(), dataExpiration: DataExpirationConfig = DataExpirationConfig(),
        tags: AutoTagConfig = AutoTagConfig())
    {
        self.table = table
        self.namespace = namespace
        let intervals = [optimizing.minorTriggerIntervalMs, optimizing.fullTriggerIntervalMs].filter { $0 >= 0 }
        optimizeEveryMinutes = optimizing.enabled ? Int((intervals.min() ?? 3_600_000) / 60_000) : nil
        expiresSnapshots = maintenance.expiresSnapshots
        cleansOrphans = maintenance.cleansOrphans
        cleansDanglingDeletes = maintenance.cleansDanglingDeletes
        rewritesManifests = manifests.enabled
        expiresData = dataExpiration.expires
        tagPeriod = tags.enabled ? tags.period : nil
    }
}

/// A cron schedule: the five time fields.
struct CronTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    let fields: String
    /// Minutes between runs, for ordering lines (most frequent first).
    let periodMinutes: Int

    var description: String { fields }

    static func < (lhs: CronTime, rhs: CronTime) -> Bool { (lhs.periodMinutes, lhs.fields) < (rhs.periodMinutes, rhs.fields) }

    /// Every `minutes`, rounded down to a period cron repeats evenly (a divisor of an hour or of a day), between
    /// every minute and once a day; `minute` and `hour` place hourly and daily runs.
    static func every(minutes: Int, minute: Int, hour: Int) -> CronTime {
        let minutes = max(1, minutes)
        if minutes < 60 {
            let step = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1].first { $0 <= minutes }!
            return CronTime(fields: step == 1 ? "* * * * *" : "*/\(step) * * * *", periodMinutes: step)
        }
        if minutes < 1440 {
            let hours = [12, 8, 6, 4, 3, 2, 1].first { $0 <= minutes / 60 }!
            return CronTime(fields: hours == 1 ? "\(minute) * * * *" : "\(minute) */\(hours) * * *", periodMinutes: hours * 60)
        }
        return CronTime(fields: "\(minute) \(hour) * * *", periodMinutes: 1440)
    }

    static let hourly = every(minutes: 60, minute: 20, hour: 0)
}

/// The crontab block `amoro schedule` prints: one line per job and cadence, tables with the same cadence sharing a
/// line, named by `--all` or a namespace glob wherever that selects exactly them.
struct Crontab: Sendable {
    /// Everything a line needs besides its tables.
    struct Settings: Sendable {
        /// The `amoro` executable, absolute.
        var binary: String
        /// Options every command gets: the configuration file and catalog.
        var catalogArguments: [String]
        /// Environment assignments the lines start with (such as AMORO_HOME for the embedded catalog).
        var environment: [(String, String)]
        var logFile: String
        var lockDirectory: String
        var metricsFile: String?
    }

    /// One crontab line's job.
    enum Job: String, CaseIterable, Sendable {
        case optimize, expireSnapshots = "expire-snapshots", cleanOrphans = "clean-orphans", rewriteDeletes = "rewrite-deletes"
        case rewriteManifests = "rewrite-manifests"
        case scan
        case expireData = "expire-data", createTags = "create-tags"
    }

    static let begin = "# BEGIN amoro schedule"
    static let end = "# END amoro schedule"

    /// The block for `tables`; `catalogTables` are all the catalog's tables (to know when a glob selects exactly a
    /// group) and `optimizeMinute` etc. are fixed so runs of different jobs rarely meet on one table.
    static func render(_ tables: [TableSchedule], catalogTables: [String: Set<String>], settings: Settings) throws(ScheduleError)
        -> String
    {
        var groups: [Job: [CronTime: [String]]] = [:]
        for table in tables {
            if let minutes = table.optimizeEveryMinutes {
                groups[.optimize, default: [:]][.every(minutes: minutes, minute: 0, hour: 2), default: []].append(table.table)
            }
            if table.expiresSnapshots { groups[.expireSnapshots, default: [:]][.hourly, default: []].append(table.table) }
            if table.cleansOrphans {
                groups[.cleanOrphans, default: [:]][.every(minutes: 1440, minute: 40, hour: 3), default: []].append(table.table)
            }
            if table.cleansDanglingDeletes {
                groups[.rewriteDeletes, default: [:]][.every(minutes: 1440, minute: 10, hour: 4), default: []].append(table.table)
            }
            if table.rewritesManifests {
                groups[.rewriteManifests, default: [:]][.every(minutes: 60, minute: 30, hour: 0), default: []].append(table.table)
            }
            if table.expiresData {
                groups[.expireData, default: [:]][.every(minutes: 1440, minute: 30, hour: 4), default: []].append(table.table)
            }
            if let period = table.tagPeriod {
                let time = period == .hourly ? CronTime.every(minutes: 10, minute: 0, hour: 0) : .every(minutes: 60, minute: 5, hour: 0)
                groups[.createTags, default: [:]][time, default: []].append(table.table)
            }
            if settings.metricsFile != nil {
                groups[.scan, default: [:]][.every(minutes: 60, minute: 50, hour: 0), default: []].append(table.table)
            }
        }
        let namespaces = Dictionary(tables.compactMap { table in table.namespace.map { (table.table, $0) } }, uniquingKeysWith: { first, _ in first })
        var lines = [
            begin + " (written by `amoro schedule`; `amoro schedule --install` replaces this block, keep edits outside it)",
            "# Optimizing runs as often as each table's minor/full trigger interval; snapshots expire hourly; orphans",
            "# and dangling deletes are cleaned daily, where the table's properties turn them on. Each table is locked",
            "# while a job changes it: a job that finds it locked skips it (exit 4) and the next run catches up.",
        ]
        for job in Job.allCases {
            for (time, members) in (groups[job] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let selection = select(Set(members), namespaces: namespaces, catalogTables: catalogTables)
                lines.append("\(time) " + (try command(job, tables: selection, every: time, settings: settings)))
            }
        }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The arguments naming `members`: `--all` when they are the whole catalog, else a glob per namespace they
    /// cover entirely and names for the rest.
    static func select(_ members: Set<String>, namespaces: [String: String], catalogTables: [String: Set<String>]) -> [String] {
        let everything = catalogTables.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        if !everything.isEmpty, members == everything, members.allSatisfy({ namespaces[$0] != nil }) { return ["--all"] }
        var arguments: [String] = []
        var covered = Set<String>()
        for (namespace, tables) in catalogTables.sorted(by: { $0.key < $1.key }) where !tables.isEmpty && tables.isSubset(of: members) {
            arguments.append("\(namespace).*")
            covered.formUnion(tables)
        }
        return arguments + members.subtracting(covered).sorted()
    }

    private static func command(_ job: Job, tables: [String], every time: CronTime, settings: Settings) throws(ScheduleError)
        -> String
    {
        let amoro = try quote(settings.binary)
        let catalog = try settings.catalogArguments.map(quote).joined(separator: " ")
        let names = try tables.map(quote).joined(separator: " ")
        let metrics = try settings.metricsFile.map { path throws(ScheduleError) in " --metrics-file \(try quote(path))" } ?? ""
        let shared = (catalog.isEmpty ? "" : " \(catalog)") + metrics
        let locked = shared + " --lock-dir \(try quote(settings.lockDirectory))"
        var environment = ""
        for (name, value) in settings.environment { environment += "\(name)=\(try quote(value)) " }
        let log = ">> \(try quote(settings.logFile)) 2>&1"
        switch job {
        case .optimize:
            return "{ \(environment)\(amoro) plan\(catalog.isEmpty ? "" : " \(catalog)") --level auto "
                + "--scheduled-every \(time.periodMinutes)min \(names) | "
                + "\(environment)\(amoro) compact\(locked); } \(log)"
        case .scan:
            return "\(environment)\(amoro) scan\(shared) \(names) > /dev/null 2>> \(try quote(settings.logFile))"
        case .rewriteManifests:
            return "\(environment)\(amoro) \(job.rawValue)\(locked) --triggered \(names) \(log)"
        case .expireSnapshots, .cleanOrphans, .rewriteDeletes, .expireData, .createTags:
            return "\(environment)\(amoro) \(job.rawValue)\(locked) \(names) \(log)"
        }
    }

    /// A word for the crontab's shell: as is when plain, else single-quoted. Cron reads `%` as a newline, so it is
    /// escaped; a newline cannot be written at all.
    static func quote(_ word: String) throws(ScheduleError) -> String {
        if word.contains("\n") { throw ScheduleError(description: "cannot write \(word.debugDescription) into a crontab line") }
        let plain = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-=:,+@".contains($0)) }
        let quoted = plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return quoted.replacingOccurrences(of: "%", with: "\\%")
    }

    /// `existing` (a whole crontab) with the amoro block replaced by `block`, or removed when `block` is nil;
    /// every other line is kept as it was. A new block goes at the end.
    static func replaceBlock(in existing: String, with block: String?) -> String {
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var position = lines.count
        if let start = lines.firstIndex(where: { $0.hasPrefix(begin) }) {
            let stop = lines[start...].firstIndex { $0.hasPrefix(end) } ?? lines.count - 1
            lines.removeSubrange(start...stop)
            position = start
        }
        if let block {
            lines.insert(contentsOf: block.split(separator: "\n").map(String.init), at: position)
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

/// A schedule that cannot be written as a crontab.
struct ScheduleError: Error, CustomStringConvertible {
    let description: String
}
