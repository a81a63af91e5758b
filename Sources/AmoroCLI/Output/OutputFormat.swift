#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a command prints its documents: a readable table for a person at a terminal, JSON for pipes and files.
enum OutputFormat: Sendable {
    case human
    case json

    /// JSON when asked for, or when standard output is not a terminal.
    static func choose(forceJSON: Bool) -> OutputFormat {
        forceJSON || isatty(STDOUT_FILENO) == 0 ? .json : .human
    }
}

/// Prints one table's document (or its rendering) and flushes standard output at once: a later table that fails,
/// or a crash, never costs an earlier table its printed result.
func emit(_ text: String) {
    print(text)
    fflush(nil)  // every output stream; `stdout` itself is not concurrency-safe to name
}

/// A plain-text table with aligned columns, for terminal output.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    func rendered() -> String {
        let columns = headers.count
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.prefix(columns).enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.prefix(columns).enumerated().map { index, cell in
                index == columns - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}
