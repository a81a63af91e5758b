import CZstd
import Synchronization

/// zstd frames through libzstd.
enum Zstd {
    /// Contexts are reused: a new one per page costs allocations and freshly faulted pages every time.
    private static let compressionContexts = ContextPool(free: { _ = ZSTD_freeCCtx($0) })
    private static let decompressionContexts = ContextPool(free: { _ = ZSTD_freeDCtx($0) })

    static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(CompressionError) -> [UInt8] {
        let level = Int32(clamping: level ?? 3)
        guard (ZSTD_minCLevel()...ZSTD_maxCLevel()).contains(level) else {
            throw .unsupported(.zstd, "compression level \(level)")
        }
        guard let context = compressionContexts.take() ?? ZSTD_createCCtx() else {
            throw .library(.zstd, "cannot create a context")
        }
        defer { compressionContexts.give(context) }
        let bound = ZSTD_compressBound(input.count)
        var written = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            written = ZSTD_compressCCtx(context, buffer.baseAddress, bound, input.baseAddress, input.count, level)
            count = ZSTD_isError(written) != 0 ? 0 : written
        }
        if ZSTD_isError(written) != 0 { throw .library(.zstd, String(cString: ZSTD_getErrorName(written))) }
        return output
    }

    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int?, sizeLimit: Int) throws(CompressionError)
        -> [UInt8]
    {
        guard let context = decompressionContexts.take() ?? ZSTD_createDCtx() else {
            throw .library(.zstd, "cannot create a context")
        }
        // A context left inside a frame by corrupt input is reset before its next use.
        defer {
            ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
            decompressionContexts.give(context)
        }
        var output = [UInt8](repeating: 0, count: max(expectedSize ?? 0, 0))
        if expectedSize == nil {
            let declared = ZSTD_getFrameContentSize(input.baseAddress, input.count)
            if declared == ZSTD_CONTENTSIZE_ERROR { throw .corrupt(.zstd, "not a zstd frame") }
            if declared != ZSTD_CONTENTSIZE_UNKNOWN {
                guard declared <= UInt64(sizeLimit) else {
                    throw .corrupt(.zstd, "declared size \(declared) is over the limit \(sizeLimit)")
                }
                output = [UInt8](repeating: 0, count: Int(declared))
            } else {
                output = [UInt8](repeating: 0, count: max(64, min(sizeLimit, input.count * 4)))
            }
        }
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var produced = 0
        while true {
            if produced == output.count {
                guard expectedSize != nil || output.count < sizeLimit else {
                    throw .corrupt(.zstd, "decompresses to more than \(sizeLimit) bytes")
                }
                output.append(contentsOf: repeatElement(0, count: expectedSize == nil ? max(output.count, 64) : 1))
            }
            let result = output.withUnsafeMutableBytes { out in
                var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: produced)
                let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                produced = outBuffer.pos
                return result
            }
            if ZSTD_isError(result) != 0 { throw .corrupt(.zstd, String(cString: ZSTD_getErrorName(result))) }
            if let expectedSize, produced > expectedSize {
                throw .corrupt(.zstd, "decompresses to more than the expected \(expectedSize) bytes")
            }
            if result == 0 && inBuffer.pos == inBuffer.size { break }  // all frames done
            if inBuffer.pos == inBuffer.size && produced < output.count {
                throw .corrupt(.zstd, "input ends inside a frame")
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}

/// A few idle libzstd contexts, shared by every thread: `take` hands one out (nil when none is idle), `give`
/// takes it back, or frees it when enough are idle already.
private final class ContextPool: Sendable {
    /// A context owned by the pool while idle.
    private struct Idle: @unchecked Sendable { let context: OpaquePointer }
    private let idle = Mutex<[Idle]>([])
    private let free: @Sendable (OpaquePointer) -> Void
    private static let maximumIdle = 16

    init(free: @escaping @Sendable (OpaquePointer) -> Void) { self.free = free }

    func take() -> OpaquePointer? { idle.withLock { $0.popLast()?.context } }

    func give(_ context: OpaquePointer) {
        let kept = idle.withLock { contexts in
            guard contexts.count < Self.maximumIdle else { return false }
            contexts.append(Idle(context: context))
            return true
        }
        if !kept { free(context) }
    }
}
