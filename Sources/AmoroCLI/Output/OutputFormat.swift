#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

import Documents
import JSONCoding

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

/// Prints one document: its JSON, or its terminal form.
func emit(_ document: some Document, _ format: OutputFormat) {
    switch format {
    case .json: emit(document.json.rendered())
    case .human: emit(document.rendered())
    }
}
