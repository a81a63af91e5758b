#if canImport(Glibc)
    import Glibc

    private let systemWrite = Glibc.write
    private let systemClose = Glibc.close
#elseif canImport(Darwin)
    import Darwin

    private let systemWrite = Darwin.write
    private let systemClose = Darwin.close
#endif

/// Where a writer streams a file's bytes, in order.
package protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws(ParquetError)
    /// Flushes and releases the destination; called once, after the last write.
    func close() throws(ParquetError)
}

/// A local file, created or truncated. Small writes (page headers) are gathered into 1 MiB before reaching the
/// file. A durable sink syncs the file to disk (fsync(2)) when it is closed.
package final class FileSink: ByteSink {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    package let path: String
    private let durable: Bool
    private static let bufferSize = 1 << 20

    package init(path: String, durable: Bool = false) throws(ParquetError) {
        self.durable = durable
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .invalidArgument("cannot create \(path): \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { if descriptor >= 0 { _ = systemClose(descriptor) } }

    package func write(_ bytes: [UInt8]) throws(ParquetError) {
        guard descriptor >= 0 else { throw .invalidArgument("writing \(path): the file is closed") }
        if buffer.count + bytes.count <= Self.bufferSize {
            buffer += bytes
            return
        }
        try drain()
        if bytes.count >= Self.bufferSize { try writeFully(bytes) } else { buffer += bytes }
    }

    package func close() throws(ParquetError) {
        guard descriptor >= 0 else { return }
        defer {
            _ = systemClose(descriptor)
            descriptor = -1
        }
        try drain()
        if durable && fsync(descriptor) != 0 {
            throw .invalidArgument("syncing \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func drain() throws(ParquetError) {
        guard !buffer.isEmpty else { return }
        try writeFully(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeFully(_ bytes: [UInt8]) throws(ParquetError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let wrote = systemWrite(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if wrote < 0 && errno == EINTR { continue }
                if wrote <= 0 {
                    failure = wrote < 0 ? errno : EIO
                    return
                }
                done += wrote
            }
        }
        guard failure == 0 else { throw .invalidArgument("writing \(path): \(String(cString: strerror(failure)))") }
    }
}

/// An in-memory destination (tests, and small files uploaded whole).
package final class MemorySink: ByteSink {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package func write(_ bytes: [UInt8]) throws(ParquetError) { self.bytes += bytes }
    package func close() throws(ParquetError) {}
}
