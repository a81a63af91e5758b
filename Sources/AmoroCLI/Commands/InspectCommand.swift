import ArgumentParser
import Foundation
import Avro
import JSONCoding
import Parquet

/// `amoro inspect FILE`: what parquet-tools and avro-tools show, for Parquet and Avro files.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a Parquet or Avro file's schema, metadata, layout and statistics, or its rows.",
        discussion: """
            The layout is one amoro.inspect JSON document (a readable summary on a terminal): for Parquet the \
            footer, schema with field ids, row groups and per column chunk its codec, encodings, sizes and \
            statistics (--pages adds every page); for Avro the header, schema, codec, metadata and every block. \
            With --rows the rows are printed instead, one JSON object per line keyed by column name, values in \
            Iceberg's JSON single-value form (decimals as strings, ISO-8601 dates and timestamps with \
            microseconds, +00:00 when adjusted to UTC, binary as hex, maps as {"keys": [...], "values": [...]}).
            """)

    @Argument(help: "The Parquet or Avro file.", completion: .file(extensions: ["parquet", "avro"]))
    var file: String

    @OptionGroup var output: OutputOptions

    @Flag(help: "Print the rows as JSON lines instead of the layout.")
    var rows = false

    @Option(help: "With --rows: print at most this many rows.")
    var limit: Int?

    @Option(help: "With --rows: only these top-level columns (comma-separated).")
    var columns: String?

    @Flag(help: "With Parquet: list every page of every column chunk.")
    var pages = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative.") }
        if !rows && (limit != nil || columns != nil) { throw ValidationError("--limit and --columns go with --rows.") }
    }

    enum Format { case parquet, avro }

    func run() async throws {
        let runner = TableRunner(command: "inspect")
        try await runner.run {
            do {
                try inspect()
            } catch let error as ParquetError {
                throw InputError("\(file): \(error)")
            } catch let error as AvroError {
                throw InputError("\(file): \(error)")
            }
        }
    }

    private func inspect() throws {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw FileMissing(description: "\(file): no such file or not readable")
        }
        let magic = [UInt8](handle.readData(ofLength: 4))
        let size = Int(handle.seekToEndOfFile())
        try? handle.close()
        let format: Format
        switch magic {
        // PARE starts a Parquet file with an encrypted footer, which the reader refuses by name.
        case Array("PAR1".utf8), Array("PARE".utf8): format = .parquet
        case [0x4F, 0x62, 0x6A, 0x01]: format = .avro
        default: throw InputError("\(file): not a Parquet or Avro file (its first bytes are neither PAR1 nor Obj\\x01)")
        }
        let selected = columns.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if rows {
            let emit: (JSON) -> Void = { print($0.rendered()) }
            switch format {
            case .parquet: try ParquetInspection.rows(path: file, columns: selected, limit: limit, emit)
            case .avro: try AvroInspection.rows(path: file, columns: selected, limit: limit, emit)
            }
            return
        }
        let document = switch format {
        case .parquet: try ParquetInspection.document(path: file, size: size, pages: pages)
        case .avro: try AvroInspection.document(path: file, size: size)
        }
        emit(document, output.format)
    }
}

/// The file to inspect does not exist.
struct FileMissing: Error, CustomStringConvertible {
    let description: String
}
