import Foundation
import Testing
import TestSupport

@Suite struct CommandLineTests {
    @Test func helpListsEverySubcommandAndTheExitCodes() throws {
        let result = try AmoroBinary.run(["--help"])
        #expect(result.status == 0)
        for name in ["scan", "plan", "compact", "rewrite-deletes", "expire-snapshots", "clean-orphans", "schedule", "inspect"] {
            #expect(result.stdout.contains(name), "--help does not list \(name)")
        }
        #expect(result.stdout.contains("EXIT STATUS"))
        #expect(result.stdout.contains("65  invalid input data"))
        #expect(result.stdout.contains("2   nothing to do"))
        #expect(result.stdout.contains("4   a table was locked"))
    }

    @Test(arguments: [
        ["expire-snapshots", "db.t", "--older-than", "5"], ["expire-snapshots", "db.t", "--older-than", "yesterday"],
        ["expire-snapshots", "db.t", "--retain-last", "0"], ["expire-snapshots", "db.t", "--snapshot-id", "1", "--older-than", "1h"],
        ["expire-snapshots"], ["clean-orphans", "db.t", "--older-than", "2024-01-01"], ["clean-orphans", "db.t", "--max-deletes", "-1"],
        ["clean-orphans", "db.t", "--prefix-mismatch", "maybe"], ["plan", "db.t", "--scheduled-every", "0s"],
        ["plan", "db.t", "--scheduled-every", "60"], ["plan", "db.t", "--scheduled-every", "99999999999999999d"],
    ])
    func maintenanceOptionsAreValidatedBeforeAnyTableIsTouched(arguments: [String]) throws {
        let result = try AmoroBinary.run(arguments + ["--config", "/nonexistent/amoro.yaml"])
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [["rewrite-deletes"], ["rewrite-deletes", "db.t", "--min-delete-ratio", "0.2"],
        ["rewrite-deletes", "db.t", "--apply", "--min-delete-ratio", "1.5"]])
    func rewriteDeletesRefusesBadOptionsAsUsageErrors(arguments: [String]) throws {
        let result = try AmoroBinary.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unusableLogSettingsAreUsageErrors() throws {
        #expect(try AmoroBinary.run(["scan", "--log-format", "xml", "x.y"]).status == 64)
        let fromEnvironment = try AmoroBinary.run(["scan", "x.y"], environment: ["AMORO_LOG_LEVEL": "loud"])
        #expect(fromEnvironment.status == 64)
        #expect(fromEnvironment.stderr.contains("AMORO_LOG_LEVEL"))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try AmoroBinary.run(["inspect", "--no-such-flag"])
        #expect(result.status == 64)
    }

    /// The committed completion scripts are exactly what the binary generates (scripts/generate-docs rewrites them).
    @Test(arguments: [("bash", "amoro.bash"), ("zsh", "_amoro"), ("fish", "amoro.fish")])
    func committedCompletionsAreCurrent(shell: String, file: String) throws {
        let generated = try AmoroBinary.run(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(generated.stdout == committed, "completions/\(file) is stale: run scripts/generate-docs")
    }
}
