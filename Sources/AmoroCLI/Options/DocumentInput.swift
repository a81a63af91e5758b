import Foundation
import JSONCoding

/// Documents read one per line from a file, or from standard input when no file is named; blank lines are skipped.
/// A line that is not a valid document is an `InputError` naming the file and line.
enum DocumentInput {
    static func read<Value>(from path: String?, _ decode: (JSON) throws -> Value) throws -> [Value] {
        var lines: [String] = []
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw FileMissing(description: "\(path): no such file or not readable")
            }
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } else {
            while let line = readLine(strippingNewline: true) { lines.append(line) }
        }
        var values: [Value] = []
        for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            do {
                values.append(try decode(try JSON.parse(line)))
            } catch {
                throw InputError("\(path ?? "stdin") line \(number + 1): \(error)")
            }
        }
        return values
    }
}
