import ArgumentParser
import Avro
import Catalogs
import Documents
import Execution
import Foundation
import JSONCoding
import Iceberg
import Logging
import Paimon
import Parquet
import Planning
import Storage
import Synchronization

/// Runs a command over many tables: one table's failure is reported on stderr and the run goes on; the process
/// then exits with the most severe code met. Every error reaches the user as one line naming what failed.
///
/// Each table's work ends in a `TableOutcome`: the runner logs one summary line for it, takes the table's lock
/// first when the work changes the table, and adds it to the metrics file (`OperationsOptions`).
final class TableRunner: Sendable {
    let command: String
    let settings: OperationsSettings
    /// The run's logger: standard error, in the format and level the options chose.
    let log: Logger
    private let locks: any TableLocks
    /// The level of the per-table summary lines (locked tables are always a warning).
    private let summaryLevel: Logger.Level

    private struct State {
        var worst = AmoroExitCode.success
        var tables = 0
        var idleTables = 0
        var records: [MetricsFile.Record] = []
    }

    private let state = Mutex(State())

    /// A runner for `command`; without `operations` (a command that does not offer the options), the settings
    /// come from the environment.
    init(command: String, operations: OperationsOptions? = nil, summaryLevel: Logger.Level = .info) {
        self.command = command
        self.summaryLevel = summaryLevel
        settings = operations?.resolved() ?? OperationsSettings()
        let (format, level) = (settings.logFormat, settings.logLevel)
        log = Logger(label: "amoro.\(command)") { _ in StandardErrorLogHandler(format: format, level: level) }
        locks = FileTableLocks(directory: settings.lockDirectory)
    }

    /// A progress bar for one table's work: drawn only on a terminal, and never with JSON logs.
    func progressBar(for table: String) -> ProgressBar {
        ProgressBar(label: table, enabled: settings.logFormat == .human && isatty(STDERR_FILENO) != 0)
    }

