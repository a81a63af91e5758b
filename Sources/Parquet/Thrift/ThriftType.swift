/// Wire types of the Thrift compact protocol (the low nibble of a field header or list header).
package enum ThriftType: UInt8, Sendable, Hashable {
    case stop = 0
    /// In a field header, a boolean field whose value is true; in a list, a boolean element.
    case booleanTrue = 1
    /// In a field header, a boolean field whose value is false.
    case booleanFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
}

/// One decoded field header: the field id and its wire type.
package struct ThriftField: Sendable, Hashable {
    package var id: Int16
    package var type: ThriftType
}
