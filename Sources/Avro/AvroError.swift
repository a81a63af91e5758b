/// Why an Avro schema or file could not be read or written.
package enum AvroError: Error, Equatable, Sendable, CustomStringConvertible {
    case corrupt(String)
    case unsupported(String)
    case invalidSchema(String)

    package var description: String {
        switch self {
        case .corrupt(let why): "corrupt Avro data: \(why)"
        case .unsupported(let what): "unsupported Avro feature: \(what)"
        case .invalidSchema(let why): "invalid Avro schema: \(why)"
        }
    }
}
