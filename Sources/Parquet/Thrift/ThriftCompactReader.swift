import ByteCoding

/// A reader of the Thrift compact protocol over borrowed bytes, hand-written for Parquet's footer and page headers
/// (no generated code, no Thrift dependency).
///
/// The protocol as implemented: a field header is one byte, field-id delta (1...15) in the high nibble and wire
/// type in the low one, delta 0 meaning a zigzag varint id follows, type 0 being STOP; booleans live in the header
/// type (1 true, 2 false). i8 is one byte, i16/i32/i64 zigzag varints, doubles 8 bytes little-endian, binary a
/// varint length then bytes. A list header is one byte, size in the high nibble (15: a varint size follows) and
/// element type in the low one; boolean elements are a byte each. A map is a varint size then, when non-empty, a
/// byte of key and value types.
///
/// Declaring a format struct: `init(from: inout ThriftCompactReader)` calls `readStruct { reader, field in ... }`,
/// switches on `field.id`, reads with the type-checked accessors (`i32(field)`, `string(field)`, `list(field)`,
/// `enumeration(field)`...) and returns `false` for ids it does not know, which are then skipped; required fields
/// are optionals while reading, checked once at the end. A known field whose wire type is not the one its accessor
/// reads is skipped the same way, as Apache Thrift's generated readers (parquet-java's, Arrow C++'s) do: writers
/// have put other types under ids the format later gave to a field (parquet-mr forks wrote a list as
/// `ColumnMetaData` field 15, now `bloom_filter_length`); a required field so skipped is then missing.
/// `write(to: inout ThriftCompactWriter)` writes fields in increasing id order between `beginStruct()` and
/// `endStruct()`.
///
/// Hostile input: every length is checked against the remaining bytes before anything is allocated (and list
/// capacity is reserved for at most 1024 elements, growing with what parses); unknown fields are skipped, nested
/// structs, lists and maps included, with nesting limited to `maxDepth`; a wrong wire type, truncated value,
/// overlong varint or unknown enum value is a clean `ParquetError`.
package struct ThriftCompactReader {
    package var bytes: ByteReader
    private var depth = 0
    /// The field an accessor just refused for its wire type (with the offset of its value), for `readStruct` to skip.
    private var refusedField: (id: Int16, offset: Int)?
    /// Deepest struct/list/map nesting accepted (Parquet's own structs nest at most 7 deep).
    package static let maxDepth = 64

    package init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        bytes = ByteReader(buffer, offset: offset)
    }

    package var offset: Int { bytes.offset }

    // MARK: Structs

    /// Reads a struct: calls `body` for every field until STOP; fields it declines (returns false), or whose wire
    /// type its accessor refuses, are skipped.
    package mutating func readStruct(
        _ body: (inout ThriftCompactReader, ThriftField) throws(ParquetError) -> Bool
    ) throws(ParquetError) {
        try enter()
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            guard let type = ThriftType(rawValue: header & 0x0F) else {
                throw .corrupt("Thrift: unknown field type \(header & 0x0F) at byte \(offset - 1)")
            }
            if type == .stop { break }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta != 0 {
                let (sum, overflow) = lastID.addingReportingOverflow(delta)
                guard !overflow else { throw .corrupt("Thrift: field id overflow at byte \(offset - 1)") }
                id = sum
            } else {
                id = try readI16()
            }
            lastID = id
            let field = ThriftField(id: id, type: type)
            let start = offset
            let handled: Bool
            do {
                handled = try body(&self, field)
            } catch {
                guard let refused = refusedField, refused.id == id, refused.offset == start else { throw error }
                handled = false
            }
            refusedField = nil
            if !handled { try skip(type) }
        }
        depth -= 1
    }

    private mutating func enter() throws(ParquetError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw .corrupt("Thrift: nesting deeper than \(Self.maxDepth)") }
    }

    // MARK: Values with their field header (type-checked)

    package mutating func bool(_ field: ThriftField) throws(ParquetError) -> Bool {
        switch field.type {
        case .booleanTrue: return true
        case .booleanFalse: return false
        default: throw refuse(field, "bool")
        }
    }

    package mutating func i8(_ field: ThriftField) throws(ParquetError) -> Int8 {
        try expect(field, .byte, "i8")
        return Int8(bitPattern: try byte())
    }

    package mutating func i16(_ field: ThriftField) throws(ParquetError) -> Int16 {
        try expect(field, .i16, "i16")
        return try readI16()
    }

    package mutating func i32(_ field: ThriftField) throws(ParquetError) -> Int32 {
        try expect(field, .i32, "i32")
        return try readI32()
    }

    package mutating func i64(_ field: ThriftField) throws(ParquetError) -> Int64 {
        try expect(field, .i64, "i64")
        return try readI64()
    }

    package mutating func double(_ field: ThriftField) throws(ParquetError) -> Double {
        try expect(field, .double, "double")
        return try readDouble()
    }

    package mutating func binary(_ field: ThriftField) throws(ParquetError) -> [UInt8] {
        try expect(field, .binary, "binary")
        return try readBinary()
    }

    package mutating func string(_ field: ThriftField) throws(ParquetError) -> String {
        try expect(field, .binary, "string")
        return try readString()
    }

    /// A list field whose elements `element` reads one at a time (given the element wire type).
    package mutating func list<T>(
        _ field: ThriftField, _ element: (inout ThriftCompactReader, ThriftType) throws(ParquetError) -> T
    ) throws(ParquetError) -> [T] {
        guard field.type == .list || field.type == .set else { throw refuse(field, "list") }
        return try readList(element)
    }

    package mutating func structField(
        _ field: ThriftField, _ body: (inout ThriftCompactReader, ThriftField) throws(ParquetError) -> Bool
    ) throws(ParquetError) {
        try expect(field, .struct, "struct")
        try readStruct(body)
    }

    // MARK: Bare values (list elements)

    package mutating func readI16() throws(ParquetError) -> Int16 {
        let value = try readI64()
        guard let narrow = Int16(exactly: value) else { throw .corrupt("Thrift: i16 out of range at byte \(offset)") }
        return narrow
    }

    package mutating func readI32() throws(ParquetError) -> Int32 {
        do { return try bytes.readZigZagInt32() } catch { throw ParquetError(error, in: "Thrift i32") }
    }

    package mutating func readI64() throws(ParquetError) -> Int64 {
        do { return try bytes.readZigZagInt64() } catch { throw ParquetError(error, in: "Thrift i64") }
    }

    package mutating func readDouble() throws(ParquetError) -> Double {
        do { return try bytes.readDouble() } catch { throw ParquetError(error, in: "Thrift double") }
    }

    /// A boolean list element: 1 is true, 0 or 2 is false.
    package mutating func readBoolElement() throws(ParquetError) -> Bool {
        let value = try byte()
        guard value <= 2 else { throw .corrupt("Thrift: bad boolean \(value) at byte \(offset - 1)") }
        return value == 1
    }

    /// A length-prefixed byte string; the length is checked against the remaining bytes first.
    package mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let count = try length("binary")
        do { return Array(try bytes.readBytes(count)) } catch { throw ParquetError(error, in: "Thrift binary") }
    }

    package mutating func readString() throws(ParquetError) -> String {
        let count = try length("string")
        do { return String(decoding: try bytes.readBytes(count), as: UTF8.self) } catch {
            throw ParquetError(error, in: "Thrift string")
        }
    }

    /// Reads a list header then each element with `element`. The declared size is checked against the remaining
    /// bytes (every element takes at least one byte), so a lying size cannot cause a large allocation.
    package mutating func readList<T>(
        _ element: (inout ThriftCompactReader, ThriftType) throws(ParquetError) -> T
    ) throws(ParquetError) -> [T] {
        let (type, count) = try listHeader()
        try enter()
        var result: [T] = []
        // Elements can be far larger in memory than on the wire: reserve little, grow with what really parses.
        result.reserveCapacity(min(count, 1024))
        for _ in 0..<count { result.append(try element(&self, type)) }
        depth -= 1
        return result
    }

    // MARK: Skipping

    /// Skips one value of wire type `type`, however deeply nested (up to `maxDepth`).
    package mutating func skip(_ type: ThriftType) throws(ParquetError) {
        switch type {
        case .stop: throw .corrupt("Thrift: STOP where a value was expected at byte \(offset)")
        case .booleanTrue, .booleanFalse: return
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try readI64()
        case .double: try skipBytes(8)
        case .binary: try skipBytes(try length("binary"))
        case .list, .set:
            let (elementType, count) = try listHeader()
            try enter()
            for _ in 0..<count {
                if elementType == .booleanTrue || elementType == .booleanFalse { _ = try byte() } else {
                    try skip(elementType)
                }
            }
            depth -= 1
        case .map:
            let count = try length("map")
            guard count > 0 else { return }
            let types = try byte()
            guard let keyType = ThriftType(rawValue: types >> 4), let valueType = ThriftType(rawValue: types & 0x0F)
            else { throw .corrupt("Thrift: bad map types \(types) at byte \(offset - 1)") }
            guard count <= bytes.remaining / 2 else { throw .corrupt("Thrift: map size \(count) past the end") }
            try enter()
            for _ in 0..<count {
                try skipElement(keyType)
                try skipElement(valueType)
            }
            depth -= 1
        case .struct: try readStruct { _, _ throws(ParquetError) in false }
        }
    }

    private mutating func skipElement(_ type: ThriftType) throws(ParquetError) {
        if type == .booleanTrue || type == .booleanFalse { _ = try byte() } else { try skip(type) }
    }

    // MARK: Primitives

    private mutating func listHeader() throws(ParquetError) -> (ThriftType, Int) {
        let header = try byte()
        guard let type = ThriftType(rawValue: header & 0x0F), type != .stop else {
            throw .corrupt("Thrift: bad list element type \(header & 0x0F) at byte \(offset - 1)")
        }
        var count = Int(header >> 4)
        if count == 15 { count = try length("list") }
        guard count <= bytes.remaining else {
            throw .corrupt("Thrift: list of \(count) elements past the end at byte \(offset)")
        }
        return (type, count)
    }

    private mutating func length(_ what: String) throws(ParquetError) -> Int {
        let raw: UInt64
        do { raw = try bytes.readVarUInt64() } catch { throw ParquetError(error, in: "Thrift \(what) length") }
        guard raw <= UInt64(bytes.remaining) else {
            throw .corrupt("Thrift: \(what) length \(raw) past the end at byte \(offset)")
        }
        return Int(raw)
    }

    private mutating func byte() throws(ParquetError) -> UInt8 {
        do { return try bytes.readByte() } catch { throw ParquetError(error, in: "Thrift") }
    }

    private mutating func skipBytes(_ count: Int) throws(ParquetError) {
        do { try bytes.skip(count) } catch { throw ParquetError(error, in: "Thrift") }
    }

    private mutating func expect(_ field: ThriftField, _ type: ThriftType, _ name: String) throws(ParquetError) {
        guard field.type == type else { throw refuse(field, name) }
    }

    /// Records that `field` is not of the wire type read for it: `readStruct` then skips it. The error is what a
    /// caller outside `readStruct` sees.
    private mutating func refuse(_ field: ThriftField, _ expected: String) -> ParquetError {
        refusedField = (field.id, offset)
        return .corrupt("Thrift: field \(field.id) has wire type \(field.type), expected \(expected), at byte \(offset)")
    }
}
