import Documents
import FuzzSupport
import JSONCoding

/// An NDJSON file of `amoro.task-result` documents as `amoro commit` reads it: each line parsed as JSON, then checked
/// field by field into a `TaskResult` (`Documents`), encoded again and rendered for a terminal. Refusals are
/// `JSONError`s and `DocumentError`s; a trap is a finding. (Checking a result against its table and plan,
/// `TaskResultsCommit`, needs a table and is not reached.)
enum FuzzTaskResult {
    static func run(_ input: [UInt8]) {
        for line in FuzzInput.lines(input) ?? [] {
            guard let json = try? JSON.parse(line), let document = try? TaskResultDocument(json: json) else { continue }
            _ = document.json.rendered()
            _ = document.rendered()
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTaskResult.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzTaskResult {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
