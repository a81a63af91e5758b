import Documents
import FuzzSupport
import JSONCoding
import Planning

/// An NDJSON file of `amoro.plan` documents as `amoro compact --plan` reads it: each line parsed as JSON, then
/// checked field by field into an `OptimizingPlan` (`Documents`), encoded again and rendered for a terminal.
/// Refusals are `JSONError`s and `DocumentError`s; a trap is a finding. (Checking a plan against its table,
/// `CheckedPlan`, needs a table and is not reached.)
enum FuzzPlanDocument {
    static func run(_ input: [UInt8]) {
        for line in FuzzInput.lines(input) ?? [] {
            guard let json = try? JSON.parse(line), let plan = try? OptimizingPlan(json: json) else { continue }
            _ = plan.json.rendered()
            _ = plan.rendered()
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzPlanDocument.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzPlanDocument {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
