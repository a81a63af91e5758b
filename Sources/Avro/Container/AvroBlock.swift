/// One data block of a container file, decompressed: what `amoro inspect` shows per block, and the bytes the
/// records are decoded from.
package struct AvroBlock: Sendable {
    /// Byte offset of the block (its record count) in the file.
    package let offset: Int
    package let recordCount: Int
    /// The block's data size as stored (compressed).
    package let compressedSize: Int
    /// The serialized records, decompressed.
    package let data: [UInt8]

    package var uncompressedSize: Int { data.count }
}
