/// A document read back (a plan for `amoro compact`, an audit for `--from-audit`) is malformed: the member path of
/// what is wrong, and why. The one error of the `Documents` layer.
package enum DocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(kind: String, field: String, why: String)

    package var description: String {
        switch self {
        case .invalid(let kind, let field, let why): "invalid \(kind) document: '\(field)' \(why)"
        }
    }
}
