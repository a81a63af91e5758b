import ByteCoding

/// Work on a file's columns, which are independent of one another: done side by side on several threads when
/// there is enough of it, in order on the calling thread otherwise.
enum ColumnParallelism {
    /// Bytes of column data worth spreading over threads.
    static let minimumBytes = 1 << 20

    /// `body(0..<count)`'s results in order; the error of the lowest failing index is thrown.
    static func map<Result>(
        _ count: Int, parallel: Bool, _ body: @Sendable (Int) throws(ParquetError) -> Result
    ) throws(ParquetError) -> [Result] {
        try IndexedWork.map(count, parallel: parallel, body)
    }
}
