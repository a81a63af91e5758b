import JSONCoding

/// The logical types of Avro 1.11 (plus `timestamp-nanos` and `local-timestamp-nanos`), which give the
/// underlying type a meaning without changing how it is encoded.
package enum AvroLogicalType: Hashable, Sendable {
    /// Days since 1970-01-01 (`int`).
    case date
    /// Milliseconds after midnight (`int`).
    case timeMillis
    /// Microseconds after midnight (`long`).
    case timeMicros
    /// Instants since the epoch, UTC (`long`).
    case timestampMillis, timestampMicros, timestampNanos
    /// Wall-clock times since the epoch, no time zone (`long`).
    case localTimestampMillis, localTimestampMicros, localTimestampNanos
    /// A big-endian two's-complement unscaled integer (`bytes` or `fixed`); value = unscaled × 10^-scale.
    case decimal(precision: Int, scale: Int)
    /// An RFC 4122 UUID: its text form (`string`) or its 16 bytes (`fixed`).
    case uuid

    /// The `logicalType` attribute's value.
    package var name: String {
        switch self {
        case .date: "date"
        case .timeMillis: "time-millis"
        case .timeMicros: "time-micros"
        case .timestampMillis: "timestamp-millis"
        case .timestampMicros: "timestamp-micros"
        case .timestampNanos: "timestamp-nanos"
        case .localTimestampMillis: "local-timestamp-millis"
        case .localTimestampMicros: "local-timestamp-micros"
        case .localTimestampNanos: "local-timestamp-nanos"
        case .decimal: "decimal"
        case .uuid: "uuid"
        }
    }

    /// The attributes that declare this logical type.
    package var properties: [(String, JSON)] {
        var members: [(String, JSON)] = [("logicalType", .string(name))]
        if case .decimal(let precision, let scale) = self {
            members.append(("precision", .int(Int64(precision))))
            members.append(("scale", .int(Int64(scale))))
        }
        return members
    }

    /// The logical type that `properties` declare for `type`, or `nil` when none is declared or the declaration is
    /// invalid for the type (the specification says to ignore it then).
    init?(type: AvroType, properties: [(String, JSON)]) {
        guard let name = properties.first(where: { $0.0 == "logicalType" })?.1.stringValue else { return nil }
        switch (name, type) {
        case ("date", .int): self = .date
        case ("time-millis", .int): self = .timeMillis
        case ("time-micros", .long): self = .timeMicros
        case ("timestamp-millis", .long): self = .timestampMillis
        case ("timestamp-micros", .long): self = .timestampMicros
        case ("timestamp-nanos", .long): self = .timestampNanos
        case ("local-timestamp-millis", .long): self = .localTimestampMillis
        case ("local-timestamp-micros", .long): self = .localTimestampMicros
        case ("local-timestamp-nanos", .long): self = .localTimestampNanos
        case ("uuid", .string): self = .uuid
        case ("uuid", .fixed(let fixed)) where fixed.size == 16: self = .uuid
        case ("decimal", .bytes), ("decimal", .fixed):
            let attribute = { (key: String) in properties.first { $0.0 == key }?.1.int64Value }
            guard let precision = attribute("precision"), precision > 0 else { return nil }
            let scale = attribute("scale") ?? 0
            guard scale >= 0, scale <= precision else { return nil }
            if case .fixed(let fixed) = type, precision > AvroLogicalType.maxDecimalPrecision(fixedSize: fixed.size) {
                return nil
            }
            self = .decimal(precision: Int(precision), scale: Int(scale))
        default: return nil
        }
    }

    /// The most decimal digits a two's-complement number of `size` bytes can hold: floor(log10(2^(8·size-1) - 1)).
    package static func maxDecimalPrecision(fixedSize size: Int) -> Int {
        guard size > 0 else { return 0 }
        let bits = Double(8 * size - 1)
        return Int((bits * 0.30102999566398120).rounded(.down))
    }
}
