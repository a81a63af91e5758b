import Avro
import FuzzSupport

/// An Avro object container file: header (magic, metadata, schema, codec, sync marker), then every block
/// decompressed and every record decoded, once with the writer's schema and once resolved by name against it.
/// Refusals are `AvroError`s; a trap is a finding.
enum FuzzAvro {
    static func run(_ input: [UInt8]) {
        guard var reader = try? AvroFileReader(bytes: input) else { return }
        do {
            while let block = try reader.nextBlock() { _ = try reader.records(in: block) }
        } catch {}
        guard var resolved = try? AvroFileReader(bytes: input, readerSchema: reader.header.schema) else { return }
        do {
            while let block = try resolved.nextBlock() { _ = try resolved.records(in: block) }
        } catch {}
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzAvro.run(FuzzInput.bytes(data, size))
    return 0
}

@main extension FuzzAvro {
    static func main() { FuzzInput.main(fuzzerTestOneInput, run) }
}
