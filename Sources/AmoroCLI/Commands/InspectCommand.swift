import ArgumentParser

struct InspectCommand: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a Parquet or Avro file's schema, metadata, layout and statistics, or its rows.")

    @Argument(help: "The Parquet or Avro file.", completion: .file(extensions: ["parquet", "avro"]))
    var file: String

    @Flag(help: "Print JSON even on a terminal.")
    var json = false

    @Flag(help: "Print the rows as JSON lines instead of the layout.")
    var rows = false

    @Option(help: "With --rows: print at most this many rows.")
    var limit: Int?

    @Option(help: "With --rows: only these columns (comma-separated).")
    var columns: String?
}
