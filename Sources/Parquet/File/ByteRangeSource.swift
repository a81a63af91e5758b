#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Random access to a file's bytes: a local file through `pread` now, object-store ranged GETs later.
package protocol ByteRangeSource: Sendable {
    /// Total size in bytes.
    var size: Int { get }
    /// Exactly `count` bytes starting at `offset` (both already checked against `size` by the caller).
    func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8]
}

/// A local file read with `pread`, so several readers can share it.
package final class LocalFileSource: ByteRangeSource {
    private let descriptor: Int32
    package let size: Int
    package let path: String

    package init(path: String) throws(ParquetError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .invalidArgument("cannot open \(path): \(String(cString: strerror(errno)))") }
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else {
            close(descriptor)
            throw .invalidArgument("cannot seek \(path): \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.size = Int(end)
        self.path = path
    }

    deinit { close(descriptor) }

    package func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw .corrupt("range \(offset)+\(count) is outside the \(size)-byte file")
        }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                if got <= 0 {
                    failure = got < 0 ? errno : EIO
                    break
                }
                done += got
            }
            initialized = done
        }
        guard failure == 0, bytes.count == count else {
            throw .corrupt("reading \(path) at \(offset): \(String(cString: strerror(failure == 0 ? EIO : failure)))")
        }
        return bytes
    }
}

/// Bytes already in memory (tests, and files fetched whole).
package struct MemorySource: ByteRangeSource {
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var size: Int { bytes.count }

    package func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw .corrupt("range \(offset)+\(count) is outside the \(size)-byte buffer")
        }
        return Array(bytes[offset..<offset + count])
    }
}
