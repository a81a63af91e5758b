import Foundation

/// One benchmark: a name, and a body that measures and prints a JSON line.
struct Bench: Sendable {
    let name: String
    let run: @Sendable ([String]) throws -> Void

    /// Every benchmark, by name. Each format adds its own in a `Bench+<Format>.swift` file.
    static var all: [String: Bench] {
        Dictionary(uniqueKeysWithValues: (compression + avro + parquet + scan + dataFiles + maintenance).map { ($0.name, $0) })
    }

    /// Seconds taken by `body`, best of `repeats` runs (the minimum is the least disturbed by other work).
    static func bestTime(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// Prints one result line: `{"bench": name, ...fields}`.
    static func report(_ name: String, _ fields: [String: Any]) throws {
        var object = fields
        object["bench"] = name
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
