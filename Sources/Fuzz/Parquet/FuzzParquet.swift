import FuzzSupport
import Parquet

/// A whole Parquet file in memory: the footer, then every row group's column chunks (page headers, decompression,
/// levels and values), assembled into rows, and each chunk's page list, offset index and column index. Refusals are
/// `ParquetError`s; a trap is a finding.
enum FuzzParquet {
    static func run(_ input: [UInt8]) {
        guard let reader = try? ParquetFileReader(source: MemorySource(input)) else { return }
        for group in 0..<reader.rowGroupCount {
            do {
                let columns = try reader.readRowGroup(group)
                _ = try RecordAssembler.rows(schema: reader.schema, columns: columns)
            } catch {}
            for column in reader.schema.columns.indices {
                _ = try? reader.pages(rowGroup: group, column: column)
                _ = try? reader.offsetIndex(rowGroup: group, column: column)
                _ = try? reader.columnIndex(rowGroup: group, column: column)
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzParquet.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzParquet {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
