import ArgumentParser
import Foundation

/// `--now`: the time a command takes as "now" (an ISO-8601 time, or milliseconds since the epoch), for decisions
/// as of another time and for tests; the wall clock by default.
struct CheckTimeOption: ParsableArguments {
    @Option(name: .customLong("now"),
        help: ArgumentHelp("Decide as if it were this time: ISO-8601 (2024-05-01T00:00:00Z) or epoch milliseconds.",
            valueName: "time"))
    var now: String?

    func validate() throws { _ = try milliseconds() }

    /// The time given, or nil for the wall clock; refused outside years 1970–9999.
    func milliseconds() throws -> Int64? {
        guard let now else { return nil }
        var parsed: Int64? = Int64(now)
        if parsed == nil {
            for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime], [.withFullDate]] {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = options
                if let date = formatter.date(from: now) {
                    parsed = Int64(date.timeIntervalSince1970 * 1000)
                    break
                }
            }
        }
        guard let parsed, (0...253_402_300_799_999).contains(parsed) else {
            throw ValidationError("--now \(now): expected an ISO-8601 time such as 2024-05-01T00:00:00Z, or epoch milliseconds from 1970 to 9999")
        }
        return parsed
    }

    /// The clock commands pass to actions.
    func clock() throws -> @Sendable () -> Int64 {
        let fixed = try milliseconds()
        return { fixed ?? Int64(Date().timeIntervalSince1970 * 1000) }
    }
}
