import ArgumentParser
import Catalogs
import Foundation
import Logging

/// What every table command shares for running unattended: logs, metrics, locks and the exit code of an idle run.
/// Each option falls back to an environment variable, so a crontab can set them once for every line.
struct OperationsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Log format on standard error; json writes one object per line (default: $AMORO_LOG_FORMAT, else human).",
        valueName: "format"))
    var logFormat: LogFormat?

    @Option(help: ArgumentHelp("Least severe log level shown (default: $AMORO_LOG_LEVEL, else info).",
        valueName: "level"))
    var logLevel: Logger.Level?

    @Option(help: ArgumentHelp("Prometheus text file to update with this run's numbers, for node_exporter's textfile collector (default: $AMORO_METRICS_FILE).",
        valueName: "file"))
    var metricsFile: String?

    @Option(help: ArgumentHelp("Directory of the per-table lock files (default: $AMORO_LOCK_DIR, else $AMORO_HOME/locks, else ~/.local/share/amoro/locks).",
        valueName: "dir"), completion: .directory)
    var lockDir: String?

    @Flag(help: "Exit with 2 instead of 0 when every table had nothing to do.")
    var exitNothingToDo = false

    func validate() throws {
        let environment = ProcessInfo.processInfo.environment
        if logFormat == nil, let text = environment["AMORO_LOG_FORMAT"], !text.isEmpty, LogFormat(rawValue: text) == nil {
            throw ValidationError("AMORO_LOG_FORMAT must be human or json, not '\(text)'.")
        }
        if logLevel == nil, let text = environment["AMORO_LOG_LEVEL"], !text.isEmpty, Logger.Level(rawValue: text) == nil {
            throw ValidationError("AMORO_LOG_LEVEL must be trace, debug, info, notice, warning, error or critical, not '\(text)'.")
        }
    }

    /// The options with the environment's fallbacks applied (`validate()` has refused unusable variables).
    func resolved() -> OperationsSettings {
        OperationsSettings(logFormat: logFormat, logLevel: logLevel, metricsFile: metricsFile, lockDirectory: lockDir,
            exitNothingToDo: exitNothingToDo)
    }
}

/// `OperationsOptions` with every default applied.
struct OperationsSettings: Sendable {
    var logFormat: LogFormat
    var logLevel: Logger.Level
    var metricsFile: String?
    var lockDirectory: String
    var exitNothingToDo: Bool

    /// Settings from explicit values where given, else the environment, else the defaults; an unusable
    /// environment value counts as unset (commands with `OperationsOptions` refuse it while parsing).
    init(logFormat: LogFormat? = nil, logLevel: Logger.Level? = nil, metricsFile: String? = nil, lockDirectory: String? = nil,
        exitNothingToDo: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment)
    {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        self.logFormat = logFormat ?? variable("AMORO_LOG_FORMAT").flatMap(LogFormat.init(rawValue:)) ?? .human
        self.logLevel = logLevel ?? variable("AMORO_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        self.metricsFile = metricsFile ?? variable("AMORO_METRICS_FILE")
        self.lockDirectory = lockDirectory ?? variable("AMORO_LOCK_DIR")
            ?? "\(CatalogConfig.home(environment: environment, homeDirectory: home))/locks"
        self.exitNothingToDo = exitNothingToDo
    }
}

/// How log records are written to standard error.
enum LogFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// The message alone, as a person reads it (errors keep the form `amoro <command> <table>: <what>`).
    case human
    /// One JSON object per line: time, level, message and every metadata field.
    case json
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
