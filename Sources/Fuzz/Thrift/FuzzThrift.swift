import FuzzSupport
import Parquet

/// Thrift compact bytes read as a Parquet footer (`FileMetaData`, then its schema tree) and as the other structs
/// Parquet reads from files (page header, offset and column index). A decoded footer must write back to bytes that
/// decode to the same value. Refusals are `ParquetError`s; a trap is a finding.
enum FuzzThrift {
    static func run(_ input: [UInt8]) {
        input.withUnsafeBytes { bytes in
            do {
                let metadata = try FileMetaData(bytes: bytes)
                var writer = ThriftCompactWriter()
                metadata.write(to: &writer)
                let again = try writer.bytes.withUnsafeBytes { written in
                    Result { () throws(ParquetError) in try FileMetaData(bytes: written) }
                }.get()
                precondition(again == metadata, "FileMetaData does not survive writing and reading back")
                _ = try ParquetSchema(elements: metadata.schema)
            } catch {}
            do {
                var reader = ThriftCompactReader(bytes)
                _ = try PageHeader(from: &reader)
            } catch {}
            do {
                var reader = ThriftCompactReader(bytes)
                _ = try OffsetIndex(from: &reader)
            } catch {}
            do {
                var reader = ThriftCompactReader(bytes)
                _ = try ColumnIndex(from: &reader)
            } catch {}
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzThrift.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzThrift {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
