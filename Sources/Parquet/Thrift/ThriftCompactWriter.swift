import ByteCoding

/// A writer of the Thrift compact protocol: format structs write their fields in increasing id order between
/// `beginStruct` and `endStruct`; field-id deltas are tracked per nesting level.
package struct ThriftCompactWriter {
    package var output: ByteWriter
    private var lastIDs: [Int16] = []
    private var lastID: Int16 = 0

    package init(capacity: Int = 256) { output = ByteWriter(capacity: capacity) }

    package var bytes: [UInt8] { output.bytes }

    // MARK: Structs and fields

    package mutating func beginStruct() {
        lastIDs.append(lastID)
        lastID = 0
    }

    package mutating func endStruct() {
        output.writeByte(0)
        lastID = lastIDs.popLast() ?? 0
    }

    /// Writes a field header (short form when the id delta fits 4 bits).
    package mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = Int(id) - Int(lastID)
        if delta > 0 && delta <= 15 {
            output.writeByte(UInt8(delta) << 4 | type.rawValue)
        } else {
            output.writeByte(type.rawValue)
            output.writeZigZag(Int64(id))
        }
        lastID = id
    }

    package mutating func bool(_ id: Int16, _ value: Bool) { fieldHeader(id, value ? .booleanTrue : .booleanFalse) }

    package mutating func i8(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        output.writeByte(UInt8(bitPattern: value))
    }

    package mutating func i16(_ id: Int16, _ value: Int16) {
        fieldHeader(id, .i16)
        output.writeZigZag(Int64(value))
    }

    package mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        output.writeZigZag(Int64(value))
    }

    package mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        output.writeZigZag(value)
    }

    package mutating func double(_ id: Int16, _ value: Double) {
        fieldHeader(id, .double)
        output.writeDouble(value)
    }

    package mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        writeBinary(value)
    }

    package mutating func string(_ id: Int16, _ value: String) {
        fieldHeader(id, .binary)
        writeString(value)
    }

    /// Starts a struct-typed field; close it with `endStruct`.
    package mutating func beginStructField(_ id: Int16) {
        fieldHeader(id, .struct)
        beginStruct()
    }

    /// Starts a list-typed field of `count` elements of `elementType`; write the elements with the bare writers.
    package mutating func beginListField(_ id: Int16, _ elementType: ThriftType, count: Int) {
        fieldHeader(id, .list)
        listHeader(elementType, count: count)
    }

    // MARK: Bare values (list elements)

    package mutating func listHeader(_ elementType: ThriftType, count: Int) {
        if count < 15 {
            output.writeByte(UInt8(count) << 4 | elementType.rawValue)
        } else {
            output.writeByte(0xF0 | elementType.rawValue)
            output.writeVarUInt64(UInt64(count))
        }
    }

    package mutating func writeI32(_ value: Int32) { output.writeZigZag(Int64(value)) }
    package mutating func writeI64(_ value: Int64) { output.writeZigZag(value) }
    package mutating func writeBoolElement(_ value: Bool) { output.writeByte(value ? 1 : 2) }

    package mutating func writeBinary(_ value: [UInt8]) {
        output.writeVarUInt64(UInt64(value.count))
        output.writeBytes(value)
    }

    package mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            output.writeVarUInt64(UInt64(utf8.count))
            output.writeBytes(UnsafeRawBufferPointer(utf8))
        }
    }
}
