import ArgumentParser

/// The exit codes amoro documents; stable across releases. Values follow sysexits(3) where one fits.
package enum AmoroExitCode: Int32, CaseIterable, Sendable {
    case success = 0
    /// A failure that fits no other code.
    case failure = 1
    /// The subcommand exists but this build does not implement it yet.
    case plannedSubcommand = 3
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
        case .plannedSubcommand: "subcommand not implemented in this build"
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
