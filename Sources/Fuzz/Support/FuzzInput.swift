import CFuzzer
import Foundation

/// What every fuzz target shares: its `main`, the input as bytes, and NDJSON lines.
package enum FuzzInput {
    /// A target's `main`. Built with `-sanitize=fuzzer -DFUZZING`, libFuzzer's driver calling `testOneInput`
    /// (SwiftPM names every executable's entry point, so libFuzzer's own `main` cannot be it); otherwise a replayer
    /// of the files named on the command line: `FuzzParquet crash-… Tests/Fuzz/Parquet` runs `body` on each file,
    /// a folder's files in order.
    package static func main(
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32, _ body: ([UInt8]) -> Void
    ) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        replay(CommandLine.arguments.dropFirst(), body)
        exit(0)
        #endif
    }

    /// libFuzzer's input, copied (an empty input has no pointer).
    package static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Runs `body` on every file named in `arguments` (a folder stands for its files); exits 1 when one is unreadable.
    static func replay(_ arguments: some Sequence<String>, _ body: ([UInt8]) -> Void) {
        let manager = FileManager.default
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: argument, isDirectory: &isFolder) else {
                print("\(argument): no such file")
                exit(1)
            }
            let paths =
                isFolder.boolValue
                ? ((try? manager.contentsOfDirectory(atPath: argument)) ?? []).sorted().map { "\(argument)/\($0)" }
                : [argument]
            for path in paths {
                guard let data = manager.contents(atPath: path) else {
                    print("\(path): not readable")
                    exit(1)
                }
                body([UInt8](data))
                print("\(path): ok")
            }
        }
    }

    /// The non-blank lines of an NDJSON input as the commands that read documents see them; nil when the input is
    /// not UTF-8 (they refuse such a file before parsing).
    package static func lines(_ bytes: [UInt8]) -> [String]? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.allSatisfy(\.isWhitespace) }
            .map(String.init)
    }
}
