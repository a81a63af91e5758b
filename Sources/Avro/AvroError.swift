import ByteCoding
import Compression

/// Why an Avro schema or file could not be read or written. Messages name what is wrong, so a caller can prefix
/// the path and show them as they are.
package enum AvroError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes contradict the format: bad magic, lengths past the end, a bad sync marker, a union index out of range.
    case corrupt(String)
    /// Valid Avro that this implementation does not handle (an unknown codec, say).
    case unsupported(String)
    /// Schema JSON that is not valid JSON or not a valid Avro schema.
    case invalidSchema(String)
    /// A writer schema that cannot be read as the requested reader schema.
    case incompatibleSchemas(String)
    /// A value handed to the encoder does not fit its schema.
    case invalidValue(String)
    /// The bytes of a file could not be read.
    case io(String)

    package var description: String {
        switch self {
        case .corrupt(let why): "corrupt Avro data: \(why)"
        case .unsupported(let what): "unsupported Avro feature: \(what)"
        case .invalidSchema(let why): "invalid Avro schema: \(why)"
        case .incompatibleSchemas(let why): "incompatible Avro schemas: \(why)"
        case .invalidValue(let why): "value does not fit the Avro schema: \(why)"
        case .io(let why): "cannot read Avro file: \(why)"
        }
    }
}

extension AvroError {
    init(_ error: ByteCodingError) { self = .corrupt(error.description) }

    init(_ error: CompressionError, codec: String) {
        switch error {
        case .unsupported: self = .unsupported("\(codec) block: \(error)")
        default: self = .corrupt("\(codec) block: \(error)")
        }
    }
}
