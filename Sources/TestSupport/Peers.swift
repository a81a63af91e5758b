import Foundation

/// The interop peers (pyarrow, fastavro, DuckDB, PyIceberg) in the project's Python virtualenv.
///
/// `scripts/test` creates the virtualenv and sets `AMORO_PEERS_PYTHON`; without it the tests look for
/// `.venv/bin/python` at the package root. Interop suites are enabled only when the interpreter exists, and
/// `PeersRequiredTests` fails the run when `AMORO_REQUIRE_PEERS=1` (as in CI) and it does not.
package enum Peers {
    /// The Python interpreter with the peers installed, if there is one.
    package static let python: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let candidate =
            environment["AMORO_PEERS_PYTHON"].map { URL(fileURLWithPath: $0) }
            ?? Fixtures.packageRoot.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }()

    /// The interpreter of the second virtualenv, with sidequery-pyiceberg: PyIceberg with equality-delete writes
    /// and reads (it installs under the same module name, so it cannot share the first virtualenv).
    package static let sidequeryPython: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let candidate =
            environment["AMORO_SIDEQUERY_PYTHON"].map { URL(fileURLWithPath: $0) }
            ?? Fixtures.packageRoot.appendingPathComponent(".venv-sidequery/bin/python")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }()

    /// The interpreter of the pypaimon virtualenv (`.venv-paimon`, or `AMORO_PAIMON_PYTHON`): Apache Paimon's Python
    /// API, which writes and reads the Paimon test tables (it pins pyarrow below 20, hence its own virtualenv).
    package static let paimonPython: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let candidate =
            environment["AMORO_PAIMON_PYTHON"].map { URL(fileURLWithPath: $0) }
            ?? Fixtures.packageRoot.appendingPathComponent(".venv-paimon/bin/python")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }()

    package static var isAvailable: Bool { python != nil && sidequeryPython != nil }

    /// Runs a Python script with pypaimon's interpreter and returns its standard output.
    @discardableResult
    package static func paimon(_ script: String, arguments: [String] = []) throws -> Data {
        guard let paimonPython else { throw PeerError(message: "the pypaimon virtualenv is missing; run scripts/setup") }
        return try run(paimonPython, arguments: ["-c", script] + arguments)
    }

    /// Whether the run must have the peers (CI sets `AMORO_REQUIRE_PEERS=1`).
    package static var areRequired: Bool { ProcessInfo.processInfo.environment["AMORO_REQUIRE_PEERS"] == "1" }

    /// Runs a Python script with the peers' interpreter and returns its standard output.
    /// Throws `PeerError` with the script's standard error when it exits non-zero.
    @discardableResult
    package static func python(_ script: String, arguments: [String] = [], input: Data? = nil) throws -> Data {
        guard let python else { throw PeerError(message: "the peers' Python virtualenv is missing; run scripts/setup") }
        return try run(python, arguments: ["-c", script] + arguments, input: input)
    }

    /// Runs a Python script with sidequery-pyiceberg's interpreter and returns its standard output.
    @discardableResult
    package static func sidequery(_ script: String, arguments: [String] = []) throws -> Data {
        guard let sidequeryPython else { throw PeerError(message: "the sidequery virtualenv is missing; run scripts/setup") }
        return try run(sidequeryPython, arguments: ["-c", script] + arguments)
    }

    /// Runs an executable and returns its standard output; throws with its standard error on a non-zero exit.
    package static func run(_ executable: URL, arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        // Read both pipes while the process runs, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = output.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let input { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        guard process.terminationStatus == 0 else {
            throw PeerError(
                message: "\(executable.lastPathComponent) exited with \(process.terminationStatus): "
                    + String(decoding: errData, as: UTF8.self))
        }
        return outData
    }
}

/// A peer process failed.
package struct PeerError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}

extension Peers {
    /// Python that defines `duck()`: a DuckDB connection with the iceberg and avro extensions loaded from their PyPI
    /// packages, with automatic installs and loads turned off (there is no network). Prefix scripts with it.
    package static let duckDBPrelude = #"""
        import duckdb, glob, os
        import duckdb_extension_avro, duckdb_extension_iceberg
        def duck():
            connection = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
            for module, name in ((duckdb_extension_avro, "avro"), (duckdb_extension_iceberg, "iceberg")):
                path = glob.glob(os.path.join(os.path.dirname(module.__file__), "extensions", "*", name + ".duckdb_extension"))[0]
                connection.execute(f"LOAD '{path}'")
            return connection

        """#
}
