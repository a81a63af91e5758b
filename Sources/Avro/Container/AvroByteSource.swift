#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a container file's bytes come from: memory, a local file, or any random-access reader (a storage range
/// reader, say). `AvroFileReader` reads the header and then one block at a time from it, so a file never has to be
/// in memory whole.
package protocol AvroByteSource: Sendable {
    /// The file's size in bytes.
    var size: Int { get }
    /// `count` bytes starting at `offset`; the reader only asks for ranges inside `size`.
    func read(at offset: Int, count: Int) throws(AvroError) -> [UInt8]
}

/// A file already in memory.
package struct AvroMemorySource: AvroByteSource {
    package let bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var size: Int { bytes.count }

    package func read(at offset: Int, count: Int) throws(AvroError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else {
            throw .io("range \(offset)..<\(offset + count) is outside the \(bytes.count) bytes in memory")
        }
        return Array(bytes[offset..<offset + count])
    }
}

/// A local file read with `pread`, so reads at different offsets need no shared position.
package final class AvroLocalFile: AvroByteSource {
    private let descriptor: Int32
    package let size: Int
    package let path: String

    package init(path: String) throws(AvroError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .io("cannot find the size of \(path): \(reason)")
        }
        self.descriptor = descriptor
        self.size = Int(end)
        self.path = path
    }

    deinit { close(descriptor) }

    package func read(at offset: Int, count: Int) throws(AvroError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size - count else {
            throw .io("range \(offset)..<\(offset + count) is outside \(path) (\(size) bytes)")
        }
        guard count > 0 else { return [] }
        var failure: AvroError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let result = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if result > 0 {
                    done += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    let reason = result == 0 ? "the file ended early" : String(cString: strerror(errno))
                    failure = .io("cannot read \(count) bytes at \(offset) of \(path): \(reason)")
                    break
                }
            }
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return bytes
    }
}
