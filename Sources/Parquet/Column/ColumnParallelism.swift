import Dispatch

/// Work on a file's columns, which are independent of one another: done side by side on several threads when
/// there is enough of it, in order on the calling thread otherwise.
enum ColumnParallelism {
    /// Bytes of column data worth spreading over threads.
    static let minimumBytes = 1 << 20

    /// `body(0..<count)`'s results in order; the error of the lowest failing index is thrown.
    static func map<Result>(
        _ count: Int, parallel: Bool, _ body: @Sendable (Int) throws(ParquetError) -> Result
    ) throws(ParquetError) -> [Result] {
        guard parallel && count > 1 else {
            var results: [Result] = []
            results.reserveCapacity(count)
            for index in 0..<count { results.append(try body(index)) }
            return results
        }
        var outcomes = [Swift.Result<Result, ParquetError>?](repeating: nil, count: count)
        outcomes.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots  // each iteration writes only its own slot
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots[index] = Swift.Result { () throws(ParquetError) in try body(index) }
            }
        }
        return try outcomes.map { outcome throws(ParquetError) in try outcome!.get() }
    }
}
