/// One page of a column chunk as `amoro inspect` lists it.
package struct PageInfo: Sendable, Hashable {
    /// Byte offset of the page header in the file.
    package var offset: Int
    package var type: PageType
    /// Value encoding (`nil` for index pages).
    package var encoding: Encoding?
    /// Level slots in a data page, entries in a dictionary page.
    package var valueCount: Int
    package var compressedSize: Int
    package var uncompressedSize: Int
    package var headerSize: Int
    /// Bytes at the start of the body stored as they are rather than compressed: a v2 data page's levels (its whole
    /// body when it says it is not compressed); 0 for other pages.
    package var uncompressedPrefix = 0
}
