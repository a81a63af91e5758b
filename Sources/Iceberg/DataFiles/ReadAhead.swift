import Foundation

/// Decodes a rewrite's small input files ahead of its writer, several at once on threads of its own, and hands
/// each file's rows over in input order, so a task of thousands of small files keeps every core busy while the
/// writer encodes. Memory stays bounded: a file is decoded ahead only while fewer than `window` files and fewer
/// than `budgetBytes` of their stored bytes are decoded and not yet taken (one at least). Files larger than
/// `maxFileBytes` are left to the caller, which reads them one row group at a time as before.
final class ReadAhead: @unchecked Sendable {
    /// Files up to this size are decoded ahead; a larger file decodes its columns side by side on its own
    /// (`ColumnParallelism`), and holding several of them decoded would only cost memory.
    static let maxFileBytes: Int64 = 4 << 20
    /// Stored bytes of the files decoded ahead and not yet taken, at most.
    static let budgetBytes: Int64 = 16 << 20
    /// Files decoded ahead and not yet taken, at most: enough tiny files for the workers to keep decoding while the
    /// writer encodes a whole gathered piece (`DataFileRewrite.gatherBytes`, thousands of 20-row files); the
    /// byte budget is what bounds memory.
    static let defaultWindow = 8192

    private let condition = NSCondition()
    private let sizes: [Int64]
    private let window: Int
    private let decode: @Sendable (Int) throws(DataFileError) -> [DataBatch]
    // Guarded by `condition`.
    private var results: [Int: Result<[DataBatch], DataFileError>] = [:]
    private var next = 0
    private var held = 0
    private var heldBytes: Int64 = 0
    private var stopped = false
    private var liveWorkers = 0

    /// Starts `workers` threads decoding the files of `sizes` (stored bytes, nil when unknown: left to the
    /// caller) that are at most `maxFileBytes`, in order, by `decode(index)`.
    init(
        sizes: [Int64?], workers: Int = ProcessInfo.processInfo.activeProcessorCount, window: Int? = nil,
        decode: @escaping @Sendable (Int) throws(DataFileError) -> [DataBatch]
    ) {
        self.sizes = sizes.map { $0 ?? .max }
        self.window = max(1, window ?? Self.defaultWindow)
        self.decode = decode
        let count = min(max(1, workers), self.sizes.filter { $0 <= Self.maxFileBytes }.count)
        liveWorkers = count
        for _ in 0..<count {
            let thread = Thread { [self] in work() }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The size of a local file, nil when it cannot be read (the file is then opened in order, failing there).
    static func storedSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// Whether file `index` is decoded here (else the caller reads it).
    func decodesAhead(_ index: Int) -> Bool { sizes[index] <= Self.maxFileBytes }

    /// The rows of file `index` (one decoded ahead), waiting for them; the file's decoding error, if it failed.
    func take(_ index: Int) throws(DataFileError) -> [DataBatch] {
        condition.lock()
        while results[index] == nil { condition.wait() }
        let result = results.removeValue(forKey: index)!
        held -= 1
        heldBytes -= sizes[index]
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// Stops decoding and waits for the threads to finish (always call it, also after a failure).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while liveWorkers > 0 { condition.wait() }
        results = [:]
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            while next < sizes.count && sizes[next] > Self.maxFileBytes { next += 1 }
            if stopped || next >= sizes.count { break }
            guard held == 0 || (held < window && heldBytes + sizes[next] <= Self.budgetBytes) else {
                condition.wait()
                continue
            }
            let index = next
            next += 1
            held += 1
            heldBytes += sizes[index]
            condition.unlock()
            let result = Result { () throws(DataFileError) in try decode(index) }
            condition.lock()
            results[index] = result
            condition.broadcast()
        }
        liveWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }
}
