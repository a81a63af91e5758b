import ArgumentParser

/// The exit codes amoro documents; stable across releases. Values follow sysexits(3) where one fits; the two
/// outcomes sysexits has no word for (nothing to do, locked) take small values outside its 64–78 range.
///
/// "Nothing to do" is not an error, so it is 0 unless asked for with `--exit-nothing-to-do`: a crontab line, a
/// `set -e` script or a systemd timer sees an idle table as the success it is, and a script that wants to tell
/// the two apart opts in. "Locked" is always its own code: another run holds the table, nothing went wrong, and
/// trying again later works (like 75).
package enum AmoroExitCode: Int32, CaseIterable, Sendable {
    case success = 0
    /// A failure that fits no other code.
    case failure = 1
    /// Every table had nothing to do (only with `--exit-nothing-to-do`; 0 otherwise).
    case nothingToDo = 2
    /// The subcommand exists but this build does not implement it yet.
    case plannedSubcommand = 3
    /// Another amoro run holds a table's lock; that table was skipped.
    case locked = 4
    /// Bad command-line usage (swift-argument-parser's own code for validation errors).
    case usage = 64
    /// Input data is invalid: a corrupt Parquet, Avro or JSON file, or a plan that no longer matches its table.
    case dataError = 65
    /// An input file or table does not exist.
    case noInput = 66
    /// A catalog or storage service is unavailable.
    case unavailable = 69
    /// An internal error: a bug in amoro.
    case software = 70
    /// Reading or writing storage failed.
    case ioError = 74
    /// A commit conflicted with a concurrent writer and retries ran out; running again later may succeed.
    case conflict = 75
    /// The configuration file is missing or invalid.
    case config = 78

    var meaning: String {
        switch self {
        case .success: "success"
        case .failure: "failure not covered by another code"
        case .nothingToDo: "nothing to do on any table (with --exit-nothing-to-do; 0 otherwise)"
        case .plannedSubcommand: "subcommand not implemented in this build"
        case .locked: "a table was locked by another amoro run and skipped; try again later"
        case .usage: "command-line usage error"
        case .dataError: "invalid input data (corrupt file, malformed JSON, stale plan)"
        case .noInput: "input file or table not found"
        case .unavailable: "catalog or storage unavailable"
        case .software: "internal error"
        case .ioError: "storage read or write failed"
        case .conflict: "commit conflict after retries; try again later"
        case .config: "configuration missing or invalid"
        }
    }

    /// The table printed in `--help` and the man page.
    static var table: String {
        allCases.map { code in
            let number = String(code.rawValue)
            return "  " + number + String(repeating: " ", count: 4 - number.count) + code.meaning
        }
            .joined(separator: "\n")
    }

    var exitCode: ExitCode { ExitCode(rawValue) }
}
