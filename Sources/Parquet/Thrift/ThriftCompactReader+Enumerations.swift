extension ThriftCompactReader {
    /// An i32 field holding a Thrift enum value; an unknown value is `.unsupported` (a newer format feature).
    package mutating func enumeration<E: RawRepresentable>(_ field: ThriftField, _: E.Type = E.self)
        throws(ParquetError) -> E where E.RawValue == Int32
    {
        let raw = try i32(field)
        guard let value = E(rawValue: raw) else { throw .unsupported("\(E.self) value \(raw)") }
        return value
    }

    /// A list element holding a Thrift enum value.
    package mutating func readEnumeration<E: RawRepresentable>(_: E.Type = E.self) throws(ParquetError) -> E
    where E.RawValue == Int32 {
        let raw = try readI32()
        guard let value = E(rawValue: raw) else { throw .unsupported("\(E.self) value \(raw)") }
        return value
    }
}

extension ParquetError {
    /// A required Thrift field was absent.
    static func missing(_ field: String, in structName: String) -> ParquetError {
        .corrupt("\(structName) has no \(field)")
    }
}
