import ArgumentParser
import Avro
import Foundation
import JSONCoding
import Catalogs
import Execution
import Iceberg
import Parquet
import Planning
import Storage
import Synchronization

/// Runs a command over many tables: one table's failure is reported on stderr and the run goes on; the process
/// then exits with the most severe code met. Every error reaches the user as one line naming what failed.
final class TableRunner: Sendable {
    let command: String
    private let worst = Mutex(AmoroExitCode.success)

    init(command: String) { self.command = command }

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
        let code = worst.withLock { $0 }
        if code != .success { throw code.exitCode }
    }

    /// Runs the work for one table, recording its failure without stopping the others.
    func table(_ identifier: TableIdentifier, _ body: () async throws -> Void) async {
        do { try await body() } catch { report(error, subject: identifier.description) }
    }

    private func report(_ error: any Error, subject: String?) {
        let code = AmoroExitCode.code(for: error)
        printError("amoro \(command)\(subject.map { " \($0)" } ?? ""): \(error)")
        worst.withLock { current in
            if Self.severity(code) > Self.severity(current) { current = code }
        }
    }

    /// Conflicts (retry later) rank below data and availability errors; internal errors rank highest.
    private static func severity(_ code: AmoroExitCode) -> Int {
        switch code {
        case .success: 0
        case .conflict: 1
        case .noInput: 2
        case .dataError: 3
        case .ioError: 4
        case .unavailable: 5
        case .config, .usage: 6
        case .failure, .plannedSubcommand: 7
        case .software: 8
        }
    }
}

extension AmoroExitCode {
    /// The documented code for an error from any layer.
    static func code(for error: any Error) -> AmoroExitCode {
        switch error {
        case let error as AmoroError:
            switch error {
            case .iceberg(let inner): return code(for: inner)
            case .invalidProperty, .stalePlan: return .dataError
            case .conflict: return .conflict
            case .refused: return .failure
            }
        case let error as IcebergError:
            switch error {
            case .tableNotFound, .namespaceNotFound: return .noInput
            case .tableAlreadyExists: return .failure
            case .commitConflict: return .conflict
            case .invalidFile: return .dataError
            case .storage(let storage): return code(for: storage)
            case .catalog: return .unavailable
            }
        case let error as StorageError:
            switch error {
            case .notFound: return .noInput
            case .unsupportedLocation: return .dataError
            case .alreadyExists, .permissionDenied, .io: return .ioError
            }
        case is ConfigError: return .config
        case is ParquetError, is AvroError, is InputError, is PlanDocumentError: return .dataError
        case is FileMissing: return .noInput
        default: return .failure
        }
    }
}

extension TableRunner {
    /// Runs `action` on each table and prints one result document per table, also for a table that failed
    /// (its error is reported on stderr too): `document` turns the outcome and the start time into the document,
    /// `render` gives its terminal form.
    func eachTable<R>(
        _ tables: [SelectedTable], output: OutputFormat, action: (SelectedTable) async throws -> R,
        document: (SelectedTable, Result<R, any Error>, Date) -> JSON, render: (JSON) -> String
    ) async {
        for selected in tables {
            let started = Date()
            var outcome: Result<R, any Error>?
            await table(selected.identifier) {
                do { outcome = .success(try await action(selected)) } catch {
                    outcome = .failure(error)
                    throw error
                }
            }
            guard let outcome else { continue }
            let json = document(selected, outcome, started)
            switch output {
            case .json: print(json.rendered())
            case .human: print(render(json))
            }
        }
    }
}
