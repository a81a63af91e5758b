import Foundation

/// The user's crontab, read and written through the `crontab` program (`crontab -l`, `crontab -`), or the program
/// `$AMORO_CRONTAB` names instead (tests use a fake one).
struct CrontabProgram {
    let path: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = environment["AMORO_CRONTAB"].flatMap { $0.isEmpty ? nil : $0 } ?? "crontab"
    }

    /// The current crontab; empty when the user has none yet.
    func read() throws(CrontabError) -> String {
        let (status, output, errors) = try run(["-l"], input: nil)
        if status == 0 { return output }
        if errors.lowercased().contains("no crontab") { return "" }
        throw CrontabError(description: "\(path) -l failed (exit \(status)): \(errors.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    /// Replaces the crontab with `text`.
    func write(_ text: String) throws(CrontabError) {
        let (status, _, errors) = try run(["-"], input: text)
        guard status == 0 else {
            throw CrontabError(description: "\(path) - failed (exit \(status)): \(errors.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    private func run(_ arguments: [String], input: String?) throws(CrontabError) -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [path] + arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        do { try process.run() } catch {
            throw CrontabError(description: "cannot run \(path): \(error.localizedDescription)")
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        // Crontabs are small: reading one pipe to its end before the other cannot fill the second.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw CrontabError(description: "cannot run \(path): not found (install cron, or set AMORO_CRONTAB)")
        }
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// The crontab program is missing or failed.
struct CrontabError: Error, CustomStringConvertible {
    let description: String
}