    /// Runs the whole command; errors outside a table (configuration, selection) end it at once.
    func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            report(error, subject: nil)
        }
        writeMetrics()
        let (code, tables, idle) = state.withLock { ($0.worst, $0.tables, $0.idleTables) }
        if code != .success { throw code.exitCode }
        if settings.exitNothingToDo, tables > 0, idle == tables { throw AmoroExitCode.nothingToDo.exitCode }
    }

    /// Runs read-only work for one table, recording its failure without stopping the others.
    func table(_ identifier: TableIdentifier, _ body: () async throws -> Void) async {
        await run(table: identifier.description, catalog: "") {
            try await body()
            return TableOutcome()
        }
    }

    /// Runs the work for a selected table, named for locks, logs and metrics as its catalog names it (a direct
    /// table: `direct` and its location). Maintenance commands call this with `lock: true`.
    @discardableResult
    func run(_ selected: SelectedTable, lock: Bool = false, _ body: () async throws -> TableOutcome) async -> TableOutcome.Status {
        await run(table: selected.identifier.description, catalog: selected.catalog.name,
            catalogIdentity: selected.catalog.identity, lock: lock,
            leftoversOf: selected.paimon == nil ? { (selected.catalog, selected.identifier) } : nil, paimon: selected.paimon, body)
    }

    /// Runs the work for one table of `catalog` (`table` is `namespace.name`, or the location of a direct table):
    /// with `lock`, only once this run holds the table's lock (else the table is reported `locked` and skipped),
    /// and journaled (`journaled`), with the leftovers of a killed earlier run swept first when `leftoversOf`
    /// names the table. A thrown error is reported and makes the outcome `failed`; the others go on either way.
    @discardableResult
    func run(
        table: String, catalog: String, catalogIdentity: String = "", lock: Bool = false,
        leftoversOf: (() throws -> (any Catalog, TableIdentifier))? = nil, paimon: PaimonTable? = nil,
        _ body: () async throws -> TableOutcome
    ) async -> TableOutcome.Status {
        let started = ContinuousClock.now
        var outcome = TableOutcome(status: .failed)
        do {
            if lock {
                let key = LockKey(catalog: catalog, table: table, catalogIdentity: catalogIdentity)
                if let held = try locks.tryAcquire(key) {
                    defer { held.release() }
                    await Self.holdForTests()
                    outcome = try await journaled(key, table: table, leftoversOf: leftoversOf, paimon: paimon, body)
                } else {
                    outcome.status = .locked
                }
            } else {
                outcome = try await body()
            }
        } catch {
            report(error, subject: table)
        }
        finish(table: table, catalog: catalog, outcome: outcome, duration: ContinuousClock.now - started)
        return outcome.status
    }

    /// Work under a table's lock, with a `WriteJournal` beside the lock file bound for it. A journal left by an
    /// earlier run that was killed is swept first (`LeftoverSweep`): its files that exist and that the table does
    /// not reach are removed. The journal is removed when the work ends normally, and kept when it fails, so that
    /// the next run sweeps what a failure may have left.
    private func journaled(
        _ key: LockKey, table: String, leftoversOf: (() throws -> (any Catalog, TableIdentifier))?, paimon: PaimonTable?,
        _ body: () async throws -> TableOutcome
    ) async throws -> TableOutcome {
        let path = "\(settings.lockDirectory)/\(key.journalFileName)"
        let earlier = WriteJournal.entries(at: path)
        if !earlier.isEmpty, let leftoversOf {
            let (catalog, identifier) = try leftoversOf()
            let loaded = try await catalog.loadTable(identifier)
            let removed = try await LeftoverSweep.run(earlier, table: loaded, storage: catalog.storage, parallelism: 4)
            if !removed.isEmpty {
                log.info("amoro \(command) \(table): removed \(removed.count) files an earlier run left behind")
            }
            WriteJournal.remove(at: path)
        } else if !earlier.isEmpty, let paimon {
            let removed = try await PaimonLeftoverSweep.run(earlier, table: paimon, parallelism: 4)
            if !removed.isEmpty {
                log.info("amoro \(command) \(table): removed \(removed.count) files an earlier run left behind")
            }
            WriteJournal.remove(at: path)
        }
        let journal = try WriteJournal(path: path)
        let outcome = try await WriteJournal.$current.withValue(journal) { try await body() }
        WriteJournal.remove(at: path)
        return outcome
    }

    /// Logs the summary line and keeps the outcome for the exit code and the metrics file.
    private func finish(table: String, catalog: String, outcome: TableOutcome, duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        log.log(level: outcome.status == .locked ? .warning : summaryLevel,
            "\(TableSummary.line(command: command, table: table, outcome: outcome, seconds: seconds))",
            metadata: TableSummary.metadata(command: command, catalog: catalog, table: table, outcome: outcome, seconds: seconds))
        let record = MetricsFile.Record(
            catalog: catalog, table: table, command: command, outcome: outcome, durationSeconds: seconds,
            finishedAtSeconds: Date().timeIntervalSince1970)
        state.withLock { state in
            state.tables += 1
            if outcome.status == .nothingToDo { state.idleTables += 1 }
            if outcome.status == .locked { Self.raise(&state.worst, to: .locked) }
            state.records.append(record)
        }
    }

    private func writeMetrics() {
        guard let path = settings.metricsFile else { return }
        let records = state.withLock { $0.records }
        guard !records.isEmpty else { return }
        do { try MetricsFile.update(path: path, with: records) } catch { report(error, subject: nil) }
    }

    private func report(_ error: any Error, subject: String?) {
        let code = AmoroExitCode.code(for: error)
        log.error("amoro \(command)\(subject.map { " \($0)" } ?? ""): \(error)")
        state.withLock { Self.raise(&$0.worst, to: code) }
    }

    private static func raise(_ current: inout AmoroExitCode, to code: AmoroExitCode) {
        if severity(code) > severity(current) { current = code }
    }

    /// Locked tables (skipped, retry later) rank lowest, then conflicts (retry later), then data and availability
    /// errors; internal errors rank highest.
    private static func severity(_ code: AmoroExitCode) -> Int {
        switch code {
        case .success, .nothingToDo: 0
        case .locked: 1
        case .conflict: 2
        case .noInput: 3
        case .dataError: 4
        case .ioError: 5
        case .unavailable: 6
        case .config, .usage: 7
        case .failure: 8
        case .software: 9
        }
    }

    /// Test hook: `AMORO_HOLD_LOCK_MS` keeps a just-taken table lock that long before the work starts, so a test
    /// can start a second run while the first holds the table. Unset, it does nothing.
    private static func holdForTests() async {
        guard let text = ProcessInfo.processInfo.environment["AMORO_HOLD_LOCK_MS"], let ms = Int(text), ms > 0 else { return }
        try? await Task.sleep(for: .milliseconds(ms))
    }
}

