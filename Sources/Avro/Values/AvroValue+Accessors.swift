extension AvroValue {
    // Typed views for code that knows its schema (Iceberg manifests): each looks through unions and returns nil
    // for a null or a value of another kind.

    /// The fields of a record.
    package var fields: [AvroValue]? {
        if case .record(let fields) = unwrapped { return fields }
        return nil
    }

    /// An `int` or `long`, widened.
    package var int64: Int64? {
        switch unwrapped {
        case .int(let value): Int64(value)
        case .long(let value): value
        default: nil
        }
    }

    /// A `float` or `double`, widened.
    package var doubleValue: Double? {
        switch unwrapped {
        case .float(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    package var bool: Bool? {
        if case .boolean(let value) = unwrapped { return value }
        return nil
    }

    package var string: String? {
        if case .string(let value) = unwrapped { return value }
        return nil
    }

    /// The contents of `bytes` or `fixed`.
    package var byteArray: [UInt8]? {
        switch unwrapped {
        case .bytes(let value), .fixed(let value): value
        default: nil
        }
    }

    package var elements: [AvroValue]? {
        if case .array(let elements) = unwrapped { return elements }
        return nil
    }

    package var entries: [(key: String, value: AvroValue)]? {
        if case .map(let entries) = unwrapped { return entries }
        return nil
    }
}
