import Dispatch

/// Independent pieces of work over `0..<count` (a file's columns, a container's blocks): done side by side on
/// every core when asked to, in order on the calling thread otherwise; results come back in index order.
package enum IndexedWork {
    /// `body(0..<count)`'s results in order; the error of the lowest failing index is thrown.
    package static func map<Result, Failure: Error>(
        _ count: Int, parallel: Bool, _ body: @Sendable (Int) throws(Failure) -> Result
    ) throws(Failure) -> [Result] {
        guard parallel && count > 1 else {
            var results: [Result] = []
            results.reserveCapacity(count)
            for index in 0..<count { results.append(try body(index)) }
            return results
        }
        var outcomes = [Swift.Result<Result, Failure>?](repeating: nil, count: count)
        outcomes.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots  // each iteration writes only its own slot
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots[index] = Swift.Result { () throws(Failure) in try body(index) }
            }
        }
        return try outcomes.map { outcome throws(Failure) in try outcome!.get() }
    }
}