extension AmoroExitCode {
    /// The documented code for an error from any layer.
    static func code(for error: any Error) -> AmoroExitCode {
        switch error {
        case let error as AmoroError:
            switch error {
            case .iceberg(let inner): return code(for: inner)
            case .paimon(let inner): return code(for: inner)
            case .invalidProperty, .stalePlan, .invalidPlan, .unsafeLocation: return .dataError
            case .conflict: return .conflict
            case .refused: return .failure
            }
        case let error as IcebergError:
            switch error {
            case .tableNotFound, .namespaceNotFound: return .noInput
            case .tableAlreadyExists: return .failure
            case .commitConflict: return .conflict
            case .commitStateUnknown: return .unavailable
            case .invalidFile: return .dataError
            case .storage(let storage): return code(for: storage)
            case .catalog: return .unavailable
            }
        case let error as StorageError:
            switch error {
            case .notFound: return .noInput
            case .unsupportedLocation: return .dataError
            case .alreadyExists, .permissionDenied, .io: return .ioError
            case .service: return .unavailable
            }
        case let error as PaimonError:
            switch error {
            case .storage(let storage): return code(for: storage)
            case .invalidFile, .unsupported: return .dataError
            case .notATable: return .noInput
            case .conflict: return .conflict
            }
        case is ConfigError: return .config
        case is LockError, is MetricsFileError: return .ioError
        case is CrontabError: return .unavailable
        case is ScheduleError, is PropertyError: return .dataError
        case is ParquetError, is AvroError, is InputError, is DocumentError: return .dataError
        case is FileMissing: return .noInput
        default: return .failure
        }
    }
}

extension TableRunner {
    /// Runs `action` on each table (holding the table's lock when `lock`) and prints one result document per table,
    /// also for a table that failed (its error is reported on stderr too) or was locked (`TableLocked`):
    /// `outcome` gives the summary the runner logs and counts, `document` turns the result and the start time into
    /// the document.
    func eachTable<R, D: Document>(
        _ tables: [SelectedTable], output: OutputFormat, lock: Bool, action: (SelectedTable) async throws -> R,
        outcome: (R) -> TableOutcome, document: (SelectedTable, Result<R, any Error>, Date) -> D
    ) async {
        for selected in tables {
            let started = Date()
            var result: Result<R, any Error>?
            let status = await run(selected, lock: lock) {
                do {
                    let value = try await action(selected)
                    result = .success(value)
                    return outcome(value)
                } catch {
                    result = .failure(error)
                    throw error
                }
            }
            if status == .locked { result = .failure(TableLocked()) }
            guard let result else { continue }
            emit(document(selected, result, started), output)
        }
    }
}

extension TableRunner {
    /// Runs a maintenance action on `table` with `run` completed for it: the table's entry of `audits` when
    /// replaying an audit, and a progress bar drawn while files are deleted.
    func maintaining<Result>(
        _ table: String, _ run: MaintenanceRun, audits: [String: MaintenanceAudit]?, action: (MaintenanceRun) async throws -> Result
    ) async throws -> Result {
        var run = run
        if let audit = try MaintenanceInputs.audit(for: table, in: audits) { run.audit = audit }
        let bar = progressBar(for: table)
        defer { bar.finish() }
        run.progress = bar.update
        return try await action(run)
    }
}
