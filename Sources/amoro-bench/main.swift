// Benchmark driver for scripts/bench-*: each subcommand runs one hot path of amoro on the given files and prints
// one JSON line with what it measured, so the scripts can put it beside the peers' numbers from the same run.
// Not a product and not a test: timing assertions never run in the test suite.
import Foundation

let benches: [String: Bench] = Bench.all

guard CommandLine.arguments.count >= 2, let bench = benches[CommandLine.arguments[1]] else {
    let names = benches.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: amoro-bench <\(names)> ARGS...\n".utf8))
    exit(64)
}
do {
    try bench.run(Array(CommandLine.arguments.dropFirst(2)))
} catch {
    FileHandle.standardError.write(Data("amoro-bench: \(error)\n".utf8))
    exit(1)
}
